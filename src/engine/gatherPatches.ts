/**
 * im2col for the SIMD conv: patches[target[i]] = input[source[i]], over a table built once per
 * layer (compileConv). Entries for the zero padding are absent, so they keep their zero.
 */
export function gatherPatches(input: Float64Array, source: Int32Array, target: Int32Array, patches: Int16Array | Int32Array): void {
  for (let i = 0; i < source.length; i++) patches[target[i]!] = input[source[i]!]!;
}
