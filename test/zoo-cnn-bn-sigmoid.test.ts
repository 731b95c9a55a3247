/**
 * The zoo's smooth-operator CNN (mnist-cnn-bn-sigmoid: Conv, BatchNormalization, MaxPool,
 * Sigmoid, Flatten, Gemm; issue 11 §5) on its committed sample digit: the importer folds the
 * unfolded BatchNormalization into the Conv; engine, circuit witness and trace VM agree bit for
 * bit; one inference is Groth16-proved (local ceremony, fresh phase-2 contribution) and verifies,
 * while a changed output, a changed input and a changed proof are rejected.
 * (The opML dispute on it: test/zoo-cnn-bn-sigmoid-dispute.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { VerificationError } from '../src/errors.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { readZoo, REPO_ROOT } from '../src/zoo/readZoo.ts';
import { proveInference } from '../src/zk/proveInference.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';

const NAME = 'mnist-cnn-bn-sigmoid';
/** R1CS constraints with constant weights at s = 8, v = 16 (the model's zoo settings). */
const CONSTRAINTS = 17_140;
/** Trace-VM steps: the Sigmoid layer's (two per element: a MAX FIRST that loads x, then the LUT) and the whole program's. */
const SIGMOID_STEPS = 100;
const TOTAL_STEPS = 6010;
const file = join(REPO_ROOT, 'models', `${NAME}.onnx`);
const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'inputs', `${NAME}.json`), 'utf8')) as { input: number[] };

describe(`${NAME}: the zoo model with BatchNormalization and Sigmoid`, () => {
  it('the ONNX file holds an unfolded BatchNormalization with running statistics; the importer folds it into the Conv', () => {
    const graph = onnxProto.onnx.ModelProto.decode(readFileSync(file)).graph as onnxProto.onnx.GraphProto;
    expect(graph.node.map((node) => node.opType)).toEqual(['Conv', 'BatchNormalization', 'MaxPool', 'Sigmoid', 'Flatten', 'Gemm']);
    const batchNorm = graph.node[1]!;
    expect(batchNorm.input).toEqual(['conv1.out', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var']);
    expect(batchNorm.attribute!.find((attribute) => attribute.name === 'epsilon')!.f).toBeCloseTo(1e-5, 10);
    // Running statistics that are not the identity's (0, 1): a fold that ignored them would differ.
    const variance = graph.initializer.find((tensor) => tensor.name === 'bn1.running_var')!;
    const values = new Float32Array(new Uint8Array(variance.rawData!).slice().buffer);
    expect(values.some((value) => Math.abs(value - 1) > 0.01)).toBe(true);
    const model = quantizeModel({ file });
    expect(model.layers.map((layer) => layer.op)).not.toContain('batchnorm');
    expect(model.layers.some((layer) => layer.op === 'smooth')).toBe(true);
    expect(readZoo().models.find((entry) => entry.name === NAME)!.quantization).toEqual({ scaleBits: model.scaleBits, valueBits: model.valueBits });
  });

  it('the trace VM reproduces the engine bit for bit', () => {
    const model = quantizeModel({ file });
    const inputs = quantizeInputs({ model, inputs: { input: sample.input } });
    const program = compileProgram({ model });
    const trace = createTrace({ program, input: inputs });
    const engine = runEngine({ model, inputs });
    for (const output of engine.outputs) expect(trace.outputs[output.name]).toEqual(output.data);
    expect(program.layers.filter((layer) => layer.op === 'smooth').map((layer) => layer.stepCount)).toEqual([SIGMOID_STEPS]);
    expect(program.totalSteps).toBe(TOTAL_STEPS);
  });

  it(`Groth16: proves one inference in ${CONSTRAINTS.toLocaleString('en-US')} constraints, outputs the engine's; tampered signals and proof are rejected`, { timeout: 600_000 }, async () => {
    const model = quantizeModel({ file });
    const inputs = quantizeInputs({ model, inputs: { input: sample.input } });
    const result = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded' }, system: 'groth16' });
    expect(result.verified).toBe(true);
    expect(result.circuit.constraints).toBe(CONSTRAINTS);
    expect(result.outputs[0]!.data).toEqual(Array.from(runEngine({ model, inputs }).outputs[0]!.data));
    const { verificationKey, proof } = result;
    // Public signals: the 10 outputs, then the 196 pixels.
    expect(result.publicSignals).toHaveLength(10 + 196);
    for (const index of [3, 10 + 100]) {
      const publicSignals = [...result.publicSignals];
      publicSignals[index] = (BigInt(publicSignals[index]!) + 1n).toString();
      await expect(verifyProof({ system: 'groth16', verificationKey, proof, publicSignals }), `signal ${index}`).rejects.toThrow(VerificationError);
    }
    // A proof whose C is another valid curve point (its A).
    await expect(verifyProof({ system: 'groth16', verificationKey, proof: { ...proof, pi_c: proof.pi_a }, publicSignals: result.publicSignals })).rejects.toThrow(VerificationError);
  });
});
