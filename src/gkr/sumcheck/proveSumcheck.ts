/**
 * The sumcheck prover (Lund–Fortnow–Karloff–Nisan) for a sum of products of multilinears:
 *   claimedSum = Σ_{x ∈ {0,1}^v} Σ_t coefficient_t · Π_{j ∈ factors_t} f_j(x).
 * Round k sends the roundPolynomial g_k(X) = Σ_{x_{k+1..}} P(r_1..r_{k−1}, X, x_{k+1..}) as its
 * evaluations at X = 0, 1, …, degree (degree = the largest number of factors of a term); the
 * challenge r_k is squeezed from the transcript after absorbing g_k; every table is then folded
 * at r_k (fixFirstVariable), so round k costs O(2^(v−k)) and the whole prover O(2^v).
 * From round 1 on, g_k(1) = claim − g_k(0) is not summed but derived (the running claim is
 * g_{k−1}(r_{k−1})), which saves 1/(degree + 1) of the products.
 * After the last round the prover sends finalEvaluations f_j(r) for every table: the caller
 * reduces those claims further (to a commitment opening, a public MLE, an eq evaluation).
 */
import { EXT_WORDS, extAdd, extCopy, extMul, extSub } from '../field/extension.ts';
import { fixFirstVariable, tableSize } from '../multilinear.ts';
import type { Transcript } from '../transcript.ts';
import { interpolateAt } from './interpolateAt.ts';

export interface SumcheckTerm {
  /** Extension element (4 words) multiplying the product. */
  coefficient: Uint32Array;
  /** Indices into `tables`; a table may repeat (a square). */
  factors: number[];
}

export interface SumcheckProof {
  /** Per round, the evaluations g_k(0), …, g_k(degree): (degree + 1) · 4 words. */
  roundPolynomials: Uint32Array[];
  /** f_j(r) for every table j, 4 words each. */
  finalEvaluations: Uint32Array;
}

export interface ProveSumcheckParameters {
  transcript: Transcript;
  /** Names this sumcheck in the transcript (e.g. "layer3/matmul"). */
  label: string;
  /** Extension tables of 2^v entries each; FOLDED IN PLACE (pass copies to keep them). */
  tables: Uint32Array[];
  terms: SumcheckTerm[];
}

export interface ProveSumcheckResult {
  proof: SumcheckProof;
  /** The point r (v extension elements), point[0] = first round's challenge = index bit 0. */
  challenges: Uint32Array;
}

/** Degree of the round polynomials: the largest number of factors of a term. */
export function sumcheckDegree(terms: SumcheckTerm[]): number {
  return Math.max(1, ...terms.map((t) => t.factors.length));
}

export function proveSumcheck({ transcript, label, tables, terms }: ProveSumcheckParameters): ProveSumcheckResult {
  const numTables = tables.length;
  let size = tableSize(tables[0]);
  for (const t of tables)
    if (tableSize(t) !== size) throw new RangeError(`sumcheck ${label}: tables of different sizes (${tableSize(t)} vs ${size})`);
  const numVariables = Math.log2(size);
  const degree = sumcheckDegree(terms);
  const points = degree + 1;
  // values[j][x]: table j's restriction to X = x at the current pair (4 words each)
  const values = new Uint32Array(numTables * points * EXT_WORDS);
  const diff = new Uint32Array(numTables * EXT_WORDS);
  const product = new Uint32Array(EXT_WORDS);
  const termSums = new Uint32Array(terms.length * points * EXT_WORDS);
  const used = [...new Set(terms.flatMap((t) => t.factors))];
  const roundPolynomials: Uint32Array[] = [];
  const challenges = new Uint32Array(numVariables * EXT_WORDS);

  let claim: Uint32Array = new Uint32Array(4);
  for (let round = 0; round < numVariables; round++) {
    const half = size >> 1;
    termSums.fill(0);
    for (let i = 0; i < half; i++) {
      for (const j of used) {
        const table = tables[j];
        const base = j * points * EXT_WORDS;
        extCopy(values, base, table, 8 * i);
        extCopy(values, base + 4, table, 8 * i + 4);
        extSub(diff, 4 * j, table, 8 * i + 4, table, 8 * i);
        for (let x = 2; x < points; x++) extAdd(values, base + 4 * x, values, base + 4 * (x - 1), diff, 4 * j);
      }
      for (let t = 0; t < terms.length; t++) {
        const factors = terms[t].factors;
        for (let x = 0; x < points; x++) {
          if (x === 1 && round > 0) continue;
          extCopy(product, 0, values, (factors[0] * points + x) * EXT_WORDS);
          for (let f = 1; f < factors.length; f++) extMul(product, 0, product, 0, values, (factors[f] * points + x) * EXT_WORDS);
          const at = (t * points + x) * EXT_WORDS;
          extAdd(termSums, at, termSums, at, product, 0);
        }
      }
    }
    const roundPolynomial = new Uint32Array(points * EXT_WORDS);
    for (let t = 0; t < terms.length; t++)
      for (let x = 0; x < points; x++) {
        if (x === 1 && round > 0) continue;
        extMul(product, 0, termSums, (t * points + x) * EXT_WORDS, terms[t].coefficient, 0);
        extAdd(roundPolynomial, 4 * x, roundPolynomial, 4 * x, product, 0);
      }
    if (round > 0) extSub(roundPolynomial, 4, claim, 0, roundPolynomial, 0);
    transcript.absorbField(`${label}/round`, roundPolynomial);
    const challenge = transcript.squeezeExtension(`${label}/challenge`);
    challenges.set(challenge, round * EXT_WORDS);
    roundPolynomials.push(roundPolynomial);
    claim = interpolateAt(roundPolynomial, challenge);
    for (const j of used) fixFirstVariable(tables[j], size, challenge);
    size >>= 1;
  }
  const finalEvaluations = new Uint32Array(numTables * EXT_WORDS);
  for (let j = 0; j < numTables; j++) extCopy(finalEvaluations, EXT_WORDS * j, tables[j], 0);
  transcript.absorbField(`${label}/final`, finalEvaluations);
  return { proof: { roundPolynomials, finalEvaluations }, challenges };
}
