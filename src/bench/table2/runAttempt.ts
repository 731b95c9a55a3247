/**
 * Owns running one measurement attempt (the opML or zkML side of one model) in a child process
 * under two time budgets and a memory cap, so that a model too large for a path ends as a
 * measured reason ("over the 2 GiB memory cap during setup, 2.3 GiB resident") instead of
 * crashing the run. The budgets (attemptBudgets.ts, issue 14): the child names the budget of each
 * phase it starts; wall time in `setup` phases plus the recorded build time of every artefact it
 * took from the cache counts against the one-time limit, wall time in `inference` phases against
 * the per-inference limit; the timing repetitions and the child's start-up count against neither
 * (an overall cap catches a child stuck there). The child (attemptWorker.ts) runs in its own process group; its memory is
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
import { ATTEMPT_BUDGETS, CHARGE_PREFIX, PHASE_PREFIX, RESULT_PREFIX, type AttemptBudget, type AttemptLimit } from './attemptBudgets.ts';

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
  /** Timed runs of each per-inference step (trace, witness, prove, verify, gkr prove), the first included (default 1). */
  repetitions?: number;
  /** The repetitions after the first stop once they would pass this many ms (default: a quarter of the attempt's --time-limit). */
  repeatBudgetMs?: number;
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
  /** Per-inference budget (--time-limit), seconds of wall time in phases of budget `inference`. */
  timeLimitSeconds: number;
  /**
   * One-time budget (--setup-time-limit), seconds: wall time in phases of budget `setup` plus the
   * recorded build time of every artefact taken from the cache (default: timeLimitSeconds).
   */
  setupTimeLimitSeconds?: number;
  /** Cap on the resident memory of the attempt's process group, bytes. */
  memoryCapBytes: number;
  onPhase?: (phase: string) => void;
  /** The child's entry (default attemptWorker.ts); tests give a scripted one speaking the same line protocol. */
  workerFile?: string;
}

/** Where an attempt's time went, per budget (attemptBudgets.ts), ms. */
export interface AttemptBudgetUse {
  /** Charged to the one-time budget: wall time in setup phases + `cachedBuildMs`. */
  setupMs: number;
  /** Of setupMs: the recorded build time of artefacts taken from the cache. */
  cachedBuildMs: number;
  /** Charged to the per-inference budget. */
  inferenceMs: number;
  /** The timing repetitions (charged to neither). */
  repeatMs: number;
  /** Child start-up before its first phase (node + tsx; charged to neither). */
  startupMs: number;
  /** Whether the attempt got past its one-time steps: it completed, or ended outside a one-time (setup) phase. */
  setupDone: boolean;
}

export interface RunAttemptResult {
  completed: boolean;
  /** Why it did not complete: which limit, in which phase, with the figures. */
  failure?: string;
  /** The failure was a limit (time, memory cap, heap exhaustion), not an error. */
  limitHit: boolean;
  /** Which limit, when limitHit. */
  limit?: AttemptLimit;
  budgets: AttemptBudgetUse;
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

/** Start-up, budgets and a margin: past this the child is stuck somewhere no budget sees (ms). */
function overallCapMs(setupSeconds: number, timeSeconds: number): number {
  return (setupSeconds + 2 * timeSeconds + 120) * 1000;
}

export async function runAttempt({ request, timeLimitSeconds, setupTimeLimitSeconds = timeLimitSeconds, memoryCapBytes, onPhase, workerFile }: RunAttemptParameters): Promise<RunAttemptResult> {
  request = { ...request, repeatBudgetMs: request.repeatBudgetMs ?? (timeLimitSeconds * 1000) / 4 };
  const worker = workerFile ?? fileURLToPath(new URL('./attemptWorker.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const heapMiB = Math.max(256, Math.floor(memoryCapBytes / 2 ** 20));
  const started = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', tsx, worker, JSON.stringify(request)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: process.env.CI ?? '' },
  });
  let lastPhase = 'start';
  // The budget clocks: time in the current phase is added to its budget when the next one starts.
  let budget: AttemptBudget | 'startup' = 'startup';
  let phaseStarted = started;
  const used = { setup: 0, inference: 0, repeat: 0, startup: 0 };
  let cachedBuildMs = 0;
  const usedNow = () => ({ ...used, [budget]: used[budget] + (performance.now() - phaseStarted) });
  let limit: AttemptLimit | undefined;
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
        // `@@phase <budget> <name>`
        const rest = line.slice(PHASE_PREFIX.length);
        const space = rest.indexOf(' ');
        const named = rest.slice(0, space) as AttemptBudget;
        const now = performance.now();
        used[budget] += now - phaseStarted;
        phaseStarted = now;
        budget = ATTEMPT_BUDGETS.includes(named) ? named : 'inference';
        lastPhase = ATTEMPT_BUDGETS.includes(named) ? rest.slice(space + 1) : rest;
        onPhase?.(lastPhase);
        checkBudgets();
      } else if (line.startsWith(CHARGE_PREFIX)) {
        // `@@charge <ms>`: an artefact taken from the cache, charged what building it took.
        const ms = Number(line.slice(CHARGE_PREFIX.length));
        if (Number.isFinite(ms) && ms > 0) cachedBuildMs += ms;
        checkBudgets();
      } else if (line.startsWith(RESULT_PREFIX)) resultLine = line.slice(RESULT_PREFIX.length);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  const killGroup = (reason: string, why: AttemptLimit) => {
    if (killedFor) return;
    killedFor = reason;
    limit = why;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  };
  function checkBudgets() {
    const now = usedNow();
    const setupMs = now.setup + cachedBuildMs;
    if (setupMs > setupTimeLimitSeconds * 1000)
      killGroup(`over the setup time limit of ${setupTimeLimitSeconds} s (one-time costs: ${(setupMs / 1000).toFixed(1)} s${cachedBuildMs > 0 ? `, ${(cachedBuildMs / 1000).toFixed(1)} s of it the recorded build time of artefacts taken from the cache` : ''}) during '${lastPhase}'`, 'setup-time');
    else if (now.inference > timeLimitSeconds * 1000)
      killGroup(`over the time limit of ${timeLimitSeconds} s during '${lastPhase}'`, 'time');
    else if (now.repeat > timeLimitSeconds * 1000)
      killGroup(`over the time limit of ${timeLimitSeconds} s during '${lastPhase}' (the timing repetitions)`, 'time');
    else if (performance.now() - started > overallCapMs(setupTimeLimitSeconds, timeLimitSeconds))
      killGroup(`over the attempt's overall limit of ${overallCapMs(setupTimeLimitSeconds, timeLimitSeconds) / 1000} s (start-up ${(now.startup / 1000).toFixed(1)} s) during '${lastPhase}'`, 'time');
  }
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = groupRssBytes(child.pid);
    peak = Math.max(peak, rss);
    if (rss > memoryCapBytes) killGroup(`over the memory cap of ${mib(memoryCapBytes)} (${mib(rss)} resident) during '${lastPhase}'`, 'memory');
    checkBudgets();
  }, 200);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearInterval(poll);
  const final = usedNow();
  // Past its one-time steps: it did not end in one (or before its first phase).
  // (assigned in the stdout handler: TypeScript's flow analysis still sees the initial 'startup')
  const endedIn = budget as AttemptBudget | 'startup';
  const setupDone = endedIn !== 'setup' && endedIn !== 'startup';
  const budgets: AttemptBudgetUse = { setupMs: final.setup + cachedBuildMs, cachedBuildMs, inferenceMs: final.inference, repeatMs: final.repeat, startupMs: final.startup, setupDone };
  // anvil or snarkjs workers left behind by a killed child: take the group down.
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* nothing left */ }
  const wallMs = performance.now() - started;
  if (!killedFor && exitCode === 0 && resultLine) {
    const report = JSON.parse(resultLine) as AttemptReport;
    return { completed: true, limitHit: false, budgets: { ...budgets, setupDone: true }, lastPhase, peakGroupRssBytes: peak, wallMs, measurements: report.measurements };
  }
  let failure = killedFor;
  let limitHit = killedFor !== undefined;
  if (!failure) {
    const lines = stderrTail.trim().split('\n').filter(Boolean);
    if (/heap out of memory|Allocation failed|RangeError: (Array buffer allocation|WebAssembly\.Memory)/i.test(stderrTail)) {
      failure = `out of memory during '${lastPhase}' (V8 heap capped at ${heapMiB} MiB): ${(lines.find((l) => /memory|Allocation/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 300)}`;
      limitHit = true;
      limit = 'memory';
    } else if (/^UnsupportedModelError: /.test(lines.at(-1) ?? '')) {
      // Not a crash: the backend refuses an operator of this model by name (gkr and Sigmoid).
      // (The error's name stays in the text: measureAttempt does not retry an UnsupportedModelError.)
      failure = `refused by this backend during '${lastPhase}' (UnsupportedModelError): ${lines.at(-1)!.replace(/^UnsupportedModelError: /, '').slice(0, 400)}`;
    } else failure = `failed during '${lastPhase}' (exit ${exitCode}): ${(lines.at(-1) ?? 'no message').slice(0, 400)}`;
  }
  return { completed: false, failure, limitHit, ...(limitHit && limit ? { limit } : {}), budgets, lastPhase, peakGroupRssBytes: peak, wallMs, measurements: [] };
}
