/**
 * The forgeries a gkr verifier must reject, for the Security row and `opzk prove --system gkr`:
 * the serialized proof with one bit flipped at spread-out offsets (a sumcheck message, an opened
 * column, a Merkle path: whatever lies there), and the true proof presented with a wrong output
 * or a wrong input. Each is deserialized and verified like a real proof; a throw (by the
 * deserializer or the verifier) counts as rejected.
 */
import type { EngineOutput } from '../engine/createEngine.ts';
import type { GkrModelKey, GkrProverApi } from './loadGkrProver.ts';
import { verifyGkrBytes } from './proveGkrInference.ts';

export interface TamperGkrProofParameters {
  prover: GkrProverApi;
  key: GkrModelKey;
  inputs: Record<string, ArrayLike<number>>;
  outputs: EngineOutput[];
  proofData: Uint8Array;
  /** Bit flips at this many offsets spread over the proof (default 8). */
  flips?: number;
}

export interface GkrTampering {
  tamper: string;
  description: string;
  rejected: boolean;
  /** The first line of the rejection (which check failed), when rejected. */
  rejectedWith?: string;
}

export type TamperGkrProofResult = GkrTampering[];

export function tamperGkrProof({ prover, key, inputs, outputs, proofData, flips = 8 }: TamperGkrProofParameters): TamperGkrProofResult {
  const attempt = (tamper: string, description: string, forged: { inputs: Record<string, ArrayLike<number>>; outputs: EngineOutput[]; proofData: Uint8Array }): GkrTampering => {
    try {
      verifyGkrBytes({ prover, key, ...forged });
      return { tamper, description, rejected: false };
    } catch (error) {
      const message = error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
      return { tamper, description, rejected: true, rejectedWith: message.split('\n')[0]!.slice(0, 200) };
    }
  };
  const list: GkrTampering[] = [];
  const count = Math.min(flips, proofData.length);
  for (let i = 0; i < count; i++) {
    const offset = Math.min(proofData.length - 1, Math.floor(((i + 0.5) * proofData.length) / count));
    const forged = Uint8Array.from(proofData);
    forged[offset]! ^= 1;
    list.push(attempt(`proof-bit-flipped@${offset}`, `bit 0 of byte ${offset} of ${proofData.length} flipped`, { inputs, outputs, proofData: forged }));
  }
  const wrongOutputs = outputs.map((o, index) => ({ ...o, data: o.data.map((v, i) => (index === 0 && i === 0 ? v + 1 : v)) }));
  list.push(attempt('wrong-output', 'the true proof with output element 0 + 1', { inputs, outputs: wrongOutputs, proofData }));
  const [firstInput] = Object.keys(inputs);
  if (firstInput !== undefined) {
    const wrongInputs = { ...inputs, [firstInput]: Array.from(inputs[firstInput]!, (v, i) => (i === 0 ? v + 1 : v)) };
    list.push(attempt('wrong-input', `the true proof with input '${firstInput}' element 0 + 1`, { inputs: wrongInputs, outputs, proofData }));
  }
  return list;
}
