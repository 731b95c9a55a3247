/**
 * `opzk prove <model> --system gkr` as a user runs it: the Circom-only options are usage errors
 * with gkr, and --proof-out is one without it.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/zk/paths.ts';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');

function opzk(...args: string[]) {
  return spawnSync(process.execPath, [tsxCli, 'src/cli/main.ts', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

describe('opzk prove --system gkr', () => {
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
