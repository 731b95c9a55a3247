/**
 * Verifies a proof natively with snarkjs (groth16/plonk/fflonk .verify). snarkjs answers
 * `false` for a rejected proof; this adapter throws a VerificationError instead, so a result
 * always means "verified". The curve's worker threads are terminated afterwards.
 */
import * as snarkjs from 'snarkjs';
import { VerificationError } from '../errors.ts';
import { terminateCurve, type ProofSystem, type PublicSignals, type SnarkProof } from './types.ts';

export interface VerifyProofParameters {
  system: ProofSystem;
  verificationKey: Record<string, unknown>;
  proof: SnarkProof;
  publicSignals: PublicSignals;
}

export interface VerifyProofResult {
  verified: true;
  /** Native verification wall time in milliseconds. */
  verifyMs: number;
}

export async function verifyProof({ system, verificationKey, proof, publicSignals }: VerifyProofParameters): Promise<VerifyProofResult> {
  // Build the curve (worker threads, wasm) before timing, so the time is the proof's alone.
  await snarkjs.curves.getCurveFromName('bn128');
  const start = performance.now();
  let accepted: boolean;
  let verifyMs: number;
  try {
    accepted = (await snarkjs[system].verify(verificationKey as never, publicSignals as never, proof as never)) as boolean;
    verifyMs = performance.now() - start;
  } finally {
    await terminateCurve();
  }
  if (accepted !== true)
    throw new VerificationError(`the ${system} proof was rejected by the verification key`, {
      details: { system, publicSignals },
      hint: 'the proof, the public signals (outputs, public inputs, commitment) or the key do not belong together',
    });
  return { verified: true, verifyMs };
}
