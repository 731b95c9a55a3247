/**
 * Owns the semantics of one trace-VM instruction — the TypeScript twin of
 * OneStepVerifier._execute (contracts/src/opml/vm/OneStepVerifier.sol). Everything is BigInt. The
 * VM is total: a step never fails. A result outside the fixed-point range, an int256 overflow, or
 * an instruction without a defined result (unknown op or flag, AVG count ≤ 0, an address outside
 * memory, scaleBits ∉ [1, 254], valueBits ∉ [1, 255]) *traps*: the result carries `trap` and the
 * post-state is the trapped state (vmState.ts trappedStateOf), exactly where Solidity traps.
 * See docs/fixed-point.md ("Traps").
 *
 *   MAC     acc += A·(IMM ? imm : B)
 *   ACC     acc += A
 *   MAX     m = FIRST ? A : max(acc, A); STORE ? (mem[dst] = m, acc = 0) : acc = m
 *   RESCALE t = acc + imm + (BIAS ? A : 0); mem[dst] = range((t + 2^(s-1)) >> s); acc = 0
 *   AVG     mem[dst] = range(floor((acc + floor(imm/2)) / imm)), imm > 0; acc = 0
 *   SCALE   mem[dst] = range((A·imm + 2^(s-1)) >> s)
 *   ADD     mem[dst] = range(A + (IMM ? imm : B))
 * Constant operands (weights, biases, constant addends) are immediates.
 *   RELU    mem[dst] = max(A, 0)
 *   COPY    mem[dst] = A
 *   LUT     mem[dst] = range(T(acc)); acc = 0 — one smooth-function evaluation (sigmoid, tanh,
 *           softmax's exp; docs/fixed-point.md "Smooth functions"): imm packs the table's
 *           lowest·2^16 + M·2^8 + t (1 ≤ t ≤ 64, 1 ≤ M ≤ 255); x = acc clamped to
 *           [lowest, lowest + M·2^t − 1], u = x − lowest, seg = u >> t, r = u − seg·2^t; the word
 *           W = mem[b + seg] packs knot y = W >> 32 and slope d = W − y·2^32 ∈ [0, 2^32);
 *           T(acc) = y + ((d·r + 2^(t−1)) >> t). The word's address depends on acc: the one
 *           read is the B slot (operandsOf takes acc).
 *   DIV     mem[dst] = range(floor((A·2^(s+1) + acc) / (2·acc))), acc > 0 (softmax's
 *           e·2^s / S rounded half up, S in acc); acc unchanged
 */
import { encodeAbiParameters, keccak256, type Hex } from 'viem';

export const VmOp = {
  MAC: 0,
  ACC: 1,
  MAX: 2,
  RESCALE: 3,
  AVG: 4,
  SCALE: 5,
  ADD: 6,
  RELU: 7,
  COPY: 8,
  LUT: 9,
  DIV: 10,
} as const;
export type VmOpCode = (typeof VmOp)[keyof typeof VmOp];
export const VM_OP_NAMES = ['MAC', 'ACC', 'MAX', 'RESCALE', 'AVG', 'SCALE', 'ADD', 'RELU', 'COPY', 'LUT', 'DIV'] as const;

/** LUT's table word: knot·2^32 + slope (slope = next knot − knot ∈ [0, 2^32)). */
export const LUT_SLOPE_BITS = 32;

/** LUT's immediate: lowest·2^16 + M·2^8 + t. */
export function packLutImmediate({ lowest, segments, segmentBits }: { lowest: number; segments: number; segmentBits: number }): number {
  return lowest * 2 ** 16 + segments * 2 ** 8 + segmentBits;
}

/** The parameters a LUT immediate packs, and the segment of acc (undefined where LUT traps on them). */
export function decodeLut(imm: bigint, acc: bigint): { lowest: bigint; segments: bigint; segmentBits: bigint; seg: bigint; r: bigint } | undefined {
  const segmentBits = imm & 255n;
  const segments = (imm >> 8n) & 255n;
  const lowest = imm >> 16n;
  if (segmentBits < 1n || segmentBits > 64n || segments < 1n) return undefined;
  const highest = lowest + (segments << segmentBits) - 1n;
  const u = (acc < lowest ? lowest : acc > highest ? highest : acc) - lowest;
  const seg = u >> segmentBits;
  return { lowest, segments, segmentBits, seg, r: u - (seg << segmentBits) };
}

export const VmFlag = {
  /** MAX: take A instead of max(acc, A). */
  FIRST: 1,
  /** MAX: write the maximum to mem[dst] and clear acc. */
  STORE: 2,
  /** RESCALE: add mem[a] (a bias at scale 2s held in memory) before rescaling. */
  BIAS: 4,
  /** MAC, ADD: the second operand is the immediate instead of mem[b]. */
  IMM: 8,
} as const;

export interface VmInstruction {
  op: number;
  flags: number;
  dst: number;
  a: number;
  b: number;
  imm: bigint;
}

export const INSTRUCTION_ABI = [
  { name: 'op', type: 'uint256' },
  { name: 'flags', type: 'uint256' },
  { name: 'dst', type: 'uint256' },
  { name: 'a', type: 'uint256' },
  { name: 'b', type: 'uint256' },
  { name: 'imm', type: 'int256' },
] as const;

export function instructionTuple(instruction: VmInstruction) {
  return {
    op: BigInt(instruction.op),
    flags: BigInt(instruction.flags),
    dst: BigInt(instruction.dst),
    a: BigInt(instruction.a),
    b: BigInt(instruction.b),
    imm: instruction.imm,
  };
}

/** abi.encode(Instruction): six words. */
export function encodeInstruction(instruction: VmInstruction): Hex {
  return encodeAbiParameters([{ type: 'tuple', components: INSTRUCTION_ABI }], [instructionTuple(instruction)]);
}

/** The program leaf keccak256(abi.encode(instruction)). */
export function hashInstruction(instruction: VmInstruction): Hex {
  return keccak256(encodeInstruction(instruction));
}

/** Which memory words an instruction reads (slots readA, readB) and writes; LUT's read depends on acc. */
export function operandsOf(instruction: VmInstruction, acc = 0n): { readA?: number; readB?: number; write?: number } {
  const { op, flags, dst, a, b } = instruction;
  switch (op) {
    case VmOp.LUT: {
      const lut = decodeLut(instruction.imm, acc);
      return lut ? { readB: b + Number(lut.seg), write: dst } : {};
    }
    case VmOp.DIV:
      return { readA: a, write: dst };
    case VmOp.MAC:
      return flags & VmFlag.IMM ? { readA: a } : { readA: a, readB: b };
    case VmOp.ADD:
      return flags & VmFlag.IMM ? { readA: a, write: dst } : { readA: a, readB: b, write: dst };
    case VmOp.ACC:
      return { readA: a };
    case VmOp.MAX:
      return flags & VmFlag.STORE ? { readA: a, write: dst } : { readA: a };
    case VmOp.RESCALE:
      return flags & VmFlag.BIAS ? { readA: a, write: dst } : { write: dst };
    case VmOp.AVG:
      return { write: dst };
    case VmOp.SCALE:
    case VmOp.RELU:
    case VmOp.COPY:
      return { readA: a, write: dst };
    default:
      return {};
  }
}

export interface ExecuteInstructionParameters {
  instruction: VmInstruction;
  acc: bigint;
  /** The value of memory word `addr` before the step. */
  read: (addr: number) => bigint;
  scaleBits: number;
  valueBits: number;
  memoryDepth: number;
}

/** Why a step trapped: the value at fault (range, int256) or the undefined instruction part. */
export interface VmTrapCause {
  kind: 'range' | 'int256' | 'instruction';
  /** What trapped, e.g. 'RESCALE result outside the 16-bit value range', 'MAC product overflows int256'. */
  reason: string;
  /** The value that left the range (range and int256 traps). */
  value?: bigint;
}

export interface ExecuteInstructionResult {
  acc: bigint;
  write?: { addr: number; value: bigint };
  /** Set when the step traps; `acc` and `write` are then meaningless (the post-state is trapped). */
  trap?: VmTrapCause;
}

const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;

/** Thrown inside executeInstruction only, to unwind to its one catch; never escapes. */
class Trap {
  constructor(readonly cause: VmTrapCause) {}
}

function checked(value: bigint, what: string): bigint {
  if (value < INT256_MIN || value > INT256_MAX) throw new Trap({ kind: 'int256', reason: `${what} overflows int256`, value });
  return value;
}

function invalid(why: string): never {
  throw new Trap({ kind: 'instruction', reason: `undefined instruction (${why})` });
}

/** Executes one instruction; the result carries `trap` where OneStepVerifier.step traps. */
export function executeInstruction(parameters: ExecuteInstructionParameters): ExecuteInstructionResult {
  try {
    return execute(parameters);
  } catch (error) {
    if (error instanceof Trap) return { acc: 0n, trap: error.cause };
    throw error;
  }
}

function execute(parameters: ExecuteInstructionParameters): ExecuteInstructionResult {
  const { instruction, scaleBits, valueBits, memoryDepth } = parameters;
  const { op, flags, dst, a, b, imm } = instruction;
  const allowedFlags = op === VmOp.MAX
    ? VmFlag.FIRST | VmFlag.STORE
    : op === VmOp.RESCALE ? VmFlag.BIAS : op === VmOp.MAC || op === VmOp.ADD ? VmFlag.IMM : 0;
  if ((flags & ~allowedFlags) !== 0) invalid(`flags ${flags} on op ${op}`);
  if (op < 0 || op > VmOp.DIV || !Number.isInteger(op)) invalid(`op ${op}`);
  const size = 2 ** memoryDepth;
  const read = (addr: number) => {
    if (addr >= size) invalid(`address ${addr} outside memory of ${size} words`);
    return parameters.read(addr);
  };
  const target = () => {
    if (dst >= size) invalid(`address ${dst} outside memory of ${size} words`);
    return dst;
  };
  const range = (value: bigint): bigint => {
    if (valueBits < 1 || valueBits > 255) invalid(`valueBits ${valueBits}`);
    const high = 1n << BigInt(valueBits - 1);
    if (value >= high || value < -high)
      throw new Trap({ kind: 'range', reason: `${VM_OP_NAMES[op]} result outside the ${valueBits}-bit value range`, value });
    return value;
  };
  const rescale = (total: bigint): bigint => {
    if (scaleBits < 1 || scaleBits >= 255) invalid(`scaleBits ${scaleBits}`);
    return checked(total + (1n << BigInt(scaleBits - 1)), 'rescale rounding') >> BigInt(scaleBits);
  };
  const acc = parameters.acc;
  switch (op) {
    case VmOp.MAC: {
      const factor = flags & VmFlag.IMM ? imm : read(b);
      const product = checked(read(a) * factor, 'MAC product');
      return { acc: checked(acc + product, 'MAC sum') };
    }
    case VmOp.ACC:
      return { acc: checked(acc + read(a), 'ACC sum') };
    case VmOp.MAX: {
      const value = read(a);
      const maximum = flags & VmFlag.FIRST || value > acc ? value : acc;
      if (flags & VmFlag.STORE) return { acc: 0n, write: { addr: target(), value: maximum } };
      return { acc: maximum };
    }
    case VmOp.RESCALE: {
      const withImmediate = checked(acc + imm, 'bias sum');
      const total = flags & VmFlag.BIAS ? checked(withImmediate + read(a), 'bias sum') : withImmediate;
      const addr = target();
      return { acc: 0n, write: { addr, value: range(rescale(total)) } };
    }
    case VmOp.AVG: {
      if (imm <= 0n) invalid(`AVG count ${imm}`);
      const numerator = checked(acc + imm / 2n, 'AVG sum');
      let quotient = numerator / imm;
      if (numerator % imm !== 0n && numerator < 0n) quotient -= 1n;
      const addr = target();
      return { acc: 0n, write: { addr, value: range(quotient) } };
    }
    case VmOp.SCALE: {
      const product = checked(read(a) * imm, 'SCALE product');
      const addr = target();
      return { acc, write: { addr, value: range(rescale(product)) } };
    }
    case VmOp.ADD: {
      const addend = flags & VmFlag.IMM ? imm : read(b);
      const sum = checked(read(a) + addend, 'ADD sum');
      const addr = target();
      return { acc, write: { addr, value: range(sum) } };
    }
    case VmOp.RELU: {
      const value = read(a);
      return { acc, write: { addr: target(), value: value > 0n ? value : 0n } };
    }
    case VmOp.COPY: {
      const value = read(a);
      return { acc, write: { addr: target(), value } };
    }
    case VmOp.LUT: {
      const lut = decodeLut(imm, acc);
      if (!lut) invalid(`LUT immediate ${imm}`);
      if (b >= 2 ** 64) invalid(`LUT table address ${b}`);
      const word = read(b + Number(lut.seg));
      const knot = word >> BigInt(LUT_SLOPE_BITS);
      const slope = word - (knot << BigInt(LUT_SLOPE_BITS));
      const value = knot + ((slope * lut.r + (1n << (lut.segmentBits - 1n))) >> lut.segmentBits);
      return { acc: 0n, write: { addr: target(), value: range(value) } };
    }
    case VmOp.DIV: {
      if (acc <= 0n) invalid(`DIV divisor ${acc}`);
      if (scaleBits < 1 || scaleBits >= 255) invalid(`scaleBits ${scaleBits}`);
      const scaled = checked(checked(read(a) * (1n << BigInt(scaleBits)), 'DIV product') * 2n, 'DIV product');
      const numerator = checked(scaled + acc, 'DIV sum');
      const divisor = checked(2n * acc, 'DIV divisor');
      let quotient = numerator / divisor;
      if (numerator % divisor !== 0n && numerator < 0n) quotient -= 1n;
      return { acc, write: { addr: target(), value: range(quotient) } };
    }
    default:
      return invalid(`op ${op}`);
  }
}
