/**
 * The quiet timer on scripted clocks: a step is kept when other processes stayed off the CPU,
 * retaken after a quiet second when they did not, and kept as contended once the waiting budget
 * is spent (or never retaken with no budget). The real readCpu reads sane, monotone counters.
 */
import { describe, expect, it } from 'vitest';
import { createQuietTimer, readCpu, type CpuReading } from './createQuietTimer.ts';

/**
 * A fake machine with 2 cores: each step takes `stepMs` of wall time and uses 1.5 cores of this
 * process; `foreignCores[i]` is what other processes use during the i-th interval (a step or a
 * wait window), in cores.
 */
function fakeMachine(foreignCores: number[], stepMs = 200) {
  const clock: CpuReading = { wallMs: 0, machineBusyMs: 0, ownCpuMs: 0 };
  let interval = 0;
  const advance = (ms: number, ownCores: number) => {
    const foreign = foreignCores[interval++] ?? 0;
    clock.wallMs += ms;
    clock.ownCpuMs += ms * ownCores;
    clock.machineBusyMs += ms * (ownCores + foreign);
  };
  return {
    read: () => ({ ...clock }),
    sleep: async (ms: number) => advance(ms, 0),
    step: async () => {
      advance(stepMs, 1.5);
      return clock.wallMs;
    },
    intervals: () => interval,
  };
}

describe('createQuietTimer', () => {
  it('keeps a step during which other processes stayed under 10% of the machine', async () => {
    const machine = fakeMachine([0.15]);
    const timer = createQuietTimer({ maxWaitMs: 60_000, read: machine.read, sleep: machine.sleep, cores: 2 });
    const result = await timer.time(machine.step);
    expect(result).toEqual({ value: 200, retakes: 0, contended: false, foreignCpuMs: 30, ownCpuMs: 300 });
    expect(timer.stats()).toEqual({ retakes: 0, contended: 0, waitedMs: 0 });
  });

  it('retakes a contended step after waiting for a quiet second', async () => {
    // step (busy), wait window (busy), wait window (quiet), step again (quiet)
    const machine = fakeMachine([1, 1, 0, 0]);
    const timer = createQuietTimer({ maxWaitMs: 60_000, read: machine.read, sleep: machine.sleep, cores: 2 });
    const result = await timer.time(machine.step);
    expect(result).toEqual({ value: 2400, retakes: 1, contended: false, foreignCpuMs: 0, ownCpuMs: 300 });
    expect(timer.stats()).toEqual({ retakes: 1, contended: 0, waitedMs: 2000 });
    expect(machine.intervals()).toBe(4);
  });

  it('keeps a contended step once the waiting budget is spent, and counts it', async () => {
    const machine = fakeMachine(Array(20).fill(1));
    const timer = createQuietTimer({ maxWaitMs: 2500, read: machine.read, sleep: machine.sleep, cores: 2 });
    const result = await timer.time(machine.step);
    // step, windows of 1000 + 1000 + 500 ms (the budget), the step again: still busy, kept.
    expect(result).toMatchObject({ retakes: 1, contended: true, foreignCpuMs: 200 });
    expect(timer.stats()).toEqual({ retakes: 1, contended: 1, waitedMs: 2500 });
    // The budget is the timer's, not the step's: the next busy step is kept at once.
    expect(await timer.time(machine.step)).toMatchObject({ retakes: 0, contended: true });
    expect(timer.stats()).toEqual({ retakes: 1, contended: 2, waitedMs: 2500 });
  });

  it('never waits with no budget', async () => {
    const machine = fakeMachine([2]);
    const timer = createQuietTimer({ maxWaitMs: 0, read: machine.read, sleep: machine.sleep, cores: 2 });
    expect(await timer.time(machine.step)).toMatchObject({ value: 200, retakes: 0, contended: true, foreignCpuMs: 400 });
    expect(machine.intervals()).toBe(1);
  });

  it('reads the real counters', () => {
    const first = readCpu();
    let sink = 0;
    for (let i = 0; i < 1e6; i++) sink += Math.sqrt(i);
    const second = readCpu();
    expect(sink).toBeGreaterThan(0);
    expect(second.wallMs).toBeGreaterThan(first.wallMs);
    expect(second.ownCpuMs).toBeGreaterThanOrEqual(first.ownCpuMs);
    expect(second.machineBusyMs).toBeGreaterThanOrEqual(first.machineBusyMs);
  });
});
