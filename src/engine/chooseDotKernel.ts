/**
 * Which kernel computes a layer's integer dot products Σ_k a[k] · w[j][k] (docs/fixed-point.md,
 * "Kernels"). The SIMD kernels wrap (mod 2^32 or 2^64), so one is picked only after proving that
 * no true sum can leave its accumulator: with |a| ≤ 2^(v-1) (the value range's largest magnitude,
 * -2^(v-1)) every sum of column j is bounded by L1(w[j]) · 2^(v-1). Wrapped partial sums do not
 * matter: the final sum is exact modulo 2^32 (2^64), and inside the range that is the sum itself.
 *
 * - `i16x8`: activations and weights fit i16 (v ≤ 16, -2^15 ≤ w < 2^15) and the bound < 2^31;
 * - `i32x4`: they fit i32 (v ≤ 32, -2^31 ≤ w < 2^31), i64 accumulators, the bound < 2^53 (the
 *   result is handed over as f64);
 * - `f64`: the float64 loops (exact below 2^53), when SIMD is off or unavailable or the operands
 *   are wider;
 * - `bigint`: accBits > 52, as before (never a SIMD kernel).
 */
import { FLOAT_SAFE_ACC_BITS } from '../quant/defaults.ts';

export type DotKernelName = 'i16x8' | 'i32x4' | 'f64' | 'bigint';

/** How the engine runs its matmul and conv layers: `simd` picks a SIMD kernel where proven safe. */
export type EngineKernels = 'simd' | 'scalar';

export interface ChooseDotKernelParameters {
  /** The layer's accBits from the quantizer (bias and rounding included). */
  accBits: number;
  valueBits: number;
  /** Weights as columns: column j is weights[j·K … j·K + K - 1]. */
  weights: ArrayLike<number>;
  K: number;
  columns: number;
  kernels: EngineKernels;
  /** Whether this runtime has WebAssembly SIMD. */
  simdAvailable: boolean;
}

export interface ChooseDotKernelResult {
  kernel: DotKernelName;
  /** max over columns of L1(w[j]) · 2^(v-1): the largest |Σ a·w| any input in range can give. */
  sumBound: number;
}

const I16_MIN = -(2 ** 15);
const I16_MAX = 2 ** 15 - 1;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

export function chooseDotKernel({ accBits, valueBits, weights, K, columns, kernels, simdAvailable }: ChooseDotKernelParameters): ChooseDotKernelResult {
  let maxL1 = 0;
  let minWeight = 0;
  let maxWeight = 0;
  for (let j = 0; j < columns; j++) {
    let l1 = 0;
    for (let k = 0; k < K; k++) {
      const w = weights[j * K + k]!;
      l1 += Math.abs(w);
      if (w < minWeight) minWeight = w;
      if (w > maxWeight) maxWeight = w;
    }
    if (l1 > maxL1) maxL1 = l1;
  }
  const sumBound = maxL1 * 2 ** (valueBits - 1);
  if (accBits > FLOAT_SAFE_ACC_BITS) return { kernel: 'bigint', sumBound };
  if (kernels === 'scalar' || !simdAvailable) return { kernel: 'f64', sumBound };
  if (valueBits <= 16 && minWeight >= I16_MIN && maxWeight <= I16_MAX && sumBound <= I32_MAX) return { kernel: 'i16x8', sumBound };
  // L1 sums of safe integers below 2^53 are exact; above it the comparison still says "too big".
  if (valueBits <= 32 && minWeight >= I32_MIN && maxWeight <= I32_MAX && sumBound < 2 ** 53) return { kernel: 'i32x4', sumBound };
  return { kernel: 'f64', sumBound };
}
