/**
 * The tensor structure of a multilinear evaluation, and the row combinations both sides compute.
 *
 * Convention (shared with src/gkr/multilinear.ts): a table f of 2^n entries is the multilinear
 * polynomial f(r) = Σ_x f[x] · Π_i eq(r_i, x_i) where x_i = (x >> i) & 1 — point[0] binds the
 * LEAST significant bit. With k = 2^b columns, x = row·k + column, so
 *   f(r) = Σ_row eq(r_b.., row) · Σ_col eq(r_..b, col) · M[row][col] = ⟨q_row ⊗ q_col, M⟩.
 */
import { EXT_WORDS, createExtVector, extMul, extSub, extAdd } from '../field/extension.ts';

/** eq(r, x) for all x < 2^m (LSB-first), as an F_p² vector; r = point[from … from+m). */
export function eqTable(point: Uint32Array, from: number, count: number): Uint32Array {
  const table = createExtVector(2 ** count);
  table[0] = 1;
  for (let i = 0; i < count; i++) {
    const size = 2 ** i;
    const r = (from + i) * EXT_WORDS;
    for (let x = 0; x < size; x++) {
      // t[x + size] = t[x]·r_i ; t[x] = t[x]·(1 − r_i) = t[x] − t[x + size]
      extMul(table, (x + size) * EXT_WORDS, table, x * EXT_WORDS, point, r);
      extSub(table, x * EXT_WORDS, table, x * EXT_WORDS, table, (x + size) * EXT_WORDS);
    }
  }
  return table;
}


const TWO32 = 4294967296;
const INV_TWO32 = 1 / 4294967296;
/** Rows between reductions of the lazy accumulators: keeps |L|, |H| < 2^48 (exact in float64). */
const FLUSH_ROWS = 1 << 13;

/**
 * Writes (L + H·2^32) mod p for integers |L|, |H| < 2^52 (the same folding as field/goldilocks.ts:
 * 2^64 ≡ 2^32 − 1 mod p).
 */
function reducePair(out: Uint32Array, o: number, L: number, H: number): void {
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
  if (H === 0xffffffff && L >= 1) {
    H = 0;
    L -= 1;
  }
  out[o] = L;
  out[o + 1] = H;
}

/**
 * out (k F_p² elements) = Σ_{i < rowCount} coefficients[i] · matrix[rowStart + i] for base rows
 * of length k — the prover's hot loop (one pass over the committed matrix per row it sends).
 *
 * Lazy reduction: each F_p² × F_p product is 2 base products; a base product a·m is split into
 * 32-bit partial products (Math.imul for the exact low word, the float64 product for the high
 * word, as in field/goldilocks.ts) and folded with 2^64 ≡ 2^32 − 1, 2^96 ≡ −1 into a pair
 * (L, H) with |L| < 2^34, 0 ≤ H < 2^35 whose value L + H·2^32 ≡ a·m. Those pairs are SUMMED
 * unreduced in float64 accumulators (exact below 2^53) and reduced once per 2^13 rows, so a
 * product costs no modular reduction. Entries with a zero high word (small non-negative engine
 * values) take 2 partial products instead of 4.
 */
export function combineRows(
  matrix: Uint32Array,
  rowStart: number,
  rowCount: number,
  k: number,
  coefficients: Uint32Array,
): Uint32Array {
  const acc = new Float64Array(4 * k); // per column: L0, H0 (coordinate 0), L1, H1 (coordinate 1)
  const out = createExtVector(k);
  const flush = (): void => {
    for (let j = 0; j < k; j++) {
      reducePair(out, 4 * j, acc[4 * j], acc[4 * j + 1]);
      reducePair(out, 4 * j + 2, acc[4 * j + 2], acc[4 * j + 3]);
      acc[4 * j] = out[4 * j];
      acc[4 * j + 1] = out[4 * j + 1];
      acc[4 * j + 2] = out[4 * j + 2];
      acc[4 * j + 3] = out[4 * j + 3];
    }
  };
  for (let i = 0; i < rowCount; i++) {
    const c = i * EXT_WORDS;
    const aL = coefficients[c];
    const aH = coefficients[c + 1];
    const bL = coefficients[c + 2];
    const bH = coefficients[c + 3];
    if (aL === 0 && aH === 0 && bL === 0 && bH === 0) continue;
    const row = (rowStart + i) * k * 2;
    for (let j = 0; j < k; j++) {
      const mL = matrix[row + 2 * j];
      const mH = matrix[row + 2 * j + 1];
      const q = 4 * j;
      if (mH === 0) {
        if (mL === 0) continue;
        // a·mL = aL·mL + aH·mL·2^32; the high word of aH·mL lands at 2^64 ≡ 2^32 − 1
        let lo = Math.imul(aL, mL) >>> 0;
        let hi = Math.round((aL * mL - lo) * INV_TWO32);
        let lo2 = Math.imul(aH, mL) >>> 0;
        let hi2 = Math.round((aH * mL - lo2) * INV_TWO32);
        acc[q] += lo - hi2;
        acc[q + 1] += hi + lo2 + hi2;
        lo = Math.imul(bL, mL) >>> 0;
        hi = Math.round((bL * mL - lo) * INV_TWO32);
        lo2 = Math.imul(bH, mL) >>> 0;
        hi2 = Math.round((bH * mL - lo2) * INV_TWO32);
        acc[q + 2] += lo - hi2;
        acc[q + 3] += hi + lo2 + hi2;
        continue;
      }
      for (let coordinate = 0; coordinate < 2; coordinate++) {
        const xL = coordinate === 0 ? aL : bL;
        const xH = coordinate === 0 ? aH : bH;
        const lo00 = Math.imul(xL, mL) >>> 0;
        const hi00 = Math.round((xL * mL - lo00) * INV_TWO32);
        const lo01 = Math.imul(xL, mH) >>> 0;
        const hi01 = Math.round((xL * mH - lo01) * INV_TWO32);
        const lo10 = Math.imul(xH, mL) >>> 0;
        const hi10 = Math.round((xH * mL - lo10) * INV_TWO32);
        const lo11 = Math.imul(xH, mH) >>> 0;
        const hi11 = Math.round((xH * mH - lo11) * INV_TWO32);
        const t2 = hi01 + hi10 + lo11;
        acc[q + 2 * coordinate] += lo00 - t2 - hi11;
        acc[q + 2 * coordinate + 1] += hi00 + lo01 + lo10 + t2;
      }
    }
    if ((i + 1) % FLUSH_ROWS === 0) flush();
  }
  flush();
  return out;
}

/**
 * Σ_i coefficients[i] · column[offset + i] for i < count (F_p² · F_p, into an F_p² scalar): the
 * verifier's side of combineRows — a column is a matrix of one-entry rows, so it takes the same
 * lazily reduced loop.
 */
export function combineColumn(
  column: Uint32Array,
  offset: number,
  count: number,
  coefficients: Uint32Array,
): Uint32Array {
  return combineRows(column, offset, count, 1, coefficients);
}

/** ⟨u, q⟩ over the first `count` entries of two F_p² vectors. */
export function innerProduct(u: Uint32Array, q: Uint32Array, count: number): Uint32Array {
  const out = new Uint32Array(4);
  const term = new Uint32Array(4);
  for (let j = 0; j < count; j++) {
    extMul(term, 0, u, 4 * j, q, 4 * j);
    extAdd(out, 0, out, 0, term, 0);
  }
  return out;
}
