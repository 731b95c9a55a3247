/** The element count of a tensor of `dims` (1 for a scalar, []). */
export function sizeOf(dims: readonly number[]): number {
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}
