/**
 * The size of a proof as an on-chain verifier receives it: the number of 32-byte words of the
 * proof part of snarkjs's Solidity calldata (public signals excluded), times 32: Groth16 8 words
 * (256 bytes), PLONK 24, FFLONK 24 in snarkjs 0.7.
 */
import * as snarkjs from 'snarkjs';
import type { ProofSystem, PublicSignals, SnarkProof } from './types.ts';

export interface MeasureProofParameters {
  system: ProofSystem;
  proof: SnarkProof;
  publicSignals: PublicSignals;
}

export interface MeasureProofResult {
  /** Bytes of the proof in calldata (32 per field element / coordinate). */
  proofBytes: number;
  /** snarkjs's calldata string for the Solidity verifier. */
  calldata: string;
}

export async function measureProof({ system, proof, publicSignals }: MeasureProofParameters): Promise<MeasureProofResult> {
  // snarkjs's argument order differs: fflonk takes (publicSignals, proof).
  const calldata = (system === 'fflonk'
    ? await snarkjs.fflonk.exportSolidityCallData(publicSignals, proof)
    : await snarkjs[system].exportSolidityCallData(proof, publicSignals)) as string;
  // Every word is a 0x-hex number (quoted or not, brackets and commas differ between systems);
  // the last publicSignals.length of them are the public signals.
  const words = calldata.match(/0x[0-9a-fA-F]+/g) ?? [];
  return { proofBytes: (words.length - publicSignals.length) * 32, calldata };
}
