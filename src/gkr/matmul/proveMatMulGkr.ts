/**
 * The micro ladder's matmul proof: C = A·B for n × n integer matrices, non-interactive
 * (Fiat–Shamir). The statement absorbed first is n and the three matrices' bytes (A, B, C are
 * public without a commitment); then r1, r2 are squeezed, Thaler's sumcheck runs
 * (proveMatMul.ts), and the verifier checks the two final claims against A and B itself.
 *
 * `commit: false` (the default here) is the interactive protocol only — the object of the
 * survey's "< 4× the product" claim; timings separate computing C (`product`, the engine's
 * float64 loop) from the protocol (`protocol`).
 * `commit: true` makes A and B private: they are committed (one multilinear commitment, two
 * polynomials, commit/), the statement absorbs the commitment and C instead of A and B, and the
 * two final claims Ã(rk, r1), B̃(r2, rk) are opened (`commit` and `open` timings).
 */
import { UsageError } from '../../errors.ts';
import { commitMultilinear } from '../commit/commitMultilinear.ts';
import { openMultilinear } from '../commit/openMultilinear.ts';
import { serializeCommitment, serializeOpeningProof } from '../commit/serializeOpening.ts';
import { baseFromSigned, createBaseVector } from '../field/goldilocks.ts';
import { log2Ceil } from '../multilinear.ts';
import { ByteWriter } from '../proofBytes.ts';
import type { SumcheckProof } from '../sumcheck/proveSumcheck.ts';
import { Transcript } from '../transcript.ts';
import { multiplyNative } from './multiplyNative.ts';
import { proveMatMul } from './proveMatMul.ts';

export const MATMUL_DOMAIN = 'opzk-gkr/matmul';

export interface ProveMatMulGkrParameters {
  n: number;
  /** n × n signed integers, row-major. */
  a: Float64Array;
  b: Float64Array;
  /** Commit to A and B (private) and open the final claims; default false. */
  commit?: boolean;
}

export interface MatMulGkrProof {
  n: number;
  sumcheck: SumcheckProof;
  /** With commit: serializeCommitment bytes of the commitment to [A, B], and the opening's bytes. */
  commitment?: Uint8Array;
  opening?: Uint8Array;
}

export interface ProveMatMulGkrResult {
  c: Float64Array;
  proof: MatMulGkrProof;
  proofBytes: number;
  timingsMs: { product: number; protocol: number; commit: number; open: number };
  sizes: { sumcheckRounds: number };
}

/**
 * Absorbs the public statement: n, then either the bytes of A and B (no commitment) or the
 * commitment to them, then C (float64 integers).
 */
export function absorbMatMulStatement(transcript: Transcript, n: number, a: Float64Array | undefined, b: Float64Array | undefined, c: Float64Array, commitment?: Uint8Array): void {
  transcript.absorbNumber('n', n);
  if (commitment) transcript.absorbBytes('commitment', commitment);
  else for (const [label, m] of [['A', a!], ['B', b!]] as const) transcript.absorbBytes(label, new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
  transcript.absorbBytes('C', new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
}

/** An n × n integer matrix as a base-field table in the padded layout (n padded to a power of two per axis). */
export function paddedMatrixTable(m: Float64Array, n: number): Uint32Array {
  const stride = 2 ** log2Ceil(n);
  const out = createBaseVector(stride * stride);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) baseFromSigned(out, 2 * (i * stride + j), m[i * n + j]);
  return out;
}

export function serializeMatMulGkrProof(proof: MatMulGkrProof): Uint8Array {
  const w = new ByteWriter();
  w.u32(proof.n);
  w.sumcheck(proof.sumcheck);
  w.bytes(proof.commitment ?? new Uint8Array(0));
  w.bytes(proof.opening ?? new Uint8Array(0));
  return w.finish();
}

export function proveMatMulGkr({ n, a, b, commit = false }: ProveMatMulGkrParameters): ProveMatMulGkrResult {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n || b.length !== n * n)
    throw new UsageError(`matmul proof: expected two ${n} × ${n} matrices, got ${a.length} and ${b.length} entries`, {
      hint: 'pass n and row-major Float64Arrays of n·n integers',
    });
  const t0 = performance.now();
  const c = multiplyNative({ a, b, m: n, k: n, n });
  const t1 = performance.now();
  const committed = commit ? commitMultilinear({ polynomials: [paddedMatrixTable(a, n), paddedMatrixTable(b, n)] }) : undefined;
  const commitment = committed ? serializeCommitment(committed.commitment) : undefined;
  const t2 = performance.now();
  const transcript = new Transcript(MATMUL_DOMAIN);
  absorbMatMulStatement(transcript, n, a, b, c, commitment);
  const logN = log2Ceil(n);
  const rowPoint = transcript.squeezeExtensions('r1', logN);
  const colPoint = transcript.squeezeExtensions('r2', logN);
  const proved = proveMatMul({ transcript, label: 'matmul', a, b, m: n, k: n, n, rowPoint, colPoint });
  const t3 = performance.now();
  let opening: Uint8Array | undefined;
  if (committed) {
    const claims = [
      { polynomial: 0, point: proved.aPoint },
      { polynomial: 1, point: proved.bPoint },
    ];
    opening = serializeOpeningProof(openMultilinear({ proverData: committed.proverData, claims, transcript }).proof);
  }
  const t4 = performance.now();
  const proof: MatMulGkrProof = { n, sumcheck: proved.proof, commitment, opening };
  const sumcheck = proved.proof;
  return {
    c,
    proof,
    proofBytes: serializeMatMulGkrProof(proof).length,
    timingsMs: { product: t1 - t0, protocol: t3 - t2, commit: t2 - t1, open: t4 - t3 },
    sizes: { sumcheckRounds: sumcheck.roundPolynomials.length },
  };
}
