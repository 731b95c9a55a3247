/**
 * The integer tables of the smooth functions (docs/fixed-point.md, "Smooth functions"): the only
 * place where sigmoid, tanh and exp are evaluated in floating point. Each table is a list of
 * M + 1 knots at scale s over a clamped input range, segments 1/8 wide in real units
 * (segmentBits = s − 3); every backend interpolates between two knots with integer arithmetic
 * (evaluateSmooth below is the reference, the engine, circuits and trace VM are its twins).
 */
import { UnsupportedModelError } from '../errors.ts';
import { roundHalfUp } from './roundHalfUp.ts';
import type { SmoothFunction } from './types.ts';

/** The real input range each table covers, in real units: [from, from + span). */
export const SMOOTH_RANGES: Record<SmoothFunction, { from: number; span: number }> = {
  // σ(±8) is within 3.4e-4 of 0 and 1; tanh(±4) within 6.8e-4 of ±1.
  sigmoid: { from: -8, span: 16 },
  tanh: { from: -4, span: 8 },
  // Softmax's exp sees x − max(x) ≤ 0; the last segment [0, 1/8) holds the knot at 0 (= 2^s)
  // so that d = 0 needs no special case. exp(−8) = 3.4e-4.
  exp: { from: -8, span: 8.125 },
};

/**
 * The approximation error of each table beyond its two roundings (2^−s in all): the interpolation
 * error h²/8 · max|f''| with h = 1/8, or the tail past the clamp, whichever is larger (real units;
 * docs/fixed-point.md states and measures them). Softmax's outputs err by at most about twice exp's.
 */
export const SMOOTH_ERROR_BOUNDS: Record<SmoothFunction, number> = { sigmoid: 3.4e-4, tanh: 1.5e-3, exp: 2.0e-3 };

/** Segments per real unit: 8 (segmentBits = s − 3). */
export const SEGMENTS_PER_UNIT_BITS = 3;
/** The tables' largest scale: table words (knot·2^32 + slope) must stay below 2^53 in the VM. */
export const MAX_SMOOTH_SCALE_BITS = 20;
/** The smallest scale: segmentBits = s − 3 must be ≥ 1. */
export const MIN_SMOOTH_SCALE_BITS = 4;

const FUNCTIONS: Record<SmoothFunction, (x: number) => number> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  exp: Math.exp,
};

export interface SmoothTable {
  fn: SmoothFunction;
  /** M + 1 knots at scale s, non-decreasing. */
  knots: number[];
  lowest: number;
  segmentBits: number;
}

export interface BuildSmoothTableParameters {
  fn: SmoothFunction;
  scaleBits: number;
  valueBits: number;
  /** The node, for error messages. */
  where: string;
}

export function buildSmoothTable({ fn, scaleBits: s, valueBits, where }: BuildSmoothTableParameters): SmoothTable {
  if (s < MIN_SMOOTH_SCALE_BITS || s > MAX_SMOOTH_SCALE_BITS)
    throw new UnsupportedModelError(`${where}: ${fn} needs ${MIN_SMOOTH_SCALE_BITS} ≤ scaleBits ≤ ${MAX_SMOOTH_SCALE_BITS}, got ${s}`, {
      hint: `use --scale-bits between ${MIN_SMOOTH_SCALE_BITS} and ${MAX_SMOOTH_SCALE_BITS} (the table's segments are 2^(s-3) wide; the VM packs knot·2^32 + slope into one word below 2^53)`,
      details: { fn, scaleBits: s },
    });
  const segmentBits = s - SEGMENTS_PER_UNIT_BITS;
  const { from, span } = SMOOTH_RANGES[fn];
  const count = span * 2 ** SEGMENTS_PER_UNIT_BITS;
  const lowest = from * 2 ** s;
  const f = FUNCTIONS[fn];
  const knots = Array.from({ length: count + 1 }, (_, j) => roundHalfUp(f((lowest + j * 2 ** segmentBits) / 2 ** s) * 2 ** s));
  const high = 2 ** (valueBits - 1);
  const outside = knots.find((k) => k >= high || k < -high);
  if (outside !== undefined)
    throw new UnsupportedModelError(`${where}: ${fn}'s table value ${outside} (scale 2^${s}) is outside the ${valueBits}-bit value range`, {
      hint: `use --value-bits ≥ ${s + 2} for sigmoid, tanh and softmax`,
      details: { fn, scaleBits: s, valueBits, value: outside },
    });
  return { fn, knots, lowest, segmentBits };
}

export interface EvaluateSmoothParameters {
  knots: ArrayLike<number>;
  lowest: number;
  segmentBits: number;
  x: number;
}

/** The reference definition, on safe integers: clamp, segment, interpolate, round half up. */
export function evaluateSmooth({ knots, lowest, segmentBits, x }: EvaluateSmoothParameters): number {
  const width = 2 ** segmentBits;
  const highest = lowest + (knots.length - 1) * width - 1;
  const u = (x < lowest ? lowest : x > highest ? highest : x) - lowest;
  const seg = Math.floor(u / width);
  const r = u - seg * width;
  return knots[seg] + Math.floor(((knots[seg + 1] - knots[seg]) * r + width / 2) / width);
}

export interface EvaluateSoftmaxRowParameters {
  /** The exp table (fn 'exp'). */
  knots: ArrayLike<number>;
  lowest: number;
  segmentBits: number;
  scaleBits: number;
  row: readonly number[];
}

/** The reference softmax of one row (docs/fixed-point.md, "Softmax"), in BigInt: no float at all. */
export function evaluateSoftmaxRow({ knots, lowest, segmentBits, scaleBits, row }: EvaluateSoftmaxRowParameters): number[] {
  const m = Math.max(...row);
  const e = row.map((x) => BigInt(evaluateSmooth({ knots, lowest, segmentBits, x: x - m })));
  const sum = e.reduce((a, b) => a + b, 0n);
  return e.map((value) => Number((value * (1n << BigInt(scaleBits + 1)) + sum) / (2n * sum)));
}
