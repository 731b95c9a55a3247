/**
 * The gkr prover end to end on models (a synthetic one covering every supported op, linreg and
 * mnist-mlp-196-24-10 from models/): outputs bit-identical with the engine, proofs that verify
 * (also after serialize/deserialize), and the attacker's tests — a changed output, input or
 * weight, a flipped byte in every protocol message, a wrong lookup multiplicity, a replayed
 * proof, an uncommitted proof — each rejected with a VerificationError. Unsupported ops fail
 * with an UnsupportedModelError naming the layer.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { UnsupportedModelError, VerificationError } from '../src/errors.ts';
import { deserializeGkrProof, proveGkr, serializeGkrProof, setupGkrModel, verifyGkr } from '../src/gkr/index.ts';
import { LOOKUP_MULTIPLICITIES } from '../src/gkr/model/planModel.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QuantizedModel } from '../src/quant/types.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** input [1,4] → matmul+bias → relu → add(input) → scalarMul → reshape [4] → matmul [4,3] (output). */
function syntheticModel(): QuantizedModel {
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name: 'gkr-synthetic',
    source: { file: 'synthetic', sha256: '0'.repeat(64), opset: 17, producer: 'test' },
    scaleBits: 8,
    valueBits: 16,
    inputs: [{ name: 'x', dims: [1, 4] }],
    outputs: [{ name: 'y', dims: [1, 3] }],
    tensors: { x: [1, 4], h: [1, 4], r: [1, 4], s: [1, 4], m: [1, 4], f: [4], y: [1, 3] },
    constants: {
      w1: { dims: [4, 4], data: [256, -128, 64, 0, 32, 256, -256, 128, -64, 16, 512, -32, 8, 0, 96, 256], scaleExp: 1 },
      b1: { dims: [4], data: [1000, -70000, 30000, 5], scaleExp: 2 },
      w2: { dims: [4, 3], data: [256, 0, -256, 128, 128, 128, -64, 300, 7, 1, -1, 90], scaleExp: 1 },
    },
    layers: [
      { op: 'matmul', name: 'fc1', a: 'x', b: 'w1', bias: 'b1', out: 'h', accBits: 30 },
      { op: 'relu', name: 'relu1', input: 'h', out: 'r' },
      { op: 'add', name: 'skip', a: 'r', b: 'x', out: 's' },
      { op: 'scalarMul', name: 'half', input: 's', factor: 160, out: 'm', accBits: 30 },
      { op: 'reshape', name: 'flat', input: 'm', out: 'f' },
      { op: 'matmul', name: 'fc2', a: 'f', b: 'w2', out: 'y', accBits: 30 },
    ],
    hash: 'synthetic-gkr-model',
  };
}

const X = { x: [300, -200, 1023, -5] };

describe('gkr prover: synthetic model with matmul, relu, add, scalarMul, reshape', () => {
  const model = syntheticModel();
  const key = setupGkrModel({ model });
  const proved = proveGkr({ key, inputs: X });

  it('outputs equal the engine bit for bit and the proof verifies, also from its bytes', () => {
    expect(proved.outputs).toEqual(runEngine({ model, inputs: X }).outputs);
    expect(proved.outputs[0].data).not.toEqual([0, 0, 0]);
    verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: proved.outputs, proof: proved.proof });
    const bytes = serializeGkrProof(proved.proof);
    expect(bytes.length).toBe(proved.proofBytes);
    verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: proved.outputs, proof: deserializeGkrProof(bytes) });
    // fc1: 0 + 2 rounds, relu: 2, fc2: 2, lookup: looked (F − 1 layers, Σ k) + table (Σ_{k<8} k = 28)
    expect(proved.sizes.layers).toBe(6);
    expect(proved.sizes.lookups).toBe(64);
    expect(proved.sizes.sumcheckRounds).toBe(2 + 2 + 2 + 15 + 28);
    expect(proved.sizes.tableEntries).toBe(256);
  });

  it('rejects a changed output, a changed input, and a proof replayed for another input', () => {
    const outputs = proved.outputs.map((o) => ({ ...o, data: [...o.data] }));
    outputs[0].data[1] += 1;
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs, proof: proved.proof })).toThrow(VerificationError);
    const other = { x: [301, -200, 1023, -5] };
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: other, outputs: proved.outputs, proof: proved.proof })).toThrow(VerificationError);
    const otherOutputs = runEngine({ model, inputs: other }).outputs;
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: other, outputs: otherOutputs, proof: proved.proof })).toThrow(VerificationError);
  });

  it('rejects a flipped byte in every protocol message (evaluations, round polynomials, final evaluations)', () => {
    let rejected = 0;
    for (const message of proved.bodyMessages) {
      const body = proved.proof.body.slice();
      body[message.offset + (message.length >> 1)] ^= 0x01;
      expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: proved.outputs, proof: { ...proved.proof, body } })).toThrow(VerificationError);
      rejected++;
    }
    expect(rejected).toBe(proved.bodyMessages.length);
    expect(rejected).toBeGreaterThan(60);
  });

  it('rejects flipped bytes in the witness commitment and in both openings', () => {
    for (const field of ['witnessCommitment', 'weightOpening', 'witnessOpening'] as const) {
      const bytes = proved.proof[field].slice();
      bytes[bytes.length >> 1] ^= 0x01;
      expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: proved.outputs, proof: { ...proved.proof, [field]: bytes } }), field).toThrow(VerificationError);
    }
  });

  it('rejects a wrong lookup multiplicity (committed by a dishonest prover)', () => {
    const dishonest = proveGkr({
      key,
      inputs: X,
      alterWitness: (tables) => {
        const m = tables.get(LOOKUP_MULTIPLICITIES)!;
        m[0] -= 1;
        m[1] += 1;
      },
    });
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: dishonest.outputs, proof: dishonest.proof })).toThrow(/Σ 1\/\(α − f\)/);
  });

  it('rejects a proof made with other weights than the committed ones', () => {
    const changed = syntheticModel();
    changed.constants.w1.data[5] += 1;
    const cheat = proveGkr({ key: setupGkrModel({ model: changed }), inputs: X });
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: cheat.outputs, proof: cheat.proof })).toThrow(VerificationError);
  });

  it('rejects a proof made with commit: false (it binds no witness)', () => {
    const uncommitted = proveGkr({ key, inputs: X, commit: false });
    expect(uncommitted.outputs).toEqual(proved.outputs);
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: uncommitted.outputs, proof: uncommitted.proof })).toThrow(/commit: false/);
  });

  it('an unsupported op is an UnsupportedModelError naming the layer and the op', () => {
    const model = syntheticModel();
    model.layers.splice(1, 1, { op: 'maxpool', name: 'pool1', input: 'h', out: 'r', kernel: [1, 1], pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], ceilMode: false });
    expect(() => setupGkrModel({ model })).toThrow(UnsupportedModelError);
    expect(() => setupGkrModel({ model })).toThrow(/layer 'pool1' \(maxpool\) uses op 'maxpool'/);
  });
});

describe('gkr prover: bit widths that are not whole limbs (valueBits 12, scaleBits 6)', () => {
  it('proves with shifted top limbs (4 and 6 bits) and rejects a changed output', () => {
    const model = syntheticModel();
    model.scaleBits = 6;
    model.valueBits = 12;
    model.constants.w1.data = [64, -32, 16, 0, 8, 64, -64, 32, -16, 4, 128, -8, 2, 0, 24, 64];
    model.constants.b1.data = [100, -7000, 3000, 5];
    model.constants.w2.data = [64, 0, -64, 32, 32, 32, -16, 75, 2, 1, -1, 22];
    (model.layers[3] as { factor: number }).factor = 40;
    const inputs = { x: [300, -200, 400, -5] };
    const key = setupGkrModel({ model });
    expect(key.plan.rangeChecks.map((c) => `${c.bits}/${c.topBits}/${c.topShiftOffset !== undefined}`)).toEqual([
      '12/4/true', '6/6/true', '12/4/true', '12/4/true', '12/4/true', '12/4/true', '6/6/true', '6/6/true',
    ]);
    const proved = proveGkr({ key, inputs });
    expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
    const outputs = [{ ...proved.outputs[0], data: proved.outputs[0].data.map((v, i) => (i === 2 ? v + 1 : v)) }];
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs, proof: proved.proof })).toThrow(VerificationError);
  });
});

describe('gkr prover: zoo models from models/', () => {
  const linreg = path.join(repoRoot, 'models/linreg.onnx');
  const mlp = path.join(repoRoot, 'models/mnist-mlp-196-24-10.onnx');

  it.runIf(existsSync(linreg) && existsSync(mlp))('linreg and mnist-mlp-196-24-10: engine-identical outputs, verified proofs, a changed output rejected', () => {
    for (const file of [linreg, mlp]) {
      const model = quantizeModel({ file });
      const key = setupGkrModel({ model });
      const input = model.inputs[0];
      const size = input.dims.reduce((a, b) => a * b, 1);
      const inputs = { [input.name]: Array.from({ length: size }, (_, i) => ((i * 37) % 512) - 128) };
      const proved = proveGkr({ key, inputs });
      expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
      verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
      const outputs = proved.outputs.map((o) => ({ ...o, data: o.data.map((v, i) => (i === 0 ? v - 1 : v)) }));
      expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs, proof: proved.proof })).toThrow(VerificationError);
    }
  });

  it.runIf(existsSync(path.join(repoRoot, 'models/mnist-cnn.onnx')))('mnist-cnn (conv) is refused naming the conv layer', () => {
    const model = quantizeModel({ file: path.join(repoRoot, 'models/mnist-cnn.onnx') });
    expect(() => setupGkrModel({ model })).toThrow(/\(conv\) uses op 'conv'/);
  });
});
