/**
 * The native baseline of the micro suite's matmul ladder: C = A·B for n × n integer matrices in
 * the engine's own arithmetic — Float64Array, Bᵀ made contiguous, then the engine's dot-product
 * kernel (src/engine/dotRows.ts), one thread. No rescale: the sumcheck prover proves the exact
 * integer product, so its baseline computes exactly that. Every sum is an exact integer while
 * n · max|a| · max|b| < 2^53 (16-bit operands: n < 2^23).
 */
import { dotRowsDense } from '../../engine/dotRows.ts';

export interface MultiplyIntegerMatricesParameters {
  /** Row-major n × n integers. */
  a: Float64Array;
  /** Row-major n × n integers. */
  b: Float64Array;
  n: number;
  /** Scratch space for Bᵀ (n²) and the output (n²); allocated when absent. Reuse them to time the product alone. */
  scratch?: { bt: Float64Array; c: Float64Array };
}

export type MultiplyIntegerMatricesResult = Float64Array;

export function multiplyIntegerMatrices({ a, b, n, scratch }: MultiplyIntegerMatricesParameters): MultiplyIntegerMatricesResult {
  const size = n | 0;
  const bt = scratch?.bt ?? new Float64Array(size * size);
  const c = scratch?.c ?? new Float64Array(size * size);
  // As the engine does for a non-constant right operand: transpose per run.
  for (let k = 0; k < size; k++) for (let j = 0; j < size; j++) bt[j * size + k] = b[k * size + j]!;
  const row = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    dotRowsDense(a, i * size, bt, 0, size, size, row);
    c.set(row, i * size);
  }
  return c;
}
