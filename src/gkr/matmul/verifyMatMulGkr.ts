/**
 * Verifier of the micro ladder's matmul proof (proveMatMulGkr.ts): replays the transcript on the
 * public A, B, C, computes C̃(r1, r2), verifies the sumcheck and checks the final claims Ã(rk, r1)
 * and B̃(r2, rk) against A and B. Throws VerificationError naming the failing check.
 */
import { VerificationError } from '../../errors.ts';
import { extEquals, extToString } from '../field/extension.ts';
import { log2Ceil } from '../multilinear.ts';
import { Transcript } from '../transcript.ts';
import { evaluateSignedMatrix } from './foldMatrix.ts';
import { MATMUL_DOMAIN, absorbMatMulStatement, type MatMulGkrProof } from './proveMatMulGkr.ts';
import { verifyMatMul } from './verifyMatMul.ts';

export interface VerifyMatMulGkrParameters {
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  proof: MatMulGkrProof;
}

export function verifyMatMulGkr({ a, b, c, proof }: VerifyMatMulGkrParameters): { verifyMs: number } {
  const t0 = performance.now();
  const n = proof.n;
  if (a.length !== n * n || b.length !== n * n || c.length !== n * n)
    throw new VerificationError(`matmul proof: statement is not three ${n} × ${n} matrices`, { details: { check: 'statement', n } });
  const transcript = new Transcript(MATMUL_DOMAIN);
  absorbMatMulStatement(transcript, n, a, b, c);
  const logN = log2Ceil(n);
  const rowPoint = transcript.squeezeExtensions('r1', logN);
  const colPoint = transcript.squeezeExtensions('r2', logN);
  const claimedValue = evaluateSignedMatrix({ matrix: c, rows: n, cols: n, rowPoint, colPoint });
  const claims = verifyMatMul({ transcript, label: 'matmul', k: n, rowPoint, colPoint, claimedValue, proof: proof.sumcheck });
  const aValue = evaluateSignedMatrix({ matrix: a, rows: n, cols: n, rowPoint, colPoint: claims.aPoint.subarray(0, claims.aPoint.length - rowPoint.length) });
  if (!extEquals(aValue, 0, claims.aEvaluation, 0))
    throw new VerificationError(`matmul proof: Ã(rk, r1) = ${extToString(aValue, 0)}, the proof claims ${extToString(claims.aEvaluation, 0)}`, {
      details: { check: 'A evaluation' },
    });
  const bValue = evaluateSignedMatrix({ matrix: b, rows: n, cols: n, rowPoint: claims.bPoint.subarray(colPoint.length), colPoint });
  if (!extEquals(bValue, 0, claims.bEvaluation, 0))
    throw new VerificationError(`matmul proof: B̃(r2, rk) = ${extToString(bValue, 0)}, the proof claims ${extToString(claims.bEvaluation, 0)}`, {
      details: { check: 'B evaluation' },
    });
  return { verifyMs: performance.now() - t0 };
}
