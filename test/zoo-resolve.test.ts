// Zoo name resolution and sample inputs: names resolve to absolute files under models/ from any
// cwd, paths pass through, unknown names fail with the zoo listed; sample inputs are held-out,
// deterministic and labelled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { generateLinregData } from '../src/zoo/generateLinregData.ts';
import { isMnistHeldOut, loadMnist } from '../src/zoo/loadMnist.ts';
import { REPO_ROOT, readZoo } from '../src/zoo/readZoo.ts';
import { resolveModel } from '../src/zoo/resolveModel.ts';
import { defaultInput, sampleInputs } from '../src/zoo/sampleInputs.ts';

describe('resolveModel', () => {
  it('resolves a zoo name to its absolute file with metadata', () => {
    const result = resolveModel('mnist-mlp-196-24-10');
    expect(result.name).toBe('mnist-mlp-196-24-10');
    expect(result.file).toBe(join(REPO_ROOT, 'models', 'mnist-mlp-196-24-10.onnx'));
    expect(result.metadata!.inputs).toEqual([{ name: 'input', dims: [1, 196] }]);
    expect(resolveModel({ nameOrPath: 'linreg' }).file).toBe(join(REPO_ROOT, 'models', 'linreg.onnx'));
  });

  it('works from another working directory', () => {
    const script = `import { resolveModel } from ${JSON.stringify(join(REPO_ROOT, 'src/zoo/resolveModel.ts'))}; console.log(resolveModel('mnist-cnn').file);`;
    const output = execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['--eval', script], { cwd: tmpdir(), encoding: 'utf8' });
    expect(output.trim()).toBe(join(REPO_ROOT, 'models', 'mnist-cnn.onnx'));
  });

  it('passes paths through unchanged', () => {
    expect(resolveModel('./some/where/net.onnx')).toEqual({ name: 'net', file: './some/where/net.onnx' });
    expect(resolveModel('other.onnx')).toEqual({ name: 'other', file: 'other.onnx' });
    expect(resolveModel('/abs/model')).toEqual({ name: 'model', file: '/abs/model' });
  });

  it('rejects an unknown name, listing the zoo', () => {
    const zooNames = readZoo().models.map((model) => model.name);
    let caught: unknown;
    try {
      resolveModel('mnist-mlp-does-not-exist');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as UsageError;
    expect(error.shortMessage).toBe("unknown model 'mnist-mlp-does-not-exist': not a zoo name and not a file");
    expect(error.hint).toBe(`use a path to an .onnx file or one of the zoo models: ${zooNames.join(', ')}`);
    expect(error.details.zoo).toEqual(zooNames);
    expect(() => resolveModel('')).toThrow(UsageError);
  });

  it('reports a missing or foreign zoo file as an InputFileError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opzk-zoo-'));
    writeFileSync(join(dir, 'zoo.json'), '{"format":"something-else","models":[]}');
    expect(() => resolveModel({ nameOrPath: 'linreg', zooFile: join(dir, 'zoo.json') })).toThrow(/not a zoo file/);
    expect(() => resolveModel({ nameOrPath: 'linreg', zooFile: join(dir, 'missing.json') })).toThrow(/cannot read the model zoo metadata/);
  });
});

describe('sampleInputs', () => {
  it('gives held-out MNIST digits, round-robin over the classes, shaped for the model', () => {
    const samples = sampleInputs({ name: 'mnist-cnn', count: 12 });
    expect(samples).toHaveLength(12);
    expect(samples.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(samples[0]!.input!.dims).toEqual([1, 1, 14, 14]);
    // Sample 1 is the first held-out '1' of the npm package, pooled to 14×14.
    const mnist = loadMnist({ size: 14 });
    const firstOne = [...Array(mnist.count).keys()].find((i) => isMnistHeldOut(i) && mnist.labels[i] === 1)!;
    expect(samples[1]!.input!.data).toEqual(mnist.images.slice(firstOne * 196, firstOne * 196 + 196));
    const shifted = sampleInputs({ name: 'mnist-cnn', count: 2, offset: 10 });
    expect(shifted[1]!.input!.data).toEqual(samples[11]!.input!.data);
  });

  it('never hands out a training image: all 1,000 held-out samples are distinct npm held-out images', () => {
    const mnist = loadMnist();
    const heldOut = new Set<string>();
    for (let i = 0; i < mnist.count; i++) if (isMnistHeldOut(i)) heldOut.add(mnist.images.subarray(i * 784, i * 784 + 784).join());
    const samples = sampleInputs({ name: 'mnist-mlp-784-56-10', count: 1000 });
    expect(new Set(samples.map((sample) => sample.input!.data.join())).size).toBe(1000);
    for (const sample of samples) expect(heldOut.has(sample.input!.data.join())).toBe(true);
    expect(() => sampleInputs({ name: 'mnist-mlp-784-56-10', count: 1, offset: 1000 })).toThrow(/has 1000 MNIST sample inputs/);
  });

  it('gives seeded synthetic rows for linreg, labelled with the target', () => {
    const samples = sampleInputs({ name: 'linreg', count: 3, offset: 2 });
    const rows = generateLinregData({ split: 'test', count: 5 });
    expect(samples.labels).toEqual(Array.from(rows.targets.subarray(2, 5)));
    expect(samples[0]!.input).toEqual({ dims: [1, 8], data: Float32Array.from(rows.inputs.subarray(16, 24)) });
    expect(defaultInput({ name: 'linreg' }).input!.data).toEqual(Float32Array.from(rows.inputs.subarray(0, 8)));
  });

  it('rejects paths, unknown names and bad counts', () => {
    expect(() => sampleInputs({ name: './x.onnx', count: 1 })).toThrow(/not a zoo model/);
    expect(() => sampleInputs({ name: 'nope', count: 1 })).toThrow(UsageError);
    expect(() => sampleInputs({ name: 'linreg', count: -1 })).toThrow(/must be integers ≥ 0/);
  });
});
