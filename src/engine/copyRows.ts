/**
 * Copies `rows` rows of K integers from a float64 buffer into a SIMD kernel's padded input rows
 * (the values are integers in the kernel's lane type, proven by chooseDotKernel, so the typed-array
 * store converts them exactly). A top-level function over typed arrays: what V8 optimises best.
 */
export function copyRows(from: Float64Array, start: number, rows: number, K: number, to: Int16Array | Int32Array, paddedK: number): void {
  for (let r = 0; r < rows; r++) {
    const source = start + r * K;
    const target = r * paddedK;
    for (let k = 0; k < K; k++) to[target + k] = from[source + k]!;
  }
}
