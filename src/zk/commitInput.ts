/**
 * The native twin of circuits/InputCommitment.circom: the commitment to a model input that a
 * circuit in the `hashed` input mode exposes as its `inputCommitment` public signal, and the
 * packed words that are posted on-chain (CommittedInputRegistry.requestInference) so that anyone
 * can recompute it from the chain and read the input back (unpackInputWords).
 *
 * Encoding (docs/zkml.md, "Hashed inputs"): the input tensors, concatenated in the model's input
 * order, row-major, are signed valueBits integers; each enters as u = x + 2^(v-1) in [0, 2^v)
 * (offset binary: -2^(v-1) → 0, -1 → 2^(v-1) - 1, 0 → 2^(v-1)), k = floor(253 / v) of them per
 * field element, little-end first: word_j = Σ_t u_{jk+t} · 2^(v·t) (2^253 < p: no wrap). The
 * commitment is PoseidonChain(words) (commitWeights.ts). It binds but does not hide: the input
 * is posted anyway, and a small input space could be searched.
 */
import { OverflowError, UsageError } from '../errors.ts';
import { BN254_PRIME } from './calculateWitness.ts';
import { poseidonChain, poseidonChainConstraints } from './commitWeights.ts';

/** Bits a packed word may use: 2^253 < p < 2^254. */
export const INPUT_WORD_BITS = 253;

export interface CommitInputParameters {
  /** The input elements (all input tensors concatenated, row-major), signed integers. */
  values: ArrayLike<number | bigint>;
  /** The circuit's valueBits: each value must lie in [-2^(v-1), 2^(v-1)). */
  valueBits: number;
}

export interface CommitInputResult {
  /** PoseidonChain(words): the circuit's inputCommitment public signal. */
  commitment: bigint;
  /** The packed input, the preimage of the commitment (posted on-chain as calldata). */
  words: bigint[];
  /** Poseidon(16) invocations. */
  chunks: number;
}

/** Values per packed word: floor(253 / valueBits) (15 for 16-bit values). */
export function inputsPerWord(valueBits: number): number {
  if (!Number.isInteger(valueBits) || valueBits < 2 || valueBits > 126)
    throw new UsageError(`valueBits ${valueBits} is outside 2..126, the range InputCommitment packs`, { details: { valueBits } });
  return Math.floor(INPUT_WORD_BITS / valueBits);
}

/** Number of packed words for n input elements. */
export function inputWordCount(elements: number, valueBits: number): number {
  return Math.ceil(elements / inputsPerWord(valueBits));
}

/**
 * R1CS constraints of InputCommitment(n, v) under --O2: v per element (RangeCheck) plus the
 * PoseidonChain over the words (poseidonChainConstraints); the packing is linear, free.
 * Checked against compiled circuits in test/zk-input-commitment.test.ts.
 */
export function inputCommitmentConstraints(elements: number, valueBits: number): number {
  return elements * valueBits + poseidonChainConstraints(inputWordCount(elements, valueBits));
}

/** Packs signed valueBits integers into field elements (the encoding above); throws on a value out of range. */
export function packInputWords({ values, valueBits }: CommitInputParameters): bigint[] {
  const perWord = inputsPerWord(valueBits);
  const offset = 1n << BigInt(valueBits - 1);
  const bits = BigInt(valueBits);
  const words: bigint[] = [];
  for (let index = 0; index < values.length; index++) {
    const raw = values[index]!;
    if (typeof raw === 'number' && !Number.isSafeInteger(raw))
      throw new OverflowError(`input element ${index} is ${raw}, not an integer`, { details: { index, value: raw }, hint: 'quantize the input first (quantizeInputs)' });
    const value = BigInt(raw);
    if (value < -offset || value >= offset)
      throw new OverflowError(`input element ${index} is ${value}, outside [${-offset}, ${offset - 1n}] (valueBits ${valueBits})`, {
        details: { index, value: String(value), valueBits },
        hint: 'the hashed input mode range-checks every element in the circuit: no witness exists for this value',
      });
    const word = Math.floor(index / perWord);
    if (word === words.length) words.push(0n);
    words[word]! += (value + offset) << (bits * BigInt(index % perWord));
  }
  return words;
}

/** The reader's side: packed words (e.g. read from a request's calldata) → the signed values. */
export function unpackInputWords({ words, count, valueBits }: { words: readonly bigint[]; count: number; valueBits: number }): bigint[] {
  const perWord = inputsPerWord(valueBits);
  if (words.length !== inputWordCount(count, valueBits))
    throw new UsageError(`${words.length} packed words cannot hold exactly ${count} inputs of ${valueBits} bits (${inputWordCount(count, valueBits)} words do)`, { details: { words: words.length, count } });
  const offset = 1n << BigInt(valueBits - 1);
  const mask = (1n << BigInt(valueBits)) - 1n;
  const values: bigint[] = [];
  words.forEach((word, j) => {
    const used = Math.min(perWord, count - j * perWord);
    if (word < 0n || word >= BN254_PRIME || word >> BigInt(valueBits * used) !== 0n)
      throw new UsageError(`packed word ${j} (${word}) has bits beyond its ${used} values of ${valueBits} bits`, { details: { word: j } });
    for (let t = 0; t < used; t++) values.push(((word >> BigInt(valueBits * t)) & mask) - offset);
  });
  return values;
}

export async function commitInput({ values, valueBits }: CommitInputParameters): Promise<CommitInputResult> {
  const words = packInputWords({ values, valueBits });
  if (words.length === 0) throw new UsageError('commitInput: an empty input has nothing to commit to', { hint: 'a model needs at least one input element' });
  const { commitment, chunks } = await poseidonChain(words);
  return { commitment, words, chunks };
}
