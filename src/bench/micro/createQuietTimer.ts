/**
 * Owns: timing a step only while the machine is otherwise idle. The micro suite's slopes are
 * differences of proof times of a few hundred milliseconds, and this machine's 2 cores are shared:
 * another process's test run (a minute or two at full load) made one of two runs 1.5–2× slower for
 * a stretch of ops, and their slopes disagreed by up to 90%. So each timed step is bracketed by
 * two readings of the machine's busy CPU time (os.cpus(), all processes) and of this process's own
 * (process.cpuUsage(), worker threads included); the difference is what other processes used
 * meanwhile. A step during which they used more than `foreignShare` of the machine is retaken
 * after waiting for a quiet second, while the timer's waiting budget lasts; after that the
 * contended step is kept and counted, so a report can say so.
 */
import os from 'node:os';

/** One reading of the clocks a quiet check needs (injectable for tests). */
export interface CpuReading {
  /** performance.now(), ms. */
  wallMs: number;
  /** Busy (user + nice + sys + irq) CPU time of the whole machine, all cores, ms. */
  machineBusyMs: number;
  /** CPU time of this process (user + system, all its threads), ms. */
  ownCpuMs: number;
}

export interface CreateQuietTimerParameters {
  /** Longest total wait for a quiet machine, over all steps this timer times, ms (0: never wait, never retake). */
  maxWaitMs: number;
  /** Other processes may use at most this share of the machine (wall × cores) during a step (default 0.1). */
  foreignShare?: number;
  /** Below this much foreign CPU a step counts as quiet whatever its length (os.cpus() ticks are 10 ms; default 30). */
  minForeignMs?: number;
  /** Length of one quiet check while waiting, ms (default 1000). */
  pollMs?: number;
  /** Injected in tests. */
  read?: () => CpuReading;
  sleep?: (ms: number) => Promise<void>;
  cores?: number;
}

export interface QuietTiming<T> {
  value: T;
  /** Times the step was run again because other processes were busy. */
  retakes: number;
  /** True when the kept run was itself contended (the waiting budget was spent). */
  contended: boolean;
  /** CPU time other processes used during the kept run, ms. */
  foreignCpuMs: number;
  /** CPU time this process used during the kept run (all threads), ms. */
  ownCpuMs: number;
}

export interface QuietTimerStats {
  retakes: number;
  /** Steps kept although contended. */
  contended: number;
  waitedMs: number;
}

export interface CreateQuietTimerResult {
  /** Runs `step` (again, after a wait, while other processes were busy during it) and returns its last run. */
  time<T>(step: () => Promise<T>): Promise<QuietTiming<T>>;
  stats(): QuietTimerStats;
}

export function readCpu(): CpuReading {
  let machineBusyMs = 0;
  for (const cpu of os.cpus()) machineBusyMs += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  const own = process.cpuUsage();
  return { wallMs: performance.now(), machineBusyMs, ownCpuMs: (own.user + own.system) / 1000 };
}

export function createQuietTimer(parameters: CreateQuietTimerParameters): CreateQuietTimerResult {
  const {
    maxWaitMs, foreignShare = 0.1, minForeignMs = 30, pollMs = 1000, read = readCpu,
    sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms)), cores = os.cpus().length,
  } = parameters;
  const stats: QuietTimerStats = { retakes: 0, contended: 0, waitedMs: 0 };

  const measure = (before: CpuReading, after: CpuReading) => {
    const wallMs = after.wallMs - before.wallMs;
    const ownCpuMs = after.ownCpuMs - before.ownCpuMs;
    // Clamped: the machine's counters tick in 10 ms steps, this process's in microseconds.
    const foreignCpuMs = Math.max(0, after.machineBusyMs - before.machineBusyMs - ownCpuMs);
    return { wallMs, ownCpuMs, foreignCpuMs, quiet: foreignCpuMs <= Math.max(minForeignMs, foreignShare * wallMs * cores) };
  };

  /** Waits in `pollMs` windows until one is quiet or the budget is spent. */
  const waitForQuiet = async () => {
    while (stats.waitedMs < maxWaitMs) {
      const before = read();
      await sleep(Math.min(pollMs, maxWaitMs - stats.waitedMs));
      const window = measure(before, read());
      stats.waitedMs += window.wallMs;
      if (window.quiet) return;
    }
  };

  return {
    async time(step) {
      for (let retakes = 0; ; retakes++) {
        const before = read();
        const value = await step();
        const run = measure(before, read());
        const budgetLeft = stats.waitedMs < maxWaitMs;
        if (run.quiet || !budgetLeft) {
          if (!run.quiet) stats.contended++;
          return { value, retakes, contended: !run.quiet, foreignCpuMs: run.foreignCpuMs, ownCpuMs: run.ownCpuMs };
        }
        stats.retakes++;
        await waitForQuiet();
      }
    },
    stats: () => ({ ...stats }),
  };
}
