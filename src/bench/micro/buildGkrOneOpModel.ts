/**
 * The one-op models of the micro suite's gkr part, built in code as QuantizedModels, with their
 * seeded inputs: `gkr-relu` is a ReLU over [1, N] (N LogUp lookups in the prover) after the
 * addition of a committed all-zero [1, N] constant (the prover commits weights at setup and needs
 * at least one; the addition is a linear check at one random point, a small share of the
 * lookup's cost, and is counted in the ReLU's marginal cost), `gkr-dot` a
 * [1, N] activation times a constant [N, 1] weight column (N multiply-accumulates against
 * committed weights, one rescale). Their prover times over N give the marginal cost of a ReLU and
 * of a multiply-accumulate in the same prover; fixed costs (the lookup table, the one rescale,
 * the commitment's minimum size) fall into the intercept.
 */
import { hashQuantizedModel } from '../../quant/hashQuantizedModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QLayer, type QuantizedModel } from '../../quant/types.ts';
import { createPrng } from '../../zoo/createPrng.ts';

export type GkrMicroOp = 'gkr-relu' | 'gkr-dot';
export const GKR_MICRO_OPS: readonly GkrMicroOp[] = ['gkr-relu', 'gkr-dot'];

export interface BuildGkrOneOpModelParameters {
  op: GkrMicroOp;
  n: number;
  scaleBits: number;
  valueBits: number;
  seed: number;
}

export interface BuildGkrOneOpModelResult {
  model: QuantizedModel;
  inputs: Record<string, number[]>;
}

function signedIntegers(count: number, bits: number, seed: number): number[] {
  const prng = createPrng({ seed });
  const range = 2 ** bits;
  return Array.from({ length: count }, () => Math.floor(prng.next() * range) - range / 2);
}

export function buildGkrOneOpModel({ op, n, scaleBits, valueBits, seed }: BuildGkrOneOpModelParameters): BuildGkrOneOpModelResult {
  const tensors: Record<string, number[]> = { x: [1, n] };
  const constants: QuantizedModel['constants'] = {};
  let layers: QLayer[];
  let inputs: Record<string, number[]>;
  let outDims: number[];
  if (op === 'gkr-relu') {
    outDims = [1, n];
    constants.zero = { dims: [1, n], data: new Array<number>(n).fill(0), scaleExp: 1 };
    tensors.shifted = [1, n];
    layers = [{ op: 'add', name: 'add', out: 'shifted', a: 'x', b: 'zero' }, { op: 'relu', name: 'relu', out: 'y', input: 'shifted' }];
    inputs = { x: signedIntegers(n, valueBits, seed + 11) };
  } else {
    // Operands narrow enough that N products rescaled by s stay within valueBits (docs/fixed-point.md).
    const bits = Math.max(1, Math.floor((valueBits - 1 + scaleBits - Math.ceil(Math.log2(n))) / 2) - 1);
    outDims = [1, 1];
    constants.w = { dims: [n, 1], data: signedIntegers(n, bits, seed + 13), scaleExp: 1 };
    const accBits = Math.ceil(Math.log2(n * 2 ** (2 * (bits - 1)) + 2 ** (scaleBits - 1))) + 1;
    layers = [{ op: 'matmul', name: 'dot', out: 'y', a: 'x', b: 'w', accBits }];
    inputs = { x: signedIntegers(n, bits, seed + 12) };
  }
  tensors.y = outDims;
  const model: Omit<QuantizedModel, 'hash'> = {
    format: QUANTIZED_MODEL_FORMAT,
    name: `micro-${op}-${n}`,
    source: { file: '(built in code by src/bench/micro/buildGkrOneOpModel.ts)', sha256: '', opset: 13, producer: 'opzk-bench' },
    scaleBits,
    valueBits,
    inputs: [{ name: 'x', dims: [1, n] }],
    outputs: [{ name: 'y', dims: outDims }],
    tensors,
    constants,
    layers,
  };
  return { model: { ...model, hash: hashQuantizedModel({ model }) }, inputs };
}
