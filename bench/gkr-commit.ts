/**
 * The multilinear commitment (src/gkr/commit/) measured, not tested: commit, open and verify
 * time and real proof bytes for 2^12 … 2^20 committed base elements at rate 1/4 and 1/2, and the
 * SHA-256 implementations the Merkle tree could use, at the input sizes it hashes.
 *
 *   npx tsx bench/gkr-commit.ts [--sizes 12,14,16,18,20] [--rates 0.25,0.5] [--claims 1,2]
 *                               [--repeats 3] [--values int8|field] [--out results/gkr-commit/results.json]
 *
 * Values: by default int8 engine values (what the weights of a quantized model are, so the
 * prover's row combinations take the small-entry path); `--values field` uses uniform field
 * elements (the worst case). Each figure is the fastest of --repeats runs (wall ms) with the
 * process CPU ms of that run and the load average beside it: on a shared 2-core machine the
 * wall time depends on the other processes.
 */
import { createHash, hash as cryptoHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { commitMultilinear } from '../src/gkr/commit/commitMultilinear.ts';
import { openMultilinear } from '../src/gkr/commit/openMultilinear.ts';
import type { CodeRate } from '../src/gkr/commit/parameters.ts';
import { serializeCommitment, serializeOpeningProof } from '../src/gkr/commit/serializeOpening.ts';
import { verifyOpening } from '../src/gkr/commit/verifyOpening.ts';
import { extFromBigInts } from '../src/gkr/field/extension.ts';
import { baseFromSigned } from '../src/gkr/field/goldilocks.ts';
import { Transcript } from '../src/gkr/transcript.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '12,14,16,18,20' },
    rates: { type: 'string', default: '0.25,0.5' },
    claims: { type: 'string', default: '1,2' },
    repeats: { type: 'string', default: '3' },
    values: { type: 'string', default: 'int8' },
    out: { type: 'string', default: 'results/gkr-commit/results.json' },
  },
});
const list = (text: string): number[] => text.split(',').filter(Boolean).map(Number);

interface Timed { wallMs: number; cpuMs: number }
function timed<T>(body: () => T): { result: T } & Timed {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = body();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}
function best<T>(repeats: number, body: () => T): { result: T } & Timed {
  let min: ({ result: T } & Timed) | undefined;
  for (let r = 0; r < repeats; r++) {
    const run = timed(body);
    if (!min || run.wallMs < min.wallMs) min = run;
  }
  return min!;
}

let seed = 0x2545f491;
function next(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
function table(entries: number, kind: string): Uint32Array {
  const words = new Uint32Array(2 * entries);
  for (let i = 0; i < entries; i++) {
    if (kind === 'int8') baseFromSigned(words, 2 * i, (next() % 256) - 128);
    else {
      words[2 * i] = next();
      words[2 * i + 1] = next() % 0xffffffff;
    }
  }
  return words;
}
function point(variables: number): Uint32Array {
  const out = new Uint32Array(4 * variables);
  for (let i = 0; i < variables; i++) extFromBigInts(out, 4 * i, BigInt(next()) * 4294967296n + BigInt(next()), BigInt(next()));
  return out;
}

interface CommitRun {
  /** log2 of the committed base elements. */
  logEntries: number;
  rate: number;
  /** Evaluation claims (points) opened together. */
  claims: number;
  /** k: entries per row; M: rows; N: codeword length; t: drawn column openings; opened: distinct. */
  k: number; m: number; n: number; t: number; opened: number;
  commitMs: number; commitCpuMs: number;
  openMs: number; openCpuMs: number;
  verifyMs: number; verifyCpuMs: number;
  proofBytes: number;
  commitmentBytes: number;
  loadAverage1m: number;
}

const repeats = Number(args.repeats);
const runs: CommitRun[] = [];
console.log('| 2^n | rate | claims | k × M (N) | t (distinct) | commit ms (cpu) | open ms (cpu) | verify ms (cpu) | proof bytes |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const logEntries of list(args.sizes)) {
  const polynomial = table(2 ** logEntries, args.values);
  for (const rate of list(args.rates) as CodeRate[]) {
    const commit = best(logEntries >= 20 ? 1 : repeats, () => commitMultilinear({ polynomials: [polynomial], rate }));
    const { commitment, proverData } = commit.result;
    for (const claimCount of list(args.claims)) {
      const claims = Array.from({ length: claimCount }, () => ({ polynomial: 0, point: point(logEntries) }));
      const open = best(repeats, () => openMultilinear({ proverData, claims, transcript: new Transcript('bench') }));
      const { values, proof } = open.result;
      const verify = best(repeats, () => verifyOpening({ commitment, claims, values, proof, transcript: new Transcript('bench') }));
      const { shape } = commitment;
      const k = 2 ** shape.logMessageLength;
      const run: CommitRun = {
        logEntries, rate, claims: claimCount,
        k, m: shape.rowCount, n: k << shape.logBlowup, t: commitment.columnOpenings, opened: proof.columns.length / (2 * shape.rowCount),
        commitMs: commit.wallMs, commitCpuMs: commit.cpuMs,
        openMs: open.wallMs, openCpuMs: open.cpuMs,
        verifyMs: verify.wallMs, verifyCpuMs: verify.cpuMs,
        proofBytes: serializeOpeningProof(proof).length,
        commitmentBytes: serializeCommitment(commitment).length,
        loadAverage1m: loadavg()[0],
      };
      runs.push(run);
      const f = (wall: number, cpu: number): string => `${wall.toFixed(1)} (${cpu.toFixed(1)})`;
      console.log(`| ${logEntries} | 1/${1 / rate} | ${claimCount} | ${k} × ${run.m} (${run.n}) | ${run.t} (${run.opened}) | ${f(run.commitMs, run.commitCpuMs)} | ${f(run.openMs, run.openCpuMs)} | ${f(run.verifyMs, run.verifyCpuMs)} | ${run.proofBytes} |`);
    }
  }
}

// The weights of mnist-mlp-784-56-10 as the gkr prover would commit them at setup: W1 784×56
// padded to 1024×64 (2^16), W2 56×10 → 64×16 (2^10), b1 → 64 (2^6), b2 → 16 (2^4), int8 values;
// per inference one claim per tensor (4 points) opened together.
interface ModelRun { model: string; rate: number; polynomials: number[]; k: number; m: number; t: number; opened: number; commitMs: number; commitCpuMs: number; openMs: number; openCpuMs: number; verifyMs: number; verifyCpuMs: number; proofBytes: number; commitmentBytes: number; loadAverage1m: number }
const modelRuns: ModelRun[] = [];
console.log('\n| mnist-mlp-784-56-10 weights | rate | k × M | t (distinct) | commit ms (cpu) | open ms (cpu), 4 claims | verify ms (cpu) | proof bytes |');
console.log('|---|---|---|---|---|---|---|---|');
for (const rate of list(args.rates) as CodeRate[]) {
  const variableCounts = [16, 10, 6, 4];
  const polynomials = variableCounts.map((n) => table(2 ** n, 'int8'));
  const commit = best(repeats, () => commitMultilinear({ polynomials, rate }));
  const { commitment, proverData } = commit.result;
  const claims = variableCounts.map((n, polynomial) => ({ polynomial, point: point(n) }));
  const open = best(repeats, () => openMultilinear({ proverData, claims, transcript: new Transcript('bench') }));
  const verify = best(repeats, () => verifyOpening({ commitment, claims, values: open.result.values, proof: open.result.proof, transcript: new Transcript('bench') }));
  const k = 2 ** commitment.shape.logMessageLength;
  const run: ModelRun = {
    model: 'mnist-mlp-784-56-10', rate, polynomials: variableCounts, k, m: commitment.shape.rowCount, t: commitment.columnOpenings,
    opened: open.result.proof.columns.length / (2 * commitment.shape.rowCount),
    commitMs: commit.wallMs, commitCpuMs: commit.cpuMs, openMs: open.wallMs, openCpuMs: open.cpuMs, verifyMs: verify.wallMs, verifyCpuMs: verify.cpuMs,
    proofBytes: serializeOpeningProof(open.result.proof).length, commitmentBytes: serializeCommitment(commitment).length, loadAverage1m: loadavg()[0],
  };
  modelRuns.push(run);
  const f = (wall: number, cpu: number): string => `${wall.toFixed(1)} (${cpu.toFixed(1)})`;
  console.log(`| 2^16+2^10+2^6+2^4 | 1/${1 / rate} | ${k} × ${run.m} | ${run.t} (${run.opened}) | ${f(run.commitMs, run.commitCpuMs)} | ${f(run.openMs, run.openCpuMs)} | ${f(run.verifyMs, run.verifyCpuMs)} | ${run.proofBytes} |`);
}

// SHA-256 per call at the sizes the tree hashes: 33 … 1025-byte leaves (tag + M·8), 64-byte nodes.
interface HashRun { bytes: number; implementation: string; microsecondsPerHash: number }
const hashRuns: HashRun[] = [];
console.log('\n| input bytes | node:crypto hash() µs | createHash µs | @noble/hashes µs |');
console.log('|---|---|---|---|');
for (const bytes of [33, 64, 65, 129, 257, 513, 1025]) {
  const count = 20_000;
  const buffer = new Uint8Array(bytes * 64).map((_, i) => i & 255);
  const implementations: [string, (b: Uint8Array) => unknown][] = [
    ['node:crypto hash', (b) => cryptoHash('sha256', b, 'buffer')],
    ['node:crypto createHash', (b) => createHash('sha256').update(b).digest()],
    ['@noble/hashes sha256', (b) => sha256(b)],
  ];
  const row = implementations.map(([implementation, f]) => {
    const run = best(repeats, () => {
      for (let i = 0; i < count; i++) f(buffer.subarray((i & 63) * bytes, ((i & 63) + 1) * bytes));
    });
    const microsecondsPerHash = (run.wallMs * 1000) / count;
    hashRuns.push({ bytes, implementation, microsecondsPerHash });
    return microsecondsPerHash.toFixed(2);
  });
  console.log(`| ${bytes} | ${row.join(' | ')} |`);
}

writeFileAtomic({
  file: args.out,
  content: JSON.stringify({ environment: collectEnvironment(), values: args.values, repeats, runs, modelRuns, hashRuns }, null, 2) + '\n',
});
console.log(`\nwrote ${args.out}`);
