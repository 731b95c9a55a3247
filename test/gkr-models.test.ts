/**
 * The gkr prover end to end on models (a synthetic one covering every supported op, linreg and
 * mnist-mlp-196-24-10 and mnist-cnn from models/, a synthetic CNN): outputs bit-identical with the engine, proofs that verify
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
    model.layers.splice(1, 1, { op: 'avgpool', name: 'pool1', input: 'h', out: 'r', kernel: [1, 1], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], ceilMode: false, countIncludePad: false, accBits: 20 });
    expect(() => setupGkrModel({ model })).toThrow(UnsupportedModelError);
    expect(() => setupGkrModel({ model })).toThrow(/layer 'pool1' \(avgpool\) has windows that reach into padding/);
  });
});

/** input [1,1,6,6] → conv 3×3 pad 1 (+bias) → relu → maxpool 2×2/2 → reshape [1,18] → matmul [18,3] (output). */
function syntheticCnn(): QuantizedModel {
  const weight = Array.from({ length: 18 }, (_, i) => ((i * 53) % 41) * 16 - 320);
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name: 'gkr-synthetic-cnn',
    source: { file: 'synthetic', sha256: '0'.repeat(64), opset: 17, producer: 'test' },
    scaleBits: 8,
    valueBits: 16,
    inputs: [{ name: 'x', dims: [1, 1, 6, 6] }],
    outputs: [{ name: 'y', dims: [1, 3] }],
    tensors: { x: [1, 1, 6, 6], c: [1, 2, 6, 6], r: [1, 2, 6, 6], p: [1, 2, 3, 3], f: [1, 18], y: [1, 3] },
    constants: {
      w: { dims: [2, 1, 3, 3], data: weight, scaleExp: 1 },
      b: { dims: [2], data: [5000, -9000], scaleExp: 2 },
      w2: { dims: [18, 3], data: Array.from({ length: 54 }, (_, i) => ((i * 29) % 23) * 8 - 90), scaleExp: 1 },
    },
    layers: [
      { op: 'conv', name: 'conv1', input: 'x', weight: 'w', bias: 'b', out: 'c', pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], accBits: 30 },
      { op: 'relu', name: 'relu1', input: 'c', out: 'r' },
      { op: 'maxpool', name: 'pool1', input: 'r', out: 'p', kernel: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2], dilations: [1, 1], ceilMode: false },
      { op: 'reshape', name: 'flat', input: 'p', out: 'f' },
      { op: 'matmul', name: 'fc', a: 'f', b: 'w2', out: 'y', accBits: 30 },
    ],
    hash: 'synthetic-gkr-cnn',
  };
}

describe('gkr prover: synthetic CNN with conv (zero padding), maxpool and a re-indexing reshape', () => {
  const model = syntheticCnn();
  const inputs = { x: Array.from({ length: 36 }, (_, i) => ((i * 71) % 97) * 9 - 400) };
  const key = setupGkrModel({ model });
  const proved = proveGkr({ key, inputs });

  it('outputs equal the engine, the proof verifies; conv, pool windows and the reshape are views', () => {
    expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
    expect([...key.plan.views.keys()]).toEqual(['conv1#im2col', 'pool1#window0', 'pool1#window1', 'pool1#window2', 'pool1#window3', 'f']);
    expect(key.plan.witnessPolynomials.map((p) => p.name)).toEqual(['c', 'conv1#remainder', 'r', 'p', 'fc#remainder', 'lookup#values', 'lookup#multiplicities']);
  });

  it('rejects a changed output, a changed input, and a flipped byte in every protocol message', () => {
    const outputs = [{ ...proved.outputs[0], data: proved.outputs[0].data.map((v, i) => (i === 1 ? v + 1 : v)) }];
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs, proof: proved.proof })).toThrow(VerificationError);
    const changed = { x: inputs.x.map((v, i) => (i === 7 ? v + 1 : v)) };
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: changed, outputs: proved.outputs, proof: proved.proof })).toThrow(VerificationError);
    for (const message of proved.bodyMessages) {
      const body = proved.proof.body.slice();
      body[message.offset + (message.length >> 1)] ^= 0x01;
      expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: { ...proved.proof, body } })).toThrow(VerificationError);
    }
  });

  it('rejects a committed pool output that is not the window maximum', () => {
    // The dishonest prover commits one pooled value lowered by 1 (its range-check limbs stay the
    // honest ones): no window entry equals it any more, so the zero product is not zero.
    const cheat = proveGkr({
      key,
      inputs,
      alterWitness: (tables) => {
        const p = tables.get('p')!;
        p[p.findIndex((v) => v > 0)] -= 1;
      },
    });
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: cheat.outputs, proof: cheat.proof })).toThrow(/pool1\/zerocheck: round 0/);
  });
});

describe('gkr prover: avgpool 3×3 (divisor 9: remainder bounded on both sides)', () => {
  it('conv → relu → avgpool 3×3/3 → reshape → matmul: engine-identical, verifies; a changed output is rejected', () => {
    const model = syntheticCnn();
    model.name = 'gkr-synthetic-avgpool';
    model.hash = 'synthetic-gkr-avgpool';
    model.tensors.p = [1, 2, 2, 2];
    model.tensors.f = [1, 8];
    model.constants.w2 = { dims: [8, 3], data: Array.from({ length: 24 }, (_, i) => ((i * 29) % 23) * 8 - 90), scaleExp: 1 };
    model.layers[2] = { op: 'avgpool', name: 'pool1', input: 'r', out: 'p', kernel: [3, 3], pads: [0, 0, 0, 0], strides: [3, 3], dilations: [1, 1], ceilMode: false, countIncludePad: false, accBits: 20 };
    const inputs = { x: Array.from({ length: 36 }, (_, i) => ((i * 71) % 97) * 9 - 400) };
    const key = setupGkrModel({ model });
    expect(key.plan.rangeChecks.filter((c) => c.layer === 'pool1').map((c) => `${c.kind}/${c.bits}`)).toEqual(['value/16', 'remainder/4', 'remainderBound/4']);
    const proved = proveGkr({ key, inputs });
    expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
    const outputs = [{ ...proved.outputs[0], data: proved.outputs[0].data.map((v, i) => (i === 0 ? v + 1 : v)) }];
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs, proof: proved.proof })).toThrow(VerificationError);
    // A dishonest prover rounds one average up (out + 1, rem − 9: the pool's linear relation
    // still holds), but a negative remainder has no limbs in the table: rejected.
    const cheat = proveGkr({
      key,
      inputs,
      alterWitness: (tables) => {
        tables.get('p')![0] += 1;
        tables.get('pool1#remainder')![0] -= 9;
      },
    });
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: cheat.outputs, proof: cheat.proof })).toThrow(VerificationError);
  });
});

describe('gkr prover: a transpose of a reshape (a view of a view) feeding a matmul', () => {
  it('x [1,4] → matmul [4,6] → reshape [2,3] → transpose [3,2] → matmul [2,2]: verifies; a changed output is rejected', () => {
    const model: QuantizedModel = {
      ...syntheticModel(),
      name: 'gkr-synthetic-transpose',
      outputs: [{ name: 'y', dims: [3, 2] }],
      tensors: { x: [1, 4], h: [1, 6], g: [2, 3], t: [3, 2], y: [3, 2] },
      constants: {
        w1: { dims: [4, 6], data: Array.from({ length: 24 }, (_, i) => ((i * 37) % 29) * 16 - 200), scaleExp: 1 },
        w2: { dims: [2, 2], data: [256, -128, 64, 300], scaleExp: 1 },
      },
      layers: [
        { op: 'matmul', name: 'fc1', a: 'x', b: 'w1', out: 'h', accBits: 30 },
        { op: 'reshape', name: 'shape', input: 'h', out: 'g' },
        { op: 'transpose', name: 'flip', input: 'g', out: 't' },
        { op: 'matmul', name: 'fc2', a: 't', b: 'w2', out: 'y', accBits: 30 },
      ],
      hash: 'synthetic-gkr-transpose',
    };
    const key = setupGkrModel({ model });
    expect([...key.plan.views.keys()]).toEqual(['g', 't']);
    const proved = proveGkr({ key, inputs: X });
    expect(proved.outputs).toEqual(runEngine({ model, inputs: X }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs: proved.outputs, proof: proved.proof });
    const outputs = [{ ...proved.outputs[0], data: proved.outputs[0].data.map((v, i) => (i === 4 ? v + 1 : v)) }];
    expect(() => verifyGkr({ verifierKey: key.verifierKey, inputs: X, outputs, proof: proved.proof })).toThrow(VerificationError);
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

  it.runIf(existsSync(path.join(repoRoot, 'models/mnist-cnn.onnx')))('mnist-cnn (conv, maxpool, flatten): engine-identical outputs and a verified proof', () => {
    const model = quantizeModel({ file: path.join(repoRoot, 'models/mnist-cnn.onnx') });
    const key = setupGkrModel({ model });
    const inputs = { [model.inputs[0].name]: Array.from({ length: 196 }, (_, i) => ((i * 37) % 256) - 30) };
    const proved = proveGkr({ key, inputs });
    expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
  });
});
