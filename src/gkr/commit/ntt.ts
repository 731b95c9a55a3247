/**
 * The number-theoretic transform over Goldilocks that Reed–Solomon-encodes the commitment's rows.
 *
 * A row of k base elements is read as the coefficients of m(X) = Σ m_i X^i (deg < k) and encoded
 * as its evaluations on the subgroup H = ⟨ω⟩ of order N = k / rate. The transform is the radix-2
 * decimation-in-frequency (Gentleman–Sande) butterfly: natural-order input, BIT-REVERSED output,
 * so codeword position j holds m(ω^bitReverse(j)). The commitment never needs natural order
 * (prover and verifier both call this function, and a permutation of the positions changes no
 * distance), so the bit-reversal pass is skipped. `codewordPoint` names the point of a position
 * for the BigInt reference in the tests.
 *
 * Hot loop: the Goldilocks product is inlined (same float64 split as field/goldilocks.ts, see its
 * header) because a function call per butterfly costs ~2× here; twiddles are precomputed once per
 * size (`createNttPlan`) and shared.
 */
import { GOLDILOCKS_MODULUS, TWO_ADICITY, baseMul, rootOfUnity } from '../field/goldilocks.ts';

export interface NttPlan {
  /** log2 of the transform size N. */
  logSize: number;
  size: number;
  /** ω^i for i < N/2, two words each (ω a primitive N-th root of unity). */
  twiddles: Uint32Array;
}

const plans = new Map<number, NttPlan>();

/** The twiddle table for transforms of size 2^logSize (cached: one table per size per process). */
export function createNttPlan(logSize: number): NttPlan {
  const cached = plans.get(logSize);
  if (cached) return cached;
  if (!Number.isInteger(logSize) || logSize < 0 || logSize > TWO_ADICITY)
    throw new RangeError(`ntt: size 2^${logSize} exceeds the 2-adicity ${TWO_ADICITY} of Goldilocks`);
  const size = 2 ** logSize;
  const half = size >>> 1;
  const twiddles = new Uint32Array(Math.max(half, 1) * 2);
  const omega = rootOfUnity(logSize);
  twiddles[0] = 1;
  for (let i = 1; i < half; i++) baseMul(twiddles, 2 * i, twiddles, 2 * i - 2, omega, 0);
  const plan = { logSize, size, twiddles };
  plans.set(logSize, plan);
  return plan;
}

export function bitReverse(index: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) r = (r << 1) | ((index >>> b) & 1);
  return r >>> 0;
}

/** The exponent e with codeword position j = m(ω^e) after `nttInPlace` (for tests and docs). */
export function codewordPoint(position: number, logSize: number): number {
  return bitReverse(position, logSize);
}

const TWO32 = 4294967296;
const INV_TWO32 = 1 / 4294967296;
const P_HI = 0xffffffff; // p = 1 + P_HI·2^32

export interface NttInPlaceParameters {
  /** Base-field vector (2 words per element); the transform runs on `plan.size` elements. */
  values: Uint32Array;
  /** Word offset of element 0. */
  offset?: number;
  plan: NttPlan;
  /**
   * How many leading elements may be non-zero (the rest are zero): lets the first stages skip the
   * additions with zero — the code's message occupies only rate·N of the N inputs.
   */
  nonZeroPrefix?: number;
}

/**
 * Blocks of this many elements (8 KB) finish all their remaining stages before the next block
 * starts: the late stages then run in L1 instead of sweeping the whole array once per stage.
 */
const CACHE_BLOCK = 1024;

/**
 * In-place forward NTT: values[offset …] (natural order, N elements) ← their evaluations on ⟨ω⟩
 * in bit-reversed order.
 */
export function nttInPlace({ values: a, offset = 0, plan, nonZeroPrefix = plan.size }: NttInPlaceParameters): void {
  const n = plan.size;
  // Which stages may skip their additions: while the non-zero prefix fits the lower half of
  // every block, (u, 0) → (u, u·w); after the first full stage anything may be non-zero.
  const upperZero: boolean[] = [];
  let prefix = nonZeroPrefix;
  for (let len = n; len >= 2; len >>>= 1) {
    const zero = prefix <= len >>> 1;
    upperZero.push(zero);
    if (!zero) prefix = Number.MAX_SAFE_INTEGER;
  }
  let stage = 0;
  let len = n;
  // Breadth-first while blocks are larger than the cache block …
  for (; len > CACHE_BLOCK; len >>>= 1, stage++) runStage(a, offset, 0, n, len, n / len, plan.twiddles, upperZero[stage]);
  // … then depth-first: each block of `len` elements runs its remaining stages in turn.
  for (let start = 0; start < n; start += len)
    for (let l = len, s = stage; l >= 2; l >>>= 1, s++) runStage(a, offset, start, start + len, l, n / l, plan.twiddles, upperZero[s]);
}

/**
 * One decimation-in-frequency stage on the blocks of size `len` in elements [from, to):
 * (u, v) → (u + v, (u − v)·ω_len^j), with ω_len^j = twiddles[j·stride].
 */
function runStage(a: Uint32Array, offset: number, from: number, to: number, len: number, stride: number, tw: Uint32Array, upperZero: boolean): void {
  const half = len >>> 1;
  // j = 0: twiddle 1, no product.
  for (let start = from; start < to; start += len) {
    const x = offset + 2 * start;
    butterflyUnit(a, x, x + 2 * half, upperZero);
  }
  // j ≥ 1: the twiddle is loaded once and applied to every block (j outer, blocks inner).
  for (let j = 1; j < half; j++) {
    const wL = tw[2 * j * stride];
    const wH = tw[2 * j * stride + 1];
    for (let start = from; start < to; start += len) {
      const x = offset + 2 * (start + j);
      const y = x + 2 * half;
      const uL = a[x];
      const uH = a[x + 1];
      let dL = uL;
      let dH = uH;
      if (!upperZero) {
        const vL = a[y];
        const vH = a[y + 1];
        // a[x] = u + v (mod p); u, v < p so one subtraction of p = 1 + P_HI·2^32 suffices
        let sL = uL + vL;
        let sH = uH + vH;
        if (sL >= TWO32) { sL -= TWO32; sH += 1; }
        if (sH > P_HI || (sH === P_HI && sL >= 1)) {
          sH -= P_HI; sL -= 1;
          if (sL < 0) { sL += TWO32; sH -= 1; }
        }
        a[x] = sL;
        a[x + 1] = sH;
        // d = u − v (mod p)
        dL = uL - vL;
        dH = uH - vH;
        if (dL < 0) { dL += TWO32; dH -= 1; }
        if (dH < 0) {
          dL += 1; dH += P_HI;
          if (dL >= TWO32) { dL -= TWO32; dH += 1; }
        }
      }
      // a[y] = d · w: 4 partial products, then fold 2^64 ≡ 2^32 − 1, 2^96 ≡ −1.
      const lo00 = Math.imul(dL, wL) >>> 0;
      const hi00 = Math.round((dL * wL - lo00) * INV_TWO32);
      const lo01 = Math.imul(dL, wH) >>> 0;
      const hi01 = Math.round((dL * wH - lo01) * INV_TWO32);
      const lo10 = Math.imul(dH, wL) >>> 0;
      const hi10 = Math.round((dH * wL - lo10) * INV_TWO32);
      const lo11 = Math.imul(dH, wH) >>> 0;
      const hi11 = Math.round((dH * wH - lo11) * INV_TWO32);
      const t2 = hi01 + hi10 + lo11;
      let L = lo00 - t2 - hi11; // ∈ (−2^34, 2^32)
      let H = hi00 + lo01 + lo10 + t2; // ∈ [0, 2^34.6)
      let c = Math.floor(L * INV_TWO32);
      L -= c * TWO32;
      H += c;
      while (H >= TWO32 || H < 0) {
        const k = Math.floor(H * INV_TWO32);
        H = H - k * TWO32 + k;
        L -= k;
        c = Math.floor(L * INV_TWO32);
        L -= c * TWO32;
        H += c;
      }
      if (H === P_HI && L >= 1) { H = 0; L -= 1; }
      a[y] = L;
      a[y + 1] = H;
    }
  }
}

/** The j = 0 butterfly (twiddle 1): (u, v) → (u + v, u − v), or (u, u) when v is known zero. */
function butterflyUnit(a: Uint32Array, x: number, y: number, upperZero: boolean): void {
  const uL = a[x];
  const uH = a[x + 1];
  if (upperZero) {
    a[y] = uL;
    a[y + 1] = uH;
    return;
  }
  const vL = a[y];
  const vH = a[y + 1];
  let sL = uL + vL;
  let sH = uH + vH;
  if (sL >= TWO32) { sL -= TWO32; sH += 1; }
  if (sH > P_HI || (sH === P_HI && sL >= 1)) {
    sH -= P_HI; sL -= 1;
    if (sL < 0) { sL += TWO32; sH -= 1; }
  }
  let dL = uL - vL;
  let dH = uH - vH;
  if (dL < 0) { dL += TWO32; dH -= 1; }
  if (dH < 0) {
    dL += 1; dH += P_HI;
    if (dL >= TWO32) { dL -= TWO32; dH += 1; }
  }
  a[x] = sL;
  a[x + 1] = sH;
  a[y] = dL;
  a[y + 1] = dH;
}

/** BigInt reference: m(X) at ω^e for coefficients m (tests only). */
export function evaluateCoefficientsReference(coefficients: readonly bigint[], point: bigint): bigint {
  let acc = 0n;
  for (let i = coefficients.length - 1; i >= 0; i--) acc = (acc * point + coefficients[i]) % GOLDILOCKS_MODULUS;
  return acc;
}
