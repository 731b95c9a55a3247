/**
 * Owns running one measurement attempt (the opML or zkML side of one model) in a child process
 * under a wall-clock limit and a memory cap, so that a model too large for a path ends as a
 * measured reason ("over the 2 GiB memory cap during setup, 2.3 GiB resident") instead of
 * crashing the run. The child (attemptWorker.ts) runs in its own process group; its memory is
 * the resident set of the whole group (anvil included), sampled every 200 ms from /proc; on a
 * limit the whole group is killed. V8's heap is capped at the same size, so a heap exhaustion
 * shows as an out-of-memory reason too.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import type { CircuitSettings } from '../../zk/generateCircuit.ts';
import type { ProofSystem } from '../../zk/types.ts';
import type { Measurement } from '../types.ts';
import { PHASE_PREFIX, RESULT_PREFIX } from './attemptWorker.ts';

/** One side of one model; `cheats`: every cheat strategy of the opML game (the Security row); `gkr`: the sumcheck/GKR prover (issue 10). */
export type AttemptPath = 'opML' | 'zkML' | 'cheats' | 'gkr';

export interface AttemptRequest {
  path: AttemptPath;
  model: string;
  scaleBits?: number;
  valueBits?: number;
  /** opML: the dispute game's settings (bond in wei as a decimal string). */
  game: { arity: number; challengeWindowSeconds: number; clockSeconds: number; bondWei: string };
  inferenceSamples?: number;
  /** zkML: proof system and circuit settings. */
  system: ProofSystem;
  circuit: CircuitSettings;
  ptauFile?: string;
  /** `--rpc-url`: the on-chain parts run on this endpoint (keys from OPZK_PRIVATE_KEY, inherited by the child). */
  rpcUrl?: string;
  /** zkML: label the measurements `inputs=<mode>` (every hashed run, and a public run beside a hashed default). */
  inputsLabel?: string;
  /** zkML: enforce EIP-170/EIP-3860 on the local anvil (default true). */
  codeSizeLimit?: boolean;
}

export interface AttemptReport {
  measurements: Measurement[];
}

export interface RunAttemptParameters {
  request: AttemptRequest;
  /** Wall-clock limit in seconds. */
  timeLimitSeconds: number;
  /** Cap on the resident memory of the attempt's process group, bytes. */
  memoryCapBytes: number;
  onPhase?: (phase: string) => void;
}

export interface RunAttemptResult {
  completed: boolean;
  /** Why it did not complete: which limit, in which phase, with the figures. */
  failure?: string;
  /** The failure was a limit (time, memory cap, heap exhaustion), not an error. */
  limitHit: boolean;
  /** The phase running when it ended. */
  lastPhase: string;
  /** Highest resident memory of the process group seen, bytes (sampled every 200 ms). */
  peakGroupRssBytes: number;
  wallMs: number;
  measurements: Measurement[];
}

const PAGE_BYTES = 4096;

/** Resident bytes of every process in process group `group` (Linux /proc). */
export function groupRssBytes(group: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may contain spaces, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      const statm = readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ');
      total += Number(statm[1]) * PAGE_BYTES;
    } catch { /* the process exited while we looked */ }
  }
  return total;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

export async function runAttempt({ request, timeLimitSeconds, memoryCapBytes, onPhase }: RunAttemptParameters): Promise<RunAttemptResult> {
  const worker = fileURLToPath(new URL('./attemptWorker.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const heapMiB = Math.max(256, Math.floor(memoryCapBytes / 2 ** 20));
  const started = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', tsx, worker, JSON.stringify(request)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: process.env.CI ?? '' },
  });
  let lastPhase = 'start';
  let resultLine: string | undefined;
  let stderrTail = '';
  let buffered = '';
  let killedFor: string | undefined;
  let peak = 0;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith(PHASE_PREFIX)) {
        lastPhase = line.slice(PHASE_PREFIX.length);
        onPhase?.(lastPhase);
      } else if (line.startsWith(RESULT_PREFIX)) resultLine = line.slice(RESULT_PREFIX.length);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  const killGroup = (reason: string) => {
    if (killedFor) return;
    killedFor = reason;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  };
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = groupRssBytes(child.pid);
    peak = Math.max(peak, rss);
    if (rss > memoryCapBytes) killGroup(`over the memory cap of ${mib(memoryCapBytes)} (${mib(rss)} resident) during '${lastPhase}'`);
  }, 200);
  const timer = setTimeout(() => killGroup(`over the time limit of ${timeLimitSeconds} s during '${lastPhase}'`), timeLimitSeconds * 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearInterval(poll);
  clearTimeout(timer);
  // anvil or snarkjs workers left behind by a killed child: take the group down.
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* nothing left */ }
  const wallMs = performance.now() - started;
  if (!killedFor && exitCode === 0 && resultLine) {
    const report = JSON.parse(resultLine) as AttemptReport;
    return { completed: true, limitHit: false, lastPhase, peakGroupRssBytes: peak, wallMs, measurements: report.measurements };
  }
  let failure = killedFor;
  let limitHit = killedFor !== undefined;
  if (!failure) {
    const lines = stderrTail.trim().split('\n').filter(Boolean);
    if (/heap out of memory|Allocation failed|RangeError: (Array buffer allocation|WebAssembly\.Memory)/i.test(stderrTail)) {
      failure = `out of memory during '${lastPhase}' (V8 heap capped at ${heapMiB} MiB): ${(lines.find((l) => /memory|Allocation/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 300)}`;
      limitHit = true;
    } else failure = `failed during '${lastPhase}' (exit ${exitCode}): ${(lines.at(-1) ?? 'no message').slice(0, 400)}`;
  }
  return { completed: false, failure, limitHit, lastPhase, peakGroupRssBytes: peak, wallMs, measurements: [] };
}
