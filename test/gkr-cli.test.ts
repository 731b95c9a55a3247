/**
 * `opzk prove <model> --system gkr` as a user runs it: one sumcheck/GKR proof of the zoo's
 * linreg model with --json (the outputs are the engine's integers, the proof verifies from its
 * bytes, the sizes are exact: the proof is deterministic for a given model and input), and the
 * usage errors (Circom-only options with gkr, --proof-out without it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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

describe('opzk prove --system gkr', () => {
  it('--json: a verified gkr proof whose outputs are the engine\'s, with its size measures', () => {
    const proofFile = path.join(mkdtempSync(path.join(tmpdir(), 'opzk-gkr-cli-')), 'linreg.gkr');
    const result = opzk('prove', 'linreg', '--system', 'gkr', '--json', '--proof-out', proofFile);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, any>;
    expect(report.system).toBe('gkr');
    expect(report.verified).toBe(true);
    expect(report.settings).toEqual({ weights: 'committed', inputs: 'public', scaleBits: 8, valueBits: 16 });
    // linreg: one Gemm 8 → 1 with its rescale; the rescale remainder is range-checked by a LogUp lookup into {0 … 255}.
    expect({ layers: report.layers, sumcheckRounds: report.sumcheckRounds, lookups: report.lookups, tableEntries: report.tableEntries, committedElements: report.committedElements, commitmentBytes: report.commitmentBytes, proofBytes: report.proofBytes })
      .toEqual({ layers: 1, sumcheckRounds: 31, lookups: 1, tableEntries: 256, committedElements: 258, commitmentBytes: 81, proofBytes: 11_157 });
    expect(readFileSync(proofFile).length).toBe(report.proofBytes);
    for (const key of ['witnessMs', 'setupMs', 'proveMs', 'protocolMs', 'proveWithoutCommitmentMs', 'commitMs', 'openMs', 'verifyMs', 'peakRssBytes']) expect(typeof report[key], key).toBe('number');
    expect(report.onchain.verified).toBe('off-chain');
    expect(report.onchain.estimate).toMatch(/^a Solidity verifier would need about [\d,]+ gas per proof \(estimate, not deployed: 11,157 bytes of calldata/);
    const model = quantizeModel({ file: path.join(repoRoot, 'models/linreg.onnx'), name: 'linreg' });
    const expected = runEngine({ model, inputs: quantizeInputs({ model, inputs: defaultInput({ name: 'linreg' }) }) }).outputs;
    expect(report.outputs.map((o: { raw: number[] }) => o.raw)).toEqual(expected.map((o) => Array.from(o.data)));
  });

  it('refuses the Circom-only options, naming them', () => {
    const result = opzk('prove', 'linreg', '--system', 'gkr', '--weights', 'private', '--onchain');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('prove: --weights, --onchain are Circom options, not for --system gkr');
    expect(result.stdout).toBe('');
  });

  it('refuses --proof-out for the Circom systems', () => {
    const result = opzk('prove', 'linreg', '--proof-out', '/tmp/x.bin');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('prove: --proof-out is for --system gkr');
  });
});
