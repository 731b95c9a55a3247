/**
 * Tensors given at run time (issue 11 §2), as the ONNX node tests give them: a Conv whose weight
 * and bias are graph inputs (quantized at run time with the model's scale), and a Reshape whose
 * target shape is an integer graph input (bound at import from the run's inputs, fixed in the
 * quantized model). Engine against onnxruntime, the trace VM bit for bit against the engine, the
 * CLI path, and the attacks: a shape input missing, not an integer, or changed after quantization.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { InputFileError, UnsupportedModelError, UsageError } from '../src/errors.ts';
import { runNative } from '../src/native/runNative.ts';
import { loadOnnxModel, readGraphInputs } from '../src/onnx/loadOnnxModel.ts';
import { DataType } from '../src/onnx/types.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { loadQuantizedModel } from '../src/quant/loadQuantizedModel.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { saveQuantizedModel } from '../src/quant/saveQuantizedModel.ts';
import { createTempDir, writeModel } from './foundation-helpers.ts';

const dir = createTempDir();
const S = 12;

// x [1,2,4,4] * W [3,2,3,3] + B [3], pads 1, stride 2 → [1,3,2,2]; all three are graph inputs.
const convFile = writeModel(dir, 'conv-runtime', {
  inputs: [{ name: 'x', dims: [1, 2, 4, 4] }, { name: 'W', dims: [3, 2, 3, 3] }, { name: 'B', dims: [3] }],
  outputs: [{ name: 'y', dims: [1, 3, 2, 2] }],
  nodes: [{ opType: 'Conv', name: 'conv', inputs: ['x', 'W', 'B'], outputs: ['y'], attributes: { pads: [1, 1, 1, 1], strides: [2, 2] } }],
});
const wave = (n: number, scale: number, phase: number) => Array.from({ length: n }, (_, i) => +(scale * Math.sin(i * 1.7 + phase)).toFixed(4));
const convInputs = { x: { dims: [1, 2, 4, 4], data: wave(32, 2, 0) }, W: { dims: [3, 2, 3, 3], data: wave(54, 0.5, 1) }, B: { dims: [3], data: [0.25, -1.5, 3] } };

// x [2,3,4] → Reshape(x, shape) → y; shape is an INT64 graph input.
const reshapeFile = writeModel(dir, 'reshape-runtime', {
  inputs: [{ name: 'x', dims: [2, 3, 4] }, { name: 'shape', dims: [2], elemType: DataType.INT64 }],
  outputs: [{ name: 'y' }],
  nodes: [
    { opType: 'Reshape', name: 'reshape', inputs: ['x', 'shape'], outputs: ['r'] },
    { opType: 'Relu', name: 'relu', inputs: ['r'], outputs: ['y'] },
  ],
});
const reshapeX = { dims: [2, 3, 4], data: wave(24, 3, 0.5) };

describe('Conv with weight and bias given as graph inputs', () => {
  const model = quantizeModel({ file: convFile, scaleBits: S, valueBits: 24 });

  it('stays a three-input model: conv with an activation weight, the bias added after the rescale', () => {
    expect(model.inputs.map((i) => i.name)).toEqual(['x', 'W', 'B']);
    expect(Object.keys(model.constants)).toEqual([]);
    expect(model.layers.map((l) => `${l.op}:${l.name}`)).toEqual(['conv:conv', 'reshape:conv:biasShape', 'add:conv:bias']);
    // 18 taps · (2^23)² + 2^11: the activation × activation bound.
    expect(model.layers[0]!.op === 'conv' && model.layers[0]!.accBits).toBe(51);
  });

  it('engine matches onnxruntime within the conformance tolerance, trace VM matches the engine bit for bit', async () => {
    const quantized = quantizeInputs({ model, inputs: convInputs });
    const engine = runEngine({ model, inputs: quantized });
    const native = await runNative({ file: convFile, inputs: convInputs });
    expect(native.outputs[0]!.dims).toEqual([1, 3, 2, 2]);
    // tol = 2^-s · (2 + L·(M + 1)) with L = 18 taps and M = 3 (the largest |input|), plus one rounding of the bias add.
    const tolerance = 2 ** -S * (3 + 18 * 4);
    const worst = Math.max(...native.outputs[0]!.data.map((v, i) => Math.abs(v - engine.outputs[0]!.data[i]! * 2 ** -S)));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(createTrace({ program: compileProgram({ model }), input: quantized }).outputs.y).toEqual(engine.outputs[0]!.data);
  });
});

describe('Reshape whose shape is a graph input', () => {
  it('lists the integer input among the graph inputs an input file must give', () => {
    expect(readGraphInputs({ file: reshapeFile })).toEqual([{ name: 'x', dims: [2, 3, 4], elemType: DataType.FLOAT }, { name: 'shape', dims: [2], elemType: DataType.INT64 }]);
  });

  it('is bound from the run\'s inputs, recorded in the model, and the engine and trace VM agree with onnxruntime', async () => {
    const shape = { dims: [2], data: [4, -1] };
    const model = quantizeModel({ file: reshapeFile, scaleBits: 8, valueBits: 16, runInputs: { x: reshapeX, shape } });
    expect(model.inputs).toEqual([{ name: 'x', dims: [2, 3, 4] }]);
    expect(model.boundInputs).toEqual({ shape: { dims: [2], data: [4, -1] } });
    expect(model.outputs).toEqual([{ name: 'y', dims: [4, 6] }]);
    const quantized = quantizeInputs({ model, inputs: { x: reshapeX, shape } });
    const engine = runEngine({ model, inputs: quantized });
    const native = await runNative({ file: reshapeFile, inputs: { x: reshapeX, shape } });
    expect(native.outputs[0]!.dims).toEqual([4, 6]);
    expect(engine.outputs[0]!.data.map((q) => q / 256)).toEqual(native.outputs[0]!.data.map((v) => Math.round(v * 256) / 256));
    expect(createTrace({ program: compileProgram({ model }), input: quantized }).outputs.y).toEqual(engine.outputs[0]!.data);
    // Another shape is another model (its hash differs).
    expect(quantizeModel({ file: reshapeFile, scaleBits: 8, valueBits: 16, runInputs: { x: reshapeX, shape: { dims: [2], data: [6, 4] } } }).hash).not.toBe(model.hash);
  });

  it('attack: a shape that is not given is refused by name, saying how to give it', () => {
    expect(() => loadOnnxModel({ file: reshapeFile })).toThrow(UnsupportedModelError);
    expect(() => loadOnnxModel({ file: reshapeFile })).toThrow(`${reshapeFile}: node 'reshape' (Reshape): its INT64 input 'shape' is a graph input whose value the import needs (shapes are static)`);
  });

  it('attack: a shape that is not an integer is refused with the element', () => {
    expect(() => loadOnnxModel({ file: reshapeFile, runInputs: { shape: { dims: [2], data: [4, 1.5] } } })).toThrow(InputFileError);
    expect(() => loadOnnxModel({ file: reshapeFile, runInputs: { shape: { dims: [2], data: [4, 1.5] } } })).toThrow("input 'shape' is INT64, but element 1 is 1.5, not an integer");
  });

  it('attack: a run with another shape than the model was quantized with is refused', () => {
    const model = quantizeModel({ file: reshapeFile, scaleBits: 8, valueBits: 16, runInputs: { shape: { dims: [2], data: [4, -1] } } });
    expect(() => quantizeInputs({ model, inputs: { x: reshapeX, shape: { data: [6, 4] } } })).toThrow(UsageError);
    expect(() => quantizeInputs({ model, inputs: { x: reshapeX, shape: { data: [6, 4] } } })).toThrow("input 'shape' is [6,4], but the model was quantized with 'shape' = [4,-1]");
    // The same shape again, or none (it is part of the model), is accepted.
    expect(quantizeInputs({ model, inputs: { x: reshapeX } }).x).toHaveLength(24);
  });

  it('the bound shape survives save/load; an edited one is refused', () => {
    const model = quantizeModel({ file: reshapeFile, scaleBits: 8, valueBits: 16, runInputs: { shape: { dims: [2], data: [4, -1] } } });
    const file = join(dir, 'reshape.qmodel.json');
    saveQuantizedModel({ model, file });
    expect(loadQuantizedModel({ file }).boundInputs).toEqual({ shape: { dims: [2], data: [4, -1] } });
    writeFileSync(file, JSON.stringify({ ...model, boundInputs: { shape: { dims: [2], data: [6, 4] } } }));
    expect(() => loadQuantizedModel({ file })).toThrow('hash mismatch');
    writeFileSync(file, JSON.stringify({ ...model, boundInputs: { shape: { dims: [2], data: [4, 0.5] } } }));
    expect(() => loadQuantizedModel({ file })).toThrow("bound input 'shape' is not {dims, data} of integers");
  });

  it('opzk infer --input takes the shape from the input file', () => {
    const input = join(dir, 'reshape-input.json');
    writeFileSync(input, JSON.stringify({ x: reshapeX, shape: { dims: [2], data: [3, 8] } }));
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
    const result = spawnSync(process.execPath, [tsxCli, 'src/cli/main.ts', 'infer', reshapeFile, '--input', input, '--json'], { encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { outputs: { dims: number[]; data: number[] }[] };
    expect(report.outputs[0]!.dims).toEqual([3, 8]);
    expect(report.outputs[0]!.data).toHaveLength(24);
  });
});
