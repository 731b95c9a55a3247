/**
 * Owns the trace VM's fast path: runs a range of a program's steps on plain JavaScript numbers
 * instead of executeInstruction's BigInts, so the submitter's run costs a few nanoseconds a step
 * instead of a few microseconds (44,586 steps of mnist-mlp-784-56-10 dropped from ~60 ms to
 * well under one). A run of MAC steps (a dot product) is taken in one inner loop. executeInstruction stays the one definition of the semantics:
 * - a step is taken here only when every value it touches is a safe integer (|x| ≤ 2^53 − 1)
 *   and the result provably is one too — a double sum or product of safe integers whose
 *   magnitude is ≤ 2^53 − 1 is exact, and one that is not exact lands beyond that bound, so the
 *   bound check after the operation decides; there a double computes exactly what the BigInt
 *   does, and the int256 checks cannot fire;
 * - every other step goes to executeInstruction: an op or flag this file does not know (new ops
 *   need no change here, they only run slower), an address outside the memory array, a result
 *   out of the value range (the step traps there, with the same cause), an accumulator beyond
 *   2^53 (it stays a BigInt until an instruction clears it), AVG (a rare op whose floor division
 *   is not worth a second implementation), and the fault step of a dishonest trace.
 * test/opml-vm.test.ts holds this path to executeInstruction on random programs step by step.
 */
import { OverflowError } from '../errors.ts';
import { instructionAt, type VmProgram } from './compileProgram.ts';
import { executeInstruction, VmFlag, VmOp, type VmTrapCause } from './executeInstruction.ts';

export interface ExecuteStepsParameters {
  program: VmProgram;
  /** First step to run. */
  from: number;
  /** Runs steps [from, to). */
  to: number;
  /** The accumulator before step `from`. */
  acc: bigint;
  /** The memory before step `from`, updated in place; words past its end read as zero. */
  memory: Float64Array;
  /** Called before each memory write (memory[addr] still holds the old value). */
  onWrite?: (step: number, addr: number, value: number) => void;
  /** A dishonest trace: add `delta` to the result of step `step` (the word written, else acc). */
  fault?: { step: number; delta: bigint };
}

export interface ExecuteStepsResult {
  /** The accumulator after the last step run. */
  acc: bigint;
  /** Set when a step traps: the run stopped at `step` (its post-state is the trapped state). */
  trap?: { step: number; cause: VmTrapCause };
}

// The op and flag codes as plain constants: read through the imported objects, each `VmOp.MAC`
// in the step loop was a property load through the module binding, and under tsx a getter call
// (a CPU profile put ~60% of the run there).
const { MAC: OP_MAC, ACC: OP_ACC, MAX: OP_MAX, RESCALE: OP_RESCALE, SCALE: OP_SCALE, ADD: OP_ADD, RELU: OP_RELU, COPY: OP_COPY } = VmOp;
const { FIRST: FLAG_FIRST, STORE: FLAG_STORE, BIAS: FLAG_BIAS, IMM: FLAG_IMM } = VmFlag;

const SAFE = Number.MAX_SAFE_INTEGER;
const SAFE_BIG = BigInt(SAFE);
const isSafeBig = (value: bigint) => value >= -SAFE_BIG && value <= SAFE_BIG;

const stridedRuns = new WeakMap<object, Uint32Array>();
/**
 * For each step s, the end of the run of MAC+imm steps starting at s whose operand words are
 * consecutive (a[s + i] = a[s] + i): a dense layer's row, the bulk of every zoo model's steps.
 * s itself when step s is not such a MAC. Computed once per program (4 bytes a step), keyed by
 * its columns.
 */
function stridedRunsOf(program: VmProgram): Uint32Array {
  const { op, flags, a } = program.columns;
  let ends = stridedRuns.get(program.columns);
  if (ends) return ends;
  const total = op.length;
  ends = new Uint32Array(total);
  let end = total;
  for (let step = total - 1; step >= 0; step--) {
    if (op[step] !== OP_MAC || flags[step] !== FLAG_IMM) end = step;
    else if (step + 1 < end && a[step + 1] !== a[step] + 1) end = step + 1;
    ends[step] = end;
  }
  stridedRuns.set(program.columns, ends);
  return ends;
}

export function executeSteps(parameters: ExecuteStepsParameters): ExecuteStepsResult {
  const { program, from, to, memory, onWrite, fault } = parameters;
  const { scaleBits, valueBits, memoryDepth } = program;
  const { op: ops, flags: flagColumn, dst: dstColumn, a: aColumn, b: bColumn, imm: immColumn } = program.columns;
  const limit = Math.min(memory.length, 2 ** memoryDepth);
  const write = (step: number, addr: number, value: number) => {
    onWrite?.(step, addr, value);
    memory[addr] = value;
  };
  // Outside these bounds the parameters themselves trap or a double would round: all slow.
  const fast = scaleBits >= 1 && scaleBits <= 52 && valueBits >= 1 && valueBits <= 53;
  const half = 2 ** (scaleBits - 1);
  const divisor = 2 ** scaleBits;
  const high = 2 ** (valueBits - 1);
  const faultStep = fault ? fault.step : -1;
  const strided = stridedRunsOf(program);

  // `acc` and `wideAcc` are plain locals, never captured by a closure (a captured double lives
  // in a context slot, where V8 may box it).
  let acc = 0;
  /** The accumulator when it is not a safe integer (then `acc` is unused). */
  let wideAcc: bigint | undefined;
  if (isSafeBig(parameters.acc)) acc = Number(parameters.acc);
  else wideAcc = parameters.acc;

  for (let step = from; step < to; step++) {
    if (fast && wideAcc === undefined && step !== faultStep) {
      const flags = flagColumn[step];
      const a = aColumn[step];
      const dst = dstColumn[step];
      switch (ops[step]) {
        case OP_MAC: {
          // A dot product is a run of MAC steps: take the whole run in this inner loop (one
          // dispatch per run, not per step). A step it cannot take ends the run; when that is
          // the first, the step goes to the slow path below, else the outer loop resumes there.
          let next = step;
          let sum = acc;
          // The common shape first: a row of MAC+imm steps over consecutive words (see
          // stridedRunsOf), read without loading each step's address and flags.
          const runEnd = Math.min(strided[step], to, faultStep > step ? faultStep : to);
          const wordOffset = aColumn[step] - step;
          if (runEnd > step && wordOffset + runEnd <= limit) {
            for (; next < runEnd; next++) {
              const product = memory[wordOffset + next] * immColumn[next];
              const total = sum + product;
              if (product > SAFE || product < -SAFE || total > SAFE || total < -SAFE) break;
              sum = total;
            }
          }
          for (; next < to && ops[next] === OP_MAC && next !== faultStep; next++) {
            const operand = aColumn[next];
            if (operand >= limit) break;
            let factor: number;
            const macFlags = flagColumn[next];
            if (macFlags === 0) {
              const b = bColumn[next];
              if (b >= limit) break;
              factor = memory[b];
            } else if (macFlags === FLAG_IMM) factor = immColumn[next];
            else break;
            const product = memory[operand] * factor;
            const total = sum + product;
            if (product > SAFE || product < -SAFE || total > SAFE || total < -SAFE) break;
            sum = total;
          }
          if (next === step) break;
          acc = sum;
          step = next - 1;
          continue;
        }
        case OP_ACC: {
          if (flags !== 0 || a >= limit) break;
          const sum = acc + memory[a];
          if (sum > SAFE || sum < -SAFE) break;
          acc = sum;
          continue;
        }
        case OP_MAX: {
          if ((flags & ~(FLAG_FIRST | FLAG_STORE)) !== 0 || a >= limit) break;
          if (flags & FLAG_STORE && dst >= limit) break;
          const value = memory[a];
          const maximum = flags & FLAG_FIRST || value > acc ? value : acc;
          if (flags & FLAG_STORE) {
            write(step, dst, maximum);
            acc = 0;
          } else acc = maximum;
          continue;
        }
        case OP_RESCALE: {
          if ((flags & ~FLAG_BIAS) !== 0 || dst >= limit) break;
          if (flags & FLAG_BIAS && a >= limit) break;
          const withImmediate = acc + immColumn[step];
          const total = flags & FLAG_BIAS ? withImmediate + memory[a] : withImmediate;
          const rounded = total + half;
          if (withImmediate > SAFE || withImmediate < -SAFE || total > SAFE || total < -SAFE || rounded > SAFE || rounded < -SAFE) break;
          // A division by a power of two is exact in a double, so the floor is the BigInt's >>.
          const value = Math.floor(rounded / divisor);
          if (value >= high || value < -high) break;
          write(step, dst, value);
          acc = 0;
          continue;
        }
        case OP_SCALE: {
          if (flags !== 0 || a >= limit || dst >= limit) break;
          const product = memory[a] * immColumn[step];
          const rounded = product + half;
          if (product > SAFE || product < -SAFE || rounded > SAFE || rounded < -SAFE) break;
          const value = Math.floor(rounded / divisor);
          if (value >= high || value < -high) break;
          write(step, dst, value);
          continue;
        }
        case OP_ADD: {
          if (a >= limit || dst >= limit) break;
          let addend: number;
          if (flags === FLAG_IMM) addend = immColumn[step];
          else if (flags === 0 && bColumn[step] < limit) addend = memory[bColumn[step]];
          else break;
          const sum = memory[a] + addend;
          if (sum >= high || sum < -high || sum > SAFE || sum < -SAFE) break;
          write(step, dst, sum);
          continue;
        }
        case OP_RELU: {
          if (flags !== 0 || a >= limit || dst >= limit) break;
          const value = memory[a];
          write(step, dst, value > 0 ? value : 0);
          continue;
        }
        case OP_COPY: {
          if (flags !== 0 || a >= limit || dst >= limit) break;
          write(step, dst, memory[a]);
          continue;
        }
        default:
          break;
      }
    }
    // The slow path: the reference semantics, for every step the fast path did not take.
    const result = executeInstruction({
      instruction: instructionAt(program, step),
      acc: wideAcc ?? BigInt(acc),
      read: (addr) => BigInt(addr < memory.length ? memory[addr] : 0),
      scaleBits,
      valueBits,
      memoryDepth,
    });
    if (result.trap) return { acc: 0n, trap: { step, cause: result.trap } };
    let next = result.acc;
    let written = result.write;
    if (step === faultStep) {
      if (written) written = { addr: written.addr, value: written.value + fault!.delta };
      else next += fault!.delta;
    }
    if (written) {
      const value = Number(written.value);
      if (!Number.isSafeInteger(value) || written.addr >= memory.length)
        throw new OverflowError(`opml trace: step ${step} writes ${written.value} to word ${written.addr}, beyond 2^53 or the memory held`, {
          hint: 'only a fault this large can do that', details: { step, addr: written.addr },
        });
      write(step, written.addr, value);
    }
    if (isSafeBig(next)) { acc = Number(next); wideAcc = undefined; } else wideAcc = next;
  }
  return { acc: wideAcc ?? BigInt(acc) };
}
