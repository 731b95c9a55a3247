/**
 * Multilinear extensions (MLEs) of tables over the boolean hypercube, with values in F_p².
 *
 * Variable order (shared with the commitment): point[0] binds the LEAST significant bit of the
 * table index. For a table f of 2^v entries and a point r ∈ F^v,
 *   f̃(r) = Σ_i f[i] · eq(r, i),   eq(r, i) = Π_j (bit_j(i) ? r_j : 1 − r_j).
 * A row-major tensor [d0, …, dk] padded to powers of two per axis therefore has its LAST axis
 * in the first variables. "Fixing the first variable" folds bit 0:
 *   f'[i] = f[2i] + r0 · (f[2i+1] − f[2i]).
 *
 * Tables are extension vectors (Uint32Array, 4 words per entry); `tableFromSigned` lifts engine
 * integers, zero-padding to the next power of two.
 */
import {
  EXT_WORDS,
  createExtVector,
  extAdd,
  extMulSigned,
  extFromSigned,
  extMul,
  extSub,
} from './field/extension.ts';
import { baseFromSigned } from './field/goldilocks.ts';

/** ⌈log2 n⌉ (0 for n ≤ 1). */
export function log2Ceil(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/** An extension table of 2^numVariables entries holding the signed integers `values`, zero-padded. */
export function tableFromSigned(values: ArrayLike<number>, numVariables = log2Ceil(values.length)): Uint32Array {
  const size = 2 ** numVariables;
  if (values.length > size) throw new RangeError(`multilinear: ${values.length} values do not fit 2^${numVariables}`);
  const table = createExtVector(size);
  for (let i = 0; i < values.length; i++) baseFromSigned(table, EXT_WORDS * i, values[i]);
  return table;
}

/** Number of entries of an extension table. */
export function tableSize(table: Uint32Array): number {
  return table.length / EXT_WORDS;
}

/**
 * Folds the first variable in place: the first `size/2` entries become f(r, ·). Returns size/2.
 * One extension multiplication per output entry.
 */
export function fixFirstVariable(table: Uint32Array, size: number, challenge: Uint32Array, ci = 0): number {
  const half = size >> 1;
  const diff = new Uint32Array(4);
  for (let i = 0; i < half; i++) {
    const even = 8 * i;
    extSub(diff, 0, table, even + 4, table, even);
    extMul(diff, 0, diff, 0, challenge, ci);
    extAdd(table, 4 * i, table, even, diff, 0);
  }
  return half;
}

/** f̃(point) for a table of 2^v entries, point = v extension elements (4v words). O(2^v) multiplications. */
export function evaluateMultilinear(table: Uint32Array, point: Uint32Array): Uint32Array {
  const numVariables = point.length / EXT_WORDS;
  if (tableSize(table) !== 2 ** numVariables)
    throw new RangeError(`multilinear: table of ${tableSize(table)} entries evaluated at a ${numVariables}-variable point`);
  if (numVariables === 0) return table.slice(0, 4);
  const work = table.slice();
  let size = tableSize(work);
  for (let j = 0; j < numVariables; j++) size = fixFirstVariable(work, size, point, EXT_WORDS * j);
  return work.slice(0, 4);
}

/**
 * The table eq(r, i) for every i < 2^v (v = point length), with point[0] ↔ index bit 0.
 * 2^v multiplications: each step splits t[i] into t[i]·(1 − r_j) and t[i]·r_j.
 */
export function eqTable(point: Uint32Array): Uint32Array {
  const numVariables = point.length / EXT_WORDS;
  const size = 2 ** numVariables;
  const table = createExtVector(size);
  extFromSigned(table, 0, 1);
  for (let j = 0, filled = 1; j < numVariables; j++, filled *= 2) {
    for (let i = 0; i < filled; i++) {
      extMul(table, EXT_WORDS * (i + filled), table, EXT_WORDS * i, point, EXT_WORDS * j);
      extSub(table, EXT_WORDS * i, table, EXT_WORDS * i, table, EXT_WORDS * (i + filled));
    }
  }
  return table;
}

/** eq(x, y) = Π_j (x_j y_j + (1 − x_j)(1 − y_j)) for two points of equal length. O(v). */
export function evaluateEq(x: Uint32Array, y: Uint32Array): Uint32Array {
  if (x.length !== y.length) throw new RangeError('multilinear: eq of points of different lengths');
  const out = new Uint32Array(4);
  extFromSigned(out, 0, 1);
  const t = new Uint32Array(12);
  for (let j = 0; j < x.length; j += EXT_WORDS) {
    extMul(t, 0, x, j, y, j); // xy
    extAdd(t, 4, t, 0, t, 0); // 2xy
    extSub(t, 4, t, 4, x, j);
    extSub(t, 4, t, 4, y, j); // 2xy − x − y
    extFromSigned(t, 8, 1);
    extAdd(t, 4, t, 4, t, 8); // 1 − x − y + 2xy
    extMul(out, 0, out, 0, t, 4);
  }
  return out;
}

/** Σ_i values[i] · eqPoint[i] for a signed integer table and an eq table (a dot product). */
export function evaluateSignedWithEq(values: ArrayLike<number>, eq: Uint32Array): Uint32Array {
  const out = new Uint32Array(4);
  const term = new Uint32Array(4);
  const n = Math.min(values.length, tableSize(eq));
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === 0) continue;
    extMulSigned(term, 0, eq, EXT_WORDS * i, x);
    extAdd(out, 0, out, 0, term, 0);
  }
  return out;
}

/** Concatenates points (variable lists). */
export function concatPoints(...points: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(points.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of points) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
