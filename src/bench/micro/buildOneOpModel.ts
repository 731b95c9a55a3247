/**
 * A one-layer QuantizedModel built in code, for the engine baseline of the micro suite: the
 * engine's own integer arithmetic (range checks included) on the same N operations. fixed-mul is
 * a batched activation × activation matmul ([n,1,1] × [n,1,1], one rescaled product each), dot a
 * [1,n] × [n,1] matmul, relu a relu over [1,n]. The raw `mul` has no engine layer (every engine
 * product is rescaled), so it has no engine baseline.
 */
import { hashQuantizedModel } from '../../quant/hashQuantizedModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QLayer, type QuantizedModel } from '../../quant/types.ts';
import type { MicroOpId } from './microOps.ts';

export interface BuildOneOpModelParameters {
  op: MicroOpId;
  n: number;
  scaleBits: number;
  valueBits: number;
}

export type BuildOneOpModelResult = QuantizedModel | undefined;

export function buildOneOpModel({ op, n, scaleBits, valueBits }: BuildOneOpModelParameters): BuildOneOpModelResult {
  if (op === 'mul') return undefined;
  let inputs: QuantizedModel['inputs'];
  let layer: QLayer;
  let outDims: number[];
  // Static bound of docs/fixed-point.md for activation × activation: K · 2^(2(v-1)) + 2^(s-1).
  const accBits = (k: number) => Math.ceil(Math.log2(k * 2 ** (2 * (valueBits - 1)) + 2 ** (scaleBits - 1)));
  if (op === 'fixed-mul') {
    inputs = [{ name: 'a', dims: [n, 1, 1] }, { name: 'b', dims: [n, 1, 1] }];
    outDims = [n, 1, 1];
    layer = { op: 'matmul', name: 'product', out: 'y', a: 'a', b: 'b', accBits: accBits(1) };
  } else if (op === 'dot') {
    inputs = [{ name: 'a', dims: [1, n] }, { name: 'b', dims: [n, 1] }];
    outDims = [1, 1];
    layer = { op: 'matmul', name: 'dot', out: 'y', a: 'a', b: 'b', accBits: accBits(n) };
  } else {
    inputs = [{ name: 'x', dims: [1, n] }];
    outDims = [1, n];
    layer = { op: 'relu', name: 'relu', out: 'y', input: 'x' };
  }
  const tensors: Record<string, number[]> = { y: outDims };
  for (const input of inputs) tensors[input.name] = input.dims;
  const model: Omit<QuantizedModel, 'hash'> = {
    format: QUANTIZED_MODEL_FORMAT,
    name: `micro-${op}-${n}`,
    source: { file: '(built in code by src/bench/micro/buildOneOpModel.ts)', sha256: '', opset: 13, producer: 'opzk-bench' },
    scaleBits,
    valueBits,
    inputs,
    outputs: [{ name: 'y', dims: outDims }],
    tensors,
    constants: {},
    layers: [layer],
  };
  return { ...model, hash: hashQuantizedModel({ model }) };
}
