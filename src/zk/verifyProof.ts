/**
 * Verifies a proof natively with snarkjs (groth16/plonk/fflonk .verify). snarkjs answers
 * `false` for a rejected proof; this adapter throws a VerificationError instead, so a result
 * always means "verified". The curve's worker threads are terminated afterwards. Given the
 * circuit's layout, it also performs the range check that a generated circuit leaves to its
 * verifier: every public model input must lie in [-2^(v-1), 2^(v-1)) (see generateCircuit.ts).
 * A Groth16 key anyone can forge for (γ = δ, no phase-2 contribution) is refused before any
 * proof is looked at (checkVerificationKey.ts).
 */
import * as snarkjs from 'snarkjs';
import { VerificationError } from '../errors.ts';
import { checkVerificationKey } from './checkVerificationKey.ts';
import type { CircuitLayout } from './generateCircuit.ts';
import { toSigned } from './readCircuitOutputs.ts';
import { terminateCurve, type ProofSystem, type PublicSignals, type SnarkProof } from './types.ts';

export interface VerifyProofParameters {
  system: ProofSystem;
  verificationKey: Record<string, unknown>;
  proof: SnarkProof;
  publicSignals: PublicSignals;
  /** The generated circuit's layout: enables the public-input range check. */
  layout?: CircuitLayout;
}

export interface VerifyProofResult {
  verified: true;
  /** Native verification wall time in milliseconds. */
  verifyMs: number;
}

/** Throws unless every public model input in the public signals is in the activation range. */
export function checkPublicInputRange({ layout, publicSignals }: { layout: CircuitLayout; publicSignals: PublicSignals }): void {
  if (layout.settings.inputs !== 'public') return;
  const limit = 1n << BigInt(layout.valueBits - 1);
  let index = layout.outputs.reduce((sum, output) => sum + output.size, 0);
  for (const input of layout.inputs)
    for (let element = 0; element < input.size; element++, index++) {
      const value = toSigned(BigInt(publicSignals[index] ?? 'x'));
      if (value < -limit || value >= limit)
        throw new VerificationError(`public input '${input.name}' element ${element} is ${value}, outside the ${layout.valueBits}-bit activation range`, {
          details: { input: input.name, element, value: value.toString() },
          hint: 'the circuit leaves the range check of public inputs to the verifier; such an input is not a valid inference',
        });
    }
}

export async function verifyProof({ system, verificationKey, proof, publicSignals, layout }: VerifyProofParameters): Promise<VerifyProofResult> {
  checkVerificationKey({ verificationKey, file: 'the verification key given to verifyProof' });
  if (layout) checkPublicInputRange({ layout, publicSignals });
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
