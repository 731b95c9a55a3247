/**
 * The affine and structural operators on small hand-built ONNX models, end to end: import,
 * quantization (which layers each ONNX idiom becomes — a BatchNormalization after a Conv/Gemm
 * folded away, one after a Transpose a per-channel mul), then the engine, the trace VM and the
 * circuit's witness bit for bit on seeded inputs, and onnxruntime within 1% of the largest output
 * at scale 2^12. Inputs past the range: the engine's OverflowError, the VM's trap at the same
 * layer and element, and no circuit witness. gkr refuses each model by the first layer it lacks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, UnsupportedModelError, VerificationError } from '../src/errors.ts';
import { proveGkr, setupGkrModel, verifyGkr } from '../src/gkr/index.ts';
import { createNativeSession, type NativeSession } from '../src/native/createNativeSession.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit } from '../src/zk/generateCircuit.ts';
import { readCircuitOutputs } from '../src/zk/readCircuitOutputs.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { CASES, gkrLowerable, normalisedCnn, type LinearOpsCase } from './linear-ops-fixtures.ts';

const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);
const sessions: NativeSession[] = [];
afterAll(async () => {
  for (const session of sessions) await session.close();
});

/** Each run gets its own inputs: the seeded inputs, and copies scaled towards and away from zero. */
function inputSets(c: Pick<LinearOpsCase, 'inputs'>): Record<string, number[]>[] {
  const scaled = (factor: number) => Object.fromEntries(Object.entries(c.inputs).map(([name, data]) => [name, data.map((v) => v * factor)]));
  return [c.inputs, scaled(0.5), scaled(-1)];
}

describe.each(CASES.map((make) => [make().name, make] as const))('%s', (_, make) => {
  const c = make();

  it('quantizes into the expected layers (BatchNorm after Conv/Gemm folded away)', () => {
    const model = quantizeModel({ file: c.file });
    expect(model.layers.map((layer) => layer.op)).toEqual(c.ops);
  });

  it('engine, trace VM and circuit witness agree bit for bit; gkr refuses it by name', async () => {
    const model = quantizeModel({ file: c.file });
    const program = compileProgram({ model });
    const generated = await generateCircuit({ model, settings: { weights: 'constant', relu: 'bounded' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
    expect(program.totalSteps).toBe(c.steps);
    expect(compiled.constraints).toBe(c.constraints);
    for (const set of inputSets(c)) {
      const inputs = quantizeInputs({ model, inputs: set });
      const engine = runEngine({ model, inputs });
      const trace = createTrace({ program, input: inputs });
      expect(trace.trap).toBeUndefined();
      for (const output of engine.outputs) expect(trace.outputs[output.name]).toEqual(output.data);
      const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs });
      const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
      checkWitness({ r1cs, witness });
      expect(readCircuitOutputs({ layout: generated.layout, witness }).map((o) => o.data)).toEqual(engine.outputs.map((o) => o.data));
    }
    expect(() => setupGkrModel({ model })).toThrow(UnsupportedModelError);
    expect(() => setupGkrModel({ model })).toThrow('which the gkr prover does not support');
  });

  it('an input past the range: the engine overflows, the VM traps at the same layer, the circuit has no witness', async () => {
    const model = quantizeModel({ file: c.file });
    const inputs = quantizeInputs({ model, inputs: c.overflowing });
    let overflow: OverflowError | undefined;
    try {
      runEngine({ model, inputs });
    } catch (error) {
      overflow = error as OverflowError;
    }
    expect(overflow).toBeInstanceOf(OverflowError);
    expect(overflow!.message).toContain(`layer '${c.overflowLayer}'`);
    const trace = createTrace({ program: compileProgram({ model }), input: inputs });
    expect(trace.trap?.layer).toBe(c.overflowLayer);
    expect(trace.trap?.index).toBe((overflow!.details as { index: number }).index);
    const generated = await generateCircuit({ model, settings: { weights: 'constant', relu: 'bounded' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs });
    await expect(calculateWitness({ wasmFile: compiled.wasmFile, input })).rejects.toThrow(VerificationError);
  });

  it('agrees with onnxruntime within 1% of the largest output at scale 2^12', async () => {
    const model: QuantizedModel = quantizeModel({ file: c.file, scaleBits: 12, valueBits: 24 });
    const session = await createNativeSession({ file: c.file });
    sessions.push(session);
    for (const set of inputSets(c)) {
      const engine = runEngine({ model, inputs: quantizeInputs({ model, inputs: set }) });
      const dims = Object.fromEntries(model.inputs.map((i) => [i.name, i.dims]));
      const native = await session.run(Object.fromEntries(Object.entries(set).map(([name, data]) => [name, { dims: dims[name]!, data }])));
      engine.outputs.forEach((output, o) => {
        const reference = native[o]!.data;
        expect(output.data).toHaveLength(size(native[o]!.dims));
        const largest = Math.max(...Array.from(reference, Math.abs));
        const worst = Math.max(...output.data.map((q, k) => Math.abs(q * 2 ** -12 - reference[k]!)));
        expect(worst, `error ${worst} against largest output ${largest}`).toBeLessThanOrEqual(0.01 * largest);
      });
    }
  });
});

describe('gkr', () => {
  it('proves a model whose new ops lower to layers it has (Div by a scalar, folded BatchNorm, GlobalAveragePool), bit for bit with the engine', () => {
    const c = gkrLowerable();
    const model = quantizeModel({ file: c.file });
    expect(model.layers.map((layer) => layer.op)).toEqual(c.ops);
    const key = setupGkrModel({ model });
    for (const set of inputSets(c)) {
      const inputs = quantizeInputs({ model, inputs: set });
      const proved = proveGkr({ key, inputs });
      expect(proved.outputs).toEqual(runEngine({ model, inputs }).outputs);
      verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: proved.outputs, proof: proved.proof });
    }
  });

  it('refuses a grouped (depthwise) conv by name instead of proving it as a dense one', () => {
    const model = quantizeModel({ file: normalisedCnn().file });
    const depthwise = model.layers.find((layer) => layer.op === 'conv')!;
    const alone = { ...model, layers: [depthwise], inputs: [{ name: depthwise.input, dims: model.tensors[(depthwise as { input: string }).input]! }], outputs: [{ name: depthwise.out, dims: model.tensors[depthwise.out]! }] };
    expect(() => setupGkrModel({ model: alone })).toThrow(`layer 'Conv_2' (conv) has group = 3, which the gkr prover does not support`);
  });
});
