/**
 * The native twin of circuits/PoseidonChain.circom (circomlibjs's Poseidon, which matches
 * circomlib's): state_0 = 0, state_{i+1} = Poseidon(state_i, chunk_i) over chunks of 15
 * elements, the last zero-padded; signed integers enter as field elements (x mod p). The result
 * is the `weightsCommitment` public input of a circuit in the `hashed` weight mode.
 */
import { buildPoseidon } from 'circomlibjs';
import { BN254_PRIME } from './calculateWitness.ts';

export interface CommitWeightsParameters {
  /** The weight elements in hash order (generateCircuit's layout.parameters, concatenated). */
  elements: ArrayLike<number | bigint>;
}

export interface CommitWeightsResult {
  /** The commitment, a field element. */
  commitment: bigint;
  /** Poseidon(16) invocations. */
  chunks: number;
}

export const POSEIDON_CHUNK_SIZE = 15;

/**
 * The R1CS constraints of circuits/PoseidonChain.circom for n elements under --O2: circomlib's
 * Poseidon(16) costs 609, and each constant input (the first chunk's 0 state, the zero padding
 * of the last chunk) saves its first-round S-box, 3 constraints. Checked against compiled
 * circuits in test/zk-templates.test.ts; the commitment's share of a hashed circuit.
 */
export function poseidonChainConstraints(elements: number): number {
  const chunks = Math.max(1, Math.ceil(elements / POSEIDON_CHUNK_SIZE));
  const padding = chunks * POSEIDON_CHUNK_SIZE - elements;
  return 609 * chunks - 3 * (1 + padding);
}

type Poseidon = ((inputs: bigint[]) => unknown) & { F: { toObject(value: unknown): bigint } };
let poseidonPromise: Promise<Poseidon> | undefined;

export async function commitWeights({ elements }: CommitWeightsParameters): Promise<CommitWeightsResult> {
  return poseidonChain(Array.from(elements, (value) => ((BigInt(value) % BN254_PRIME) + BN254_PRIME) % BN254_PRIME));
}

/**
 * circuits/PoseidonChain.circom natively: state_0 = 0, state_{i+1} = Poseidon(state_i, 15
 * field elements), the last chunk zero-padded. `fieldElements` must already be in [0, p).
 * Shared by the weight commitment (commitWeights) and the input commitment (commitInput).
 */
export async function poseidonChain(fieldElements: readonly bigint[]): Promise<CommitWeightsResult> {
  poseidonPromise ??= buildPoseidon() as Promise<Poseidon>;
  const poseidon = await poseidonPromise;
  const chunks = Math.max(1, Math.ceil(fieldElements.length / POSEIDON_CHUNK_SIZE));
  let state = 0n;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const inputs = [state];
    for (let j = 0; j < POSEIDON_CHUNK_SIZE; j++) {
      const index = chunk * POSEIDON_CHUNK_SIZE + j;
      inputs.push(index < fieldElements.length ? fieldElements[index]! : 0n);
    }
    state = poseidon.F.toObject(poseidon(inputs));
  }
  return { commitment: state, chunks };
}
