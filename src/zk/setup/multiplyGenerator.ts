/**
 * Owns: turning many known scalars s_i into the points s_i·G of one bn128 generator (G1 or G2),
 * in snarkjs's on-disk encoding (affine, little-endian Montgomery). Used by generateLocalPtau to
 * write every section of a prepared powers-of-tau file from its scalars instead of running group
 * FFTs. The work is split over worker threads (fixedBaseWorker.js), each with its own copy of
 * ffjavascript's bn128 wasm code and a fixed-base window table.
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { ToolError } from '../../errors.ts';

export type Group = 'G1' | 'G2';

export interface MultiplyGeneratorParameters {
  group: Group;
  /** Scalars, 32 bytes each, little-endian, standard (not Montgomery) form, each < r. */
  scalars: Uint8Array;
  /** ffjavascript's bn128 wasm module bytes (curve.tm.code of a single-threaded curve). */
  wasmCode: Uint8Array;
  /** Pointer of the generator (jacobian, Montgomery) inside that module (tm.pG1gen / tm.pG2gen). */
  generatorPointer: number;
  /** Worker threads to use; default: the machine's cores. */
  threads?: number;
  /** Window width in bits of the fixed-base table (table: ⌈254/c⌉·(2^c−1) points per thread). */
  windowBits?: number;
}

/** The points s_i·G, 64 (G1) or 128 (G2) bytes each, in the order of the scalars. */
export type MultiplyGeneratorResult = Uint8Array;

const workerUrl = new URL('./fixedBaseWorker.js', import.meta.url);
const pointsPerJob = 1 << 13;

/**
 * Wider windows mean fewer additions per point (⌈254/c⌉) but a bigger table to build in every
 * thread (⌈254/c⌉·(2^c − 1) jacobian additions and a batch conversion, ~2.4 batched affine
 * additions each): take the cheapest c.
 */
export function chooseWindowBits(count: number, threads: number): number {
  let best = 4;
  let bestCost = Infinity;
  for (let c = 4; c <= 16; c++) {
    const windows = Math.ceil(254 / c);
    const cost = count * windows + threads * windows * (2 ** c - 1) * 2.4;
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

export async function multiplyGenerator(parameters: MultiplyGeneratorParameters): Promise<MultiplyGeneratorResult> {
  const { group, scalars, wasmCode, generatorPointer } = parameters;
  const sizeAffine = group === 'G1' ? 64 : 128;
  const count = scalars.byteLength / 32;
  if (!Number.isInteger(count)) {
    throw new ToolError(`multiplyGenerator: ${scalars.byteLength} scalar bytes is not a whole number of 32-byte scalars`);
  }
  const out = new Uint8Array(count * sizeAffine);
  if (count === 0) return out;
  const jobs = Math.ceil(count / pointsPerJob);
  const threads = Math.max(1, Math.min(parameters.threads ?? os.availableParallelism(), jobs));
  const windowBits = parameters.windowBits ?? chooseWindowBits(count, threads);

  const workers = Array.from({ length: threads }, () =>
    new Worker(workerUrl, { workerData: { code: wasmCode, prefix: group === 'G1' ? 'g1m' : 'g2m', pGenerator: generatorPointer, windowBits } }),
  );
  let nextJob = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = (): void => {
              if (nextJob >= jobs) {
                resolve();
                return;
              }
              const job = nextJob++;
              const start = job * pointsPerJob;
              const end = Math.min(count, start + pointsPerJob);
              worker.postMessage({ id: job, scalars: scalars.slice(start * 32, end * 32) });
            };
            worker.on('message', (message: { type?: string; id?: number; points?: Uint8Array; error?: string }) => {
              if (message.type === 'ready') return sendNext();
              if (message.error !== undefined) {
                reject(new ToolError(`multiplyGenerator: ${group} worker failed`, { details: { group }, cause: new Error(message.error) }));
                return;
              }
              out.set(message.points!, message.id! * pointsPerJob * sizeAffine);
              sendNext();
            });
            worker.on('error', (error) => reject(new ToolError(`multiplyGenerator: ${group} worker crashed`, { cause: error })));
            worker.on('exit', (code) => {
              if (nextJob < jobs || code !== 0) reject(new ToolError(`multiplyGenerator: ${group} worker exited early (code ${code})`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return out;
}
