/**
 * The Fiat–Shamir steps an opening shares between prover (openMultilinear.ts) and verifier
 * (verifyOpening.ts), so that both absorb and squeeze in exactly the same order:
 *   1. absorb the commitment (root, shape) and every claim (polynomial, point, value);
 *   2. squeeze γ ∈ F_p²^M, the proximity-test coefficients;
 *   3. absorb the proximity row u' and the evaluation rows u_c;
 *   4. squeeze t column indices in [0, N) (with replacement; opened once each, sorted).
 */
import { EXT_WORDS } from '../field/extension.ts';
import type { CommitmentShape } from './parameters.ts';
import type { CommitmentTranscript, EvaluationClaim, MultilinearCommitment } from './types.ts';

export function wordsAsBytes(words: Uint32Array): Uint8Array {
  // Little-endian machines only (x86, ARM): the element encodings are their little-endian bytes.
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

/** The shape as bytes: logMessageLength, logBlowup, polynomial count, n per polynomial. */
export function shapeBytes(shape: CommitmentShape): Uint8Array {
  const out = new Uint8Array(2 + 4 + shape.polynomials.length);
  out[0] = shape.logMessageLength;
  out[1] = shape.logBlowup;
  new DataView(out.buffer).setUint32(2, shape.polynomials.length, true);
  shape.polynomials.forEach((p, i) => (out[6 + i] = p.variableCount));
  return out;
}

export function absorbStatement(
  transcript: CommitmentTranscript,
  commitment: MultilinearCommitment,
  claims: readonly EvaluationClaim[],
  values: Uint32Array,
): void {
  transcript.absorbBytes('pcs/root', commitment.root);
  transcript.absorbBytes('pcs/shape', shapeBytes(commitment.shape));
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, claims.length, true);
  transcript.absorbBytes('pcs/claims', header);
  claims.forEach((claim, c) => {
    const index = new Uint8Array(4);
    new DataView(index.buffer).setUint32(0, claim.polynomial, true);
    transcript.absorbBytes('pcs/claim/polynomial', index);
    transcript.absorbBytes('pcs/claim/point', wordsAsBytes(claim.point));
    transcript.absorbBytes('pcs/claim/value', wordsAsBytes(values.subarray(c * EXT_WORDS, (c + 1) * EXT_WORDS)));
  });
}

export function squeezeProximityCoefficients(transcript: CommitmentTranscript, rowCount: number): Uint32Array {
  const gamma = new Uint32Array(rowCount * EXT_WORDS);
  for (let i = 0; i < rowCount; i++) gamma.set(transcript.squeezeExtension('pcs/gamma'), i * EXT_WORDS);
  return gamma;
}

export function absorbRows(transcript: CommitmentTranscript, proximityRow: Uint32Array, evaluationRows: readonly Uint32Array[]): void {
  transcript.absorbBytes('pcs/proximity-row', wordsAsBytes(proximityRow));
  for (const row of evaluationRows) transcript.absorbBytes('pcs/evaluation-row', wordsAsBytes(row));
}

/** t indices in [0, N), deduplicated and sorted: the columns to open. */
export function squeezeColumnIndices(transcript: CommitmentTranscript, count: number, codewordLength: number): number[] {
  const drawn = transcript.squeezeIndices('pcs/columns', count, codewordLength);
  return [...new Set(drawn)].sort((a, b) => a - b);
}
