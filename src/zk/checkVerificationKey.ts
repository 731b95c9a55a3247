/**
 * Owns refusing a Groth16 key anyone can forge proofs for. snarkjs's `zKey.newZKey` alone leaves
 * δ = γ (both the G2 generator) until a phase-2 contribution multiplies δ by a secret; with
 * vk_gamma_2 == vk_delta_2 a proof for any public signals follows from the verification key alone
 * (src/zk/attacks/forgeGroth16Proof.ts). Every key the project loads — made, cached or given —
 * passes through here. PLONK and FFLONK keys have no γ/δ and nothing to check here.
 */
import { ToolError } from '../errors.ts';

export interface CheckVerificationKeyParameters {
  /** A verification key as snarkjs exports it. */
  verificationKey: Record<string, unknown>;
  /** The file it came from (named in the error). */
  file: string;
}

/** Throws a ToolError for a Groth16 key without a phase-2 contribution (vk_gamma_2 == vk_delta_2). */
export function checkVerificationKey({ verificationKey, file }: CheckVerificationKeyParameters): void {
  if (verificationKey.protocol !== 'groth16') return;
  // snarkjs exports affine coordinates as decimal strings: equal points have equal text.
  if (JSON.stringify(verificationKey.vk_gamma_2) !== JSON.stringify(verificationKey.vk_delta_2)) return;
  throw new ToolError(`${file}: a Groth16 key without a phase-2 contribution (vk_gamma_2 == vk_delta_2), so anyone with its verification key can forge a proof for any public signals`, {
    details: { file, protocol: 'groth16' },
    hint: 'delete it and let setupCircuit make a new key (it contributes fresh entropy), or contribute to it: snarkjs zkey contribute <in.zkey> <out.zkey> -e="<random text>"',
  });
}
