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
    // The default input mode, and why: 8 inputs make a small verifier.
    expect(report.inputMode).toMatchObject({ mode: 'public', chosenBy: 'default' });
    expect(report.inputMode.reason).toMatch(/^8 input elements, 9 public signals if public, a Groth16 verifier of ~2,076 bytes: a small input/);
    // The phases on stderr, plain lines (not a TTY here).
    const phases = [...result.stderr.matchAll(/^\[prove\] 1\/1 linreg \(groth16, inputs public\): (\w+) /gm)].map((m) => m[1]);
    expect(phases).toEqual(['compile', 'witness', 'ptau', 'setup', 'prove', 'verify']);
  });

  it.runIf(existsSync(path.join(repoRoot, 'models/linreg.onnx')))('--inputs hashed --onchain: the input committed, posted and the proof accepted under EIP-170', () => {
    const result = opzk('prove', 'linreg', '--inputs', 'hashed', '--onchain', '--json');
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, any>;
    expect(report.settings.inputs).toBe('hashed');
    expect(report.inputMode).toMatchObject({ mode: 'hashed', chosenBy: '--inputs' });
    expect(report.constraints).toBe(24 + 692); // the Rescale + 8 × 16 range bits + one Poseidon(16) (564)
    expect(report.inputCommitment).toMatchObject({ signal: 'inputCommitment', elements: 8, words: 1, chunks: 1, constraints: 692 });
    expect(report.publicSignals).toBe(2);
    expect(report.onchain).toMatchObject({ accepted: true, registry: 'CommittedInputRegistry', codeSizeLimitLifted: false, exceedsCodeSizeLimit: false });
    expect(report.onchain.request.gasUsed).toBe('46529'); // deterministic: the calldata is the input's words and commitment
    expect(result.stderr).toMatch(/on-chain \(anvil: deploy the verifier and registry, post the input, submit\)/);
  });

  it('usage errors: a bad --inputs, --no-code-size-limit without --onchain', () => {
    const bad = opzk('prove', 'linreg', '--inputs', 'secret');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--inputs 'secret' is not one of public, private, hashed");
    const lifted = opzk('prove', 'linreg', '--no-code-size-limit');
    expect(lifted.status).toBe(2);
    expect(lifted.stderr).toContain('--no-code-size-limit is for --onchain');
  });

  it('a bad --weights is a usage error on stderr', () => {
    const result = opzk('prove', 'linreg', '--weights', 'secret');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("--weights 'secret' is not one of constant, public, private, hashed");
    expect(result.stdout).toBe('');
  });
});
