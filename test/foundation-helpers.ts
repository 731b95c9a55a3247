/** Small ONNX models written in code for the foundation tests (one temp folder per test file). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOnnxModel, type EncodeOnnxModelParameters } from '../src/onnx/encodeOnnxModel.ts';

export function createTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'opzk-foundation-'));
}

export function writeModel(dir: string, name: string, parameters: EncodeOnnxModelParameters): string {
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, encodeOnnxModel(parameters));
  return file;
}

/** y = x · W (+ b) with x [1, K], W [K, N]: MatMul, optionally followed by Add(b). */
export function writeMatMulModel(dir: string, name: string, weight: number[][], bias?: number[], opset = 13): string {
  const K = weight.length;
  const N = weight[0]!.length;
  return writeModel(dir, name, {
    opset,
    inputs: [{ name: 'x', dims: [1, K] }],
    outputs: [{ name: 'y', dims: [1, N] }],
    initializers: [
      { name: 'W', dims: [K, N], data: weight.flat() },
      ...(bias ? [{ name: 'b', dims: [N], data: bias }] : []),
    ],
    nodes: bias
      ? [
          { opType: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['xw'] },
          { opType: 'Add', name: 'bias', inputs: ['xw', 'b'], outputs: ['y'] },
        ]
      : [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['y'] }],
  });
}
