/**
 * executeSteps (the fast path on numbers) against executeInstruction (the BigInt reference), step
 * by step on random programs that hit every op, both flags' forms, undefined ops and flags,
 * addresses past memory, results at and past the value range, products and sums past 2^53 (the
 * accumulator goes wide and comes back), and a fault: the same writes, the same final acc, the
 * same trap (step and cause); and programs of MAC+imm rows over consecutive words (the strided
 * loop), broken by other steps, wide values, words past memory and chunk ends.
 */
import { describe, expect, it } from 'vitest';
import { OverflowError } from '../errors.ts';
import { createIntegerPrng } from '../../test/opml-vm-fixtures.ts';
import { instructionAt, type VmProgram } from './compileProgram.ts';
import { executeInstruction, VmFlag, VmOp, type VmTrapCause } from './executeInstruction.ts';
import { executeSteps } from './executeSteps.ts';

interface Run {
  writes: string[];
  acc: bigint;
  trap?: { step: number; cause: VmTrapCause };
  /** The step that writes a word beyond 2^53, which the trace's memory of doubles refuses (a MAX
   * can store a wide accumulator: compiled programs never do). */
  tooWide?: number;
}

function randomProgram(seed: number, settings: { steps: number; memoryDepth: number; scaleBits: number; valueBits: number; wide: boolean; strided?: boolean }): VmProgram {
  const random = createIntegerPrng(seed);
  const { steps, memoryDepth } = settings;
  const size = 2 ** memoryDepth;
  const columns = {
    op: new Uint8Array(steps), flags: new Uint8Array(steps), dst: new Uint32Array(steps),
    a: new Uint32Array(steps), b: new Uint32Array(steps), imm: new Float64Array(steps),
  };
  const flagsOf: Record<number, number[]> = {
    [VmOp.MAC]: [0, VmFlag.IMM], [VmOp.MAX]: [0, VmFlag.FIRST, VmFlag.STORE, VmFlag.FIRST | VmFlag.STORE],
    [VmOp.RESCALE]: [0, VmFlag.BIAS], [VmOp.ADD]: [0, VmFlag.IMM],
  };
  const limit = 2 ** (settings.valueBits - 1);
  for (let i = 0; i < steps; i++) {
    const rare = random(0, 999);
    // MAC-heavy like a real program; 0.3% undefined ops or flags, 0.2% addresses past memory.
    const op = rare < 2 ? random(9, 12) : rare < 500 ? VmOp.MAC : random(0, 8);
    columns.op[i] = op;
    const allowed = flagsOf[op] ?? [0];
    columns.flags[i] = rare === 2 ? 16 : allowed[random(0, allowed.length - 1)];
    const address = () => (random(0, 999) < 2 ? size + random(0, 3) : random(0, size - 1));
    columns.dst[i] = address();
    columns.a[i] = address();
    // Strided programs: MAC+imm rows over consecutive words (a dense layer's shape, which
    // executeSteps reads without the addresses), broken now and then, and running past memory.
    if (settings.strided && op === VmOp.MAC && rare >= 3) {
      columns.flags[i] = random(0, 19) === 0 ? 0 : VmFlag.IMM;
      // Past the last word only now and then (a row there leaves the strided loop for the slow path).
      const past = i > 0 && columns.a[i - 1] + 1 >= size && random(0, 3) > 0;
      if (i > 0 && columns.op[i - 1] === VmOp.MAC && random(0, 9) > 0 && !past) columns.a[i] = columns.a[i - 1] + 1;
    }
    columns.b[i] = address();
    const magnitude = settings.wide && random(0, 99) === 0 ? 2 ** 52 - 1 : random(0, 99) === 0 ? limit : 300;
    columns.imm[i] = op === VmOp.AVG ? (random(0, 49) === 0 ? random(-1, 0) : random(1, 9)) : random(0, 1) ? Math.floor(magnitude * (random(0, 1000) / 1000)) : -Math.floor(magnitude * (random(0, 1000) / 1000));
  }
  return { columns, totalSteps: steps, memoryDepth, scaleBits: settings.scaleBits, valueBits: settings.valueBits } as unknown as VmProgram;
}

function randomMemory(seed: number, program: VmProgram): Float64Array {
  const random = createIntegerPrng(seed);
  const limit = 2 ** (program.valueBits - 1);
  // Mostly small words (so runs go on), a few near the range's ends (so results leave it).
  const word = () => (random(0, 3) === 0 ? 0 : random(0, 49) === 0 ? Math.floor((random(0, 2000) / 1000 - 1) * (limit - 1)) : random(-300, 300));
  return Float64Array.from({ length: 2 ** program.memoryDepth }, word);
}

function referenceRun(program: VmProgram, memoryStart: Float64Array, fault?: { step: number; delta: bigint }): Run {
  const memory = Array.from(memoryStart, (v) => BigInt(v));
  const writes: string[] = [];
  let acc = 0n;
  for (let step = 0; step < program.totalSteps; step++) {
    const result = executeInstruction({
      instruction: instructionAt(program, step), acc, read: (addr) => memory[addr] ?? 0n,
      scaleBits: program.scaleBits, valueBits: program.valueBits, memoryDepth: program.memoryDepth,
    });
    if (result.trap) return { writes, acc: 0n, trap: { step, cause: result.trap } };
    acc = result.acc;
    let write = result.write;
    if (fault?.step === step) {
      if (write) write = { addr: write.addr, value: write.value + fault.delta };
      else acc += fault.delta;
    }
    if (write) {
      if (!Number.isSafeInteger(Number(write.value))) return { writes, acc: 0n, tooWide: step };
      memory[write.addr] = write.value;
      writes.push(`${step}:${write.addr}=${write.value}`);
    }
  }
  return { writes, acc };
}

function fastRun(program: VmProgram, memoryStart: Float64Array, chunk: number, fault?: { step: number; delta: bigint }): Run {
  const memory = memoryStart.slice();
  const writes: string[] = [];
  let acc = 0n;
  for (let from = 0; from < program.totalSteps; from += chunk) {
    let result;
    try {
      result = executeSteps({
        program, from, to: Math.min(program.totalSteps, from + chunk), acc, memory, fault,
        onWrite: (step, addr, value) => writes.push(`${step}:${addr}=${value}`),
      });
    } catch (error) {
      if (!(error instanceof OverflowError)) throw error;
      return { writes, acc: 0n, tooWide: error.details.step as number };
    }
    if (result.trap) return { writes, acc: 0n, trap: result.trap };
    acc = result.acc;
  }
  return { writes, acc };
}

describe('executeSteps: the fast path equals executeInstruction', () => {
  const settings = [
    { scaleBits: 8, valueBits: 16, wide: false },
    { scaleBits: 8, valueBits: 24, wide: false },
    { scaleBits: 16, valueBits: 40, wide: true },
    { scaleBits: 20, valueBits: 53, wide: true },
    // A scale past a double's exact division: every step takes the slow path.
    { scaleBits: 60, valueBits: 53, wide: true },
    // Rows of MAC+imm over consecutive words: executeSteps' strided loop.
    { scaleBits: 8, valueBits: 16, wide: false, strided: true },
    { scaleBits: 16, valueBits: 40, wide: true, strided: true },
  ];
  for (const setting of settings) {
    it(`scale 2^${setting.scaleBits}, ${setting.valueBits}-bit values${setting.strided ? ', strided MAC rows' : ''}: 40 random programs`, () => {
      let traps = 0;
      let stridedSteps = 0;
      let tooWide = 0;
      let stepsRun = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const program = randomProgram(seed, { steps: 400, memoryDepth: 5, ...setting });
        const memory = randomMemory(seed + 1000, program);
        const reference = referenceRun(program, memory);
        expect(fastRun(program, memory, 64)).toEqual(reference);
        // One program-long call gives the same, and so does a fault before the end.
        expect(fastRun(program, memory, 400)).toEqual(reference);
        const end = reference.trap?.step ?? reference.tooWide ?? program.totalSteps;
        if (end > 1) {
          const fault = { step: Math.floor(end / 2), delta: 3n };
          expect(fastRun(program, memory, 64, fault)).toEqual(referenceRun(program, memory, fault));
        }
        if (reference.trap) traps++;
        stepsRun += end;
        const { op, flags, a } = program.columns;
        for (let step = 1; step < end; step++)
          if (op[step] === VmOp.MAC && op[step - 1] === VmOp.MAC && flags[step] === VmFlag.IMM && flags[step - 1] === VmFlag.IMM && a[step] === a[step - 1] + 1) stridedSteps++;
        if (reference.tooWide !== undefined) tooWide++;
      }
      // The random programs do reach the slow path's cases (a run ends at its first trap).
      expect(traps).toBeGreaterThan(10);
      // ... and run a few thousand steps before them.
      expect(stepsRun).toBeGreaterThan(setting.strided ? 1500 : 2000);
      if (!setting.wide) expect(tooWide).toBe(0);
      // Strided programs do run rows of consecutive MAC+imm steps.
      if (setting.strided) expect(stridedSteps).toBeGreaterThan(300);
    });
  }

  it('a MAC-only program whose accumulator passes 2^53 and comes back (wide, then a RESCALE clears it) matches', () => {
    const steps = 6;
    const program = {
      totalSteps: steps, memoryDepth: 2, scaleBits: 16, valueBits: 53,
      columns: {
        op: Uint8Array.from([VmOp.MAC, VmOp.MAC, VmOp.MAC, VmOp.RESCALE, VmOp.MAC, VmOp.RESCALE]),
        flags: Uint8Array.from([VmFlag.IMM, VmFlag.IMM, VmFlag.IMM, 0, VmFlag.IMM, 0]),
        dst: Uint32Array.from([0, 0, 0, 1, 0, 2]), a: Uint32Array.from([0, 0, 0, 0, 0, 0]), b: new Uint32Array(steps),
        imm: Float64Array.from([2 ** 40, 2 ** 40, -(2 ** 40) - 1, 0, 7, 5]),
      },
    } as unknown as VmProgram;
    const memory = Float64Array.from([2 ** 13, 0, 0, 0]);
    const reference = referenceRun(program, memory);
    // 2^13 · 2^40 twice = 2^54 (wide), minus 2^53 + 2^13 = 2^53 − 2^13: back in range.
    expect(reference.writes).toEqual([`3:1=${(2n ** 53n - 2n ** 13n + 2n ** 15n) >> 16n}`, `5:2=${(7n * 2n ** 13n + 5n + 2n ** 15n) >> 16n}`]);
    expect(fastRun(program, memory, 2)).toEqual(reference);
  });
});
