/**
 * Verifier of the micro ladder's matmul proof (proveMatMulGkr.ts): replays the transcript on the
 * public statement, computes C̃(r1, r2), verifies the sumcheck and checks the final claims
 * Ã(rk, r1) and B̃(r2, rk) — against the public A and B, or, for a committed proof (A and B
 * private: pass only C), by the commitment's opening. Throws VerificationError naming the check.
 */
import { VerificationError } from '../../errors.ts';
import { deserializeCommitment, deserializeOpeningProof } from '../commit/serializeOpening.ts';
import { verifyOpening } from '../commit/verifyOpening.ts';
import { extEquals, extToString } from '../field/extension.ts';
import { log2Ceil } from '../multilinear.ts';
import { Transcript } from '../transcript.ts';
import { evaluateSignedMatrix } from './foldMatrix.ts';
import { MATMUL_DOMAIN, absorbMatMulStatement, type MatMulGkrProof } from './proveMatMulGkr.ts';
import { verifyMatMul } from './verifyMatMul.ts';

export interface VerifyMatMulGkrParameters {
  /** Public A and B (uncommitted proofs only). */
  a?: Float64Array;
  b?: Float64Array;
  c: Float64Array;
  proof: MatMulGkrProof;
}

export function verifyMatMulGkr({ a, b, c, proof }: VerifyMatMulGkrParameters): { verifyMs: number } {
  const t0 = performance.now();
  const n = proof.n;
  const committed = proof.commitment !== undefined && proof.commitment.length > 0;
  if (c.length !== n * n || (!committed && (a?.length !== n * n || b?.length !== n * n)))
    throw new VerificationError(`matmul proof: statement is not ${committed ? 'one' : 'three'} ${n} × ${n} matri${committed ? 'x' : 'ces'}`, { details: { check: 'statement', n } });
  const transcript = new Transcript(MATMUL_DOMAIN);
  absorbMatMulStatement(transcript, n, a, b, c, committed ? proof.commitment : undefined);
  const logN = log2Ceil(n);
  const rowPoint = transcript.squeezeExtensions('r1', logN);
  const colPoint = transcript.squeezeExtensions('r2', logN);
  const claimedValue = evaluateSignedMatrix({ matrix: c, rows: n, cols: n, rowPoint, colPoint });
  const claims = verifyMatMul({ transcript, label: 'matmul', k: n, rowPoint, colPoint, claimedValue, proof: proof.sumcheck });
  if (committed) {
    const commitment = deserializeCommitment(proof.commitment!);
    const logSize = 2 * logN;
    if (commitment.shape.polynomials.map((p) => p.variableCount).join() !== `${logSize},${logSize}`)
      throw new VerificationError(`matmul proof: the commitment does not hold two ${n} × ${n} matrices`, { details: { check: 'commitment shape' } });
    const values = new Uint32Array(8);
    values.set(claims.aEvaluation, 0);
    values.set(claims.bEvaluation, 4);
    verifyOpening({
      commitment,
      claims: [
        { polynomial: 0, point: claims.aPoint },
        { polynomial: 1, point: claims.bPoint },
      ],
      values,
      proof: deserializeOpeningProof(proof.opening ?? new Uint8Array(0)),
      transcript,
    });
    return { verifyMs: performance.now() - t0 };
  }
  const aValue = evaluateSignedMatrix({ matrix: a!, rows: n, cols: n, rowPoint, colPoint: claims.aPoint.subarray(0, claims.aPoint.length - rowPoint.length) });
  if (!extEquals(aValue, 0, claims.aEvaluation, 0))
    throw new VerificationError(`matmul proof: Ã(rk, r1) = ${extToString(aValue, 0)}, the proof claims ${extToString(claims.aEvaluation, 0)}`, {
      details: { check: 'A evaluation' },
    });
  const bValue = evaluateSignedMatrix({ matrix: b!, rows: n, cols: n, rowPoint: claims.bPoint.subarray(colPoint.length), colPoint });
  if (!extEquals(bValue, 0, claims.bEvaluation, 0))
    throw new VerificationError(`matmul proof: B̃(r2, rk) = ${extToString(bValue, 0)}, the proof claims ${extToString(claims.bEvaluation, 0)}`, {
      details: { check: 'B evaluation' },
    });
  return { verifyMs: performance.now() - t0 };
}
