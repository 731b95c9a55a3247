/**
 * Copies `rows` rows of K integers from a float64 buffer into a SIMD kernel's padded input rows.
 * The kernel was chosen for inputs in the value range [minValue, maxValue] (chooseDotKernel), so
 * every value is checked against it on the way: false (and the caller takes its float64 path)
 * when one is outside — an operand that is a constant, or an op that left the range unchecked,
 * must not wrap silently. A top-level function over typed arrays: what V8 optimises best.
 */
export function copyRows(
  from: Float64Array, start: number, rows: number, K: number, to: Int16Array | Int32Array, paddedK: number, minValue: number, maxValue: number,
): boolean {
  for (let r = 0; r < rows; r++) {
    const source = start + r * K;
    const target = r * paddedK;
    for (let k = 0; k < K; k++) {
      const v = from[source + k]!;
      if (v < minValue || v > maxValue) return false;
      to[target + k] = v;
    }
  }
  return true;
}
