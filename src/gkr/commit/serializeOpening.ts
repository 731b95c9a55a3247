/**
 * Bytes of a commitment and of an opening proof, and back — so proof sizes are real byte counts
 * and tampering tests can flip any field. All integers are little-endian.
 *
 * Commitment (38 + P bytes): root (32) ‖ log2 k (u8) ‖ log2 blow-up (u8) ‖ P (u32) ‖ n_p (u8 each).
 * Opening proof: header of five u32 — k, claims C, opened columns T', rows M, siblings S — then
 *   proximity row (k F_p² elements, 16 bytes each) ‖ C × (u32 width w_c ‖ w_c F_p² elements:
 *   the evaluation row, w_c = min(2^n, k) for its polynomial) ‖ T' columns of M base elements
 *   (8 bytes each) ‖ S sibling hashes (32 bytes each).
 * The column indices are not sent: the verifier re-derives them from the transcript.
 * Deserialization checks only that the bytes parse; verifyOpening.ts checks every size against
 * the commitment and the transcript.
 */
import { VerificationError } from '../../errors.ts';
import { DIGEST_BYTES } from './merkle.ts';
import { wordsAsBytes } from './openingTranscript.ts';
import { columnOpeningCount, planCommitmentShape } from './parameters.ts';
import type { MultilinearCommitment, OpeningProof } from './types.ts';

export function serializeCommitment(commitment: MultilinearCommitment): Uint8Array {
  const { shape } = commitment;
  const out = new Uint8Array(DIGEST_BYTES + 6 + shape.polynomials.length);
  out.set(commitment.root, 0);
  out[32] = shape.logMessageLength;
  out[33] = shape.logBlowup;
  new DataView(out.buffer).setUint32(34, shape.polynomials.length, true);
  shape.polynomials.forEach((p, i) => (out[38 + i] = p.variableCount));
  return out;
}

function malformed(what: string, details: Record<string, unknown>): never {
  throw new VerificationError(`commitment: malformed ${what}`, {
    details: { check: 'proof shape', ...details },
    hint: 'the bytes do not parse as the layout in src/gkr/commit/serializeOpening.ts',
  });
}

/** Parses a commitment; the placement of the polynomials is recomputed, not read. */
export function deserializeCommitment(bytes: Uint8Array, securityBits = 100): MultilinearCommitment {
  if (bytes.length < 38) malformed('commitment', { bytes: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(34, true);
  if (bytes.length !== 38 + count) malformed('commitment', { bytes: bytes.length, polynomials: count });
  const logBlowup = bytes[33];
  if (logBlowup !== 1 && logBlowup !== 2) malformed('commitment', { logBlowup });
  const variableCounts = Array.from(bytes.subarray(38, 38 + count));
  // k beyond the largest polynomial (or 2^30) would only make the verifier allocate for nothing.
  if (count === 0 || bytes[32] > Math.max(...variableCounts) || variableCounts.some((n) => n > 30))
    malformed('commitment', { logMessageLength: bytes[32], variableCounts });
  const shape = planCommitmentShape({
    variableCounts,
    rate: logBlowup === 1 ? 0.5 : 0.25,
    logMessageLength: bytes[32],
    securityBits,
  });
  const k = 2 ** shape.logMessageLength;
  const { columnOpenings } = columnOpeningCount({ messageLength: k, codewordLength: k << logBlowup, securityBits });
  return { root: bytes.slice(0, DIGEST_BYTES), shape, columnOpenings };
}

export function serializeOpeningProof(proof: OpeningProof): Uint8Array {
  const k = proof.proximityRow.length / 4;
  const claims = proof.evaluationRows.length;
  const siblings = proof.merkleSiblings.length / DIGEST_BYTES;
  const rows = proof.columnLength;
  const columns = rows === 0 ? 0 : proof.columns.length / (2 * rows);
  const rowBytes = proof.evaluationRows.reduce((sum, row) => sum + 4 + row.length * 4, 0);
  const out = new Uint8Array(20 + k * 16 + rowBytes + proof.columns.length * 4 + proof.merkleSiblings.length);
  const view = new DataView(out.buffer);
  [k, claims, columns, rows, siblings].forEach((v, i) => view.setUint32(4 * i, v, true));
  out.set(wordsAsBytes(proof.proximityRow), 20);
  let at = 20 + k * 16;
  for (const row of proof.evaluationRows) {
    view.setUint32(at, row.length / 4, true);
    out.set(wordsAsBytes(row), at + 4);
    at += 4 + row.length * 4;
  }
  out.set(wordsAsBytes(proof.columns), at);
  at += proof.columns.length * 4;
  out.set(proof.merkleSiblings, at);
  return out;
}

export function deserializeOpeningProof(bytes: Uint8Array): OpeningProof {
  if (bytes.length < 20) malformed('opening proof', { bytes: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [k, claims, columns, rows, siblings] = [0, 1, 2, 3, 4].map((i) => view.getUint32(4 * i, true));
  let at = 20;
  const need = (bytesNeeded: number): void => {
    if (at + bytesNeeded > bytes.length) malformed('opening proof', { bytes: bytes.length, k, claims, columns, rows, siblings });
  };
  const words = (count: number): Uint32Array => {
    need(4 * count);
    const out = new Uint32Array(count);
    new Uint8Array(out.buffer).set(bytes.subarray(at, at + 4 * count));
    at += 4 * count;
    return out;
  };
  const proximityRow = words(4 * k);
  const evaluationRows: Uint32Array[] = [];
  for (let c = 0; c < claims; c++) {
    need(4);
    const width = view.getUint32(at, true);
    at += 4;
    evaluationRows.push(words(4 * width));
  }
  const columnWords = words(2 * rows * columns);
  need(siblings * DIGEST_BYTES);
  const merkleSiblings = bytes.slice(at, at + siblings * DIGEST_BYTES);
  if (at + siblings * DIGEST_BYTES !== bytes.length) malformed('opening proof', { bytes: bytes.length, parsed: at + siblings * DIGEST_BYTES });
  return { proximityRow, evaluationRows, columnLength: rows, columns: columnWords, merkleSiblings };
}
