/**
 * No anvil outlives its parent: a child process starts anvil and then dies — by SIGTERM (the
 * signal handler kills anvil), by an uncaught exception (the 'exit' handler), or by SIGKILL (no
 * handler runs; the sh watchdog kills anvil within about a second). Also: createChainClients in
 * remote mode signs locally with a private key (here anvil's first dev key, against anvil).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../src/chain/compileSolidity.ts';
import { createChainClients } from '../src/chain/createChainClients.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { UsageError } from '../src/errors.ts';

const CHILD = `
import { startAnvil } from ${JSON.stringify(join(REPOSITORY_ROOT, 'src', 'chain', 'startAnvil.ts'))};
const anvil = await startAnvil({ accountCount: 1 });
console.log('PID ' + anvil.pid);
if (process.argv[2] === 'throw') setTimeout(() => { throw new Error('a failing test'); }, 50);
else setInterval(() => {}, 1000);
`;

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** Starts the child, returns its anvil's pid once printed, and the child's exit. */
async function startChild(mode: 'wait' | 'throw') {
  const dir = join(REPOSITORY_ROOT, '.cache', 'chain-test');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'anvil-child.ts');
  writeFileSync(script, CHILD);
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild, and killing the
  // CLI would leave the real parent of anvil alive.
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const anvilPid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PID (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`child exited before starting anvil: ${output}`)));
  });
  return { child, anvilPid, exited };
}

describe('anvil lifecycle', () => {
  it('parent_SIGTERM_kills_anvil', async () => {
    const { child, anvilPid, exited } = await startChild('wait');
    expect(isAlive(anvilPid)).toBe(true);
    child.kill('SIGTERM');
    await exited;
    expect(await waitUntil(() => !isAlive(anvilPid), 3000)).toBe(true);
  });

  it('parent_uncaught_exception_kills_anvil', async () => {
    const { anvilPid, exited } = await startChild('throw');
    await exited;
    expect(await waitUntil(() => !isAlive(anvilPid), 3000)).toBe(true);
  });

  it('parent_SIGKILL_watchdog_kills_anvil', async () => {
    const { child, anvilPid, exited } = await startChild('wait');
    child.kill('SIGKILL');
    await exited;
    expect(await waitUntil(() => !isAlive(anvilPid), 5000)).toBe(true);
  });
});

describe('createChainClients remote mode', () => {
  let anvil: StartAnvilResult;
  // anvil's first dev account (public knowledge; never use on a real chain).
  const DEV_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
  const DEV_KEY_1 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

  beforeAll(async () => { anvil = await startAnvil({ accountCount: 2 }); });
  afterAll(async () => { await anvil?.stop(); });

  it('signs_locally_with_private_keys', async () => {
    const clients = await createChainClients({ rpcUrl: anvil.rpcUrl, mode: 'remote', privateKeys: [DEV_KEY_0, DEV_KEY_1] });
    expect(clients.testClient).toBeUndefined();
    expect(clients.addresses).toEqual(['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8']);
    const hash = await clients.wallets[0].sendTransaction({ to: clients.addresses[1], value: parseEther('1') });
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(receipt.gasUsed).toBe(21_000n);
  });

  it('without_a_key_is_a_UsageError_naming_the_env_var', async () => {
    const saved = process.env.OPZK_PRIVATE_KEY;
    delete process.env.OPZK_PRIVATE_KEY;
    try {
      await expect(createChainClients({ rpcUrl: anvil.rpcUrl, mode: 'remote' })).rejects.toSatisfy(
        (error: unknown) => error instanceof UsageError && error.message.includes('OPZK_PRIVATE_KEY'),
      );
    } finally {
      if (saved !== undefined) process.env.OPZK_PRIVATE_KEY = saved;
    }
  });

  it('reads_keys_from_OPZK_PRIVATE_KEY', async () => {
    const saved = process.env.OPZK_PRIVATE_KEY;
    process.env.OPZK_PRIVATE_KEY = `${DEV_KEY_1}, ${DEV_KEY_0}`;
    try {
      const clients = await createChainClients({ rpcUrl: anvil.rpcUrl, mode: 'remote', accountCount: 1 });
      expect(clients.addresses).toEqual(['0x70997970C51812dc3A010C7d01b50e0d17dc79C8']);
    } finally {
      if (saved === undefined) delete process.env.OPZK_PRIVATE_KEY; else process.env.OPZK_PRIVATE_KEY = saved;
    }
  });
});
