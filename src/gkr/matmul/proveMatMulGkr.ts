/**
 * The micro ladder's matmul proof: C = A·B for n × n integer matrices, non-interactive
 * (Fiat–Shamir). The statement absorbed first is n and the three matrices' bytes (A, B, C are
 * public without a commitment); then r1, r2 are squeezed, Thaler's sumcheck runs
 * (proveMatMul.ts), and the verifier checks the two final claims against A and B itself.
 *
 * `commit: false` (the default here) is the interactive protocol only — the object of the
 * survey's "< 4× the product" claim; timings separate computing C (`productMs`, the engine's
 * float64 loop) from the protocol (`protocolMs`).
 */
import { UsageError } from '../../errors.ts';
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
}

export interface MatMulGkrProof {
  n: number;
  sumcheck: SumcheckProof;
}

export interface ProveMatMulGkrResult {
  c: Float64Array;
  proof: MatMulGkrProof;
  proofBytes: number;
  timingsMs: { product: number; protocol: number };
  sizes: { sumcheckRounds: number };
}

/** Absorbs the public statement: n and the bytes of A, B, C (float64 integers). */
export function absorbMatMulStatement(transcript: Transcript, n: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  transcript.absorbNumber('n', n);
  for (const [label, m] of [['A', a], ['B', b], ['C', c]] as const) transcript.absorbBytes(label, new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
}

export function serializeMatMulGkrProof(proof: MatMulGkrProof): Uint8Array {
  const w = new ByteWriter();
  w.u32(proof.n);
  w.sumcheck(proof.sumcheck);
  return w.finish();
}

export function proveMatMulGkr({ n, a, b }: ProveMatMulGkrParameters): ProveMatMulGkrResult {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n || b.length !== n * n)
    throw new UsageError(`matmul proof: expected two ${n} × ${n} matrices, got ${a.length} and ${b.length} entries`, {
      hint: 'pass n and row-major Float64Arrays of n·n integers',
    });
  const t0 = performance.now();
  const c = multiplyNative({ a, b, m: n, k: n, n });
  const t1 = performance.now();
  const transcript = new Transcript(MATMUL_DOMAIN);
  absorbMatMulStatement(transcript, n, a, b, c);
  const logN = log2Ceil(n);
  const rowPoint = transcript.squeezeExtensions('r1', logN);
  const colPoint = transcript.squeezeExtensions('r2', logN);
  const { proof: sumcheck } = proveMatMul({ transcript, label: 'matmul', a, b, m: n, k: n, n, rowPoint, colPoint });
  const t2 = performance.now();
  const proof: MatMulGkrProof = { n, sumcheck };
  return {
    c,
    proof,
    proofBytes: serializeMatMulGkrProof(proof).length,
    timingsMs: { product: t1 - t0, protocol: t2 - t1 },
    sizes: { sumcheckRounds: sumcheck.roundPolynomials.length },
  };
}
