/**
 * The hashed input mode's commitment: circuits/InputCommitment.circom (range check, packing,
 * PoseidonChain) against its native twin src/zk/commitInput.ts (circomlibjs) on several inputs —
 * the extremes of the value range, negative values, lengths at and past a word and a chunk — its
 * exact constraint count, and the attacks on it: a value out of range has no witness, and an
 * input that packs to the same words (the aliasing the range check exists to stop) is rejected
 * by the r1cs even when every hash wire is left as the honest witness has it.
 */
import { describe, expect, it } from 'vitest';
import { OverflowError, VerificationError } from '../src/errors.ts';
import { BN254_PRIME, calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { commitInput, inputCommitmentConstraints, inputsPerWord, inputWordCount, packInputWords, unpackInputWords } from '../src/zk/commitInput.ts';
import { poseidonChainConstraints } from '../src/zk/commitWeights.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { readSym } from '../src/zk/readSym.ts';
import { writeCircuitSource } from '../src/zk/writeCircuitSource.ts';
import { seededIntegers } from './zk-fixtures.ts';

async function build(n: number, valueBits: number) {
  const { circuitFile } = await writeCircuitSource({ source: `pragma circom 2.1.0;\ninclude "InputCommitment.circom";\ncomponent main = InputCommitment(${n}, ${valueBits});\n` });
  const compiled = await compileCircuit({ circuitFile });
  const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
  const wires = await readSym({ file: compiled.symFile });
  return { compiled, r1cs, wires };
}

type Built = Awaited<ReturnType<typeof build>>;

async function witnessOf(built: Built, values: readonly number[]) {
  const { witness } = await calculateWitness({ wasmFile: built.compiled.wasmFile, input: { in: values.map(BigInt) } });
  checkWitness({ r1cs: built.r1cs, witness });
  return witness;
}

const field = (x: number | bigint) => ((BigInt(x) % BN254_PRIME) + BN254_PRIME) % BN254_PRIME;

describe('input commitment: packing (commitInput.ts)', () => {
  it('packs 15 values of 16 bits per word, offset binary, and unpacks them', () => {
    expect(inputsPerWord(16)).toBe(15);
    expect(inputsPerWord(8)).toBe(31);
    expect(inputWordCount(784, 16)).toBe(53);
    const values = [-32768, -1, 0, 1, 32767, ...Array.from({ length: 11 }, (_, i) => i - 5)];
    const words = packInputWords({ values, valueBits: 16 });
    expect(words).toHaveLength(2);
    // Element 0 = -2^15 → 0, element 1 = -1 → 2^15 - 1, element 2 = 0 → 2^15 (offset binary).
    expect(words[0]! & 0xffffn).toBe(0n);
    expect((words[0]! >> 16n) & 0xffffn).toBe(32767n);
    expect((words[0]! >> 32n) & 0xffffn).toBe(32768n);
    expect(words[1]).toBe(32768n + 5n); // element 15 = 5 alone in the second word
    expect(unpackInputWords({ words, count: values.length, valueBits: 16 })).toEqual(values.map(BigInt));
  });

  it('refuses a value outside the range, naming the element', () => {
    expect(() => packInputWords({ values: [0, 32768], valueBits: 16 })).toThrow(/input element 1 is 32768, outside \[-32768, 32767\]/);
    expect(() => packInputWords({ values: [-32769], valueBits: 16 })).toThrow(OverflowError);
    expect(() => unpackInputWords({ words: [1n << 240n], count: 15, valueBits: 16 })).toThrow(/bits beyond/);
  });

  it('counts n·v range-check constraints plus the Poseidon chain over the words', () => {
    expect(inputCommitmentConstraints(784, 16)).toBe(784 * 16 + poseidonChainConstraints(53));
    expect(inputCommitmentConstraints(784, 16)).toBe(14_956);
    expect(inputCommitmentConstraints(196, 16)).toBe(3_739); // 14 words: one Poseidon(16) with 1 pad
  });
});

describe('input commitment: circuit = circomlibjs', () => {
  const random = seededIntegers(12);
  const cases: Array<[string, number, number, number[]]> = [
    ['one element, the minimum', 1, 16, [-32768]],
    ['15 elements (one word): extremes and negatives', 15, 16, [-32768, 32767, -1, 0, 1, -2, 2, -32767, 32766, -100, 100, -256, 256, 7, -7]],
    ['16 elements (two words)', 16, 16, Array.from({ length: 16 }, (_, i) => (i % 2 ? 32767 : -32768))],
    ['226 elements (16 words: two Poseidon chunks), seeded', 226, 16, Array.from({ length: 226 }, () => random(-32768, 32767))],
    ['8-bit values (31 per word)', 40, 8, Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -128 : i % 3 === 1 ? 127 : -i))],
  ];
  it.each(cases)('%s: same commitment, exact constraints', async (_name, n, valueBits, values) => {
    const built = await build(n, valueBits);
    expect(built.compiled.constraints).toBe(inputCommitmentConstraints(n, valueBits));
    const witness = await witnessOf(built, values);
    const native = await commitInput({ values, valueBits });
    expect(witness[built.wires.get('main.out')!]).toBe(native.commitment);
    expect(native.words).toHaveLength(inputWordCount(n, valueBits));
  }, 300_000);

  // 609 per Poseidon(16) less 3 per constant input (the zero state, the zero pads).
  it('exact figures: 15 × 16 bits = 240 + 564, 16 = 256 + 567, 226 = 3,616 + 1,173', () => {
    expect(inputCommitmentConstraints(15, 16)).toBe(804);
    expect(inputCommitmentConstraints(16, 16)).toBe(823);
    expect(inputCommitmentConstraints(226, 16)).toBe(4_789);
  });

  it('different inputs give different commitments (one element changed by 1)', async () => {
    const a = await commitInput({ values: [0, 0, 0], valueBits: 16 });
    const b = await commitInput({ values: [0, 0, 1], valueBits: 16 });
    const c = await commitInput({ values: [0, 0, -1], valueBits: 16 });
    expect(new Set([a.commitment, b.commitment, c.commitment]).size).toBe(3);
  });
});

describe('input commitment: attacks', () => {
  it('a value out of range has no witness (2^15, -2^15 - 1, p - 2^40)', async () => {
    const built = await build(2, 16);
    for (const bad of [32768n, -32769n, BN254_PRIME - (1n << 40n)])
      await expect(calculateWitness({ wasmFile: built.compiled.wasmFile, input: { in: [0n, bad] } })).rejects.toThrow();
  });

  it('an aliased input (u0 + 2^16, u1 - 1: the same packed word) fails the r1cs with the honest hash wires', async () => {
    const built = await build(2, 16);
    const honest = [100, 200];
    const witness = await witnessOf(built, honest);
    // Same word: (100 + 2^15 + 2^16) + (200 + 2^15 - 1)·2^16 = (100 + 2^15) + (200 + 2^15)·2^16.
    const aliased = [100 + 65536, 200 - 1];
    const pack = (v: number[]) => BigInt(v[0]! + 32768) + (BigInt(v[1]! + 32768) << 16n);
    expect(pack(aliased)).toBe(pack(honest));
    const tampered = [...witness];
    tampered[built.wires.get('main.in[0]')!] = field(aliased[0]!);
    tampered[built.wires.get('main.in[1]')!] = field(aliased[1]!);
    expect(() => checkWitness({ r1cs: built.r1cs, witness: tampered })).toThrow(VerificationError);
    // Changing only the output (a different commitment for the honest input) fails too.
    const wrongOut = [...witness];
    wrongOut[built.wires.get('main.out')!] = field(witness[built.wires.get('main.out')!]! + 1n);
    expect(() => checkWitness({ r1cs: built.r1cs, witness: wrongOut })).toThrow(VerificationError);
  }, 120_000);
});
