/**
 * Sumcheck prover and verifier side by side: an honest proof verifies; every single-field
 * tampering (each evaluation of each round polynomial, each final evaluation, the claimed sum)
 * and a transcript replayed under another statement are rejected with a VerificationError.
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extAdd, extEquals, extFromSigned } from '../field/extension.ts';
import { baseAdd } from '../field/goldilocks.ts';
import { evaluateEq, evaluateMultilinear, eqTable, evaluateSignedWithEq, tableFromSigned } from '../multilinear.ts';
import { Transcript } from '../transcript.ts';
import { proveSumcheck, type SumcheckProof, type SumcheckTerm } from './proveSumcheck.ts';
import { verifySumcheck } from './verifySumcheck.ts';

const NUM_VARIABLES = 4;
const SIZE = 2 ** NUM_VARIABLES;
const signed = (seed: number): number[] => Array.from({ length: SIZE }, (_, i) => ((i * 7919 + seed * 104729) % 2001) - 1000);
const A = signed(1);
const B = signed(2);
const C = signed(3);
const two = new Uint32Array(4);
extFromSigned(two, 0, 2);
const one = new Uint32Array(4);
extFromSigned(one, 0, 1);
// P(x) = 2·a·b·c + a  (degree 3)
const TERMS: SumcheckTerm[] = [
  { coefficient: two, factors: [0, 1, 2] },
  { coefficient: one, factors: [0] },
];

function claimedSumOf(): Uint32Array {
  let total = 0n;
  for (let i = 0; i < SIZE; i++) total += 2n * BigInt(A[i]) * BigInt(B[i]) * BigInt(C[i]) + BigInt(A[i]);
  const out = new Uint32Array(4);
  extFromSigned(out, 0, Number(total));
  return out;
}

function prove(domain = 'test'): SumcheckProof {
  const transcript = new Transcript(domain);
  return proveSumcheck({ transcript, label: 's', tables: [tableFromSigned(A), tableFromSigned(B), tableFromSigned(C)], terms: TERMS }).proof;
}

function verify(proof: SumcheckProof, claimedSum = claimedSumOf(), domain = 'test') {
  return verifySumcheck({ transcript: new Transcript(domain), label: 's', numVariables: NUM_VARIABLES, numTables: 3, terms: TERMS, claimedSum, proof });
}

const clone = (proof: SumcheckProof): SumcheckProof => ({
  roundPolynomials: proof.roundPolynomials.map((g) => g.slice()),
  finalEvaluations: proof.finalEvaluations.slice(),
});

describe('multilinear extensions', () => {
  it('evaluate at a boolean point returns the table entry; eq table sums to 1 and matches evaluateEq', () => {
    const table = tableFromSigned(A);
    const point = new Uint32Array(NUM_VARIABLES * EXT_WORDS);
    const index = 0b1011; // point[0] ↔ bit 0
    for (let j = 0; j < NUM_VARIABLES; j++) extFromSigned(point, EXT_WORDS * j, (index >> j) & 1);
    const value = evaluateMultilinear(table, point);
    const expected = new Uint32Array(4);
    extFromSigned(expected, 0, A[index]);
    expect(extEquals(value, 0, expected, 0)).toBe(true);

    const random = new Transcript('mle').squeezeExtensions('r', NUM_VARIABLES);
    const eq = eqTable(random);
    const sum = new Uint32Array(4);
    for (let i = 0; i < SIZE; i++) extAdd(sum, 0, sum, 0, eq, EXT_WORDS * i);
    expect(extEquals(sum, 0, one, 0)).toBe(true);
    expect(extEquals(evaluateEq(random, point), 0, eq, EXT_WORDS * index)).toBe(true);
    expect(extEquals(evaluateMultilinear(table, random), 0, evaluateSignedWithEq(A, eq), 0)).toBe(true);
  });
});

describe('sumcheck', () => {
  it('an honest proof verifies, with degree + 1 evaluations per round and the tables’ values at r', () => {
    const proof = prove();
    expect(proof.roundPolynomials.map((g) => g.length / EXT_WORDS)).toEqual([4, 4, 4, 4]);
    const { challenges, finalEvaluations } = verify(proof);
    expect(extEquals(finalEvaluations, 0, evaluateMultilinear(tableFromSigned(A), challenges), 0)).toBe(true);
    expect(extEquals(finalEvaluations, 8, evaluateMultilinear(tableFromSigned(C), challenges), 0)).toBe(true);
  });

  it('rejects every single-field tampering of every round polynomial and final evaluation', () => {
    const proof = prove();
    let rejected = 0;
    const tamper = (words: Uint32Array, at: number): void => baseAdd(words, at, words, at, one, 0);
    for (let round = 0; round < NUM_VARIABLES; round++)
      for (let e = 0; e < 4; e++)
        for (const coordinate of [0, 2]) {
          const bad = clone(proof);
          tamper(bad.roundPolynomials[round], EXT_WORDS * e + coordinate);
          expect(() => verify(bad)).toThrow(VerificationError);
          rejected++;
        }
    for (let j = 0; j < 3; j++) {
      const bad = clone(proof);
      tamper(bad.finalEvaluations, EXT_WORDS * j);
      expect(() => verify(bad)).toThrow(VerificationError);
      rejected++;
    }
    expect(rejected).toBe(NUM_VARIABLES * 4 * 2 + 3);
  });

  it('rejects a wrong claimed sum, a truncated proof, and a proof replayed under another statement', () => {
    const proof = prove();
    const wrong = claimedSumOf();
    extAdd(wrong, 0, wrong, 0, one, 0);
    expect(() => verify(proof, wrong)).toThrow(/g\(0\) \+ g\(1\)/);
    expect(() => verify({ ...proof, roundPolynomials: proof.roundPolynomials.slice(1) })).toThrow(VerificationError);
    // The same messages under another domain draw other challenges: round 1 no longer matches.
    expect(() => verify(proof, claimedSumOf(), 'other statement')).toThrow(/round 1: g\(0\) \+ g\(1\)/);
  });

  it('a cheating prover that fixes the first round polynomial for a false sum fails later', () => {
    // Prove the true sum, then shift g_0 by (δ, 0, …) so g_0(0)+g_0(1) matches claim + δ: the
    // verifier's next round or final check catches it.
    const proof = prove();
    const bad = clone(proof);
    baseAdd(bad.roundPolynomials[0], 0, bad.roundPolynomials[0], 0, one, 0);
    const falseSum = claimedSumOf();
    extAdd(falseSum, 0, falseSum, 0, one, 0);
    expect(() => verify(bad, falseSum)).toThrow(/round 1/);
  });
});
