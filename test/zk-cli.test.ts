/**
 * `opzk prove` as a user runs it: one Groth16 proof of the zoo's linreg model with --json (the
 * outputs are the engine's integers, the proof verifies), and usage errors on stderr.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { repoRoot } from '../src/zk/paths.ts';
import { defaultInput } from '../src/zoo/sampleInputs.ts';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');

function opzk(...args: string[]) {
  return spawnSync(process.execPath, [tsxCli, 'src/cli/main.ts', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

describe('opzk prove', () => {
  it.runIf(existsSync(path.join(repoRoot, 'models/linreg.onnx')))('--json: a verified Groth16 proof whose outputs are the engine\'s', () => {
    const result = opzk('prove', 'linreg', '--json');
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, any>;
    expect(report.system).toBe('groth16');
    expect(report.verified).toBe(true);
    expect(report.settings).toMatchObject({ weights: 'constant', relu: 'bounded', inputs: 'public', scaleBits: 8, valueBits: 16 });
    expect(report.proofBytes).toBe(256);
    expect(report.constraints).toBe(24); // one Rescale
    expect(report.ptau).toMatchObject({ source: 'local-insecure', insecure: true });
    for (const key of ['witnessMs', 'setupMs', 'proveMs', 'verifyMs', 'zkeyBytes', 'peakRssBytes']) expect(typeof report[key]).toBe('number');
    const model = quantizeModel({ file: path.join(repoRoot, 'models/linreg.onnx'), name: 'linreg' });
    const sample = defaultInput({ name: 'linreg' });
    const expected = runEngine({ model, inputs: quantizeInputs({ model, inputs: sample }) }).outputs;
    expect(report.outputs.map((o: { raw: number[] }) => o.raw)).toEqual(expected.map((o) => Array.from(o.data)));
  });

  it('a bad --weights is a usage error on stderr', () => {
    const result = opzk('prove', 'linreg', '--weights', 'secret');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("--weights 'secret' is not one of constant, public, private, hashed");
    expect(result.stdout).toBe('');
  });
});
