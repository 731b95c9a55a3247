/**
 * Parameters of the commitment and their soundness: how many columns t the verifier opens for a
 * target security, and how the polynomials are laid out as one matrix.
 *
 * The argument (Ligero [AHIV17] / Brakedown [GLS+21] structure): the committed matrix U (M rows,
 * each a Reed–Solomon codeword of length N, message length k, rate ρ = k/N, minimum distance
 * d = N − k + 1) is tested by one random combination γ·U (γ ∈ F_p²^M) and evaluated by the
 * tensor combinations q_row·U; t uniformly random columns are checked against both. Let e be the
 * unique-decoding radius ⌊(d − 1)/2⌋. Two cases:
 *  - U is more than e columns away from the interleaved code: by correlated agreement for RS
 *    codes in the unique-decoding regime (Ben-Sasson, Carmon, Ishai, Kopparty, Saraf, "Proximity
 *    gaps for Reed–Solomon codes", FOCS 2020, affine spaces, error n/q) γ·U is still more than e
 *    away except with probability ε_prox = N/|F_p²|; then the prover's row u' (Enc(u') is a
 *    codeword) disagrees with γ·U on ≥ e + 1 columns and each query misses them with
 *    probability ≤ 1 − (e + 1)/N.
 *  - U is e-close: it decodes uniquely; a false evaluation row u_c ≠ q_row·Û makes Enc(u_c) differ
 *    from q_row·Û on ≥ d positions, hence from q_row·U on ≥ d − e; a query misses with
 *    probability ≤ 1 − (d − e)/N.
 *  ε(t) = max(ε_prox + (1 − (e+1)/N)^t, (1 − (d − e)/N)^t) ≈ ((1 + ρ)/2)^t — PROVEN.
 * e = d/2 balances the two cases, so this analysis cannot gain from list decoding.
 * CONJECTURED: the figure hash-based systems use when they assume proximity gaps up to the
 * list-decoding capacity (e.g. ethSTARK's conjecture for FRI): each query errs with probability
 * ≈ ρ, ε(t) = ρ^t. Not proven for this construction; computed for the docs, not the default.
 * The row sums ⟨u_c, q_col⟩ = v_c are checked exactly (no error term).
 */
import { UsageError } from '../../errors.ts';
import { EXTENSION_FIELD_BITS } from '../field/extension.ts';

export type SoundnessRegime = 'proven' | 'conjectured';

/** The code rates this commitment supports (1/rate = blow-up of each row). */
export type CodeRate = 0.5 | 0.25;

export interface ColumnOpeningCountParameters {
  /** k: message length of a row (power of two). */
  messageLength: number;
  /** N = k / rate: codeword length (power of two). */
  codewordLength: number;
  /** Target: soundness error ≤ 2^-securityBits. Default 100. */
  securityBits?: number;
  regime?: SoundnessRegime;
}

export interface ColumnOpeningCountResult {
  /** t: opened columns (drawn with replacement). */
  columnOpenings: number;
  /** log2 of the soundness error bound at this t (≤ −securityBits). */
  log2SoundnessError: number;
  /** log2 of one query's miss probability in the dominant case. */
  log2ErrorPerQuery: number;
  /** e: the proximity radius in columns the analysis uses (proven regime). */
  proximityRadius: number;
}

/** The smallest t whose soundness error (see the header) is ≤ 2^-securityBits. */
export function columnOpeningCount({
  messageLength: k,
  codewordLength: n,
  securityBits = 100,
  regime = 'proven',
}: ColumnOpeningCountParameters): ColumnOpeningCountResult {
  if (!(k >= 1 && n > k))
    throw new UsageError(`commitment: codeword length ${n} must exceed message length ${k}`, {
      details: { messageLength: k, codewordLength: n },
      hint: 'rate 1/2 or 1/4: codewordLength = 2·k or 4·k',
    });
  if (regime === 'conjectured') {
    const perQuery = Math.log2(k / n);
    const t = Math.ceil(securityBits / -perQuery);
    return { columnOpenings: t, log2SoundnessError: t * perQuery, log2ErrorPerQuery: perQuery, proximityRadius: n - k };
  }
  const d = n - k + 1;
  const e = Math.floor((d - 1) / 2);
  // ε_prox = N / |F_p²| ≤ N / 2^127 (EXTENSION_FIELD_BITS rounds log2 p² down).
  const log2ProxBound = Math.log2(n) - EXTENSION_FIELD_BITS;
  if (log2ProxBound >= -securityBits)
    throw new UsageError(`commitment: ${securityBits} bits are out of reach with one proximity row over F_p²`, {
      details: { codewordLength: n, log2ProximityError: log2ProxBound, securityBits },
      hint: `the random combination alone errs with N/p² ≈ 2^${log2ProxBound.toFixed(1)}; ask for at most ${Math.floor(-log2ProxBound) - 1} bits`,
    });
  // far: Δ(U, C^M) ≥ e + 1 columns; close: ≤ e, decodable because 2e < d.
  const farMiss = Math.log2(1 - (e + 1) / n);
  const closeMiss = Math.log2(1 - (d - e) / n);
  const log2Error = (t: number): number => {
    const far = log2Add(log2ProxBound, t * farMiss);
    return Math.max(far, t * closeMiss);
  };
  let t = 1;
  while (log2Error(t) > -securityBits) {
    t++;
    if (t > 100_000) throw new UsageError(`commitment: no t reaches ${securityBits} bits`, { details: { k, n } });
  }
  return { columnOpenings: t, log2SoundnessError: log2Error(t), log2ErrorPerQuery: Math.max(farMiss, closeMiss), proximityRadius: e };
}

/** log2(2^a + 2^b). */
function log2Add(a: number, b: number): number {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  return hi + Math.log2(1 + 2 ** (lo - hi));
}

/** Where one polynomial sits in the committed matrix. */
export interface PolynomialPlacement {
  /** n: the polynomial has 2^n evaluations. */
  variableCount: number;
  /** First matrix row it occupies. */
  rowStart: number;
  /** Rows it occupies: 2^n / k, or 1 when 2^n < k (the row is then zero-padded). */
  rowCount: number;
  /** Column variables: min(n, log2 k) — the LOW bits of the evaluation index. */
  columnVariables: number;
}

export interface CommitmentShape {
  /** log2 k: every row holds k = 2^logMessageLength entries. */
  logMessageLength: number;
  /** log2 (1/rate). */
  logBlowup: number;
  /** M: rows of the matrix, all polynomials stacked. */
  rowCount: number;
  polynomials: PolynomialPlacement[];
}

export interface PlanCommitmentShapeParameters {
  /** n per polynomial. */
  variableCounts: readonly number[];
  rate?: CodeRate;
  /** Force k = 2^logMessageLength; by default the k that minimises the estimated proof bytes. */
  logMessageLength?: number;
  /** Evaluation claims expected per opening (sizes the row part of the estimate). Default: one per polynomial. */
  expectedClaims?: number;
  securityBits?: number;
}

/** Places the polynomials as rows of one matrix of k columns. */
export function planCommitmentShape({
  variableCounts,
  rate = 0.5,
  logMessageLength,
  expectedClaims = variableCounts.length,
  securityBits = 100,
}: PlanCommitmentShapeParameters): CommitmentShape {
  if (variableCounts.length === 0)
    throw new UsageError('commitment: nothing to commit', { hint: 'pass at least one polynomial' });
  for (const n of variableCounts)
    if (!Number.isInteger(n) || n < 0 || n > 30)
      throw new UsageError(`commitment: a polynomial with ${n} variables`, {
        details: { variableCount: n },
        hint: 'each polynomial is an evaluation table of 2^n entries, 0 ≤ n ≤ 30',
      });
  if (rate !== 0.5 && rate !== 0.25)
    throw new UsageError(`commitment: rate ${rate} is not supported`, { details: { rate }, hint: 'use 0.5 or 0.25' });
  const logBlowup = rate === 0.5 ? 1 : 2;
  const place = (logK: number): CommitmentShape => {
    let rowStart = 0;
    const polynomials = variableCounts.map((n) => {
      const columnVariables = Math.min(n, logK);
      const rowCount = 2 ** (n - columnVariables);
      const placement = { variableCount: n, rowStart, rowCount, columnVariables };
      rowStart += rowCount;
      return placement;
    });
    return { logMessageLength: logK, logBlowup, rowCount: rowStart, polynomials };
  };
  if (logMessageLength !== undefined) return place(logMessageLength);
  const maxVariables = Math.max(...variableCounts);
  let best: { shape: CommitmentShape; bytes: number } | undefined;
  for (let logK = 0; logK <= maxVariables; logK++) {
    const shape = place(logK);
    const bytes = estimateOpeningBytes({ shape, claims: expectedClaims, securityBits });
    if (!best || bytes < best.bytes) best = { shape, bytes };
  }
  return best!.shape;
}

/**
 * Proof bytes of one opening (before deduplication of repeated column indices): the proximity
 * row (k F_p² elements), one evaluation row per claim (min(2^n, k) elements: one per polynomial
 * when `claims` equals the polynomial count, else k each), t columns of M base elements, and
 * ≈ t·(log2 N − log2 t + 1.5) sibling hashes of the multi-proof.
 */
export function estimateOpeningBytes({ shape, claims, securityBits = 100 }: { shape: CommitmentShape; claims: number; securityBits?: number }): number {
  const k = 2 ** shape.logMessageLength;
  const n = k << shape.logBlowup;
  const { columnOpenings: t } = columnOpeningCount({ messageLength: k, codewordLength: n, securityBits });
  const logN = Math.log2(n);
  const siblings = t * Math.max(1, logN - Math.log2(t) + 1.5);
  const evaluationEntries =
    claims === shape.polynomials.length ? shape.polynomials.reduce((sum, p) => sum + 2 ** p.columnVariables, 0) : claims * k;
  return (k + evaluationEntries) * 16 + t * shape.rowCount * 8 + Math.min(siblings, t * logN) * 32;
}
