/**
 * Trusted-setup benchmark (not a test): snarkjs's own path to a prepared powers of tau
 * (`powersoftau new` + `contribute` + `prepare phase2`) against generateLocalPtau, side by side
 * in the same process, and generateLocalPtau alone at larger powers. Writes
 * results/setup/results.json atomically after every run, so an interrupted benchmark keeps what
 * it measured.
 *
 * Run: `npx tsx bench/setup.bench.ts [--snarkjs 12,14] [--local 12,14,16] [--out FILE] [--merge]`
 * (snarkjs's path takes ~1.5 min at 2^12 and ~6 min at 2^14 on 2 cores).
 * Wall time depends on what else runs on the machine; cpuMs (user + system of the whole
 * process, worker threads included) and the load average are recorded beside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as snarkjs from 'snarkjs';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { generateLocalPtau } from '../src/zk/setup/generateLocalPtau.ts';

const { values } = parseArgs({
  options: {
    snarkjs: { type: 'string', default: '12,14' },
    local: { type: 'string', default: '12,14,16' },
    out: { type: 'string', default: 'results/setup/results.json' },
    /** Keep the runs already in --out for powers/methods not measured now (e.g. the slow snarkjs ones). */
    merge: { type: 'boolean', default: false },
  },
});
const powerList = (text: string | undefined): number[] => (text ? text.split(',').filter(Boolean).map(Number) : []);

interface SetupRun {
  method: 'snarkjs-new-contribute-prepare' | 'local-insecure';
  power: number;
  /** Wall-clock time of the whole path, milliseconds. */
  wallMs: number;
  /** User + system CPU time of the process (all threads), milliseconds. */
  cpuMs: number;
  /** Wall-clock milliseconds per phase. */
  phasesMs: Record<string, number>;
  /** Size of the prepared .ptau, bytes. */
  fileBytes: number;
  /** 1-minute load average when the run started and ended (2 cores: > 2 means contention). */
  loadAverage1m: { start: number; end: number };
}

interface SetupResults {
  schema: 'opzk-bench/setup-results@1';
  createdAt: string;
  environment: ReturnType<typeof collectEnvironment>;
  runs: SetupRun[];
  /** snarkjs time / local time at the same power (wall and CPU). */
  speedups: Array<{ power: number; wallRatio: number; cpuRatio: number }>;
}

const outFile = path.resolve(values.out!);
const results: SetupResults = {
  schema: 'opzk-bench/setup-results@1',
  createdAt: new Date().toISOString(),
  environment: collectEnvironment(),
  runs: [],
  speedups: [],
};

if (values.merge && existsSync(outFile)) {
  const previous = JSON.parse(readFileSync(outFile, 'utf8')) as SetupResults;
  results.runs.push(...previous.runs);
}

function addRun(run: SetupRun): void {
  results.runs = results.runs.filter((r) => !(r.method === run.method && r.power === run.power));
  results.runs.push(run);
  results.runs.sort((a, b) => a.power - b.power || a.method.localeCompare(b.method));
  save();
}

function save(): void {
  results.speedups = [];
  for (const run of results.runs.filter((r) => r.method === 'snarkjs-new-contribute-prepare')) {
    const local = results.runs.find((r) => r.method === 'local-insecure' && r.power === run.power);
    if (local) results.speedups.push({ power: run.power, wallRatio: run.wallMs / local.wallMs, cpuRatio: run.cpuMs / local.cpuMs });
  }
  writeFileAtomic({ file: outFile, content: `${JSON.stringify(results, null, 2)}\n` });
}

async function measure(method: SetupRun['method'], power: number, body: (phase: (name: string, work: () => Promise<unknown>) => Promise<void>) => Promise<string>): Promise<SetupRun> {
  const phasesMs: Record<string, number> = {};
  const loadStart = loadavg()[0]!;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const file = await body(async (name, work) => {
    const t0 = performance.now();
    await work();
    phasesMs[name] = performance.now() - t0;
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const run: SetupRun = { method, power, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, phasesMs, fileBytes: statSync(file).size, loadAverage1m: { start: loadStart, end: loadavg()[0]! } };
  console.log(`${method} 2^${power}: ${(wallMs / 1000).toFixed(1)} s wall, ${(run.cpuMs / 1000).toFixed(1)} s CPU, load ${loadStart.toFixed(1)}→${run.loadAverage1m.end.toFixed(1)}`);
  return run;
}

const workDir = mkdtempSync(path.join(tmpdir(), 'opzk-setup-bench-'));
try {
  const snarkjsPowers = powerList(values.snarkjs);
  const localPowers = powerList(values.local);
  for (const power of [...new Set([...snarkjsPowers, ...localPowers])].sort((a, b) => a - b)) {
    if (localPowers.includes(power)) {
      const file = path.join(workDir, `local-${power}.ptau`);
      let timings: Record<string, number> = {};
      const run = await measure('local-insecure', power, async (phase) => {
        await phase('generate', async () => {
          timings = (await generateLocalPtau({ power, file })).timingsMs;
        });
        return file;
      });
      // generateLocalPtau's own split: scalars, points, contribution, write.
      for (const [name, ms] of Object.entries(timings)) if (name !== 'total') run.phasesMs[name] = ms;
      addRun(run);
      rmSync(file, { force: true });
    }
    if (snarkjsPowers.includes(power)) {
      const files = ['new', 'contributed', 'prepared'].map((name) => path.join(workDir, `snarkjs-${power}-${name}.ptau`));
      const run = await measure('snarkjs-new-contribute-prepare', power, async (phase) => {
        const curve = await snarkjs.curves.getCurveFromName('bn128');
        await phase('new', () => snarkjs.powersOfTau.newAccumulator(curve, power, files[0]));
        await phase('contribute', () => snarkjs.powersOfTau.contribute(files[0], files[1], 'bench', createHash('sha256').update(String(Math.random())).digest('hex')));
        await phase('preparePhase2', () => snarkjs.powersOfTau.preparePhase2(files[1], files[2]));
        return files[2]!;
      });
      addRun(run);
      for (const file of files) rmSync(file, { force: true });
    }
  }
  console.log(JSON.stringify(results.speedups));
  console.log(`wrote ${outFile}`);
} finally {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  rmSync(workDir, { recursive: true, force: true });
}
