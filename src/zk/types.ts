/** Types shared by the zk adapters: proof systems, snarkjs proof objects, memory measurement. */

export type ProofSystem = 'groth16' | 'plonk' | 'fflonk';
export const PROOF_SYSTEMS: readonly ProofSystem[] = ['groth16', 'plonk', 'fflonk'];

/** A snarkjs proof object (shape depends on the system), as snarkjs returns it. */
export type SnarkProof = Record<string, unknown>;
/** Public signals as decimal strings of field elements: outputs first, then public inputs. */
export type PublicSignals = string[];

/**
 * The process's resident-set high-water mark in bytes (getrusage ru_maxrss via
 * process.resourceUsage(): whole process, worker threads included, since process start). A
 * step's peak is this value read right after the step; it never decreases.
 */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Terminates snarkjs's cached bn128 curve (its worker threads), if any. */
export async function terminateCurve(): Promise<void> {
  const holder = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  const curve = holder.curve_bn128;
  if (curve) {
    holder.curve_bn128 = null;
    await curve.terminate();
  }
}
