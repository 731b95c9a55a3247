/**
 * The affine and structural operators on small hand-built ONNX models, end to end: import,
 * quantization (which layers each ONNX idiom becomes — a BatchNormalization after a Conv/Gemm
 * folded away, one after a Transpose a per-channel mul), then the engine, the trace VM and the
 * circuit's witness bit for bit on seeded inputs, and onnxruntime within 1% of the largest output
 * at scale 2^12. Inputs past the range: the engine's OverflowError, the VM's trap at the same
 * layer and element, and no circuit witness. gkr refuses each model by the first layer it lacks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, UnsupportedModelError, VerificationError } from '../src/errors.ts';
import { setupGkrModel } from '../src/gkr/index.ts';
import { createNativeSession, type NativeSession } from '../src/native/createNativeSession.ts';
import { encodeOnnxModel, type EncodeOnnxModelParameters } from '../src/onnx/encodeOnnxModel.ts';
import { DataType } from '../src/onnx/types.ts';
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
import { createIntegerPrng } from './opml-vm-fixtures.ts';

const directory = mkdtempSync(join(tmpdir(), 'opzk-linear-ops-'));
const random = createIntegerPrng(2026);
/** `count` floats in [-bound, bound], multiples of 1/1000 (seeded). */
const floats = (count: number, bound: number) => Array.from({ length: count }, () => random(-bound * 1000, bound * 1000) / 1000);
const positive = (count: number, low: number, high: number) => Array.from({ length: count }, () => random(low * 1000, high * 1000) / 1000);
const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);

function writeModel(name: string, parameters: EncodeOnnxModelParameters): string {
  const file = join(directory, `${name}.onnx`);
  writeFileSync(file, encodeOnnxModel(parameters));
  return file;
}

const tensor = (name: string, dims: number[], data: number[], dataType?: number) => ({ name, dims, data, ...(dataType ? { dataType } : {}) });
const batchNorm = (prefix: string, channels: number) => [
  tensor(`${prefix}.scale`, [channels], positive(channels, 0.5, 1.5)),
  tensor(`${prefix}.B`, [channels], floats(channels, 0.5)),
  tensor(`${prefix}.mean`, [channels], floats(channels, 0.5)),
  tensor(`${prefix}.var`, [channels], positive(channels, 0.5, 2)),
];
const batchNormInputs = (prefix: string, x: string) => [x, `${prefix}.scale`, `${prefix}.B`, `${prefix}.mean`, `${prefix}.var`];

interface Case {
  name: string;
  file: string;
  inputs: Record<string, number[]>;
  /** The layer ops the quantizer makes of it. */
  ops: string[];
  /** Float inputs that drive a layer out of the 16-bit range at scale 2^8. */
  overflowing: Record<string, number[]>;
  /** The layer the engine and the VM name for `overflowing`. */
  overflowLayer: string;
  /** Trace-VM steps and circuit constraints (--weights constant, --O2): exact, deterministic. */
  steps: number;
  constraints: number;
}

/** Sub/Div input normalisation, depthwise conv + BatchNorm (folded), ReLU6, reflect pad, GAP, Gemm + BatchNorm (folded). */
function normalisedCnn(): Case {
  const file = writeModel('normalised-cnn', {
    inputs: [{ name: 'x', dims: [1, 3, 5, 5] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('mean', [1, 3, 1, 1], [0.485, 0.456, 0.406]),
      tensor('std', [1, 3, 1, 1], [0.229, 0.224, 0.225]),
      tensor('dw', [3, 1, 3, 3], floats(27, 0.4)),
      tensor('dwb', [3], floats(3, 0.2)),
      ...batchNorm('bn1', 3),
      tensor('six', [], [6]),
      tensor('zero', [], [0]),
      tensor('pads', [8], [0, 0, 1, 2, 0, 0, 2, 1], DataType.INT64),
      tensor('fc', [2, 3], floats(6, 0.8)),
      tensor('fcb', [2], floats(2, 0.3)),
      ...batchNorm('bn2', 2),
    ],
    nodes: [
      { opType: 'Sub', inputs: ['x', 'mean'], outputs: ['centred'] },
      { opType: 'Div', inputs: ['centred', 'std'], outputs: ['normalised'] },
      { opType: 'Conv', inputs: ['normalised', 'dw', 'dwb'], outputs: ['depthwise'], attributes: { group: 3, kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn1', 'depthwise'), outputs: ['bn1out'], attributes: { epsilon: 1e-3 } },
      { opType: 'Clip', inputs: ['bn1out', 'zero', 'six'], outputs: ['relu6'] },
      { opType: 'Pad', inputs: ['relu6', 'pads'], outputs: ['padded'], attributes: { mode: 'reflect' } },
      { opType: 'GlobalAveragePool', inputs: ['padded'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['flat'] },
      { opType: 'Gemm', inputs: ['flat', 'fc', 'fcb'], outputs: ['logits'], attributes: { transB: 1 } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn2', 'logits'), outputs: ['y'] },
    ],
  });
  return {
    name: 'normalised-cnn', file, inputs: { x: positive(75, 0, 1) },
    ops: ['add', 'mul', 'conv', 'clip', 'pad', 'avgpool', 'reshape', 'matmul'],
    overflowing: { x: new Array(75).fill(-127) }, overflowLayer: 'Div_1',
    steps: 1235, constraints: 7632,
  };
}

/** tf2onnx's NHWC ↔ NCHW transposes around a conv, a BatchNorm that cannot fold (after a Transpose), LeakyRelu. */
function nhwcConv(): Case {
  const file = writeModel('nhwc-conv', {
    inputs: [{ name: 'x', dims: [1, 4, 4, 2] }],
    outputs: [{ name: 'y' }],
    initializers: [...batchNorm('bn', 2), tensor('w', [3, 2, 3, 3], floats(54, 0.5)), tensor('b', [3], floats(3, 0.2))],
    nodes: [
      { opType: 'Transpose', inputs: ['x'], outputs: ['nchw'], attributes: { perm: [0, 3, 1, 2] } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn', 'nchw'), outputs: ['normed'] },
      { opType: 'Conv', inputs: ['normed', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [3, 3], pads: [1, 0, 1, 2], strides: [1, 2] } },
      { opType: 'LeakyRelu', inputs: ['conv'], outputs: ['leaky'], attributes: { alpha: 0.1 } },
      { opType: 'Transpose', inputs: ['leaky'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
    ],
  });
  return {
    name: 'nhwc-conv', file, inputs: { x: floats(32, 2) },
    ops: ['transpose', 'mul', 'conv', 'leakyRelu', 'transpose'],
    overflowing: { x: new Array(32).fill(127) }, overflowLayer: 'BatchNormalization_1',
    steps: 484, constraints: 2328,
  };
}

/** Two activations: Mul, Concat with a constant, constant Pad, Pow 2, Sub from a constant, Mul and Div by scalars. */
function twoInputs(): Case {
  const file = writeModel('two-inputs', {
    inputs: [{ name: 'x', dims: [1, 2, 3] }, { name: 'z', dims: [1, 2, 3] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('k', [1, 1, 3], floats(3, 1)),
      tensor('pads', [6], [0, 1, 0, 0, 0, 2], DataType.INT64),
      tensor('fill', [], [0.5]),
      tensor('two', [], [2]),
      tensor('one', [1, 1, 1], [1]),
      tensor('half', [], [0.5]),
      tensor('three', [], [3]),
    ],
    nodes: [
      { opType: 'Mul', inputs: ['x', 'z'], outputs: ['product'] },
      { opType: 'Concat', inputs: ['product', 'k', 'x'], outputs: ['joined'], attributes: { axis: -2 } },
      { opType: 'Pad', inputs: ['joined', 'pads', 'fill'], outputs: ['padded'] },
      { opType: 'Pow', inputs: ['padded', 'two'], outputs: ['squared'] },
      { opType: 'Sub', inputs: ['one', 'squared'], outputs: ['difference'] },
      { opType: 'Mul', inputs: ['difference', 'half'], outputs: ['halved'] },
      { opType: 'Div', inputs: ['halved', 'three'], outputs: ['y'] },
    ],
  });
  return {
    name: 'two-inputs', file, inputs: { x: floats(6, 2), z: floats(6, 2) },
    ops: ['mul', 'concat', 'pad', 'mul', 'scalarMul', 'add', 'scalarMul', 'scalarMul'],
    overflowing: { x: [100, 1, 1, 1, 1, 1], z: [100, 1, 1, 1, 1, 1] }, overflowLayer: 'Mul_0',
    // Steps: Mul 6 × (MAC, RESCALE) + Pow 30 × 2 + negate 30 SCALE + add 30 ADD + two scalars 2 × 30 SCALE.
    // Constraints: Mul 6 × 25 + Pow 30 × 25 − 18 products of two literals (the pad fill, k) that
    // --O2 folds + negate 30 × 24 + add 30 × 16 + 2 × 30 × 24.
    steps: 6 * 2 + 30 * 2 + 30 + 30 + 60, constraints: 6 * 25 + 30 * 25 - 18 + 30 * 24 + 30 * 16 + 2 * 30 * 24,
  };
}

const CASES = [normalisedCnn, nhwcConv, twoInputs];
const sessions: NativeSession[] = [];
afterAll(async () => {
  for (const session of sessions) await session.close();
});

/** Each run gets its own inputs: the seeded inputs, and copies scaled towards and away from zero. */
function inputSets(c: Case): Record<string, number[]>[] {
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
