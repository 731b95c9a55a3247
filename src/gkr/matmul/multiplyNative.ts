/**
 * C = A·B for n × n integer matrices in float64, exactly as the engine's matmul does it
 * (src/engine/compileMatMul.ts: Bᵀ once, then dotRowsDense four columns at a time): the
 * baseline of the micro ladder's "prover / native" ratio, and how the matmul prover computes C.
 */
import { dotRowsDense } from '../../engine/dotRows.ts';

export interface MultiplyNativeParameters {
  a: Float64Array;
  b: Float64Array;
  m: number;
  k: number;
  n: number;
}

export function multiplyNative({ a, b, m, k, n }: MultiplyNativeParameters): Float64Array {
  const bt = new Float64Array(k * n);
  for (let kk = 0; kk < k; kk++) for (let j = 0; j < n; j++) bt[j * k + kk] = b[kk * n + j];
  const c = new Float64Array(m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    dotRowsDense(a, i * k, bt, 0, k, n, row);
    c.set(row, i * n);
  }
  return c;
}
