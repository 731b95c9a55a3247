/**
 * Owns one timing sample of a short step for the micro suite's gkr part: the step is run
 * `repetitions` times back to back inside one quiet-timer window (createQuietTimer) and the
 * sample is the mean per run, so a 30 µs native product and a 300 ms proof are timed the same
 * way (a batch of at least a few milliseconds, retaken when other processes used the CPU). The
 * suite keeps the median over its samples.
 */
import type { CreateQuietTimerResult } from './createQuietTimer.ts';

export interface TimeRepeatedStepParameters {
  step: () => unknown;
  repetitions: number;
  timer: CreateQuietTimerResult;
  /** Called with each run's (resolved) return value, inside the batch: keep it cheap (e.g. read a timing the step reports). */
  onEach?: (value: unknown) => void;
}

export interface TimeRepeatedStepResult {
  /** Mean milliseconds per run within the batch. */
  msPerRun: number;
  retakes: number;
  contended: boolean;
  /** The step's last return value (resolved). */
  last: unknown;
}

/** Repetitions that make one batch last about `batchMs`, from one run of `firstRunMs`. */
export function repetitionsFor({ firstRunMs, batchMs = 20, maxRepetitions = 10_000 }: { firstRunMs: number; batchMs?: number; maxRepetitions?: number }): number {
  return Math.max(1, Math.min(maxRepetitions, Math.ceil(batchMs / Math.max(firstRunMs, 1e-4))));
}

export async function timeRepeatedStep({ step, repetitions, timer, onEach }: TimeRepeatedStepParameters): Promise<TimeRepeatedStepResult> {
  const result = await timer.time(async () => {
    let last: unknown;
    const started = performance.now();
    for (let r = 0; r < repetitions; r++) {
      last = step();
      if (last instanceof Promise) last = await last;
      onEach?.(last);
    }
    return { ms: (performance.now() - started) / repetitions, last };
  });
  return { msPerRun: result.value.ms, retakes: result.retakes, contended: result.contended, last: result.value.last };
}
