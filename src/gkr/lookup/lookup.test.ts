/**
 * LogUp range lookups over {0..255}, prover and verifier side by side: honest lookups verify and
 * their claims are the MLEs of the values and multiplicities; a wrong multiplicity, a value
 * outside the table, a tampered fractional-sumcheck field and a replayed transcript are rejected.
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../errors.ts';
import { extEquals, extFromSigned } from '../field/extension.ts';
import { baseAdd } from '../field/goldilocks.ts';
import { evaluateMultilinear, tableFromSigned } from '../multilinear.ts';
import { Transcript } from '../transcript.ts';
import { TABLE_SIZE, countMultiplicities, proveLogUp, type LogUpProof } from './proveLogUp.ts';
import { verifyLogUp } from './verifyLogUp.ts';

const VALUES = Float64Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % TABLE_SIZE);
const one = new Uint32Array(4);
extFromSigned(one, 0, 1);

function prove(values: Float64Array, multiplicities: Float64Array, domain = 'logup') {
  return proveLogUp({ transcript: new Transcript(domain), label: 'range', values, multiplicities });
}

function verify(proof: LogUpProof, domain = 'logup', variables = 5) {
  return verifyLogUp({ transcript: new Transcript(domain), label: 'range', valuesVariables: variables, proof });
}

const cloneProof = (proof: LogUpProof): LogUpProof => ({
  looked: { rootChildren: proof.looked.rootChildren.slice(), layers: proof.looked.layers.map((l) => ({ roundPolynomials: l.roundPolynomials.map((g) => g.slice()), finalEvaluations: l.finalEvaluations.slice() })) },
  table: { rootChildren: proof.table.rootChildren.slice(), layers: proof.table.layers.map((l) => ({ roundPolynomials: l.roundPolynomials.map((g) => g.slice()), finalEvaluations: l.finalEvaluations.slice() })) },
});

describe('LogUp range lookup', () => {
  it('an honest lookup verifies; its claims are the MLEs of the values and the multiplicities', () => {
    const multiplicities = countMultiplicities(VALUES);
    const proved = prove(VALUES, multiplicities);
    const claims = verify(proved.proof);
    expect(proved.proof.looked.layers.length).toBe(4);
    expect(proved.proof.table.layers.length).toBe(7);
    expect(extEquals(claims.valuesEvaluation, 0, evaluateMultilinear(tableFromSigned(VALUES), claims.valuesPoint), 0)).toBe(true);
    expect(extEquals(claims.multiplicitiesEvaluation, 0, evaluateMultilinear(tableFromSigned(multiplicities), claims.multiplicitiesPoint), 0)).toBe(true);
  });

  it('a wrong multiplicity and a value outside the table are rejected', () => {
    const wrong = countMultiplicities(VALUES);
    wrong[VALUES[0]] -= 1;
    wrong[VALUES[0] + 1] += 1;
    expect(() => verify(prove(VALUES, wrong).proof)).toThrow(/Σ 1\/\(α − f\)/);
    const outside = VALUES.slice();
    outside[3] = TABLE_SIZE; // the prover claims it is 255 in the multiplicities
    const m = countMultiplicities(VALUES.map((v, i) => (i === 3 ? TABLE_SIZE - 1 : v)));
    expect(() => verify(prove(outside, m).proof)).toThrow(VerificationError);
  });

  it('rejects every tampered field of the fractional sumchecks and a replayed transcript', () => {
    const proof = prove(VALUES, countMultiplicities(VALUES)).proof;
    let rejected = 0;
    for (const side of ['looked', 'table'] as const) {
      for (let w = 0; w < proof[side].rootChildren.length; w += 2) {
        const bad = cloneProof(proof);
        baseAdd(bad[side].rootChildren, w, bad[side].rootChildren, w, one, 0);
        expect(() => verify(bad)).toThrow(VerificationError);
        rejected++;
      }
      const layer = proof[side].layers.length - 1;
      for (let w = 0; w < proof[side].layers[layer].roundPolynomials[0].length; w += 2) {
        const bad = cloneProof(proof);
        baseAdd(bad[side].layers[layer].roundPolynomials[0], w, bad[side].layers[layer].roundPolynomials[0], w, one, 0);
        expect(() => verify(bad)).toThrow(VerificationError);
        rejected++;
      }
      for (let w = 0; w < 20; w += 2) {
        const bad = cloneProof(proof);
        baseAdd(bad[side].layers[0].finalEvaluations, w, bad[side].layers[0].finalEvaluations, w, one, 0);
        expect(() => verify(bad)).toThrow(VerificationError);
        rejected++;
      }
    }
    expect(rejected).toBe(2 * (8 + 8 + 10));
    expect(() => verify(proof, 'another statement')).toThrow(VerificationError);
  });
});
