/** Integer at scale 2^s → real value (integer / 2^s). */
export interface DequantizeParameters {
  data: ArrayLike<number>;
  scaleBits: number;
}

export function dequantize({ data, scaleBits }: DequantizeParameters): number[] {
  const scale = 2 ** -scaleBits;
  return Array.from(data, (x) => x * scale);
}
