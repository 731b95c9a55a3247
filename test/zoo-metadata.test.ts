// The committed zoo: models/zoo.json matches the .onnx files byte for byte, every model loads and
// runs in onnxruntime-node with the recorded dims, the sample inputs in models/inputs match
// defaultInput, and `opzk models --json` reports the same zoo.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../src/cli/commands/models.ts';
import { createNativeSession } from '../src/native/createNativeSession.ts';
import { readZoo, REPO_ROOT } from '../src/zoo/readZoo.ts';
import { defaultInput } from '../src/zoo/sampleInputs.ts';
import { ZOO_SPECS } from '../src/zoo/zooSpecs.ts';

const zoo = readZoo();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('models/zoo.json', () => {
  it('lists every zoo spec once, in spec order', () => {
    expect(zoo.format).toBe('opzk-zoo/1');
    expect(zoo.models.map((model) => model.name)).toEqual(ZOO_SPECS.map((spec) => spec.name));
  });

  it.each(zoo.models.map((model) => [model.name, model] as const))('%s: sha256, size and graph match the file', (_, model) => {
    const bytes = readFileSync(join(REPO_ROOT, model.file));
    expect(model.file).toBe(`models/${model.name}.onnx`);
    expect(bytes.length).toBe(model.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(model.sha256);
    const decoded = onnxProto.onnx.ModelProto.decode(bytes);
    expect(decoded.producerName).toBe('opzk-bench');
    expect(decoded.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([['', 13]]);
    const graph = decoded.graph as onnxProto.onnx.GraphProto;
    expect(graph.node.map((node) => node.opType)).toEqual(model.operators);
    const parameters = graph.initializer.reduce((total, tensor) => total + tensor.dims!.reduce((a, b) => a * Number(b), 1), 0);
    expect(parameters).toBe(model.parameters);
    expect(model.quantization).toEqual({ scaleBits: 8, valueBits: 16 });
  });

  it('records an evaluation for every model, with the engine within 0.5 percentage points of native', () => {
    for (const model of zoo.models) {
      const evaluation = model.evaluation!;
      expect(evaluation, model.name).toBeDefined();
      expect(evaluation.overflows, model.name).toBe(0);
      if (evaluation.metric === 'accuracy') expect(Math.abs(evaluation.engine - evaluation.native), model.name).toBeLessThanOrEqual(0.005);
      if (model.training.kind === 'trained') expect(evaluation.native, model.name).toBeGreaterThan(0.9);
      // Activations stay well inside ±2^(v-1-s) = ±128 at the defaults.
      expect(evaluation.maxAbsActivation, model.name).toBeLessThan(64);
    }
    expect(zoo.models.find((model) => model.name === 'mnist-cnn')!.estimatedConstraints).toBeLessThanOrEqual(20_000);
  });
});

describe('every zoo model in onnxruntime-node', () => {
  it.each(zoo.models.map((model) => [model.name, model] as const))('%s loads and runs on its sample input', async (name, model) => {
    const session = await createNativeSession({ file: join(REPO_ROOT, model.file) });
    try {
      const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'inputs', `${name}.json`), 'utf8')) as { input: number[] };
      const input = defaultInput({ name });
      expect(Float32Array.from(sample.input)).toEqual(input.input!.data);
      expect(input.input!.dims).toEqual(model.inputs[0]!.dims);
      const [output] = await session.run({ input: input.input! });
      expect(output!.name).toBe('output');
      expect(output!.dims).toEqual(model.outputs[0]!.dims);
      expect(output!.data.every(Number.isFinite)).toBe(true);
    } finally {
      await session.close();
    }
  });
});

describe('opzk models', () => {
  it('--json prints the zoo with file sizes', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    expect(await command.run(['--json'])).toBe(0);
    expect(printed).toHaveLength(1);
    const result = JSON.parse(printed[0]!) as { models: Array<{ name: string; fileBytesOnDisk: number; bytes: number }> };
    expect(result.models.map((model) => model.name)).toEqual(zoo.models.map((model) => model.name));
    for (const model of result.models) expect(model.fileBytesOnDisk).toBe(model.bytes);
  });

  it('prints a table with one row per model', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    expect(await command.run([])).toBe(0);
    const table = printed.join('\n').split('\n');
    expect(table[0]).toMatch(/^model\s+input\s+params\s+file\s+operators\s+native\s+engine$/);
    const cnn = table.find((line) => line.startsWith('mnist-cnn '))!;
    expect(cnn).toContain('Conv,Relu,MaxPool,Flatten,Gemm');
    expect(cnn).toContain(`${(zoo.models.find((model) => model.name === 'mnist-cnn')!.evaluation!.engine * 100).toFixed(2)}%`);
  });

  it('rejects unknown options with a UsageError', async () => {
    await expect(command.run(['--nope'])).rejects.toMatchObject({ name: 'UsageError' });
  });
});
