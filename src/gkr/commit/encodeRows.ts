/**
 * Reed–Solomon encoding of the commitment's rows: a row of k base elements (the coefficients of a
 * polynomial of degree < k) becomes its N = k·2^logBlowup evaluations on the order-N subgroup, in
 * the bit-reversed position order of ntt.ts. The encoding is F_p-linear, so an F_p² row (the
 * verifier's u' and u_c) is encoded coordinate by coordinate: Enc(a + b·x) = Enc(a) + Enc(b)·x.
 */
import { createNttPlan, nttInPlace } from './ntt.ts';

export interface EncodeRowsParameters {
  /** M × k base elements, row-major, 2 words each. */
  matrix: Uint32Array;
  rowCount: number;
  logMessageLength: number;
  logBlowup: number;
}

/** The M × N encoded matrix, stored COLUMN-major (column j, the Merkle leaf j, is contiguous). */
export function encodeRows({ matrix, rowCount, logMessageLength, logBlowup }: EncodeRowsParameters): Uint32Array {
  const k = 2 ** logMessageLength;
  const n = k << logBlowup;
  const plan = createNttPlan(logMessageLength + logBlowup);
  const encoded = new Uint32Array(n * rowCount * 2);
  const scratch = new Uint32Array(2 * n);
  for (let i = 0; i < rowCount; i++) {
    scratch.fill(0);
    scratch.set(matrix.subarray(2 * i * k, 2 * (i + 1) * k));
    nttInPlace({ values: scratch, plan, nonZeroPrefix: k });
    // scatter into column-major: element (i, j) at word 2·(j·M + i)
    for (let j = 0, w = 2 * i; j < n; j++, w += 2 * rowCount) {
      encoded[w] = scratch[2 * j];
      encoded[w + 1] = scratch[2 * j + 1];
    }
  }
  return encoded;
}

/**
 * Enc of an F_p² row of ≤ k elements (4 words each; missing entries are zeros): N F_p² elements
 * (4N words), bit-reversed order.
 */
export function encodeExtensionRow({ row, logMessageLength, logBlowup }: { row: Uint32Array; logMessageLength: number; logBlowup: number }): Uint32Array {
  const k = 2 ** logMessageLength;
  const n = k << logBlowup;
  const plan = createNttPlan(logMessageLength + logBlowup);
  const out = new Uint32Array(4 * n);
  const scratch = new Uint32Array(2 * n);
  for (let coordinate = 0; coordinate < 2; coordinate++) {
    scratch.fill(0);
    const width = Math.min(k, row.length / 4);
    for (let j = 0; j < width; j++) {
      scratch[2 * j] = row[4 * j + 2 * coordinate];
      scratch[2 * j + 1] = row[4 * j + 2 * coordinate + 1];
    }
    nttInPlace({ values: scratch, plan, nonZeroPrefix: k });
    for (let j = 0; j < n; j++) {
      out[4 * j + 2 * coordinate] = scratch[2 * j];
      out[4 * j + 2 * coordinate + 1] = scratch[2 * j + 1];
    }
  }
  return out;
}
