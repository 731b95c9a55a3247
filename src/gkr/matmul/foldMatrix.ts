/**
 * The O(n²) step of Thaler's matmul prover: fold an integer matrix with an eq table along one
 * axis, A_r1[k] = Σ_i eq(r1, i)·A[i, k] and B_r2[k] = Σ_j eq(r2, j)·B[k, j].
 *
 * The matrix holds engine integers (small, signed), the eq table F_p² elements. Multiplying each
 * entry in the field would cost ~2 base multiplications; instead each eq coordinate is split into
 * four 16-bit limbs and the sums Σ limb·x are accumulated in float64 — exact while
 * rows · 65535 · max|x| < 2^53 (the rows are processed in chunks that respect this) — and reduced
 * into the field once per chunk. That is 8 float multiply-adds per matrix entry, the same kind of
 * work as the engine's matmul does per (i, j, k) triple, done n² instead of n³ times.
 */
import { EXT_WORDS, createExtVector, extAdd, extMul, extMulSigned } from '../field/extension.ts';
import { eqTable } from '../multilinear.ts';
import { baseAdd, baseFromSigned, baseMulSmall } from '../field/goldilocks.ts';

const LIMB = 65536;
const SAFE = 2 ** 53;

/** Splits the first `count` eq entries into 8 limbs each: [c0 limbs 0..3, c1 limbs 0..3]. */
function eqLimbs(eq: Uint32Array, count: number): Float64Array {
  const limbs = new Float64Array(count * 8);
  for (let i = 0; i < count; i++) {
    for (let w = 0; w < 4; w++) {
      const word = eq[4 * i + w];
      limbs[8 * i + 2 * w] = word & 0xffff;
      limbs[8 * i + 2 * w + 1] = word >>> 16;
    }
  }
  return limbs;
}

const scratch = new Uint32Array(8);

/** out[o..o+4) += Σ_l acc[a + l]·2^(16·(l mod 4)) per coordinate (the limb sums of one entry). */
function reduceLimbSums(out: Uint32Array, o: number, acc: Float64Array, a: number): void {
  for (let c = 0; c < 2; c++) {
    const base = a + 4 * c;
    baseFromSigned(scratch, 0, acc[base + 3]);
    for (let l = 2; l >= 0; l--) {
      baseMulSmall(scratch, 0, scratch, 0, LIMB);
      baseFromSigned(scratch, 2, acc[base + l]);
      baseAdd(scratch, 0, scratch, 0, scratch, 2);
    }
    baseAdd(out, o + 2 * c, out, o + 2 * c, scratch, 0);
  }
}

function maxAbs(values: Float64Array, count: number): number {
  let m = 0;
  for (let i = 0; i < count; i++) {
    const v = Math.abs(values[i]);
    if (v > m) m = v;
  }
  return m;
}

export interface FoldMatrixParameters {
  /** Row-major rows × cols signed integers (|x| < 2^53). */
  matrix: Float64Array;
  rows: number;
  cols: number;
  /** eq table over the folded axis: at least `rows` (foldRows) or `cols` (foldColumns) entries. */
  eq: Uint32Array;
  /** Size of the output table (the kept axis padded to a power of two). */
  outputSize: number;
}

/** out[k] = Σ_i eq[i]·matrix[i, k] for k < cols (zero beyond): an F_p² table of outputSize entries. */
export function foldRows({ matrix, rows, cols, eq, outputSize }: FoldMatrixParameters): Uint32Array {
  const out = createExtVector(outputSize);
  const largest = maxAbs(matrix, rows * cols);
  if (largest === 0) return out;
  if (largest * (LIMB - 1) >= SAFE) return foldRowsSlow({ matrix, rows, cols, eq, outputSize });
  const chunk = Math.max(1, Math.floor((SAFE - 1) / ((LIMB - 1) * largest)));
  const limbs = eqLimbs(eq, rows);
  const acc = new Float64Array(cols * 8);
  for (let start = 0; start < rows; start += chunk) {
    const end = Math.min(rows, start + chunk);
    for (let i = start; i < end; i++) accumulateRow(matrix, i * cols, cols, limbs, 8 * i, acc);
    for (let k = 0; k < cols; k++) reduceLimbSums(out, EXT_WORDS * k, acc, 8 * k);
    acc.fill(0);
  }
  return out;
}

/** acc[8k + l] += limb_l · row[k]: top-level with typed-array parameters so V8 optimises it. */
function accumulateRow(matrix: Float64Array, rowStart: number, cols: number, limbs: Float64Array, l: number, acc: Float64Array): void {
  const e0 = limbs[l];
  const e1 = limbs[l + 1];
  const e2 = limbs[l + 2];
  const e3 = limbs[l + 3];
  const e4 = limbs[l + 4];
  const e5 = limbs[l + 5];
  const e6 = limbs[l + 6];
  const e7 = limbs[l + 7];
  for (let k = 0; k < cols; k++) {
    const x = matrix[rowStart + k];
    if (x === 0) continue;
    const a = 8 * k;
    acc[a] += e0 * x;
    acc[a + 1] += e1 * x;
    acc[a + 2] += e2 * x;
    acc[a + 3] += e3 * x;
    acc[a + 4] += e4 * x;
    acc[a + 5] += e5 * x;
    acc[a + 6] += e6 * x;
    acc[a + 7] += e7 * x;
  }
}

/** out[k] = Σ_j eq[j]·matrix[k, j] for k < rows (zero beyond): an F_p² table of outputSize entries. */
export function foldColumns({ matrix, rows, cols, eq, outputSize }: FoldMatrixParameters): Uint32Array {
  const out = createExtVector(outputSize);
  const largest = maxAbs(matrix, rows * cols);
  if (largest === 0) return out;
  if (largest * (LIMB - 1) >= SAFE) return foldColumnsSlow({ matrix, rows, cols, eq, outputSize });
  const chunk = Math.max(1, Math.floor((SAFE - 1) / ((LIMB - 1) * largest)));
  const limbs = eqLimbs(eq, cols);
  const acc = new Float64Array(8);
  for (let k = 0; k < rows; k++) {
    for (let start = 0; start < cols; start += chunk) {
      dotRowWithLimbs(matrix, k * cols + start, Math.min(cols, start + chunk) - start, limbs, 8 * start, acc);
      reduceLimbSums(out, EXT_WORDS * k, acc, 0);
    }
  }
  return out;
}

/** acc[l] = Σ_j limb_l(eq[j]) · row[j] over `count` entries. */
function dotRowWithLimbs(matrix: Float64Array, rowStart: number, count: number, limbs: Float64Array, l0: number, acc: Float64Array): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  for (let j = 0; j < count; j++) {
    const x = matrix[rowStart + j];
    if (x === 0) continue;
    const l = l0 + 8 * j;
    a0 += limbs[l] * x;
    a1 += limbs[l + 1] * x;
    a2 += limbs[l + 2] * x;
    a3 += limbs[l + 3] * x;
    a4 += limbs[l + 4] * x;
    a5 += limbs[l + 5] * x;
    a6 += limbs[l + 6] * x;
    a7 += limbs[l + 7] * x;
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  acc[4] = a4;
  acc[5] = a5;
  acc[6] = a6;
  acc[7] = a7;
}

const term = new Uint32Array(4);

function foldRowsSlow({ matrix, rows, cols, eq, outputSize }: FoldMatrixParameters): Uint32Array {
  const out = createExtVector(outputSize);
  for (let i = 0; i < rows; i++)
    for (let k = 0; k < cols; k++) {
      extMulSigned(term, 0, eq, EXT_WORDS * i, matrix[i * cols + k]);
      extAdd(out, EXT_WORDS * k, out, EXT_WORDS * k, term, 0);
    }
  return out;
}

function foldColumnsSlow({ matrix, rows, cols, eq, outputSize }: FoldMatrixParameters): Uint32Array {
  const out = createExtVector(outputSize);
  for (let k = 0; k < rows; k++)
    for (let j = 0; j < cols; j++) {
      extMulSigned(term, 0, eq, EXT_WORDS * j, matrix[k * cols + j]);
      extAdd(out, EXT_WORDS * k, out, EXT_WORDS * k, term, 0);
    }
  return out;
}

export interface EvaluateSignedMatrixParameters {
  /** Row-major rows × cols signed integers; its MLE pads both axes to powers of two. */
  matrix: Float64Array;
  rows: number;
  cols: number;
  /** ⌈log2 rows⌉ extension elements (the HIGH index bits). */
  rowPoint: Uint32Array;
  /** ⌈log2 cols⌉ extension elements (the LOW index bits). */
  colPoint: Uint32Array;
}

/** M̃(colPoint, rowPoint) = Σ_i eq(rowPoint, i) · Σ_j eq(colPoint, j) · M[i, j], in O(rows·cols) float work. */
export function evaluateSignedMatrix({ matrix, rows, cols, rowPoint, colPoint }: EvaluateSignedMatrixParameters): Uint32Array {
  const eqCols = eqTable(colPoint);
  const eqRows = eqTable(rowPoint);
  const folded = foldColumns({ matrix, rows, cols, eq: eqCols, outputSize: eqRows.length / EXT_WORDS });
  const out = new Uint32Array(4);
  const product = new Uint32Array(4);
  for (let i = 0; i < rows; i++) {
    extMul(product, 0, folded, EXT_WORDS * i, eqRows, EXT_WORDS * i);
    extAdd(out, 0, out, 0, product, 0);
  }
  return out;
}
