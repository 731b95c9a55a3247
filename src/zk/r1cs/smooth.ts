/**
 * circuits/Smooth.circom's SmoothTable (sigmoid, tanh: a piecewise-linear table of M + 1 knots)
 * as a gadget over Cs<T>, in the form circom's --O2 leaves it: the clamps' sign bits, the
 * products `raised`, `lowered`, `product`, the one-hot segment bits and the bits of the
 * remainder and of the rounded numerator are wires; below, above, clamped, u, seg, knot, slope
 * and the output are linear combinations. `hotSum === 1` is solved for hot[0] (= 1 − Σ hot[j≥1]),
 * as --O2 solves it for one of them. (1 + clampAbove)·(inBits + 1) + M + t + 1 + (t + outBits)
 * constraints: sigmoid 188, tanh 124 per element at s = 8, v = 16.
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { Cs } from './constraintSystem.ts';
import { max2, num2Bits } from './gadgets.ts';

type Prefix = () => string;

export interface SmoothTableParameters {
  inBits: number;
  lowest: number;
  segmentBits: number;
  /** M + 1 knots at scale s. */
  knots: ArrayLike<number>;
  outBits: number;
  clampAbove: boolean;
}

/** Throws when the table would make circom's --O2 fold more than this gadget does (a one-segment or straight-line table). */
export function checkSmoothTable(where: string, knots: ArrayLike<number>): void {
  const M = knots.length - 1;
  if (M < 2) throw new UnsupportedModelError(`${where}: a smooth table of ${M} segment(s), which the direct R1CS builder has no gadget for`, { hint: 'circom builds it (builder auto or circom)' });
  const first = knots[1]! - knots[0]!;
  let straight = true;
  for (let j = 1; j < M; j++) if (knots[j + 1]! - knots[j]! !== first) straight = false;
  if (straight) throw new UnsupportedModelError(`${where}: a smooth table with one slope (a straight line), which the direct R1CS builder has no gadget for`, { hint: 'circom builds it (builder auto or circom)' });
}

export function smoothTable<T>(cs: Cs<T>, prefix: Prefix, input: T, { inBits, lowest, segmentBits, knots, outBits, clampAbove }: SmoothTableParameters): T {
  const M = knots.length - 1;
  const t = BigInt(segmentBits);
  const low = BigInt(lowest);
  const highest = low + BigInt(M) * (1n << t) - 1n;
  const half = 1n << BigInt(inBits - 1);
  const one = cs.constant(1);

  const belowBits = num2Bits(cs, () => `${prefix()}.belowBits`, cs.add(cs.sub(input, cs.constant(low)), cs.constant(half)), inBits);
  const below = cs.sub(one, belowBits[inBits - 1]!);
  const raised = cs.mul(below, cs.sub(cs.constant(low), input));
  let clamped = cs.add(input, raised);
  if (cs.recording) {
    cs.name(() => `${prefix()}.in`, input);
    cs.name(() => `${prefix()}.below`, below);
    cs.name(() => `${prefix()}.raised`, raised);
  }
  if (clampAbove) {
    const aboveBits = num2Bits(cs, () => `${prefix()}.aboveBits`, cs.add(cs.sub(cs.constant(highest), input), cs.constant(half)), inBits);
    const above = cs.sub(one, aboveBits[inBits - 1]!);
    const lowered = cs.mul(above, cs.sub(cs.constant(highest), input));
    clamped = cs.add(clamped, lowered);
    if (cs.recording) {
      cs.name(() => `${prefix()}.above`, above);
      cs.name(() => `${prefix()}.lowered`, lowered);
    }
  }
  const u = cs.sub(clamped, cs.constant(low));

  // One-hot segment: hot[1..M-1] are wires, hot[0] = 1 − Σ hot[j≥1].
  const segment = cs.mode === 'concrete' ? cs.value(u) >> t : 0n;
  const hot: T[] = new Array(M);
  let others = cs.constant(0);
  for (let j = 1; j < M; j++) {
    const index = BigInt(j);
    hot[j] = cs.witness(() => (segment === index ? 1n : 0n));
    others = cs.add(others, hot[j]!);
  }
  hot[0] = cs.sub(one, others);
  if (cs.mode === 'symbolic') for (const bit of hot) cs.enforce(bit, cs.sub(bit, one), cs.constant(0));
  let seg = cs.constant(0);
  let knot = cs.constant(0);
  let slope = cs.constant(0);
  for (let j = 0; j < M; j++) {
    seg = cs.add(seg, cs.scale(hot[j]!, j));
    knot = cs.add(knot, cs.scale(hot[j]!, knots[j]!));
    slope = cs.add(slope, cs.scale(hot[j]!, knots[j + 1]! - knots[j]!));
  }
  const remainder = cs.sub(u, cs.scale(seg, 1n << t));
  num2Bits(cs, () => `${prefix()}.remainder`, remainder, segmentBits);
  const product = cs.mul(slope, remainder);
  const numerator = cs.add(cs.add(cs.scale(knot, 1n << t), product), cs.constant((1n << (t - 1n)) + (1n << (t + BigInt(outBits) - 1n))));
  const bits = num2Bits(cs, () => `${prefix()}.numerator`, numerator, segmentBits + outBits);
  let out = cs.constant(-(1n << BigInt(outBits - 1)));
  for (let i = segmentBits; i < segmentBits + outBits; i++) out = cs.add(out, cs.scale(bits[i]!, 1n << BigInt(i - segmentBits)));
  if (cs.recording) {
    cs.name(() => `${prefix()}.clamped`, clamped);
    cs.name(() => `${prefix()}.u`, u);
    hot.forEach((bit, j) => cs.name(() => `${prefix()}.hot[${j}]`, bit));
    cs.name(() => `${prefix()}.product`, product);
    cs.name(() => `${prefix()}.out`, out);
  }
  return out;
}

export interface SoftmaxRowParameters {
  valueBits: number;
  scaleBits: number;
  lowest: number;
  segmentBits: number;
  knots: ArrayLike<number>;
  sumBits: number;
}

/**
 * One row of circuits/Smooth.circom's Softmax: m = max x (a chain of Max2), e_k =
 * SmoothTable(x_k − m) without the upper clamp, S = Σ e_k, out_k = floor((e_k·2^(s+1) + S) /
 * (2S)) — a hinted wire proven by its s + 1 bits, product_k = 2S·out_k, and the remainder
 * e_k·2^(s+1) + S − product_k and 2S − 1 − remainder in [0, 2^sumBits). `prefix(name, k)` gives
 * the circom path of the row's signal arrays (`main.l0.max[row][k]`). Constraints: (n − 1)·(v + 2)
 * + n·(inBits + 1 + M + t + 1 + t + s + 3) + n·(s + 1 + 1 + 2·sumBits), inBits = max(v + 1, s + 4) + 2.
 */
export function softmaxRow<T>(cs: Cs<T>, prefix: (name: string, k: number) => string, inputs: readonly T[], { valueBits, scaleBits, lowest, segmentBits, knots, sumBits }: SoftmaxRowParameters): T[] {
  const n = inputs.length;
  const s = BigInt(scaleBits);
  const inBits = Math.max(valueBits + 1, scaleBits + 4) + 2;
  let running: T = inputs[0]!;
  if (cs.recording) cs.name(() => prefix('running', 0), running);
  for (let k = 1; k < n; k++) {
    running = max2(cs, () => prefix('max', k), inputs[k]!, running, valueBits);
    if (cs.recording) cs.name(() => prefix('running', k), running);
  }
  const table = { inBits, lowest, segmentBits, knots, outBits: scaleBits + 3, clampAbove: false };
  const e = inputs.map((x, k) => smoothTable(cs, () => prefix('e', k), cs.sub(x, running), table));
  let sum = cs.constant(0);
  for (const value of e) sum = cs.add(sum, value);
  const twoSum = cs.scale(sum, 2);
  const scaled = (value: T) => cs.scale(value, 1n << (s + 1n));
  const out = e.map((value, k) => {
    const quotient = cs.witness(() => (cs.value(scaled(value)) + cs.value(sum)) / (2n * cs.value(sum)));
    num2Bits(cs, () => prefix('quotientBits', k), quotient, scaleBits + 1);
    const product = cs.mul(twoSum, quotient);
    const remainder = cs.sub(cs.add(scaled(value), sum), product);
    num2Bits(cs, () => prefix('remainderLow', k), remainder, sumBits);
    num2Bits(cs, () => prefix('remainderHigh', k), cs.sub(cs.sub(twoSum, cs.constant(1)), remainder), sumBits);
    if (cs.recording) {
      cs.name(() => prefix('product', k), product);
      cs.name(() => prefix('out', k), quotient);
    }
    return quotient;
  });
  if (cs.recording) cs.name(() => prefix('sum', -1), sum);
  return out;
}
