/** round(x) = floor(x + 1/2), ties toward +∞ (docs/fixed-point.md). */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}
