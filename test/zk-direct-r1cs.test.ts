/**
 * The direct R1CS builder (src/zk/r1cs/) against circom, on every circuit both can build here:
 * the same layout, constraint count (all non-linear), wire and public-signal counts; a direct
 * witness that satisfies the direct R1CS (checked constraint by constraint, independently of
 * snarkjs) and whose public signals are circom's; and, signal by signal, circom's whole witness
 * rebuilt from the direct gadgets' values through circom's .sym (every wire circom keeps has the
 * value the direct builder gives that signal). Attacks: a tampered wire (one bit, the output, a
 * product) fails the R1CS; an input the engine overflows on has no direct witness (as in circom);
 * a Groth16 proof over the direct R1CS verifies, and is rejected with a changed output.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, VerificationError } from '../src/errors.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QLayer, QuantizedModel } from '../src/quant/types.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { BN254_PRIME, calculateWitness, encodeWtns } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { commitInput } from '../src/zk/commitInput.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit, type CircuitSettings } from '../src/zk/generateCircuit.ts';
import { repoRoot } from '../src/zk/paths.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { readCircuitOutputs } from '../src/zk/readCircuitOutputs.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { readSym } from '../src/zk/readSym.ts';
import { buildCircuit } from '../src/zk/buildCircuit.ts';
import { buildDirectCircuit } from '../src/zk/r1cs/buildDirectCircuit.ts';
import { MIRRORED_TEMPLATES_SHA256, mirroredTemplatesHash } from '../src/zk/r1cs/checkMirroredTemplates.ts';
import { computeDirectWitness } from '../src/zk/r1cs/computeDirectWitness.ts';
import { ConcreteCs, SymbolicCs, type Lc } from '../src/zk/r1cs/constraintSystem.ts';
import { emitModelR1cs } from '../src/zk/r1cs/emitModelR1cs.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { smoothModel } from './smooth-fixtures.ts';
import { geometryCnn, seededIntegers, tinyCnn, tinyMlp, wiringModel } from './zk-fixtures.ts';

/** smooth-fixtures' x[2,6] → sigmoid → a, x → tanh → b (its softmax left out: no direct gadget). */
function sigmoidTanhModel(): QuantizedModel {
  const full = smoothModel();
  const { exp_table: _, ...constants } = full.constants;
  return { ...full, name: 'sigmoid-tanh', layers: full.layers.filter((layer) => layer.op === 'smooth'), outputs: full.outputs.filter((output) => output.name !== 'y'), constants };
}

const cacheDir = mkdtempSync(path.join(tmpdir(), 'opzk-direct-'));
const field = (value: bigint) => ((value % BN254_PRIME) + BN254_PRIME) % BN254_PRIME;

/** Adds 1 to each wire but the constant one in turn; each tampered witness must fail the R1CS. Returns how many were rejected. */
function tamperEveryWire({ r1cs, witness }: { r1cs: Parameters<typeof checkWitness>[0]['r1cs']; witness: bigint[] }): number {
  let rejected = 0;
  for (let wire = 1; wire < witness.length; wire++) {
    const tampered = [...witness];
    tampered[wire] = field(tampered[wire]! + 1n);
    expect(() => checkWitness({ r1cs, witness: tampered })).toThrow(VerificationError);
    rejected++;
  }
  return rejected;
}

function someInputs(model: QuantizedModel, seed: number, bound: number): Record<string, number[]> {
  const random = seededIntegers(seed);
  return Object.fromEntries(model.inputs.map((input) => [input.name, Array.from({ length: input.dims.reduce((a, b) => a * b, 1) }, () => random(-bound, bound))]));
}

/** circom's witness rebuilt from the direct gadgets' named signals and values, through its .sym. */
async function circomWitnessFromDirect(model: QuantizedModel, settings: CircuitSettings, input: Record<string, unknown>, symFile: string, wires: number): Promise<bigint[]> {
  const symbolic = new SymbolicCs({ recordNames: true });
  emitModelR1cs({ cs: symbolic, model, settings });
  const concrete = new ConcreteCs({ inputs: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).flat(4) as Array<number | bigint>])) });
  emitModelR1cs({ cs: concrete, model, settings });
  const evaluate = (lc: Lc) => {
    let sum = 0n;
    for (const [wire, coefficient] of lc) sum += coefficient * concrete.values[wire]!;
    return field(sum);
  };
  const witness = new Array<bigint>(wires).fill(-1n);
  witness[0] = 1n;
  for (const [name, wire] of await readSym({ file: symFile })) {
    const lc = symbolic.names!.get(name);
    if (!lc) throw new Error(`circom keeps signal ${name} (wire ${wire}); the direct builder has no signal of that name`);
    witness[wire] = evaluate(lc);
  }
  return witness;
}

interface Case {
  label: string;
  model: () => QuantizedModel;
  settings: CircuitSettings;
  constraints: number;
}

const cases: Case[] = [
  { label: 'tiny MLP, constant weights', model: tinyMlp, settings: { weights: 'constant', relu: 'bounded' }, constraints: 203 },
  { label: 'tiny MLP, public weights', model: tinyMlp, settings: { weights: 'public', relu: 'bounded' }, constraints: 221 },
  { label: 'tiny MLP, private weights and inputs', model: tinyMlp, settings: { weights: 'private', relu: 'bounded', inputs: 'private' }, constraints: 285 },
  { label: 'wiring (transpose, reshape, scalarMul, constant left operand)', model: wiringModel, settings: { weights: 'constant', relu: 'bounded' }, constraints: 192 },
  { label: 'wiring, private weights', model: wiringModel, settings: { weights: 'private', relu: 'bounded' }, constraints: 204 },
  { label: 'tiny CNN (conv, relu, maxpool ceil, avgpool count_include_pad)', model: tinyCnn, settings: { weights: 'constant', relu: 'bounded' }, constraints: 2786 },
  { label: 'tiny CNN, public weights', model: tinyCnn, settings: { weights: 'public', relu: 'bounded' }, constraints: 3124 },
  { label: 'geometry CNN (dilation, strides, asymmetric pads)', model: geometryCnn, settings: { weights: 'constant', relu: 'bounded' }, constraints: 1144 },
  { label: 'geometry CNN, private weights and inputs', model: geometryCnn, settings: { weights: 'private', relu: 'bounded', inputs: 'private' }, constraints: 2194 },
  // InputCommitment: 4 elements × 16 range bits + Poseidon(16) over one word (15 constant inputs: 609 − 45).
  { label: 'tiny MLP, hashed inputs (InputCommitment: range checks, packing, PoseidonChain)', model: tinyMlp, settings: { weights: 'constant', relu: 'bounded', inputs: 'hashed' }, constraints: 203 + 4 * 16 + 564 },
  // PoseidonChain over the 25 weights: two Poseidon(16), the second with 5 zero-padded inputs (2·609 − 3·6).
  // (Hashed weights alone and hashed inputs with public weights are covered by this case and the two
  // above — each circom compile of a Poseidon circuit costs ~15 s of the suite's budget.)
  { label: 'tiny MLP, hashed weights and hashed inputs', model: tinyMlp, settings: { weights: 'hashed', relu: 'bounded', inputs: 'hashed' }, constraints: 221 + 1200 + 4 * 16 + 564 },
  // SmoothTable: 188 per sigmoid, 124 per tanh (circuits/Smooth.circom's header), 12 elements each.
  { label: 'sigmoid and tanh (SmoothTable: clamps, one-hot segment, interpolation)', model: sigmoidTanhModel, settings: { weights: 'constant', relu: 'bounded' }, constraints: 12 * (188 + 124) },
  { label: 'sigmoid and tanh, private inputs', model: sigmoidTanhModel, settings: { weights: 'constant', relu: 'bounded', inputs: 'private' }, constraints: 12 * (188 + 124 + 16) },
  { label: 'sigmoid, tanh and softmax (rows of 6: Max2 chain, exp table, rounded division)', model: smoothModel, settings: { weights: 'constant', relu: 'bounded' }, constraints: 3744 + 2 * 948 },
  { label: 'mnist-mlp-196-24-10 (models/), constant weights', model: () => quantizeModel({ file: path.join(repoRoot, 'models/mnist-mlp-196-24-10.onnx') }), settings: { weights: 'constant', relu: 'bounded' }, constraints: 24 * 41 + 10 * 24 },
  // Its default input mode: 196 × 16 range bits, 14 words in one Poseidon(16) (609 − 3·2).
  { label: 'mnist-mlp-196-24-10 (models/), hashed inputs', model: () => quantizeModel({ file: path.join(repoRoot, 'models/mnist-mlp-196-24-10.onnx') }), settings: { weights: 'constant', relu: 'bounded', inputs: 'hashed' }, constraints: 24 * 41 + 10 * 24 + 196 * 16 + 603 },
];

describe('direct R1CS = circom', () => {
  it.each(cases)('$label: $constraints constraints, same layout and wires, the same witness', async ({ model: make, settings, constraints }) => {
    const model = make();
    const generated = await generateCircuit({ model, settings });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const direct = await buildDirectCircuit({ model, settings, cacheDir });
    expect(direct.layout).toEqual(generated.layout);
    expect(direct.constraints).toBe(constraints);
    expect(compiled.constraints).toBe(constraints);
    expect(direct.linearConstraints).toBe(0);
    expect([direct.wires, direct.publicOutputs, direct.publicInputs, direct.privateInputs]).toEqual([compiled.wires, compiled.publicOutputs, compiled.publicInputs, compiled.privateInputs]);
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    expect(r1cs.nConstraints).toBe(constraints);

    for (const [seed, bound] of [[1, 300], [2, 3000]] as const) {
      const inputs = someInputs(model, seed, bound);
      const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs });
      const circom = await calculateWitness({ wasmFile: compiled.wasmFile, input });
      const mine = await computeDirectWitness({ model, settings, input, wireMapFile: direct.wireMapFile });
      expect(checkWitness({ r1cs, witness: mine.witness }).constraintsChecked).toBe(constraints);
      const publicCount = 1 + direct.publicOutputs + direct.publicInputs;
      expect(mine.witness.slice(0, publicCount)).toEqual(circom.witness.slice(0, publicCount));
        if (direct.layout.inputCommitment) expect(mine.witness[1 + direct.publicOutputs]).toBe((await commitInput({ values: Object.values(inputs).flat(), valueBits: model.valueBits })).commitment);
      expect(readCircuitOutputs({ layout: direct.layout, witness: mine.witness }).map((o) => o.data)).toEqual(runEngine({ model, inputs }).outputs.map((o) => Array.from(o.data)));
      // Every wire of circom's witness, from the direct builder's signal of the same name.
      expect(await circomWitnessFromDirect(model, settings, input, compiled.symFile, compiled.wires)).toEqual(circom.witness);
    }
  }, 300_000);

  it('mnist-mlp-784-56-10 (constant weights): 2,536 constraints, and the direct witness satisfies them', async () => {
    const model = quantizeModel({ file: path.join(repoRoot, 'models/mnist-mlp-784-56-10.onnx') });
    const settings: CircuitSettings = { weights: 'constant', relu: 'bounded' };
    const direct = await buildDirectCircuit({ model, settings, cacheDir });
    expect([direct.constraints, direct.linearConstraints]).toEqual([56 * 41 + 10 * 24, 0]);
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    const inputs = someInputs(model, 5, 256);
    const { input } = await buildCircuitInput({ model, layout: direct.layout, inputs });
    const { witness } = await computeDirectWitness({ model, settings, input, wireMapFile: direct.wireMapFile });
    expect(checkWitness({ r1cs, witness }).constraintsChecked).toBe(2536);
    expect(readCircuitOutputs({ layout: direct.layout, witness })[0]!.data).toEqual(Array.from(runEngine({ model, inputs }).outputs[0]!.data));
  }, 300_000);
});

describe('direct R1CS: attacks', () => {
  const model = tinyMlp();
  const settings: CircuitSettings = { weights: 'private', relu: 'bounded' };
  const inputs = { x: [1, -2, 300, -32768] };

  it('a tampered witness fails the R1CS: every wire but the constant one, changed by 1 (bits, products, inputs, outputs)', async () => {
    // Constant weights and private inputs: every wire is the prover's (a private weight times a
    // zero activation would be free to change, as it is in circom's circuit).
    const settings: CircuitSettings = { weights: 'constant', relu: 'bounded', inputs: 'private' };
    const direct = await buildDirectCircuit({ model, settings, cacheDir });
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    const { input } = await buildCircuitInput({ model, layout: direct.layout, inputs });
    const { witness } = await computeDirectWitness({ model, settings, input, wireMapFile: direct.wireMapFile });
    checkWitness({ r1cs, witness });
    const rejected = tamperEveryWire({ r1cs, witness });
    expect(direct.publicInputs).toBe(0);
    expect(rejected).toBe(direct.wires - 1);
    expect(rejected).toBe(257);
  });

  it('hashed inputs: every wire changed by 1 fails the R1CS (inputs, range bits, every S-box product, outputs, the commitment); another commitment has no witness', async () => {
    const settings: CircuitSettings = { weights: 'constant', relu: 'bounded', inputs: 'hashed' };
    const direct = await buildDirectCircuit({ model, settings, cacheDir });
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    const { input, inputCommitment } = await buildCircuitInput({ model, layout: direct.layout, inputs });
    const { witness } = await computeDirectWitness({ model, settings, input, wireMapFile: direct.wireMapFile });
    expect(checkWitness({ r1cs, witness }).constraintsChecked).toBe(831);
    expect(witness[1 + direct.publicOutputs]).toBe(inputCommitment!.commitment);
    // The packed words are combinations of the private inputs (no wires of their own): changing
    // an input element changes its word, and that is among the wires tampered here.
    const rejected = tamperEveryWire({ r1cs, witness });
    expect(rejected).toBe(821);
    const other = { ...input, inputCommitment: inputCommitment!.commitment + 1n };
    await expect(computeDirectWitness({ model, settings, input: other, wireMapFile: direct.wireMapFile })).rejects.toThrow(/input commitment .* is \d+, the circuit's input says \d+/);
  }, 300_000);

  it('sigmoid and tanh: every wire changed by 1 fails the R1CS (clamp bits, one-hot segment bits, products, remainder and numerator bits)', async () => {
    // One element, private: x[1,1] → sigmoid, tanh (every wire the prover's).
    const full = sigmoidTanhModel();
    const one: QuantizedModel = { ...full, name: 'sigmoid-tanh-1', inputs: [{ name: 'x', dims: [1, 1] }], outputs: full.outputs.map((output) => ({ ...output, dims: [1, 1] })), tensors: { x: [1, 1], a: [1, 1], b: [1, 1] } };
    const settings: CircuitSettings = { weights: 'constant', relu: 'bounded', inputs: 'private' };
    const direct = await buildDirectCircuit({ model: one, settings, cacheDir });
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    for (const x of [-3000, 77, 2047]) {
      const { input } = await buildCircuitInput({ model: one, layout: direct.layout, inputs: { x: [x] } });
      const { witness } = await computeDirectWitness({ model: one, settings, input, wireMapFile: direct.wireMapFile });
      expect(checkWitness({ r1cs, witness }).constraintsChecked).toBe(188 + 124 + 16);
      expect(readCircuitOutputs({ layout: direct.layout, witness }).map((o) => o.data)).toEqual(runEngine({ model: one, inputs: { x: [x] } }).outputs.map((o) => Array.from(o.data)));
      const rejected = tamperEveryWire({ r1cs, witness });
      expect(rejected).toBe(direct.wires - 1);
    }
    expect(direct.wires).toBe(319);
  }, 300_000);

  it('softmax: every wire changed by 1 fails the R1CS (Max2 bits, exp table wires, quotient and remainder bits, products)', async () => {
    // One private row of 3.
    const full = smoothModel();
    const softmax = full.layers.find((layer) => layer.op === 'softmax')!;
    const row: QuantizedModel = {
      ...full, name: 'softmax-3', inputs: [{ name: 'x', dims: [1, 3] }], outputs: [{ name: 'y', dims: [1, 3] }], tensors: { x: [1, 3], y: [1, 3] },
      layers: [{ ...softmax, rowLength: 3 } as QLayer], constants: { exp_table: full.constants.exp_table! },
    };
    const settings: CircuitSettings = { weights: 'constant', relu: 'bounded', inputs: 'private' };
    const direct = await buildDirectCircuit({ model: row, settings, cacheDir });
    const r1cs = await readR1cs({ file: direct.r1csFile, loadConstraints: true });
    for (const x of [[-3000, 77, 2047], [5, 5, -32768]]) {
      const { input } = await buildCircuitInput({ model: row, layout: direct.layout, inputs: { x } });
      const { witness } = await computeDirectWitness({ model: row, settings, input, wireMapFile: direct.wireMapFile });
      expect(checkWitness({ r1cs, witness }).constraintsChecked).toBe(direct.constraints);
      expect(readCircuitOutputs({ layout: direct.layout, witness })[0]!.data).toEqual(Array.from(runEngine({ model: row, inputs: { x } }).outputs[0]!.data));
      const rejected = tamperEveryWire({ r1cs, witness });
      expect(rejected).toBe(direct.wires - 1);
    }
    expect([direct.constraints, direct.wires]).toEqual([507, 488]);
  }, 300_000);

  it('an input the engine overflows on has no direct witness, as it has none in circom', async () => {
    const overflowing = { x: [32767, 32767, 32767, 32767] };
    const big = tinyMlp();
    let engineOverflows = false;
    try {
      runEngine({ model: big, inputs: overflowing });
    } catch (error) {
      engineOverflows = error instanceof OverflowError;
    }
    const direct = await buildDirectCircuit({ model: big, settings, cacheDir });
    const { input } = await buildCircuitInput({ model: big, layout: direct.layout, inputs: overflowing });
    if (engineOverflows) await expect(computeDirectWitness({ model: big, settings, input, wireMapFile: direct.wireMapFile })).rejects.toThrow(VerificationError);
    else {
      const { witness } = await computeDirectWitness({ model: big, settings, input, wireMapFile: direct.wireMapFile });
      expect(readCircuitOutputs({ layout: direct.layout, witness })[0]!.data).toEqual(Array.from(runEngine({ model: big, inputs: overflowing }).outputs[0]!.data));
    }
    expect(engineOverflows).toBe(true);
  });

  it('--relu full and settings it does not know are refused by name; builder auto then uses circom and says why', async () => {
    await expect(buildDirectCircuit({ model, settings: { weights: 'constant', relu: 'full' }, cacheDir })).rejects.toThrow(/ReluFull/);
    const unknown = { weights: 'constant', relu: 'bounded', inputs: 'encrypted' } as unknown as CircuitSettings;
    await expect(buildDirectCircuit({ model, settings: unknown, cacheDir })).rejects.toThrow(/does not know the circuit setting inputs="encrypted"/);
    const auto = await buildCircuit({ model, settings: { weights: 'constant', relu: 'full' } });
    expect(auto.builder).toBe('circom');
    expect(auto.builderNote).toMatch(/^built by circom: .*ReluFull/);
    expect((await buildCircuit({ model, settings: { weights: 'constant', relu: 'bounded' } })).builder).toBe('direct');
    // The hashed modes (the default input mode of the 784- and 196-pixel zoo models) are direct too.
    expect((await buildCircuit({ model, settings: { weights: 'hashed', relu: 'bounded', inputs: 'hashed' } })).builder).toBe('direct');
  });

  it('the gadgets mirror circuits/ as last matched against circom (a changed template turns the direct builder off)', () => {
    expect(mirroredTemplatesHash()).toBe(MIRRORED_TEMPLATES_SHA256);
  });

  it('Groth16 over the direct R1CS with hashed inputs: the proof verifies, its public commitment is commitInput\'s, a changed commitment is rejected', async () => {
    const hashed: CircuitSettings = { weights: 'constant', relu: 'bounded', inputs: 'hashed' };
    const result = await proveInference({ model, inputs, settings: hashed, system: 'groth16', builder: 'direct' });
    expect([result.builder, result.verified, result.circuit.constraints]).toEqual(['direct', true, 831]);
    expect(result.outputs[0]!.data).toEqual(Array.from(runEngine({ model, inputs }).outputs[0]!.data));
    const commitment = (await commitInput({ values: inputs.x, valueBits: model.valueBits })).commitment;
    expect(result.publicSignals).toEqual([...result.outputs[0]!.data.map((value) => field(BigInt(value)).toString()), commitment.toString()]);
    const publicSignals = [...result.publicSignals];
    publicSignals[2] = (commitment + 1n).toString();
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: result.proof, publicSignals })).rejects.toThrow(VerificationError);
  }, 300_000);

  it('Groth16 over the direct R1CS: the proof verifies, its outputs are the engine\'s, a changed output is rejected', async () => {
    const result = await proveInference({ model, inputs, settings, system: 'groth16', builder: 'direct' });
    expect(result.builder).toBe('direct');
    expect(result.verified).toBe(true);
    expect(result.circuit.constraints).toBe(221);
    expect(result.outputs[0]!.data).toEqual(Array.from(runEngine({ model, inputs }).outputs[0]!.data));
    const publicSignals = [...result.publicSignals];
    publicSignals[0] = (BigInt(publicSignals[0]!) + 1n).toString();
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: result.proof, publicSignals })).rejects.toThrow(VerificationError);
  }, 300_000);
});

describe('encodeWtns', () => {
  it('writes small, negative, large and reduced values as p-reduced 32-byte little-endian words', () => {
    const values = [0n, 1n, 255n, 256n, -1n, -256n, 2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, -(2n ** 60n), BN254_PRIME - 1n, BN254_PRIME + 5n, 123456789012345678901234567890n];
    const bytes = encodeWtns({ witness: values });
    const data = bytes.subarray(bytes.length - values.length * 32);
    values.forEach((value, index) => {
      let read = 0n;
      for (let i = 31; i >= 0; i--) read = (read << 8n) | BigInt(data[index * 32 + i]!);
      expect(read).toBe(field(value));
    });
  });
});
