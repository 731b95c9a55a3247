/**
 * Prove evaluations of committed multilinear polynomials at F_p² points (the prover half; the
 * verifier is verifyOpening.ts, step for step). For claims c = (polynomial p, point r):
 *   values v_c = f_p(r) = ⟨q_row ⊗ q_col, M_p⟩   (tensor.ts)
 *   γ ← transcript;  u' = Σ_i γ_i·M_i            the proximity row (all M rows)
 *   u_c = Σ_i q_row,c[i]·M_{p,i}                   one evaluation row per claim (only the
 *                                                  polynomial's 2^n entries when 2^n < k)
 *   column indices ← transcript; open those columns of the encoded matrix + Merkle multi-proof.
 * All claims share the one proximity test and the one set of t columns.
 */
import { UsageError } from '../../errors.ts';
import { EXT_WORDS, createExtVector } from '../field/extension.ts';
import { BASE_WORDS } from '../field/goldilocks.ts';
import { openMerkleMulti } from './merkle.ts';
import { absorbRows, absorbStatement, squeezeColumnIndices, squeezeProximityCoefficients } from './openingTranscript.ts';
import { combineRows, eqTable, innerProduct } from './tensor.ts';
import type { CommitmentTranscript, EvaluationClaim, MultilinearProverData, OpeningProof } from './types.ts';

export interface OpenMultilinearParameters {
  proverData: MultilinearProverData;
  claims: readonly EvaluationClaim[];
  transcript: CommitmentTranscript;
}

export interface OpenMultilinearResult {
  /** v_c for each claim, 4 words each. */
  values: Uint32Array;
  proof: OpeningProof;
}

export function openMultilinear({ proverData, claims, transcript }: OpenMultilinearParameters): OpenMultilinearResult {
  const { commitment, matrix, encodedColumns, tree } = proverData;
  const { shape } = commitment;
  const k = 2 ** shape.logMessageLength;
  const n = k << shape.logBlowup;
  checkClaims(claims, shape.polynomials.map((p) => p.variableCount));

  // Evaluation rows first: the values follow from them, ⟨u_c, q_col⟩ = v_c.
  const values = createExtVector(claims.length);
  const evaluationRows = claims.map((claim, c) => {
    const placement = shape.polynomials[claim.polynomial];
    const rowCoefficients = eqTable(claim.point, placement.columnVariables, placement.variableCount - placement.columnVariables);
    const width = 2 ** placement.columnVariables;
    // A polynomial narrower than k occupies a zero-padded row: only its 2^n entries are sent,
    // the verifier pads with zeros before encoding.
    const row = combineRows(matrix, placement.rowStart, placement.rowCount, k, rowCoefficients).slice(0, width * EXT_WORDS);
    const columnCoefficients = eqTable(claim.point, 0, placement.columnVariables);
    values.set(innerProduct(row, columnCoefficients, width), c * EXT_WORDS);
    return row;
  });

  absorbStatement(transcript, commitment, claims, values);
  const gamma = squeezeProximityCoefficients(transcript, shape.rowCount);
  const proximityRow = combineRows(matrix, 0, shape.rowCount, k, gamma);
  absorbRows(transcript, proximityRow, evaluationRows);
  const indices = squeezeColumnIndices(transcript, commitment.columnOpenings, n);

  const columnWords = shape.rowCount * BASE_WORDS;
  const columns = new Uint32Array(indices.length * columnWords);
  indices.forEach((j, i) => columns.set(encodedColumns.subarray(j * columnWords, (j + 1) * columnWords), i * columnWords));
  const merkleSiblings = openMerkleMulti({ tree, leafIndices: indices });
  return { values, proof: { proximityRow, evaluationRows, columnLength: shape.rowCount, columns, merkleSiblings } };
}

/** Claims must name a committed polynomial and carry one F_p² coordinate per variable. */
export function checkClaims(claims: readonly EvaluationClaim[], variableCounts: readonly number[]): void {
  claims.forEach((claim, c) => {
    const n = variableCounts[claim.polynomial];
    if (n === undefined || !Number.isInteger(claim.polynomial))
      throw new UsageError(`commitment: claim ${c} names polynomial ${claim.polynomial}, but ${variableCounts.length} are committed`, {
        details: { claim: c, polynomial: claim.polynomial },
      });
    if (claim.point.length !== n * EXT_WORDS)
      throw new UsageError(`commitment: claim ${c} has a point of ${claim.point.length / EXT_WORDS} coordinates for a polynomial of ${n} variables`, {
        details: { claim: c, polynomial: claim.polynomial, variableCount: n, pointWords: claim.point.length },
        hint: 'a point is n F_p² elements, 4 uint32 words each',
      });
  });
}
