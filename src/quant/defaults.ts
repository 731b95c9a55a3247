/** Default fixed-point parameters (docs/fixed-point.md): scale 2^8, activations in 16 bits. */
export const DEFAULT_SCALE_BITS = 8;
export const DEFAULT_VALUE_BITS = 16;
/** Bounds the circuits can hold in the BN254 field; a layer above it is refused. */
export const MAX_ACC_BITS = 250;
/** float64 holds every integer below 2^53 exactly: the engine's fast path needs accBits ≤ 52. */
export const FLOAT_SAFE_ACC_BITS = 52;
