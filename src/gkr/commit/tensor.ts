/**
 * The tensor structure of a multilinear evaluation, and the row combinations both sides compute.
 *
 * Convention (shared with src/gkr/multilinear.ts): a table f of 2^n entries is the multilinear
 * polynomial f(r) = Σ_x f[x] · Π_i eq(r_i, x_i) where x_i = (x >> i) & 1 — point[0] binds the
 * LEAST significant bit. With k = 2^b columns, x = row·k + column, so
 *   f(r) = Σ_row eq(r_b.., row) · Σ_col eq(r_..b, col) · M[row][col] = ⟨q_row ⊗ q_col, M⟩.
 */
import { EXT_WORDS, createExtVector, extMul, extSub, extAdd } from '../field/extension.ts';
import { baseAdd, baseMul } from '../field/goldilocks.ts';

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

const product = new Uint32Array(4);

/**
 * out (k F_p² elements) = Σ_{i < rowCount} coefficients[i] · matrix[rowStart + i] for base rows
 * of length k: 2 base products per entry (F_p² × F_p).
 */
export function combineRows(
  matrix: Uint32Array,
  rowStart: number,
  rowCount: number,
  k: number,
  coefficients: Uint32Array,
): Uint32Array {
  const out = createExtVector(k);
  for (let i = 0; i < rowCount; i++) {
    const c = i * EXT_WORDS;
    if (coefficients[c] === 0 && coefficients[c + 1] === 0 && coefficients[c + 2] === 0 && coefficients[c + 3] === 0) continue;
    const row = (rowStart + i) * k * 2;
    for (let j = 0; j < k; j++) {
      const m = row + 2 * j;
      if (matrix[m] === 0 && matrix[m + 1] === 0) continue;
      baseMul(product, 0, coefficients, c, matrix, m);
      baseMul(product, 2, coefficients, c + 2, matrix, m);
      baseAdd(out, 4 * j, out, 4 * j, product, 0);
      baseAdd(out, 4 * j + 2, out, 4 * j + 2, product, 2);
    }
  }
  return out;
}

/** Σ_i coefficients[i] · column[offset + i] for i < count (F_p² · F_p, into an F_p² scalar). */
export function combineColumn(
  column: Uint32Array,
  offset: number,
  count: number,
  coefficients: Uint32Array,
): Uint32Array {
  const out = new Uint32Array(4);
  for (let i = 0; i < count; i++) {
    const m = 2 * (offset + i);
    baseMul(product, 0, coefficients, 4 * i, column, m);
    baseMul(product, 2, coefficients, 4 * i + 2, column, m);
    baseAdd(out, 0, out, 0, product, 0);
    baseAdd(out, 2, out, 2, product, 2);
  }
  return out;
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
