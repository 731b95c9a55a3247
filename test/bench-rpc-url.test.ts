/**
 * `opzk bench --rpc-url`: the on-chain parts of a suite run on a given EVM endpoint instead of
 * local anvils. The endpoint here is an anvil this test starts and treats as remote: the bench
 * gets only its URL and three private keys (OPZK_PRIVATE_KEY), signs locally, cannot fast-forward
 * time (windows and clocks pass in real time), and must leave its transactions on that chain.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bytesToHex, createPublicClient, http } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import type { RunResults } from '../src/bench/types.ts';

const run = promisify(execFile);
/** anvil's dev accounts come from this public test mnemonic (anvil --help). */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
const keyOf = (index: number) => bytesToHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).getHdKey().privateKey!);

let anvil: StartAnvilResult;
beforeAll(async () => {
  anvil = await startAnvil({ disableCodeSizeLimit: false });
});
afterAll(async () => {
  await anvil?.stop();
});

async function bench(args: string[], keys: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', 'bench', ...args], {
      env: { ...process.env, NODE_NO_WARNINGS: '1', CI: 'true', OPZK_PRIVATE_KEY: keys }, maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('table2 on linreg runs its games, proofs and tamperings on the --rpc-url chain, in real time', async () => {
  const out = mkdtempSync(join(tmpdir(), 'opzk-rpc-'));
  const keys = [0, 1, 2].map(keyOf).join(',');
  const chain = createPublicClient({ transport: http(anvil.rpcUrl) });
  const blocksBefore = await chain.getBlockNumber();
  const { code, stderr } = await bench([
    '--suite', 'table2', '--models', 'linreg', '--ladder', 'none', '--reference-model', 'linreg', '--cheats-model', 'linreg',
    '--window', '3', '--clock', '6', '--rpc-url', anvil.rpcUrl, '--out', out, '--skip-charts',
  ], keys);
  expect(code, stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
  const clientVersion = String(await chain.request({ method: 'web3_clientVersion' as never }));
  expect(results.settings.chain).toEqual({ endpoint: anvil.rpcUrl, chainId: 31337, clientVersion });
  const value = (metric: string, labels: Record<string, string> = {}) =>
    results.measurements.filter((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => m.labels[k] === v)).map((m) => m.value);
  // Every cheat was caught and every tampered proof rejected, on that chain: the seven strategies,
  // a false "this input traps", and three cheats on linreg's all-alternating input, which traps.
  expect(value('cheatCaught')).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  expect(results.measurements.filter((m) => m.metric === 'cheatCaught').map((m) => m.labels.cheat)).toEqual([
    'output', 'step', 'final-state', 'inconsistent', 'silent', 'false-challenge', 'false-midpoints', 'error', 'trap:output', 'trap:step', 'trap:false-challenge',
  ]);
  // Five on-chain tamperings (the last: forged from the verification key) in each input mode: the
  // reference model's all-public attempt and its hashed-input one (labelled inputs=hashed).
  expect(value('tamperRejected', { where: 'on-chain' })).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  expect(results.measurements.filter((m) => m.metric === 'tamperRejected' && m.labels.where === 'on-chain' && m.labels.inputs === 'hashed')).toHaveLength(5);
  expect(value('disputeHonestWon')).toEqual([1]);
  // Gas is the chain's own receipt gas (this chain is anvil with the same hardfork: same figures
  // as a local run would give), and storage was traced (the node has debug_traceTransaction).
  expect(value('opmlGas', { phase: 'one-step' })[0]).toBeGreaterThan(21_000);
  expect(value('zkVerifyGas')[0]).toBeGreaterThan(200_000);
  expect(value('opmlStorageBytes')[0]).toBeGreaterThan(0);
  const wall = results.measurements.find((m) => m.metric === 'disputeWallTime')!;
  expect(wall.note).toMatch(/on the --rpc-url chain, \d+ s of it waiting out windows and clocks in real time/);
  // The transactions are on this chain: deployments, requests, submissions, moves, settles, finalizations.
  expect(Number((await chain.getBlockNumber()) - blocksBefore)).toBeGreaterThan(60);
  expect(existsSync(join(out, 'report.md'))).toBe(true);
}, 420_000);

test('--rpc-url without three funded keys is refused before anything runs', async () => {
  const out = mkdtempSync(join(tmpdir(), 'opzk-rpc-'));
  const args = ['--suite', 'quick', '--window', '4', '--rpc-url', anvil.rpcUrl, '--out', out, '--skip-charts'];
  const none = await bench(args, '');
  expect(none.code).not.toBe(0);
  expect(none.stderr).toContain('--rpc-url needs private keys in OPZK_PRIVATE_KEY');
  const one = await bench(args, keyOf(0));
  expect(one.code).not.toBe(0);
  expect(one.stderr).toContain('the dispute games need three funded accounts (requester, submitter, challenger); OPZK_PRIVATE_KEY has 1');
  expect(existsSync(join(out, 'results.json'))).toBe(false);
  const ci = await bench(['--suite', 'ci', '--rpc-url', anvil.rpcUrl, '--out', out], keyOf(0));
  expect(ci.code).not.toBe(0);
  expect(ci.stderr).toContain('bench --suite ci runs on a local anvil only');
});
