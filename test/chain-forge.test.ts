/**
 * Runs the Solidity tests with forge (offline, solc-js through scripts/solc-shim.cjs) so `npm test`
 * covers them, and checks the committed gas snapshot (contracts/.gas-snapshot): a gas change in
 * any contract must come with `npm run forge:snapshot` in the same commit. Fails with forge's output.
 * Fuzz tests (named `testFuzz_*`) are left out of the snapshot: their mean gas depends on the fuzz
 * dictionary, which forge seeds from the constants of every compiled contract, so it moves when an
 * unrelated contract changes.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACTS_ROOT } from '../src/chain/compileSolidity.ts';

const require = createRequire(import.meta.url);
const forge = join(dirname(require.resolve('@foundry-rs/forge-linux-amd64/package.json')), 'bin', 'forge');

function runForge(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(forge, args, { cwd: CONTRACTS_ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

describe('forge', () => {
  it('forge_test_passes', () => {
    const { status, output } = runForge(['test']);
    if (status !== 0) throw new Error(`forge test failed (exit ${status}):\n${output.slice(-12_000)}`);
    expect(output).toMatch(/0 failed/);
  }, 300_000);

  it('forge_snapshot_matches_committed_gas_snapshot', () => {
    const { status, output } = runForge(['snapshot', '--check', '--no-match-test', 'testFuzz']);
    if (status !== 0)
      throw new Error(`forge snapshot --check failed (exit ${status}); if the gas change is intended run \`npm run forge:snapshot\` and commit contracts/.gas-snapshot:\n${output.slice(-12_000)}`);
    expect(status).toBe(0);
  }, 300_000);
});
