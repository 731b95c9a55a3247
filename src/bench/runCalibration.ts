/**
 * The calibration workload: a fixed, allocation-free JavaScript integer loop (an xorshift32 over
 * 2^20 steps) timed with tinybench in the same process as the suite. Timings are stored also as
 * `calibrated = time / calibration time`, so a baseline made on a faster or slower machine (or
 * CI runner) can be compared: what matters is the ratio, not the milliseconds.
 */
import { Bench } from 'tinybench';
import { ToolError } from '../errors.ts';
import type { CalibrationInfo } from './types.ts';

export interface RunCalibrationParameters {
  /** tinybench time budget in milliseconds (default 500). */
  timeMs?: number;
  /** Loop length as a power of two (default 20). */
  log2Steps?: number;
}

export type RunCalibrationResult = CalibrationInfo;

/** The workload itself, exported so tests can check it is deterministic. */
export function calibrationWorkload(steps: number): number {
  let state = 0x9e3779b9 | 0;
  let accumulator = 0;
  for (let i = 0; i < steps; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    accumulator = (accumulator + (state & 0xffff)) | 0;
  }
  return accumulator;
}

export async function runCalibration({ timeMs = 500, log2Steps = 20 }: RunCalibrationParameters = {}): Promise<RunCalibrationResult> {
  const steps = 2 ** log2Steps;
  let sink = 0;
  const bench = new Bench({ time: timeMs, iterations: 10, warmupTime: 50 });
  bench.add('calibration', () => {
    sink ^= calibrationWorkload(steps);
  });
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed')
    throw new ToolError('calibration workload did not complete', { hint: 'tinybench reported an error or abort', details: { state: result.state, sink } });
  return {
    name: `js-xorshift-loop-2^${log2Steps}`,
    meanMs: result.latency.mean,
    stddevMs: result.latency.sd,
    samples: result.latency.samplesCount,
  };
}
