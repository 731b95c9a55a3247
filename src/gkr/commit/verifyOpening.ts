/**
 * Verify evaluations of committed multilinear polynomials (the verifier half of
 * openMultilinear.ts, same steps in the same order). Each failing check throws VerificationError
 * with `details.check` naming it:
 *   'proof shape'        rows/columns/siblings of the wrong size;
 *   'evaluation value'   ⟨u_c, q_col,c⟩ ≠ v_c;
 *   'opened columns'     the proof opens another number of columns than the transcript draws;
 *   'merkle path'        the opened columns do not hash to the committed root;
 *   'proximity column'   Enc(u')[j] ≠ Σ_i γ_i·U[i][j] at an opened column j;
 *   'evaluation column'  Enc(u_c)[j] ≠ Σ_i q_row,c[i]·U[p_c, i][j].
 * The proximity and evaluation column checks are first tested together as one random linear
 * combination (verifier-local randomness, + 2^-127 to the error), the single checks only on failure.
 * Soundness: parameters.ts (t from the code's distance; ≤ 2^-100 with the proven bound).
 */
import { randomFillSync } from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extAdd, extEquals, extMul, extToString } from '../field/extension.ts';
import { BASE_WORDS, baseFromWords128 } from '../field/goldilocks.ts';
import { encodeExtensionRow } from './encodeRows.ts';
import { DIGEST_BYTES, hashLeaf, verifyMerkleMulti } from './merkle.ts';
import { checkClaims } from './openMultilinear.ts';
import { absorbRows, absorbStatement, squeezeColumnIndices, squeezeProximityCoefficients, wordsAsBytes } from './openingTranscript.ts';
import { columnOpeningCount } from './parameters.ts';
import { combineColumn, eqTable, innerProduct } from './tensor.ts';
import type { CommitmentTranscript, EvaluationClaim, MultilinearCommitment, OpeningProof } from './types.ts';

export interface VerifyOpeningParameters {
  commitment: MultilinearCommitment;
  claims: readonly EvaluationClaim[];
  /** The claimed v_c, 4 words each. */
  values: Uint32Array;
  proof: OpeningProof;
  transcript: CommitmentTranscript;
  /** t is recomputed from the shape for this target, never read from the prover. Default 100. */
  securityBits?: number;
}

function reject(message: string, check: string, details: Record<string, unknown> = {}, hint?: string): never {
  throw new VerificationError(`commitment: ${message}`, { details: { check, ...details }, hint });
}

export function verifyOpening({ commitment, claims, values, proof, transcript, securityBits = 100 }: VerifyOpeningParameters): void {
  const { shape } = commitment;
  const k = 2 ** shape.logMessageLength;
  const n = k << shape.logBlowup;
  const m = shape.rowCount;
  checkClaims(claims, shape.polynomials.map((p) => p.variableCount));
  if (values.length !== claims.length * EXT_WORDS)
    reject(`${values.length / EXT_WORDS} values for ${claims.length} claims`, 'proof shape');
  if (proof.proximityRow.length !== k * EXT_WORDS)
    reject(`proximity row has ${proof.proximityRow.length / EXT_WORDS} entries, expected k = ${k}`, 'proof shape');
  if (proof.evaluationRows.length !== claims.length)
    reject(`${proof.evaluationRows.length} evaluation rows for ${claims.length} claims`, 'proof shape');
  proof.evaluationRows.forEach((row, c) => {
    const width = 2 ** shape.polynomials[claims[c].polynomial].columnVariables;
    if (row.length !== width * EXT_WORDS) reject(`evaluation row ${c} has ${row.length / EXT_WORDS} entries, expected ${width}`, 'proof shape');
  });
  for (const [name, words] of [['proximity row', proof.proximityRow], ['values', values], ['opened columns', proof.columns], ...proof.evaluationRows.map((row, c) => [`evaluation row ${c}`, row] as const)] as const) {
    const bad = firstNonCanonical(words);
    if (bad >= 0) reject(`${name}: entry ${bad / 2} is not a canonical field element (≥ p)`, 'proof shape', { at: name, word: bad });
  }

  // ⟨u_c, q_col⟩ = v_c — the row was formed with q_row; the columns below check that.
  const rowCoefficients = claims.map((claim, c) => {
    const placement = shape.polynomials[claim.polynomial];
    const columnCoefficients = eqTable(claim.point, 0, placement.columnVariables);
    const sum = innerProduct(proof.evaluationRows[c], columnCoefficients, 2 ** placement.columnVariables);
    if (!extEquals(sum, 0, values, c * EXT_WORDS))
      reject(`claim ${c}: the evaluation row sums to ${extToString(sum, 0)}, not the claimed value ${extToString(values, c * EXT_WORDS)}`,
        'evaluation value', { claim: c, polynomial: claim.polynomial });
    return eqTable(claim.point, placement.columnVariables, placement.variableCount - placement.columnVariables);
  });

  absorbStatement(transcript, commitment, claims, values);
  const gamma = squeezeProximityCoefficients(transcript, m);
  absorbRows(transcript, proof.proximityRow, proof.evaluationRows);
  const { columnOpenings } = columnOpeningCount({ messageLength: k, codewordLength: n, securityBits });
  const indices = squeezeColumnIndices(transcript, columnOpenings, n);

  const columnWords = m * BASE_WORDS;
  if (proof.columnLength !== m) reject(`opened columns have ${proof.columnLength} entries, the matrix has ${m} rows`, 'proof shape');
  if (proof.columns.length !== indices.length * columnWords)
    reject(`the proof opens ${proof.columns.length / columnWords} columns, the transcript asks for ${indices.length} distinct ones`, 'opened columns',
      {}, 'the proof was made for another transcript, root or claim, or a prover message was changed');
  if (proof.merkleSiblings.length % DIGEST_BYTES !== 0) reject('merkle siblings are not whole 32-byte hashes', 'proof shape');
  const columnBytes = wordsAsBytes(proof.columns);
  const scratch = new Uint8Array(columnWords * 4 + 1);
  const leafHashes = indices.map((_, i) => hashLeaf(columnBytes.subarray(i * columnWords * 4, (i + 1) * columnWords * 4), scratch));
  verifyMerkleMulti({ root: commitment.root, leafCount: n, leafIndices: indices, leafHashes, siblings: proof.merkleSiblings });

  // Batched column check: with the verifier's own random β_c ∈ F_p² (not from the transcript —
  // the proof and the transcript are unchanged), all row checks at column j collapse into one:
  //   Enc(u' + Σ_c β_c·u_c)[j] = (γ + Σ_c β_c·q_row,c)·U[·][j]
  // (Enc is linear). If any single check fails at an opened column, this one fails except with
  // probability ≤ 1/|F_p²| ≈ 2^-127 over β. One F_p² encoding instead of 1 + C, one column
  // combination per column instead of 1 + C. On failure the single checks below name the culprit.
  const beta = randomExtensionVector(claims.length);
  const combinedRow = proof.proximityRow.slice();
  const combinedCoefficients = gamma.slice();
  const term = new Uint32Array(4);
  claims.forEach((claim, c) => {
    const row = proof.evaluationRows[c];
    for (let w = 0; w < row.length; w += EXT_WORDS) {
      extMul(term, 0, row, w, beta, c * EXT_WORDS);
      extAdd(combinedRow, w, combinedRow, w, term, 0);
    }
    const placement = shape.polynomials[claim.polynomial];
    for (let i = 0; i < placement.rowCount; i++) {
      const at = (placement.rowStart + i) * EXT_WORDS;
      extMul(term, 0, rowCoefficients[c], i * EXT_WORDS, beta, c * EXT_WORDS);
      extAdd(combinedCoefficients, at, combinedCoefficients, at, term, 0);
    }
  });
  const encode = (row: Uint32Array): Uint32Array =>
    encodeExtensionRow({ row, logMessageLength: shape.logMessageLength, logBlowup: shape.logBlowup });
  const combinedCodeword = encode(combinedRow);
  const batchedHolds = indices.every((j, i) =>
    extEquals(combineColumn(proof.columns, i * m, m, combinedCoefficients), 0, combinedCodeword, j * EXT_WORDS),
  );
  if (batchedHolds) return;

  // Some check fails: find and name it (rows narrower than k are zero-padded by encode).
  const proximityCodeword = encode(proof.proximityRow);
  const evaluationCodewords = proof.evaluationRows.map(encode);
  indices.forEach((j, i) => {
    const offset = i * m;
    const combined = combineColumn(proof.columns, offset, m, gamma);
    if (!extEquals(combined, 0, proximityCodeword, j * EXT_WORDS))
      reject(`column ${j}: Enc(u')[j] = ${extToString(proximityCodeword, j * EXT_WORDS)} but γ·column = ${extToString(combined, 0)}`,
        'proximity column', { column: j }, 'the proximity row or the opened column was changed');
    claims.forEach((claim, c) => {
      const placement = shape.polynomials[claim.polynomial];
      const value = combineColumn(proof.columns, offset + placement.rowStart, placement.rowCount, rowCoefficients[c]);
      if (!extEquals(value, 0, evaluationCodewords[c], j * EXT_WORDS))
        reject(`claim ${c}, column ${j}: Enc(u_c)[j] ≠ q_row·column`, 'evaluation column',
          { claim: c, column: j }, 'the evaluation row was not formed from the committed rows at this point');
    });
  });
  // Unreachable: the batched identity is a linear combination of the single ones.
  reject('the batched column check failed but no single check does', 'proximity column');
}

/** `count` uniform F_p² elements from the operating system's randomness (16 bytes per coordinate). */
function randomExtensionVector(count: number): Uint32Array {
  const words = new Uint32Array(8 * count);
  randomFillSync(words);
  const out = new Uint32Array(4 * count);
  for (let i = 0; i < 2 * count; i++) baseFromWords128(out, 2 * i, words[4 * i], words[4 * i + 1], words[4 * i + 2], words[4 * i + 3]);
  return out;
}

/** Word offset of the first base coordinate ≥ p (hi = 2^32 − 1 and lo ≥ 1), or −1. */
function firstNonCanonical(words: Uint32Array): number {
  for (let i = 0; i < words.length; i += 2) if (words[i + 1] === 0xffffffff && words[i] !== 0) return i;
  return -1;
}
