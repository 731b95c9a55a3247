/**
 * The engine's matmul inner loops (float64, exact for integer sums below 2^53): dot products of a
 * row of A with rows of Bᵀ, dense or over the non-zero entries of A only.
 */
/**
 * row[j] = Σ_k A[aRow + k] · bt[bBase + j·K + k], four columns at a time in registers. Top-level
 * functions with typed-array parameters are what V8 optimises best (~3× faster than the same loop
 * reading closure variables).
 */
export function dotRowsDense(A: Float64Array, aRow: number, bt: Float64Array, bBase: number, K: number, N: number, row: Float64Array): void {
  let j = 0;
  for (; j + 3 < N; j += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const b0 = bBase + j * K;
    const b1 = b0 + K;
    const b2 = b1 + K;
    const b3 = b2 + K;
    for (let k = 0; k < K; k++) {
      const x = A[aRow + k];
      a0 += x * bt[b0 + k];
      a1 += x * bt[b1 + k];
      a2 += x * bt[b2 + k];
      a3 += x * bt[b3 + k];
    }
    row[j] = a0;
    row[j + 1] = a1;
    row[j + 2] = a2;
    row[j + 3] = a3;
  }
  for (; j < N; j++) {
    let acc = 0;
    const b0 = bBase + j * K;
    for (let k = 0; k < K; k++) acc += A[aRow + k] * bt[b0 + k];
    row[j] = acc;
  }
}

/** dotRowsDense over the listed non-zero k only. */
export function dotRowsSparse(
  A: Float64Array, aRow: number, index: Int32Array, count: number, bt: Float64Array, bBase: number, K: number, N: number, row: Float64Array,
): void {
  let j = 0;
  for (; j + 3 < N; j += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const b0 = bBase + j * K;
    const b1 = b0 + K;
    const b2 = b1 + K;
    const b3 = b2 + K;
    for (let n = 0; n < count; n++) {
      const k = index[n];
      const x = A[aRow + k];
      a0 += x * bt[b0 + k];
      a1 += x * bt[b1 + k];
      a2 += x * bt[b2 + k];
      a3 += x * bt[b3 + k];
    }
    row[j] = a0;
    row[j + 1] = a1;
    row[j + 2] = a2;
    row[j + 3] = a3;
  }
  for (; j < N; j++) {
    let acc = 0;
    const b0 = bBase + j * K;
    for (let n = 0; n < count; n++) acc += A[aRow + index[n]] * bt[b0 + index[n]];
    row[j] = acc;
  }
}
