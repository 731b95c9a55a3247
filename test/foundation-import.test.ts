/**
 * ONNX import, input files and the artifact: errors name the file/node/input/element; constant
 * folding of exporter shape arithmetic; readInputs' formats; save/load with the hash check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { InputFileError, ShapeError, UnsupportedModelError } from '../src/errors.ts';
import { encodeTensorProto } from '../src/onnx/encodeOnnxModel.ts';
import { loadOnnxModel } from '../src/onnx/loadOnnxModel.ts';
import { readInputs } from '../src/onnx/readInputs.ts';
import { DataType } from '../src/onnx/types.ts';
import { loadQuantizedModel } from '../src/quant/loadQuantizedModel.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { saveQuantizedModel } from '../src/quant/saveQuantizedModel.ts';
import { createTempDir, writeMatMulModel, writeModel } from './foundation-helpers.ts';

const dir = createTempDir();

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loadOnnxModel errors', () => {
  it('names an unsupported operator, its node and the file, and lists what is supported', () => {
    const file = writeModel(dir, 'erf', {
      inputs: [{ name: 'x', dims: [1, 4] }],
      outputs: [{ name: 'y', dims: [1, 4] }],
      nodes: [{ opType: 'Erf', name: 'act_1', inputs: ['x'], outputs: ['y'] }],
    });
    const error = caught(() => loadOnnxModel({ file }));
    expect(error).toBeInstanceOf(UnsupportedModelError);
    expect(error.message).toContain(`${file}: node 'act_1' (Erf) uses the operator Erf`);
    expect(error.message).toMatch(/supported: Gemm, MatMul, Add, Relu, Conv/);
  });

  it('names an unsupported attribute (auto_pad, group)', () => {
    const conv = (name: string, attributes: Record<string, number | number[] | string>) =>
      writeModel(dir, name, {
        inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
        outputs: [{ name: 'y' }],
        initializers: [{ name: 'W', dims: [2, 2, 3, 3], data: new Array(36).fill(0.1) }],
        nodes: [{ opType: 'Conv', name: 'Conv_3', inputs: ['x', 'W'], outputs: ['y'], attributes }],
      });
    expect(caught(() => loadOnnxModel({ file: conv('autopad', { auto_pad: 'SAME_MIDDLE', group: 1 }) })).message).toContain(
      "node 'Conv_3' (Conv) uses auto_pad=SAME_MIDDLE",
    );
    expect(caught(() => loadOnnxModel({ file: conv('group', { group: 2 }) })).message).toContain("node 'Conv_3' (Conv) uses group=2 (only group=1)");
  });

  it('reports malformed and missing files as InputFileError naming the file', () => {
    const bad = join(dir, 'garbage.onnx');
    writeFileSync(bad, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]));
    const malformed = caught(() => loadOnnxModel({ file: bad }));
    expect(malformed).toBeInstanceOf(InputFileError);
    expect(malformed.message).toContain(`${bad}: not a valid ONNX model`);
    const missing = caught(() => loadOnnxModel({ file: join(dir, 'nope.onnx') }));
    expect(missing).toBeInstanceOf(InputFileError);
    expect(missing.message).toContain('nope.onnx: cannot read the ONNX file');
  });

  it('refuses integer weights where floats are needed', () => {
    const file = writeModel(dir, 'intweights', {
      inputs: [{ name: 'x', dims: [1, 2] }],
      outputs: [{ name: 'y', dims: [1, 2] }],
      initializers: [{ name: 'W', dims: [2, 2], data: [1, 2, 3, 4], dataType: DataType.INT32 }],
      nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['y'] }],
    });
    const error = caught(() => loadOnnxModel({ file }));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toContain(`${file}: node 'mm' (MatMul): constant 'W' is INT32, a float tensor is needed`);
  });

  it('folds PyTorch shape arithmetic (Shape→Gather→Unsqueeze→Concat→Reshape), drops Identity/Dropout, fixes a dynamic batch to 1', () => {
    const file = writeModel(dir, 'torch-flatten', {
      opset: 11,
      inputs: [{ name: 'x', dims: ['batch', 2, 3] }],
      outputs: [{ name: 'y', dims: [1, 6] }],
      initializers: [{ name: 'zero', dims: [], data: [0], dataType: DataType.INT64 }, { name: 'minus1', dims: [1], data: [-1], dataType: DataType.INT64 }],
      nodes: [
        { opType: 'Identity', inputs: ['x'], outputs: ['x1'] },
        { opType: 'Shape', inputs: ['x1'], outputs: ['shape'] },
        { opType: 'Gather', inputs: ['shape', 'zero'], outputs: ['n'], attributes: { axis: 0 } },
        { opType: 'Unsqueeze', inputs: ['n'], outputs: ['n1'], attributes: { axes: [0] } },
        { opType: 'Concat', inputs: ['n1', 'minus1'], outputs: ['target'], attributes: { axis: 0 } },
        { opType: 'Dropout', inputs: ['x1'], outputs: ['x2'], attributes: { ratio: 0.5 } },
        { opType: 'Reshape', name: 'flat', inputs: ['x2', 'target'], outputs: ['y'] },
      ],
    });
    const graph = loadOnnxModel({ file });
    expect(graph.inputs).toEqual([{ name: 'x', dims: [1, 2, 3], elemType: DataType.FLOAT }]);
    expect(graph.nodes.map((n) => [n.opType, n.inputs])).toEqual([['Reshape', ['x']]]);
    expect(graph.outputs[0]!.dims).toEqual([1, 6]);
    const model = quantizeModel({ file });
    expect(model.layers).toEqual([{ op: 'reshape', name: 'flat', out: 'y', input: 'x' }]);
    expect(runEngine({ model, inputs: { x: [1, 2, 3, 4, 5, 6] } }).outputs[0]).toEqual({ name: 'y', dims: [1, 6], data: [1, 2, 3, 4, 5, 6] });
  });
});

describe('exporter idioms', () => {
  it('reads an opset-4 Reshape (shape attribute), a Constant weight, Gemm broadcast, Dropout is_test and a float Cast', () => {
    const file = writeModel(dir, 'old-opset', {
      opset: 4,
      inputs: [{ name: 'x', dims: [1, 2, 2] }],
      outputs: [{ name: 'y', dims: [1, 2] }],
      initializers: [{ name: 'b', dims: [2], data: [1, -1] }],
      nodes: [
        { opType: 'Cast', inputs: ['x'], outputs: ['xf'], attributes: { to: DataType.FLOAT } },
        { opType: 'Reshape', name: 'flat', inputs: ['xf'], outputs: ['f'], attributes: { shape: [1, 4] } },
        { opType: 'Constant', inputs: [], outputs: ['W'], attributes: { value: { dims: [2, 4], data: [1, 0, 0, 0, 0, 0, 0, 2] } } },
        { opType: 'Gemm', name: 'fc', inputs: ['f', 'W', 'b'], outputs: ['g'], attributes: { broadcast: 1, transB: 1 } },
        { opType: 'Dropout', inputs: ['g'], outputs: ['y'], attributes: { is_test: 1, ratio: 0.5 } },
      ],
    });
    const model = quantizeModel({ file });
    expect(model.layers.map((l) => [l.op, l.name])).toEqual([['reshape', 'flat'], ['matmul', 'fc'], ['reshape', 'Identity_y']]);
    // y = f · Wᵀ + b = [x0 + 1, 2·x3 - 1].
    const { outputs } = runEngine({ model, inputs: quantizeInputs({ model, inputs: { x: [0.5, 9, 9, -0.25] } }) });
    expect(outputs[0]).toEqual({ name: 'y', dims: [1, 2], data: [1.5 * 256, -1.5 * 256] });
  });
});

describe('node order', () => {
  it('sorts nodes that a converter wrote out of topological order', () => {
    const file = writeModel(dir, 'unsorted', {
      inputs: [{ name: 'x', dims: [1, 2] }],
      outputs: [{ name: 'y', dims: [1, 2] }],
      initializers: [{ name: 'W', dims: [2, 2], data: [1, 0, 0, 1] }, { name: 'b', dims: [2], data: [0.5, 0.25] }],
      nodes: [
        { opType: 'Relu', name: 'act', inputs: ['s'], outputs: ['y'] },
        { opType: 'Add', name: 'bias', inputs: ['m', 'b'], outputs: ['s'] },
        { opType: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['m'] },
      ],
    });
    const model = quantizeModel({ file });
    expect(model.layers.map((l) => l.name)).toEqual(['mm', 'act']);
    expect(runEngine({ model, inputs: { x: [256, -512] } }).outputs[0]!.data).toEqual([384, 0]);
  });
});

describe('readInputs', () => {
  const graphInputs = [{ name: 'x', dims: [1, 2, 2] }];

  it('reads {"input"}, ezkl {"input_data"}, named tensors, .pb files and test-data folders', () => {
    const files: Record<string, unknown> = {
      'plain.json': { input: [[[1, 2], [3, 4]]] },
      'ezkl.json': { input_data: [[1, 2, 3, 4]], input_shapes: [[1, 2, 2]] },
      'named.json': { x: { dims: [1, 2, 2], data: [1, 2, 3, 4] } },
      'flat.json': [1, 2, 3, 4],
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), JSON.stringify(content));
      expect(readInputs({ files: [join(dir, name)], graphInputs })).toEqual({ x: { dims: [1, 2, 2], data: [1, 2, 3, 4] } });
    }
    writeFileSync(join(dir, 'x.pb'), encodeTensorProto({ name: 'x', dims: [1, 2, 2], data: [1, 2, 3, 4] }));
    expect(readInputs({ files: [join(dir, 'x.pb')], graphInputs })).toEqual({ x: { dims: [1, 2, 2], data: [1, 2, 3, 4] } });
    const set = join(dir, 'test_data_set_0');
    mkdirSync(set, { recursive: true });
    writeFileSync(join(set, 'input_1.pb'), encodeTensorProto({ name: '', dims: [1, 3], data: [5, 6, 7] }));
    writeFileSync(join(set, 'input_0.pb'), encodeTensorProto({ name: '', dims: [1, 2, 2], data: [1, 2, 3, 4] }));
    writeFileSync(join(set, 'output_0.pb'), encodeTensorProto({ name: '', dims: [1], data: [0] }));
    expect(readInputs({ files: [set], graphInputs: [...graphInputs, { name: 'z', dims: [1, 3] }] })).toEqual({
      x: { dims: [1, 2, 2], data: [1, 2, 3, 4] },
      z: { dims: [1, 3], data: [5, 6, 7] },
    });
  });

  it('names the file, input and expected dims on a wrong element count', () => {
    const file = join(dir, 'short.json');
    writeFileSync(file, JSON.stringify({ input: [1, 2, 3] }));
    const error = caught(() => readInputs({ files: [file], graphInputs }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain(`${file} (input): input 'x' has 3 elements, the model expects dims [1,2,2] (4 elements)`);
  });

  it('names the element that is NaN or Infinity', () => {
    const file = join(dir, 'nan.json');
    writeFileSync(file, '{"input": [1, NaN, 3, 4]}');
    const error = caught(() => readInputs({ files: [file], graphInputs }));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toContain(`${file}: input[1] is NaN, not a finite number`);
    const infinite = join(dir, 'inf.json');
    writeFileSync(infinite, '{"input": [1, 2, 3, -Infinity]}');
    expect(caught(() => readInputs({ files: [infinite], graphInputs })).message).toContain(`input[3] is -Infinity, not a finite number`);
    const model = { name: 'm', inputs: graphInputs, scaleBits: 8, valueBits: 16 };
    expect(caught(() => quantizeInputs({ model, inputs: { x: [0, 0, Infinity, 0] } })).message).toContain(`input 'x' element 2 is Infinity`);
  });
});

describe('quantized model artifact', () => {
  it('round-trips through save/load and refuses an edited or foreign file', () => {
    const model = quantizeModel({ file: writeMatMulModel(dir, 'artifact', [[0.5, 1], [0.25, -1]], [0.5, 0]) });
    const file = join(dir, 'artifact.qmodel.json');
    saveQuantizedModel({ model, file });
    expect(loadQuantizedModel({ file })).toEqual(model);
    const edited = { ...model, constants: { ...model.constants, W: { ...model.constants.W!, data: [1, 2, 3, 4] } } };
    writeFileSync(file, JSON.stringify(edited));
    expect(caught(() => loadQuantizedModel({ file })).message).toContain('hash mismatch');
    writeFileSync(file, JSON.stringify({ format: 'something-else' }));
    expect(caught(() => loadQuantizedModel({ file }))).toBeInstanceOf(InputFileError);
  });
});
