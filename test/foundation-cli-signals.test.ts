/**
 * SIGTERM / SIGINT to `bin/opzk.js` (what `kill`, a CI timeout or Ctrl-C sends) must end the whole
 * command: the tsx child, the CLI process, its anvil and its circom compiler — no orphan keeps
 * proving or holding a port after the command is gone (issue 9 §4).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/zk/paths.ts';

// A fresh cache, so that prove compiles (circom must run below the repository root).
mkdirSync(join(repoRoot, '.cache'), { recursive: true });
const cacheDir = mkdtempSync(join(repoRoot, '.cache', 'signals-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

interface ProcessInfo { pid: number; ppid: number; command: string }

function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      table.push({ pid: Number(entry), ppid, command });
    } catch { /* exited meanwhile */ }
  }
  return table;
}

function descendants(root: number): ProcessInfo[] {
  const table = processTable();
  const found: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of table) if (p.ppid === parent) { found.push(p); queue.push(p.pid); }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); it holds nothing and ends when reaped.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/**
 * Starts `bin/opzk.js …`, waits until a descendant matching `marker` runs, sends `signal` to the
 * bin process only (as `kill <pid>` does), and returns the descendants seen then and those still
 * alive 5 s later.
 */
async function signalDuring(args: string[], marker: RegExp, signal: NodeJS.Signals) {
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin/opzk.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', OPZK_CACHE_DIR: cacheDir },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  const seen = await waitFor(() => {
    const tree = descendants(child.pid!);
    return tree.some((p) => marker.test(p.command)) ? tree : undefined;
  }, 90_000);
  if (!seen) {
    child.kill('SIGKILL');
    throw new Error(`no process matching ${marker} appeared; output: ${output}`);
  }
  child.kill(signal);
  const exit = await exited;
  const survivors = await waitFor(() => {
    const left = seen.filter((p) => alive(p.pid));
    return left.length === 0 ? [] : undefined;
  }, 5_000);
  const left = survivors ?? seen.filter((p) => alive(p.pid));
  for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  return { seen, left, exit };
}

describe('signals to bin/opzk.js', () => {
  it('SIGTERM during a dispute ends the CLI and its anvil', async () => {
    const { seen, left, exit } = await signalDuring(['dispute', 'mnist-mlp-196-24-10'], /anvil/, 'SIGTERM');
    expect(seen.filter((p) => /anvil/.test(p.command) && !/^sh /.test(p.command))).toHaveLength(1);
    expect(seen.some((p) => /src\/cli\/main\.ts/.test(p.command))).toBe(true);
    expect(left.map((p) => p.command)).toEqual([]);
    expect(exit.code).toBe(143);
  }, 120_000);

  it('SIGINT during a proof ends the CLI and its circom compiler', async () => {
    // --builder circom: the default (auto) builds mlp-w8's R1CS without circom.
    const { seen, left, exit } = await signalDuring(['prove', 'mlp-w8', '--builder', 'circom'], /circom2/, 'SIGINT');
    expect(seen.some((p) => /circom2/.test(p.command))).toBe(true);
    expect(left.map((p) => p.command)).toEqual([]);
    expect(exit.code).toBe(130);
  }, 120_000);
});
