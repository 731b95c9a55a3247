/**
 * Proving end to end on a tiny model (203 constraints): Groth16, PLONK and FFLONK proofs verify
 * natively, their outputs are the engine's, proof sizes are the calldata sizes (exact), and a
 * proof does not verify with a changed public signal (output or input).
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { VerificationError } from '../src/errors.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { BN254_PRIME } from '../src/zk/calculateWitness.ts';
import type { ProofSystem } from '../src/zk/types.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { tinyMlp } from './zk-fixtures.ts';

describe('proveInference on the tiny MLP', () => {
  const model = tinyMlp();
  const inputs = { x: [1, -2, 300, -32768] };

  it.each([
    ['groth16', 256],
    ['plonk', 768],
    ['fflonk', 768],
  ] as Array<[ProofSystem, number]>)('%s: verifies, outputs equal the engine, %i proof bytes; a changed public signal is rejected', async (system, proofBytes) => {
    const result = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded' }, system });
    const expected = runEngine({ model, inputs }).outputs[0]!.data;
    expect(result.verified).toBe(true);
    expect(result.outputs[0]!.data).toEqual(Array.from(expected));
    expect(result.circuit.constraints).toBe(203);
    expect(result.proofBytes).toBe(proofBytes);
    expect(result.ptau.source).toBe('local-insecure');
    // Public signals: 2 outputs (as field elements), then the 4 inputs.
    expect(result.publicSignals).toEqual([...expected, ...inputs.x].map((v) => ((BigInt(v) + BN254_PRIME) % BN254_PRIME).toString()));
    for (const index of [0, 5]) {
      const publicSignals = [...result.publicSignals];
      publicSignals[index] = (BigInt(publicSignals[index]!) + 1n).toString();
      await expect(verifyProof({ system, verificationKey: result.verificationKey, proof: result.proof, publicSignals })).rejects.toThrow(VerificationError);
    }
  });
});
