/**
 * Bad input as an attacker writes it (issue 9 §4): ONNX dims that wrap at 2^32 or are negative,
 * tensors declared too large to allocate, JSON inputs that are not plain numbers or not the
 * declared shape, unknown keys and surplus --input files. Each must end in an error that names
 * the file, the field and the value — exit 1 for a bad file, exit 2 for a bad command line —
 * before anything large is allocated.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError, UnsupportedModelError, UsageError } from '../src/errors.ts';
import { MAX_TENSOR_ELEMENTS } from '../src/onnx/checkTensorDims.ts';
import { encodeTensorProto } from '../src/onnx/encodeOnnxModel.ts';
import { loadOnnxModel } from '../src/onnx/loadOnnxModel.ts';
import { readInputs } from '../src/onnx/readInputs.ts';
import { DataType } from '../src/onnx/types.ts';
import { createTempDir, writeMatMulModel, writeModel } from './foundation-helpers.ts';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const dir = createTempDir();

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function opzk(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** y = Relu(x) with x of the given declared dims. */
function reluModel(name: string, dims: number[]): string {
  return writeModel(dir, name, {
    inputs: [{ name: 'x', dims }],
    outputs: [{ name: 'y' }],
    nodes: [{ opType: 'Relu', name: 'act', inputs: ['x'], outputs: ['y'] }],
  });
}

describe('ONNX dims', () => {
  it('refuses a dim of 2^32 + 8 instead of reading it as 8', () => {
    const file = reluModel('wrapped', [1, 2 ** 32 + 8]);
    const error = caught(() => loadOnnxModel({ file }));
    expect(error).toBeInstanceOf(UnsupportedModelError);
    expect((error as UnsupportedModelError).shortMessage).toBe(
      `${file}: input 'x' has dims [1,4294967304] = 4294967304 elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
  });

  it('refuses an empty tensor with a huge dim ([0, 2^40]: zero elements, but shapes derived from it would not be)', () => {
    const file = reluModel('empty-huge', [0, 2 ** 40]);
    expect((caught(() => loadOnnxModel({ file })) as UnsupportedModelError).shortMessage).toBe(
      `${file}: input 'x' dim 1 is 1099511627776, larger than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
  });

  it('refuses a negative dim on an input and on an initializer', () => {
    const file = reluModel('negative', [1, -3]);
    const error = caught(() => loadOnnxModel({ file }));
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).shortMessage).toBe(`${file}: input 'x' dim 1 is -3, a dim must be a non-negative integer`);
    const withWeight = writeModel(dir, 'negative-weight', {
      inputs: [{ name: 'x', dims: [1, 2] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'W', dims: [2, -2], data: [] }],
      nodes: [{ opType: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }],
    });
    expect((caught(() => loadOnnxModel({ file: withWeight })) as InputFileError).shortMessage).toBe(
      `${withWeight}: tensor 'W' dim 1 is -2, a dim must be a non-negative integer`,
    );
  });

  it('refuses a declared input of 2e9 elements before allocating it', () => {
    const file = reluModel('huge-input', [1, 2, 1_000_000_000]);
    const error = caught(() => loadOnnxModel({ file }));
    expect(error).toBeInstanceOf(UnsupportedModelError);
    expect((error as UnsupportedModelError).shortMessage).toBe(
      `${file}: input 'x' has dims [1,2,1000000000] = 2000000000 elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
  });

  it('refuses an initializer and an intermediate shape beyond the limit', () => {
    const bigWeight = writeModel(dir, 'huge-weight', {
      inputs: [{ name: 'x', dims: [1, 2] }],
      outputs: [{ name: 'y' }],
      // 2^25 elements declared, no data: the dims alone must be refused (no 256 MiB allocation).
      initializers: [{ name: 'W', dims: [2, 2 ** 24], data: [] }],
      nodes: [{ opType: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }],
    });
    expect((caught(() => loadOnnxModel({ file: bigWeight })) as UnsupportedModelError).shortMessage).toBe(
      `${bigWeight}: tensor 'W' has dims [2,16777216] = 33554432 elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
    // [4096, 1] + [1, 8192] broadcasts to 2^25 elements: each operand is small, the sum is not.
    const broadcast = writeModel(dir, 'huge-broadcast', {
      inputs: [{ name: 'x', dims: [4096, 1] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'b', dims: [1, 8192], data: new Array(8192).fill(0) }],
      nodes: [{ opType: 'Add', name: 'wide', inputs: ['x', 'b'], outputs: ['y'] }],
    });
    expect((caught(() => loadOnnxModel({ file: broadcast })) as UnsupportedModelError).shortMessage).toBe(
      `${broadcast}: node 'wide' (Add) output 'y' has dims [4096,8192] = 33554432 elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
  });
});

describe('readInputs is strict', () => {
  const graphInputs = [{ name: 'x', dims: [1, 2, 2] }];
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const message = (file: string) => (caught(() => readInputs({ files: [file], graphInputs })) as InputFileError).shortMessage;

  it('refuses strings, even ones Number() would read ("", " ", "0x10")', () => {
    for (const [value, path] of [['""', 'input[2]'], ['" "', 'input[2]'], ['"0x10"', 'input[2]']] as const) {
      const file = write('string.json', `{"input": [1, 2, ${value}, 4]}`);
      const error = caught(() => readInputs({ files: [file], graphInputs }));
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as InputFileError).shortMessage).toBe(`${file}: ${path} is ${value}, not a number`);
    }
    const nested = write('nested-string.json', '{"x": [[[1, 2], [3, "4"]]]}');
    expect(message(nested)).toBe(`${nested}: x[0][1][1] is "4", not a number`);
  });

  it('names 1e999 as Infinity, not "null"', () => {
    const file = write('huge.json', '{"input": [1, 2, 3, 1e999]}');
    expect(message(file)).toBe(`${file}: input[3] is Infinity (a number too large for float64, e.g. 1e999), not a finite number`);
    const nan = write('nan-strict.json', '{"input": [1, NaN, 3, 4]}');
    expect(message(nan)).toBe(`${nan}: input[1] is NaN, not a finite number`);
    const nul = write('null.json', '{"input": [1, null, 3, 4]}');
    expect(message(nul)).toBe(`${nul}: input[1] is null, not a number`);
  });

  it('refuses ragged arrays and a nested shape other than the declared one', () => {
    const ragged = write('ragged.json', '{"input": [[[1, 2], [3, 4, 5]]]}');
    expect(message(ragged)).toBe(`${ragged}: input[0][1] has shape [3], input[0][0] has [2] (a ragged array)`);
    const mixed = write('mixed.json', '{"input": [[1, 2], 3]}');
    expect(message(mixed)).toBe(`${mixed}: input[1] is 3, expected an array like input[0]`);
    const transposed = write('wrong-shape.json', '{"input": [[[1], [2]], [[3], [4]]]}');
    const error = caught(() => readInputs({ files: [transposed], graphInputs }));
    expect((error as InputFileError).shortMessage).toBe(`${transposed} (input): input 'x' has shape [2,2,1], the model expects [1,2,2]`);
    const dims = write('wrong-dims.json', '{"x": {"dims": [4, 1], "data": [1, 2, 3, 4]}}');
    expect((caught(() => readInputs({ files: [dims], graphInputs })) as InputFileError).shortMessage).toBe(
      `${dims} (x): input 'x' has dims [4,1], the model expects [1,2,2]`,
    );
  });

  it('still reads flat arrays, the exact nested shape, and the shape without its batch dim', () => {
    for (const text of ['[1, 2, 3, 4]', '{"input": [[[1, 2], [3, 4]]]}', '{"x": [[1, 2], [3, 4]]}', '{"input_data": [[1, 2, 3, 4]], "input_shapes": [[1, 2, 2]], "output_data": [[0]]}'])
      expect(readInputs({ files: [write('ok.json', text)], graphInputs })).toEqual({ x: { dims: [1, 2, 2], data: [1, 2, 3, 4] } });
  });

  it('refuses an unknown key, naming it and the model\'s inputs', () => {
    const file = write('unknown.json', '{"x": [1, 2, 3, 4], "y": [5]}');
    const error = caught(() => readInputs({ files: [file], graphInputs }));
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).shortMessage).toBe(
      `${file}: unknown key 'y' (the model's inputs are 'x'; other keys: input, inputs, data, input_data, input_shapes, output_data)`,
    );
  });

  it('refuses a surplus --input and an input given twice (usage errors)', () => {
    const one = write('one.json', '{"input": [1, 2, 3, 4]}');
    const two = write('two.json', '{"x": [1, 2, 3, 4]}');
    const surplus = caught(() => readInputs({ files: [one, one], graphInputs }));
    expect(surplus).toBeInstanceOf(UsageError);
    expect((surplus as UsageError).shortMessage).toBe(`${one} (input): one input tensor more than the model has inputs ('x')`);
    const twice = caught(() => readInputs({ files: [two, two], graphInputs }));
    expect(twice).toBeInstanceOf(UsageError);
    expect((twice as UsageError).shortMessage).toBe(`${two} (x): input 'x' is given twice (also in ${two} (x))`);
  });

  it('refuses a .pb tensor whose dims wrap or are negative', () => {
    const file = join(dir, 'neg.pb');
    writeFileSync(file, encodeTensorProto({ name: 'x', dims: [1, -4], data: [1, 2, 3, 4], dataType: DataType.FLOAT }));
    expect(message(file)).toBe(`${file}: tensor 'x' dim 1 is -4, a dim must be a non-negative integer`);
  });
});

describe('the CLI on bad input', () => {
  const model = writeMatMulModel(dir, 'tiny', [[0.5, -1], [0.25, 2]], [0.125, 0]);

  it('compare on a 2e9-element input: one error naming the input, exit 1, no out-of-memory', () => {
    const file = reluModel('compare-huge', [1, 2, 1_000_000_000]);
    const { status, stdout, stderr } = opzk('compare', file, '--inputs', '1');
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(
      `opzk: ${file}: input 'x' has dims [1,2,1000000000] = 2000000000 elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`,
    );
    expect(status).toBe(1);
  });

  it('a bad value in an --input file exits 1; a surplus --input exits 2', () => {
    const bad = join(dir, 'cli-hex.json');
    writeFileSync(bad, '{"input": [1, "0x10"]}');
    const hex = opzk('infer', model, '--input', bad);
    expect(hex.stderr.split('\n')[0]).toBe(`opzk: ${bad}: input[1] is "0x10", not a number`);
    expect(hex.status).toBe(1);
    const good = join(dir, 'cli-good.json');
    writeFileSync(good, '{"input": [1, 2]}');
    const surplus = opzk('infer', model, '--input', good, '--input', good);
    expect(surplus.stderr.split('\n')[0]).toBe(`opzk: ${good} (input): one input tensor more than the model has inputs ('x')`);
    expect(surplus.status).toBe(2);
  });

  it('a misspelled flag: one line with "did you mean", exit 2', () => {
    const { status, stdout, stderr } = opzk('infer', model, '--backnd', 'native');
    expect(stdout).toBe('');
    expect(stderr).toBe(`opzk: infer: unknown option '--backnd'; did you mean '--backend'? (opzk infer --help lists the options)\n`);
    expect(status).toBe(2);
    const unknownCommand = opzk('infre');
    expect(unknownCommand.stderr.split('\n')[0]).toBe(`opzk: unknown command 'infre'; did you mean 'infer'?`);
    expect(unknownCommand.status).toBe(2);
  });

  it('usage errors exit 2 everywhere (a bad option value, a missing model)', () => {
    const noModel = opzk('infer');
    expect(noModel.stderr.split('\n')[0]).toBe('opzk: infer: give exactly one model (a zoo name or an .onnx path)');
    expect(noModel.status).toBe(2);
    const badCount = opzk('compare', model, '--inputs', 'many');
    expect(badCount.stderr.split('\n')[0]).toBe(`opzk: compare: --inputs must be a positive integer, got 'many'`);
    expect(badCount.status).toBe(2);
  });
});
