/**
 * `opzk infer` and `opzk compare` end to end (the real CLI in a child process) on a model
 * written in code: the --json shapes, the engine's raw integers, and errors on stderr.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDir, writeMatMulModel } from './foundation-helpers.ts';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const dir = createTempDir();
const model = writeMatMulModel(dir, 'tiny', [[0.5, -1], [0.25, 2]], [0.125, 0]);
const input = join(dir, 'input.json');
writeFileSync(input, JSON.stringify({ input_data: [[1, -0.5]] }));

function opzk(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('opzk infer / compare', () => {
  it('infer --backend engine --json prints dequantized outputs and the raw integers', () => {
    const { status, stdout } = opzk('infer', model, '--input', input, '--json');
    expect(status).toBe(0);
    // x = [256, -128]; W = [[128, -256], [64, 512]]; b = [8192, 0] at scale 2^16.
    // acc = [256·128 - 128·64 + 8192, -256·256 - 128·512] = [32768, -131072] → rescale → [128, -512].
    expect(JSON.parse(stdout)).toEqual({
      backend: 'engine',
      model: 'tiny',
      scaleBits: 8,
      valueBits: 16,
      outputs: [{ name: 'y', dims: [1, 2], data: [0.5, -2], raw: [128, -512] }],
    });
  });

  it('infer --backend native runs onnxruntime on the float model', () => {
    const { status, stdout } = opzk('infer', model, '--input', input, '--backend', 'native', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.backend).toBe('native');
    expect(result.outputs[0].dims).toEqual([1, 2]);
    expect(result.outputs[0].data).toEqual([0.5 - 0.125 + 0.125, -1 - 1]);
  });

  it('compare --json reports errors and argmax agreement over seeded random inputs', () => {
    const { status, stdout } = opzk('compare', model, '--inputs', '5', '--json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ model: 'tiny', inputs: 5, overflows: 0, argmaxAgreement: 1, source: 'uniform random in [-1, 1], seed 1' });
    expect(report.maxAbsError).toBeLessThan(2 ** -8 * 4);
  });

  it('models: the footer names each evaluation set with its sample count and marks random weights', () => {
    const { status, stdout } = opzk('models');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith('mlp-w8 '))).toMatch(/%\*\s+\d+\.\d+%\*$/);
    expect(lines.find((l) => l.startsWith('mnist-cnn '))).not.toContain('*');
    expect(lines.slice(-4)).toEqual([
      'accuracy on 10,000 digits of the official MNIST test set: mnist-mlp-784-56-10, mnist-mlp-196-24-10, mnist-cnn, mnist-cnn-bn-sigmoid',
      'RMSE on 1,000 held-out rows: linreg',
      'accuracy on 1,000 digits of the official MNIST test set: mlp-w8, mlp-w16, mlp-w32, mlp-w64, mlp-w128, mlp-w256, mlp-w512, mlp-w1024',
      '* random weights, not trained (the width ladder for scaling runs): their accuracy is chance, about 10 %.',
    ]);
  });

  it('prints errors on stderr with a non-zero exit', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ input: [1, 2, 3] }));
    const { status, stdout, stderr } = opzk('infer', model, '--input', bad);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("input 'x' has 3 elements, the model expects dims [1,2]");
  });
});
