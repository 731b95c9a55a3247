/**
 * im2col for the SIMD conv: patches[target[i]] = input[source[i]], over a table built once per
 * layer (compileConv). Entries for the zero padding are absent, so they keep their zero. Like
 * copyRows, false when a value is outside [minValue, maxValue], the range the kernel was chosen for.
 */
export function gatherPatches(
  input: Float64Array, source: Int32Array, target: Int32Array, patches: Int16Array | Int32Array, minValue: number, maxValue: number,
): boolean {
  for (let i = 0; i < source.length; i++) {
    const v = input[source[i]!]!;
    if (v < minValue || v > maxValue) return false;
    patches[target[i]!] = v;
  }
  return true;
}
