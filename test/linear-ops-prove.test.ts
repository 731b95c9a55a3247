/**
 * The new operators through zkML: a Groth16 proof of the two-input model (Mul of activations,
 * Concat, Pad, Pow, Sub, scalar Mul/Div) that verifies and whose outputs are the engine's; a
 * changed output is rejected. (The opML side: test/linear-ops-dispute.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../src/errors.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { twoInputs } from './linear-ops-fixtures.ts';

describe('Groth16 on the two-input model', () => {
  it('verifies, its outputs are the engine\'s, a changed output is rejected', async () => {
    const c = twoInputs();
    const model = quantizeModel({ file: c.file });
    const inputs = quantizeInputs({ model, inputs: c.inputs });
    const result = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded' }, system: 'groth16' });
    expect(result.verified).toBe(true);
    expect(result.circuit.constraints).toBe(c.constraints);
    const expected = runEngine({ model, inputs }).outputs[0]!.data;
    expect(result.outputs[0]!.data).toEqual(expected);
    const publicSignals = [...result.publicSignals];
    publicSignals[0] = (BigInt(publicSignals[0]!) + 1n).toString();
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: result.proof, publicSignals })).rejects.toThrow(VerificationError);
  });
});
