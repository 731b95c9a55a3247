/**
 * Which zoo models `opzk prove` can prove on this machine (not a test): runs
 * `opzk prove <model> --json` (Groth16, constant weights, bounded Relu unless --weights says
 * otherwise) for each model in a child process with a wall-clock limit, and records either its
 * figures (constraints, compile/witness/setup/prove ms, zkey bytes, peak RSS) or the failure and
 * why (time limit, out of memory, the tool's own error). Writes results/zoo-prove/results.json
 * atomically after every model, so an interrupted run keeps what it measured; runs already in the
 * file for other (model, weights) pairs are kept.
 *
 * Run: `npx tsx bench/zoo-prove.ts [--models a,b,…] [--weights constant] [--builder auto|circom|direct] [--limit-s 600] [--fresh] [--out FILE]`
 * `--builder` is passed to `opzk prove` (who writes the R1CS and computes the witness); each run
 * records the builder that did, and the witness cold (first in the child process) and warm.
 * The build cache (.cache/zk, .cache/ptau) is keyed by content hash and shared with other runs:
 * `compileCached` / `setupCached` say when a step was served from it (its time is then 0).
 * `--fresh` gives each child an empty zk cache (OPZK_CACHE_DIR in a temporary folder whose
 * `ptau/` links to .cache/ptau: the powers of tau are a ceremony's output, reused), so compile
 * and setup are measured rather than served from the cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';

const DEFAULT_MODELS = ['linreg', 'mnist-mlp-196-24-10', 'mnist-cnn', 'mnist-mlp-784-56-10', 'mlp-w8', 'mlp-w16', 'mlp-w32', 'mlp-w64', 'mlp-w128', 'mlp-w256', 'mlp-w512', 'mlp-w1024'];

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: DEFAULT_MODELS.join(',') },
    weights: { type: 'string', default: 'constant' },
    builder: { type: 'string', default: 'circom' },
    system: { type: 'string', default: 'groth16' },
    'limit-s': { type: 'string', default: '600' },
    /** Stop the width ladder at its first failure (a wider model will not fit either). */
    'stop-ladder-on-failure': { type: 'boolean', default: true },
    fresh: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/zoo-prove/results.json' },
  },
});

interface ZooProveRun {
  model: string;
  system: string;
  weights: string;
  relu: 'bounded';
  /** The builder asked for (--builder) and the one that wrote the R1CS (absent in runs made before it existed: circom). */
  builderRequested?: string;
  builder?: string;
  /** 'fresh': an empty zk build cache (compile and setup measured); 'shared': .cache/zk as found. */
  cache: 'fresh' | 'shared';
  status: 'proved' | 'failed' | 'skipped';
  /** Failure or skip reason (the tool's error line, or the limit that was hit). */
  reason?: string;
  /** Wall-clock time of the whole child process (tsx start-up included), milliseconds. */
  wallMs: number;
  /** The wall-clock limit of the child process, seconds. */
  limitSeconds: number;
  constraints?: number;
  publicInputs?: number;
  compileMs?: number;
  compileCached?: boolean;
  /** The first witness in the child process (cold), ms. */
  witnessMs?: number;
  /** A second witness of the same input in the same process (warm), ms. */
  witnessWarmMs?: number;
  setupMs?: number;
  setupCached?: boolean;
  proveMs?: number;
  verifyMs?: number;
  proofBytes?: number;
  zkeyBytes?: number;
  /** getrusage maxrss of the child after proving, bytes (from opzk prove --json). */
  peakRssBytes?: number;
  ptauPower?: number;
  verified?: boolean;
  /** 1-minute load average at the start and end of the run (2 cores: > 2 means contention). */
  loadAverage1m: { start: number; end: number };
  finishedAt: string;
}

interface ZooProveResults {
  schema: 'opzk-bench/zoo-prove@1';
  createdAt: string;
  command: string;
  environment: ReturnType<typeof collectEnvironment>;
  runs: ZooProveRun[];
}

const outFile = path.resolve(values.out!);
const limitSeconds = Number(values['limit-s']);
const previous: ZooProveRun[] = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as ZooProveResults).runs : [];
const results: ZooProveResults = {
  schema: 'opzk-bench/zoo-prove@1',
  createdAt: new Date().toISOString(),
  command: `npx opzk prove <model> --system ${values.system} --weights ${values.weights} --builder ${values.builder} --json`,
  environment: collectEnvironment(),
  runs: previous,
};

function save(run: ZooProveRun): void {
  results.runs = results.runs.filter((r) => !(r.model === run.model && r.weights === run.weights && r.system === run.system && r.cache === run.cache && (r.builderRequested ?? 'circom') === (run.builderRequested ?? 'circom')));
  results.runs.push(run);
  results.createdAt = new Date().toISOString();
  writeFileAtomic({ file: outFile, content: JSON.stringify(results, null, 2) + '\n' });
}

function runChild(model: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; wallMs: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    const start = performance.now();
    let env = process.env;
    let freshDir: string | undefined;
    if (values.fresh) {
      freshDir = mkdtempSync(path.join(tmpdir(), 'opzk-zoo-prove-'));
      const sharedPtau = path.resolve('.cache/ptau');
      mkdirSync(sharedPtau, { recursive: true });
      symlinkSync(sharedPtau, path.join(freshDir, 'ptau'));
      env = { ...process.env, OPZK_CACHE_DIR: freshDir };
    }
    const child = spawn(process.execPath, ['bin/opzk.js', 'prove', model, '--system', values.system!, '--weights', values.weights!, '--builder', values.builder!, '--inputs', 'public', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // The group (bin/opzk.js → tsx → node) is killed, so no prover outlives its limit.
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, limitSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (freshDir) rmSync(freshDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - start, timedOut });
    });
  });
}

let ladderFailed: string | undefined;
for (const model of values.models!.split(',').filter(Boolean)) {
  const base = { model, system: values.system!, weights: values.weights!, relu: 'bounded' as const, builderRequested: values.builder!, cache: values.fresh ? ('fresh' as const) : ('shared' as const), limitSeconds };
  if (ladderFailed && model.startsWith('mlp-w') && values['stop-ladder-on-failure']) {
    save({ ...base, status: 'skipped', reason: `a narrower ladder model (${ladderFailed}) already failed`, wallMs: 0, loadAverage1m: { start: loadavg()[0]!, end: loadavg()[0]! }, finishedAt: new Date().toISOString() });
    continue;
  }
  process.stderr.write(`zoo-prove: ${model} (${values.weights} weights, ${values.system}), limit ${limitSeconds} s … `);
  const loadStart = loadavg()[0]!;
  const child = await runChild(model);
  const loadAverage1m = { start: loadStart, end: loadavg()[0]! };
  let run: ZooProveRun;
  if (child.code === 0) {
    const json = JSON.parse(child.stdout) as Record<string, unknown> & { ptau: { power: number } };
    run = {
      ...base,
      status: 'proved',
      wallMs: child.wallMs,
      constraints: json.constraints as number,
      publicInputs: json.publicInputs as number,
      compileMs: json.compileMs as number,
      compileCached: json.compileCached as boolean,
      builder: json.builder as string,
      witnessMs: json.witnessMs as number,
      witnessWarmMs: json.witnessWarmMs as number,
      setupMs: json.setupMs as number,
      setupCached: json.setupCached as boolean,
      proveMs: json.proveMs as number,
      verifyMs: json.verifyMs as number,
      proofBytes: json.proofBytes as number,
      zkeyBytes: json.zkeyBytes as number,
      peakRssBytes: json.peakRssBytes as number,
      ptauPower: json.ptau.power,
      verified: json.verified as boolean,
      loadAverage1m,
      finishedAt: new Date().toISOString(),
    };
  } else {
    // The tool's own message (opzk's error line, or the first line naming an error) and the last lines.
    const lines = child.stderr.trim().split('\n').filter((line) => !line.startsWith('npm warn'));
    const firstError = lines.find((line) => /error|Error|RangeError|out of memory|alloc/.test(line)) ?? '';
    const lastLines = `${firstError.slice(0, 300)} … ${lines.slice(-3).join(' | ').slice(0, 500)}`;
    const reason = child.timedOut
      ? `time limit: not finished after ${limitSeconds} s (killed)`
      : child.signal
        ? `killed by ${child.signal} (likely out of memory): ${lastLines}`
        : `exit ${child.code}: ${lastLines}`;
    run = { ...base, status: 'failed', reason, wallMs: child.wallMs, loadAverage1m, finishedAt: new Date().toISOString() };
    if (model.startsWith('mlp-w')) ladderFailed = model;
  }
  save(run);
  process.stderr.write(`${run.status}${run.status === 'proved' ? ` ${run.constraints} constraints (${run.builder}), witness ${Math.round(run.witnessMs!)} ms cold / ${Math.round(run.witnessWarmMs!)} ms warm, setup ${Math.round(run.setupMs!)} ms, prove ${Math.round(run.proveMs!)} ms` : `: ${run.reason}`}\n`);
}
