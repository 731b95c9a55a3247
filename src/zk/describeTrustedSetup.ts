/**
 * Owns the one sentence that says who could forge proofs with the keys a run used: the "setup"
 * line of `opzk prove`, of the bench reports and of the Table II Security row. Two things are
 * trusted: the powers of tau (τ, shared by every system) and, for Groth16, phase 2 (δ).
 *
 * - The local ptau (ensurePtau without --ptau) derives τ, α, β from a public seed
 *   (generateLocalPtau.ts): whoever knows the seed — anyone with this repository — can forge
 *   proofs for every key made from it, whatever the system and whatever phase 2 did.
 * - A ceremony ptau: nobody knows τ if one of its contributors was honest. PLONK and FFLONK rest on
 *   that alone (no phase 2, no γ/δ in their keys); Groth16 also needs δ unknown, which our fresh,
 *   discarded phase-2 contribution gives (without one, γ = δ and the verification key alone
 *   suffices to forge: src/zk/attacks/forgeGroth16Proof.ts).
 */
import type { ProofSystem } from './types.ts';

export interface DescribeTrustedSetupParameters {
  system: ProofSystem;
  /** True for the local known-τ powers of tau (ensurePtau's `insecure`). */
  localPtau: boolean;
}

export function describeTrustedSetup({ system, localPtau }: DescribeTrustedSetupParameters): string {
  const phase2 = system === 'groth16'
    ? 'Groth16 phase 2 with one fresh-entropy contribution, discarded (so the verification key alone does not forge)'
    : `${system === 'plonk' ? 'PLONK' : 'FFLONK'}: no phase 2 (its key is fixed by the ptau alone)`;
  return localPtau
    ? `local powers of tau from a public seed: τ is known, so anyone with this repository can forge proofs — for measurement only; ${phase2}`
    : `ceremony powers of tau (--ptau); ${phase2}: nobody can forge, assuming one ceremony contributor was honest`;
}
