/**
 * Sigmoid, tanh and softmax (docs/fixed-point.md, "Smooth functions", "Softmax") through every
 * backend: the engine against the reference definition and against the real functions (the
 * stated error bounds), the circuit against the engine bit for bit (inputs at and past every
 * clamp bound) with exact constraint counts, and tampered witnesses rejected; and a hand-built
 * ONNX MLP with Sigmoid, Tanh and Softmax through the importer and quantizer, against
 * onnxruntime within the stated error, bit for bit through engine, trace VM and circuit.
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { VerificationError } from '../src/errors.ts';
import { evaluateSmooth, evaluateSoftmaxRow } from '../src/quant/smoothTable.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { BN254_PRIME, calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit } from '../src/zk/generateCircuit.ts';
import { readCircuitOutputs } from '../src/zk/readCircuitOutputs.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { readSym } from '../src/zk/readSym.ts';
import { runNative } from '../src/native/runNative.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { createTempDir, writeModel } from './foundation-helpers.ts';
import { smoothInputs, smoothModel, tableOf, writeSmoothMlp } from './smooth-fixtures.ts';

const REAL = { sigmoid: (x: number) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, exp: Math.exp };

/** The softmax reference (src/quant/smoothTable.ts, BigInt). */
function softmaxReference(row: number[], scaleBits: number, valueBits: number): number[] {
  return evaluateSoftmaxRow({ ...tableOf('exp', scaleBits, valueBits), scaleBits, row });
}

describe('engine: the integer definitions', () => {
  it('sigmoid, tanh and softmax equal the reference on inputs at and past the clamp bounds', () => {
    const model = smoothModel();
    for (const x of smoothInputs()) {
      const [a, b, y] = runEngine({ model, inputs: { x } }).outputs.map((o) => o.data);
      const sigmoid = tableOf('sigmoid');
      const tanh = tableOf('tanh');
      expect(a).toEqual(x.map((v) => evaluateSmooth({ ...sigmoid, x: v })));
      expect(b).toEqual(x.map((v) => evaluateSmooth({ ...tanh, x: v })));
      expect(y).toEqual([...softmaxReference(x.slice(0, 6), 8, 16), ...softmaxReference(x.slice(6), 8, 16)]);
    }
  });
});

describe('circuit: bit-exact with the engine', () => {
  it('Smooth and Softmax agree with the engine on every input set; tampered witnesses are rejected', async () => {
    const model = smoothModel();
    const generated = await generateCircuit({ model, settings: { weights: 'private', relu: 'bounded' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
    // 12 sigmoid (188 each) + 12 tanh (124 each) + 2 softmax rows of 6 (948 each).
    expect(r1cs.nConstraints).toBe(12 * 188 + 12 * 124 + 2 * 948);
    const wires = await readSym({ file: compiled.symFile });
    const wire = (name: string) => {
      const index = wires.get(name);
      if (index === undefined) throw new Error(`no wire '${name}'`);
      return index;
    };
    let last: bigint[] = [];
    for (const x of smoothInputs()) {
      const expected = runEngine({ model, inputs: { x } }).outputs.map((o) => o.data);
      const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: { x } });
      const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
      checkWitness({ r1cs, witness });
      expect(readCircuitOutputs({ layout: generated.layout, witness }).map((o) => o.data)).toEqual(expected);
      last = witness;
    }
    // The last input set (random over the whole range): a cheating prover's changes, one at a time.
    const p = BN254_PRIME;
    const tampered = (changes: Array<[number, (value: bigint) => bigint]>) => {
      const witness = [...last];
      for (const [index, change] of changes) witness[index] = (((change(witness[index]!) % p) + p) % p);
      return () => checkWitness({ r1cs, witness });
    };
    const hot = (element: number, j: number) => wire(`main.l0.element[${element}].hot[${j}]`);
    const segmentOf = (element: number) => Array.from({ length: 128 }, (_, j) => j).find((j) => last[hot(element, j)] === 1n)!;
    const seg = segmentOf(11);
    const neighbour = seg === 127 ? seg - 1 : seg + 1;
    const attacks: Array<[string, Array<[number, (value: bigint) => bigint]>]> = [
      ['sigmoid output + 1', [[wire('main.y0[11]'), (v) => v + 1n]]],
      ['tanh output − 1', [[wire('main.y1[3]'), (v) => v - 1n]]],
      ['softmax output + 1', [[wire('main.y2[4]'), (v) => v + 1n]]],
      ['another segment (one-hot moved)', [[hot(11, seg), () => 0n], [hot(11, neighbour), () => 1n]]],
      ['two segments at once', [[hot(11, neighbour), () => 1n]]],
      ['no clamp (the below flag, 1 − the sign bit, flipped)', [[wire('main.l0.element[0].below'), (v) => 1n - v]]],
      ['a quotient bit flipped', [[wire('main.l0.element[11].numerator.out[6]'), (v) => 1n - v]]],
      ['a softmax remainder bit flipped', [[wire('main.l2.remainderLow[0][4].out[0]'), (v) => 1n - v]]],
    ];
    for (const [name, changes] of attacks) expect(tampered(changes), name).toThrow(VerificationError);
  }, 600_000);
});

describe('a hand-built ONNX MLP with Sigmoid, Tanh and Softmax, end to end', () => {
  const dir = createTempDir();
  const { file, inputSets } = writeSmoothMlp(dir);

  it('quantizes to matmul, smooth (sigmoid, tanh) and softmax layers with their tables', () => {
    const model = quantizeModel({ file });
    expect(model.layers.map((l) => (l.op === 'smooth' ? l.fn : l.op))).toEqual(['matmul', 'sigmoid', 'matmul', 'tanh', 'matmul', 'softmax']);
    expect(Object.keys(model.constants).filter((name) => name.endsWith('_table')).sort()).toEqual(['exp_table', 'sigmoid_table', 'tanh_table']);
    expect(model.constants.sigmoid_table!.data).toHaveLength(129);
  });

  it('agrees with onnxruntime within the stated error at s = 8 and s = 12', async () => {
    const worst: Record<number, number> = {};
    for (const scaleBits of [8, 12]) {
      const model = quantizeModel({ file, scaleBits, valueBits: scaleBits + 8 });
      worst[scaleBits] = 0;
      for (const raw of inputSets) {
        const native = (await runNative({ file, inputs: { x: raw } })).outputs[0]!.data;
        const engine = runEngine({ model, inputs: quantizeInputs({ model, inputs: { x: raw } }) }).outputs[0]!.data;
        engine.forEach((q, i) => (worst[scaleBits] = Math.max(worst[scaleBits]!, Math.abs(q / 2 ** scaleBits - native[i]!))));
      }
    }
    // Probabilities (outputs in [0, 1]): the 8-bit model within 0.02 (sigmoid's and tanh's errors
    // pass through two matmuls before the softmax), the 12-bit one within 0.005.
    expect(worst[8]).toBeLessThan(0.02);
    expect(worst[12]).toBeLessThan(0.005);
    expect(worst[12]).toBeLessThan(worst[8]!);
  });

  it('the trace VM and the circuit reproduce the engine bit for bit', async () => {
    const model = quantizeModel({ file });
    const program = compileProgram({ model });
    const generated = await generateCircuit({ model, settings: { weights: 'private', relu: 'bounded' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    for (const raw of inputSets.slice(0, 4)) {
      const x = quantizeInputs({ model, inputs: { x: raw } }).x!;
      const expected = runEngine({ model, inputs: { x } }).outputs[0]!.data;
      expect(createTrace({ program, input: { x } }).outputs.y).toEqual(expected);
      const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: { x } });
      const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
      expect(readCircuitOutputs({ layout: generated.layout, witness })[0]!.data).toEqual(expected);
    }
  }, 600_000);

  it('Groth16 proves it (sigmoid, tanh and softmax in one proof, direct builder): outputs the engine\'s, a changed output or proof is rejected', async () => {
    const model = quantizeModel({ file });
    const inputs = quantizeInputs({ model, inputs: { x: inputSets[6]! } });
    const result = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded' }, system: 'groth16' });
    expect(result.verified).toBe(true);
    expect(result.builder).toBe('direct');
    expect(result.circuit.constraints).toBe(3158);
    expect(result.outputs[0]!.data).toEqual(runEngine({ model, inputs }).outputs[0]!.data);
    const publicSignals = [...result.publicSignals];
    publicSignals[0] = (BigInt(publicSignals[0]!) + 1n).toString();
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: result.proof, publicSignals })).rejects.toThrow(VerificationError);
    const proof = { ...(result.proof as Record<string, unknown>), pi_a: (result.proof as { pi_c: unknown }).pi_c, pi_c: (result.proof as { pi_a: unknown }).pi_a };
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof, publicSignals: result.publicSignals })).rejects.toThrow(VerificationError);
  }, 600_000);

  it('refuses what it cannot represent, naming the node and what would work', () => {
    const softmaxOn = (axis: number, opset: number, dims: number[]) => writeModel(dir, `softmax-${axis}-${opset}`, {
      opset, inputs: [{ name: 'x', dims }], outputs: [{ name: 'y', dims }],
      nodes: [{ opType: 'Softmax', name: 'sm', inputs: ['x'], outputs: ['y'], attributes: { axis } }],
    });
    expect(() => quantizeModel({ file: softmaxOn(0, 13, [2, 3]) })).toThrow(/node 'sm' \(Softmax\) uses axis=0 on a rank-2 tensor \(only the last axis: export with axis=-1, or transpose before it\)/);
    // Opset < 13: axis 1 of [1, 2, 3] softmaxes over the flattened 2·3 = 6 values (one row).
    const coerced = quantizeModel({ file: softmaxOn(1, 11, [1, 2, 3]) });
    expect(coerced.layers[0]).toMatchObject({ op: 'softmax', rowLength: 6 });
    expect(() => quantizeModel({ file, scaleBits: 3 })).toThrow(/sigmoid needs 4 ≤ scaleBits ≤ 20, got 3/);
    expect(() => quantizeModel({ file, scaleBits: 21, valueBits: 30 })).toThrow(/sigmoid needs 4 ≤ scaleBits ≤ 20, got 21/);
    expect(() => quantizeModel({ file, scaleBits: 8, valueBits: 9 })).toThrow(/sigmoid's table value 256 \(scale 2\^8\) is outside the 9-bit value range[\s\S]*--value-bits ≥ 10/);
  });
});
