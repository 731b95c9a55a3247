/**
 * Whole models as circuits: for every weight mode and both Relu variants, the circuit's outputs
 * equal the fixed-point engine's integers exactly (negative values, the range edges); where the
 * engine reports an overflow the circuit has no witness; a tampered output fails the r1cs; exact
 * constraint counts; quantized ONNX models from models/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, UnsupportedModelError, VerificationError } from '../src/errors.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { BN254_PRIME, calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkPublicInputRange } from '../src/zk/verifyProof.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { commitWeights } from '../src/zk/commitWeights.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit, generateCircuitSource, type CircuitSettings } from '../src/zk/generateCircuit.ts';
import { repoRoot } from '../src/zk/paths.ts';
import { readCircuitOutputs } from '../src/zk/readCircuitOutputs.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { sampleInputs } from '../src/zoo/sampleInputs.ts';
import { geometryCnn, seededIntegers, tinyCnn, tinyMlp, wiringModel } from './zk-fixtures.ts';

const MIN = -32768;
const MAX = 32767;

/** Inputs for a model: zeros, both range edges, alternating edges, and seeded random values. */
function inputSets(model: QuantizedModel): Array<Record<string, number[]>> {
  const random = seededIntegers(7);
  const make = (f: (i: number) => number) => Object.fromEntries(model.inputs.map((input) => [input.name, Array.from({ length: input.dims.reduce((a, b) => a * b, 1) }, (_, i) => f(i))]));
  return [
    make(() => 0),
    make(() => MIN),
    make(() => MAX),
    make((i) => (i % 2 ? MIN : MAX)),
    make(() => random(-300, 300)),
    make(() => random(-3000, 3000)),
    make(() => random(MIN, MAX)),
  ];
}

interface Outcome {
  agreed: number;
  rejected: number;
}

/** Compiles the model's circuit and checks it against the engine on every input set. */
async function checkAgainstEngine(model: QuantizedModel, settings: CircuitSettings, inputs = inputSets(model)) {
  const generated = await generateCircuit({ model, settings });
  const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
  const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
  const outcome: Outcome = { agreed: 0, rejected: 0 };
  for (const set of inputs) {
    let expected: ReturnType<typeof runEngine> | undefined;
    try {
      expected = runEngine({ model, inputs: set });
    } catch (error) {
      if (!(error instanceof OverflowError)) throw error;
    }
    const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: set });
    if (!expected) {
      // The engine rejects the input (an intermediate overflow): the circuit has no witness.
      await expect(calculateWitness({ wasmFile: compiled.wasmFile, input })).rejects.toThrow(VerificationError);
      outcome.rejected++;
      continue;
    }
    const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
    checkWitness({ r1cs, witness });
    const outputs = readCircuitOutputs({ layout: generated.layout, witness });
    expect(outputs.map((o) => o.data)).toEqual(expected.outputs.map((o) => Array.from(o.data)));
    outcome.agreed++;
  }
  return { generated, compiled, r1cs, outcome };
}

describe('tiny MLP (Gemm + bias, Relu, MatMul + bias, Add constant) against the engine', () => {
  // fc1: 3 outputs × Rescale(24); relu: 3; fc2: 2 × 24; add: 2 × RangeCheck(16).
  const rescales = 3 * 24 + 2 * 24;
  const products = 4 * 3 + 3 * 2;
  it.each([
    [{ weights: 'constant', relu: 'bounded' }, rescales + 3 * 17 + 2 * 16],
    [{ weights: 'constant', relu: 'full' }, rescales + 3 * 517 + 2 * 16],
    [{ weights: 'public', relu: 'bounded' }, products + rescales + 3 * 17 + 2 * 16],
    [{ weights: 'private', relu: 'full' }, products + rescales + 3 * 517 + 2 * 16],
    [{ weights: 'private', relu: 'bounded', inputs: 'private' }, 4 * 16 + products + rescales + 3 * 17 + 2 * 16],
  ] as Array<[CircuitSettings, number]>)('%j: outputs equal the engine, %i constraints', async (settings, constraints) => {
    const { compiled, outcome } = await checkAgainstEngine(tinyMlp(), settings);
    expect(compiled.constraints).toBe(constraints);
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
    expect(outcome.rejected).toBeGreaterThanOrEqual(1);
  });

  it('hashed weights: outputs equal the engine and the commitment is circomlibjs\'s Poseidon chain', async () => {
    const model = tinyMlp();
    const { generated, compiled, outcome } = await checkAgainstEngine(model, { weights: 'hashed', relu: 'bounded' }, inputSets(model).slice(4, 6));
    expect(outcome.agreed).toBe(2);
    // The weights in declaration order: w1, b1, w2, b2, c (first use).
    expect(generated.layout.parameters.map((p) => p.name)).toEqual(['w1', 'b1', 'w2', 'b2', 'c']);
    expect(generated.layout.commitment).toEqual({ signal: 'weightsCommitment', elements: 25, chunks: 2, constraints: 1200 });
    // The private-weights circuit plus PoseidonChain(25): 2 chunks, 606 + 594 (the zero
    // padding of the second chunk saves constraints), the commitment's share.
    expect(compiled.constraints).toBe(products + rescales + 3 * 17 + 2 * 16 + 1200);
    expect(compiled.publicInputs).toBe(4 + 1);
    // Changing one weight changes the commitment, so a proof for other weights cannot verify.
    const { commitment } = await commitWeights({ elements: [...model.constants.w1!.data, ...model.constants.b1!.data, ...model.constants.w2!.data, ...model.constants.b2!.data, ...model.constants.c!.data] });
    const changed = structuredClone(model);
    changed.constants.w1!.data[0]! += 1;
    const { input } = await buildCircuitInput({ model: changed, layout: generated.layout, inputs: inputSets(model)[4]! });
    expect(BigInt(input.weightsCommitment as bigint)).not.toBe(commitment);
    await expect(calculateWitness({ wasmFile: compiled.wasmFile, input: { ...input, weightsCommitment: commitment } })).rejects.toThrow(VerificationError);
  });

  it('a tampered output fails the r1cs check', async () => {
    const model = tinyMlp();
    const { generated, compiled, r1cs } = await checkAgainstEngine(model, { weights: 'constant', relu: 'bounded' }, []);
    const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: { x: [100, -200, 300, -400] } });
    const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
    checkWitness({ r1cs, witness });
    for (const wire of [1, 2]) {
      const tampered = [...witness];
      tampered[wire]! += 1n;
      expect(() => checkWitness({ r1cs, witness: tampered })).toThrow(VerificationError);
    }
  });

  it('public inputs are range-checked before proving, private inputs in the circuit', async () => {
    const model = tinyMlp();
    const publicCircuit = generateCircuitSource({ model, settings: { weights: 'constant', relu: 'bounded' } });
    await expect(buildCircuitInput({ model, layout: publicCircuit.layout, inputs: { x: [0, 0, MAX + 1, 0] } })).rejects.toThrow(OverflowError);
    // The verifier side: public signals = 2 outputs, then the 4 inputs.
    const signals = (x: number[]) => ['5', '6', ...x.map((v) => ((BigInt(v) + BN254_PRIME) % BN254_PRIME).toString())];
    expect(() => checkPublicInputRange({ layout: publicCircuit.layout, publicSignals: signals([MIN, MAX, 0, -1]) })).not.toThrow();
    expect(() => checkPublicInputRange({ layout: publicCircuit.layout, publicSignals: signals([0, 0, MAX + 1, 0]) })).toThrow(/'x' element 2 is 32768/);
    expect(() => checkPublicInputRange({ layout: publicCircuit.layout, publicSignals: signals([MIN - 1, 0, 0, 0]) })).toThrow(VerificationError);
    const generated = await generateCircuit({ model, settings: { weights: 'private', relu: 'bounded', inputs: 'private' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: { x: [0, 0, 0, 0] } });
    await expect(calculateWitness({ wasmFile: compiled.wasmFile, input: { ...input, x0: [0, 0, MAX + 1, 0] } })).rejects.toThrow(VerificationError);
    await expect(calculateWitness({ wasmFile: compiled.wasmFile, input: { ...input, x0: [MIN - 1, 0, 0, 0] } })).rejects.toThrow(VerificationError);
  });
});

describe('wiring, scalarMul and a constant left operand', () => {
  it.each([
    [{ weights: 'constant', relu: 'bounded' }, 6 * 24 + 2 * 24],
    [{ weights: 'private', relu: 'bounded' }, 6 * 24 + 12 + 2 * 24],
  ] as Array<[CircuitSettings, number]>)('%j: outputs equal the engine, %i constraints', async (settings, constraints) => {
    const { compiled, outcome } = await checkAgainstEngine(wiringModel(), settings);
    expect(compiled.constraints).toBe(constraints);
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
  });
});

describe('tiny CNN (Conv pad 1 + bias, Relu, MaxPool ceil mode, AvgPool count_include_pad)', () => {
  it.each([
    [{ weights: 'constant', relu: 'bounded' }],
    [{ weights: 'private', relu: 'bounded' }],
  ] as Array<[CircuitSettings]>)('%j: outputs equal the engine', async (settings) => {
    const { outcome } = await checkAgainstEngine(tinyCnn(), settings);
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
  });
});

describe('conv whose weight is a graph input (given at run time, as the ONNX node tests give it)', () => {
  // tinyCnn with its conv weight moved to a second input: products of two v-bit signals.
  const runtimeWeightCnn = (): QuantizedModel => {
    const base = tinyCnn();
    const { w, ...constants } = base.constants;
    return {
      ...base,
      name: 'tiny-cnn-runtime-weight',
      inputs: [...base.inputs, { name: 'w', dims: w!.dims }],
      tensors: { ...base.tensors, w: w!.dims },
      constants,
      layers: base.layers.map((layer) => (layer.op === 'conv' ? { ...layer, accBits: 35 } : layer)),
      hash: 'tiny-cnn-runtime-weight'.padEnd(64, '0'),
    };
  };
  it.each([
    [{ weights: 'constant', relu: 'bounded' }],
    [{ weights: 'private', relu: 'bounded' }],
  ] as Array<[CircuitSettings]>)('%j: outputs equal the engine', async (settings) => {
    const model = runtimeWeightCnn();
    // The shared sets give x and w the same pattern (edges overflow); add images with weights of a trained layer's size.
    const random = seededIntegers(11);
    const sets = [...inputSets(model), ...[300, 3000, 20000].map((bound) => ({ x: Array.from({ length: 25 }, () => random(-bound, bound)), w: Array.from({ length: 18 }, () => random(-120, 120)) }))];
    const { generated, outcome } = await checkAgainstEngine(model, settings, sets);
    expect(generated.layout.inputs.map((input) => input.name)).toEqual(['x', 'w']);
    expect(outcome.agreed).toBeGreaterThanOrEqual(4);
  });
});

describe('conv and pool geometry (dilation, strides, asymmetric pads, padded pools)', () => {
  it('constant weights: outputs equal the engine', async () => {
    const model = geometryCnn();
    expect(runEngine({ model, inputs: inputSets(model)[4]! }).outputs[0]!.dims).toEqual([1, 1, 3, 5]);
    const { outcome } = await checkAgainstEngine(model, { weights: 'constant', relu: 'bounded' });
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
  });
});

describe('generator errors', () => {
  it('an operator the circuits cannot express is an UnsupportedModelError naming it', () => {
    const model = tinyMlp();
    const bad = { ...model, layers: [...model.layers, { op: 'erf', name: 'Erf_7', input: 'y', out: 'z' }] } as unknown as QuantizedModel;
    expect(() => generateCircuitSource({ model: bad, settings: { weights: 'constant', relu: 'bounded' } })).toThrow(UnsupportedModelError);
    expect(() => generateCircuitSource({ model: bad, settings: { weights: 'constant', relu: 'bounded' } })).toThrow(/Erf_7.*'erf'/);
  });
});

describe('quantized ONNX models from models/', () => {
  const linreg = path.join(repoRoot, 'models/linreg.onnx');
  const mlp = path.join(repoRoot, 'models/mnist-mlp-196-24-10.onnx');

  it.runIf(existsSync(linreg)).each([
    [{ weights: 'constant', relu: 'bounded' }],
    [{ weights: 'public', relu: 'bounded' }],
  ] as Array<[CircuitSettings]>)('linreg %j equals the engine', async (settings) => {
    const model = quantizeModel({ file: linreg });
    const { outcome } = await checkAgainstEngine(model, settings);
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
  });

  it.runIf(existsSync(mlp))('mnist-mlp-196-24-10 (constant weights) equals the engine on digits and edges, 24×41 + 10×24 constraints', async () => {
    const model = quantizeModel({ file: mlp });
    const sets = inputSets(model);
    const digits = Array.from({ length: 196 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    sets.push(quantizeInputs({ model, inputs: { [model.inputs[0]!.name]: digits } }));
    const { compiled, outcome } = await checkAgainstEngine(model, { weights: 'constant', relu: 'bounded' }, sets);
    expect(compiled.constraints).toBe(24 * (24 + 17) + 10 * 24);
    expect(outcome.agreed).toBeGreaterThanOrEqual(3);
  });

  const cnnBnSigmoid = path.join(repoRoot, 'models/mnist-cnn-bn-sigmoid.onnx');
  it.runIf(existsSync(cnnBnSigmoid))('mnist-cnn-bn-sigmoid (BatchNormalization folded, Sigmoid) equals the engine on digits and range edges, 17,140 constraints', async () => {
    const model = quantizeModel({ file: cnnBnSigmoid });
    const digits = sampleInputs({ name: 'mnist-cnn-bn-sigmoid', count: 3 }).map((sample) =>
      quantizeInputs({ model, inputs: { input: Array.from(sample.input!.data) } }),
    );
    const { compiled, outcome } = await checkAgainstEngine(model, { weights: 'constant', relu: 'bounded' }, [...digits, ...inputSets(model)]);
    expect(compiled.constraints).toBe(17_140);
    // Agreed: the 3 digits, zeros and the ±300 random set; the range edges and the wide random
    // sets overflow the conv's 16 bits in the engine, and the circuit has no witness for them.
    expect(outcome).toEqual({ agreed: 5, rejected: 5 });
  });
});
