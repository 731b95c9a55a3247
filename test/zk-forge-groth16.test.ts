/**
 * The Groth16 forgery from the verification key alone (src/zk/attacks/forgeGroth16Proof.ts),
 * against the keys the project makes (setupCircuit via proveInference, tiny MLP): a proof for
 * public signals the circuit never computed (outputs 1234 and -5 for an input it was not run on).
 */
import * as snarkjs from 'snarkjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BN254_PRIME } from '../src/zk/calculateWitness.ts';
import { forgeGroth16Proof } from '../src/zk/attacks/forgeGroth16Proof.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { terminateCurve } from '../src/zk/types.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { tinyMlp } from './zk-fixtures.ts';

const field = (v: number) => ((BigInt(v) + BN254_PRIME) % BN254_PRIME).toString();
/** Outputs 1234 and -5 for the input [7, 7, 7, 7]: nothing the model computes. */
const FORGED_SIGNALS = [1234, -5, 7, 7, 7, 7].map(field);

describe('a Groth16 proof forged from the verification key', () => {
  afterAll(() => terminateCurve());

  it('the project\'s key: the forgery passes snarkjs verify and verifyProof', async () => {
    const result = await proveInference({ model: tinyMlp(), inputs: { x: [1, -2, 300, -32768] }, settings: { weights: 'constant', relu: 'bounded' }, system: 'groth16' });
    const vk = result.verificationKey as { vk_gamma_2: unknown; vk_delta_2: unknown };
    expect(vk.vk_gamma_2).toEqual(vk.vk_delta_2);
    const forged = await forgeGroth16Proof({ verificationKey: result.verificationKey, publicSignals: FORGED_SIGNALS });
    expect(await snarkjs.groth16.verify(result.verificationKey, forged.publicSignals, forged.proof)).toBe(true);
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: forged.proof, publicSignals: forged.publicSignals, layout: result.layout })).resolves.toMatchObject({ verified: true });
  });
});
