/**
 * The operations of the `micro` suite: for each, a Circom main with N independent instances
 * (built from the project's templates in circuits/), deterministic inputs in the fixed-point
 * range, and the same N operations for the native baselines (JS float, the engine, onnxruntime).
 *
 * The results are intermediate signals, not outputs: a public signal costs PLONK a row and its
 * proving key a Lagrange polynomial each (the key grows as publics × domain: 1.3 GB for 2048
 * public outputs), which would swamp the op itself. One public output, `first` (the first
 * result), is a fixed cost that cancels in the slope; it is there because snarkjs's PLONK prover
 * fails on a circuit with no public signal. Circom keeps every non-linear constraint, so nothing
 * is optimised away; the harness reads the results from the witness through the .sym file. The per-op cost is fitted over N (fixedCost + N · perOp).
 */
import { buildSmoothTable } from '../../quant/smoothTable.ts';
import { createPrng } from '../../zoo/createPrng.ts';

export type MicroOpId = 'mul' | 'fixed-mul' | 'dot' | 'relu-8' | 'relu-16' | 'relu-32' | 'relu-full' | 'sigmoid' | 'tanh' | 'softmax-8';

export const MICRO_OP_IDS: readonly MicroOpId[] = ['mul', 'fixed-mul', 'dot', 'relu-8', 'relu-16', 'relu-32', 'relu-full', 'sigmoid', 'tanh', 'softmax-8'];

/** The non-linear ops that are not ReLU: one element (sigmoid, tanh) or one row of 8 (softmax). */
export const SMOOTH_MICRO_OPS: readonly MicroOpId[] = ['sigmoid', 'tanh', 'softmax-8'];

/** Elements per softmax-8 operation (one row). */
export const SOFTMAX_ROW = 8;

export interface MicroSettings extends Record<string, unknown> {
  ops: MicroOpId[];
  /** Explicit N ladder for every op, or undefined for the automatic per-op ladder. */
  ladder?: number[];
  /** Automatic ladder: the largest circuit of an op stays under this many constraints. */
  maxConstraints: number;
  /** Automatic ladder: number of points (N doubles each step). */
  ladderPoints: number;
  /** Fixed-point parameters of fixed-mul and dot (docs/fixed-point.md). */
  scaleBits: number;
  valueBits: number;
  /** Timed repetitions of witness generation and of each proof (proofs: interleaved rounds over the ladder). */
  samples: number;
  /** tinybench time budget per native baseline task, milliseconds. */
  nativeTimeMs: number;
  proofSystems: MicroProofSystem[];
  /**
   * PLONK proves only the ladder's circuits of at most this many R1CS constraints (its prover is
   * ~10× slower than Groth16's here, so Groth16 gets the bigger circuits). Unset: every circuit.
   */
  plonkMaxConstraints?: number;
  /** Per op, the longest total wait for a quiet machine before a contended proof is kept, seconds (createQuietTimer). Unset: 0. */
  quietWaitS?: number;
  seed: number;
  /**
   * The sumcheck/GKR prover's part (issue 10; measureGkrMatMul, measureGkrOps, measureGkrInference):
   * the n of the n × n matmul ladder, the N of the ReLU-lookup / multiply-accumulate one-op models,
   * the whole models, and the timed repetitions per point (medians). Unset: not measured.
   */
  gkr?: MicroGkrSettings;
}

export interface MicroGkrSettings extends Record<string, unknown> {
  matmulLadder: number[];
  opsLadder: number[];
  models: string[];
  samples: number;
}

export type MicroProofSystem = 'groth16' | 'plonk';

/** The proof systems of `settings` that measure a circuit of `constraints` R1CS constraints. */
export function systemsFor(settings: MicroSettings, constraints: number): MicroProofSystem[] {
  return settings.proofSystems.filter((system) => system !== 'plonk' || constraints <= (settings.plonkMaxConstraints ?? Infinity));
}

/** The median of timing samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface MicroOp {
  id: MicroOpId;
  /** What one operation is, for reports. */
  description: string;
  /** `mul`, `relu` or `smooth` (sigmoid, tanh, softmax): which claim of the survey the op speaks to (smooth: "non-linear operations"). */
  family: 'mul' | 'relu' | 'smooth';
  /** Circom source of the main with N instances. */
  circuit(n: number, settings: MicroSettings): string;
  /** Deterministic integer inputs: named arrays `a`, `b` (binary ops) or `x` (ReLU). */
  inputs(n: number, settings: MicroSettings): { a: number[]; b?: number[] };
}

function uniformIntegers(count: number, bits: number, seed: number): number[] {
  const prng = createPrng({ seed });
  const range = 2 ** bits;
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Math.floor(prng.next() * range) - range / 2);
  return values;
}

/** Bits per operand so that a sum of n products of two such operands rescaled by s stays in v bits. */
function operandBits(n: number, settings: MicroSettings): number {
  return Math.max(1, Math.floor((settings.valueBits - 1 + settings.scaleBits - Math.ceil(Math.log2(n))) / 2) - 1);
}

const header = (n: number, what: string) => `pragma circom 2.1.0;\n// Generated by src/bench/micro/microOps.ts: ${n} × ${what}.\n`;

const relu = (valueBits: number): MicroOp => ({
  id: `relu-${valueBits}` as MicroOpId,
  description: `bounded ReLU: range check of a ${valueBits}-bit signed value + sign bit + one multiplication (Relu(${valueBits}))`,
  family: 'relu',
  circuit: (n) => `${header(n, `Relu(${valueBits})`)}include "Relu.circom";

template MicroRelu(n) {
    signal input x[n];
    signal y[n];
    component relu[n];
    for (var i = 0; i < n; i++) {
        relu[i] = Relu(${valueBits});
        relu[i].in <== x[i];
        y[i] <== relu[i].out;
    }
    signal output first;
    first <== y[0];
}

component main = MicroRelu(${n});
`,
  inputs: (n, settings) => ({ a: uniformIntegers(n, valueBits, settings.seed + valueBits) }),
});

/** The circuit arguments of a smooth function's table (circuits/Smooth.circom) at the settings' scale. */
function tableArguments(fn: 'sigmoid' | 'tanh' | 'exp', settings: MicroSettings): string {
  const table = buildSmoothTable({ fn, scaleBits: settings.scaleBits, valueBits: settings.valueBits, where: `micro ${fn}` });
  return `${table.lowest}, ${table.segmentBits}, ${table.knots.length - 1}, [${table.knots.join(',')}]`;
}

const smooth = (fn: 'sigmoid' | 'tanh'): MicroOp => ({
  id: fn,
  description: `${fn} by its piecewise-linear table (docs/fixed-point.md): clamp, one-hot segment, interpolation, rounding (SmoothTable)`,
  family: 'smooth',
  circuit: (n, settings) => `${header(n, `${fn} (Smooth)`)}include "Smooth.circom";

template Micro${fn === 'sigmoid' ? 'Sigmoid' : 'Tanh'}(n) {
    signal input x[n];
    signal y[n];
    component f = Smooth(n, ${Math.max(settings.valueBits, settings.scaleBits + 4) + 2}, ${tableArguments(fn, settings)}, ${settings.scaleBits + 3});
    for (var i = 0; i < n; i++) f.in[i] <== x[i];
    for (var i = 0; i < n; i++) y[i] <== f.out[i];
    signal output first;
    first <== y[0];
}

component main = Micro${fn === 'sigmoid' ? 'Sigmoid' : 'Tanh'}(${n});
`,
  // Inputs within ±16 in real units, past both clamps of sigmoid (±8) and tanh (±4).
  inputs: (n, settings) => ({ a: uniformIntegers(n, Math.min(settings.valueBits, settings.scaleBits + 5), settings.seed + (fn === 'sigmoid' ? 11 : 12)) }),
});

export const MICRO_OPS: Record<MicroOpId, MicroOp> = {
  mul: {
    id: 'mul',
    description: 'private × private field multiplication (one R1CS constraint)',
    family: 'mul',
    circuit: (n) => `${header(n, 'a·b')}
template MicroMul(n) {
    signal input a[n];
    signal input b[n];
    signal c[n];
    for (var i = 0; i < n; i++) c[i] <== a[i] * b[i];
    signal output first;
    first <== c[0];
}

component main = MicroMul(${n});
`,
    inputs: (n, settings) => ({ a: uniformIntegers(n, 16, settings.seed + 1), b: uniformIntegers(n, 16, settings.seed + 2) }),
  },
  'fixed-mul': {
    id: 'fixed-mul',
    description: 'fixed-point multiply: a·b then the sound Rescale(scaleBits, valueBits)',
    family: 'mul',
    circuit: (n, settings) => `${header(n, `Rescale(${settings.scaleBits}, ${settings.valueBits})(a·b)`)}include "Rescale.circom";

template MicroFixedMul(n) {
    signal input a[n];
    signal input b[n];
    signal c[n];
    signal product[n];
    component rescale[n];
    for (var i = 0; i < n; i++) {
        product[i] <== a[i] * b[i];
        rescale[i] = Rescale(${settings.scaleBits}, ${settings.valueBits});
        rescale[i].in <== product[i];
        c[i] <== rescale[i].out;
    }
    signal output first;
    first <== c[0];
}

component main = MicroFixedMul(${n});
`,
    inputs: (n, settings) => ({ a: uniformIntegers(n, operandBits(1, settings), settings.seed + 3), b: uniformIntegers(n, operandBits(1, settings), settings.seed + 4) }),
  },
  dot: {
    id: 'dot',
    description: 'dot product of length N (one multiply-accumulate per op), one Rescale at the end',
    family: 'mul',
    circuit: (n, settings) => `${header(n, 'multiply-accumulate')}include "Rescale.circom";

template MicroDot(n) {
    signal input a[n];
    signal input b[n];
    signal c;
    signal product[n];
    var acc = 0;
    for (var i = 0; i < n; i++) {
        product[i] <== a[i] * b[i];
        acc += product[i];
    }
    component rescale = Rescale(${settings.scaleBits}, ${settings.valueBits});
    rescale.in <== acc;
    c <== rescale.out;
    signal output first;
    first <== c;
}

component main = MicroDot(${n});
`,
    inputs: (n, settings) => ({ a: uniformIntegers(n, operandBits(n, settings), settings.seed + 5), b: uniformIntegers(n, operandBits(n, settings), settings.seed + 6) }),
  },
  'relu-8': relu(8),
  'relu-16': relu(16),
  'relu-32': relu(32),
  'relu-full': {
    id: 'relu-full',
    description: 'circomlib-ml ReLU over the whole 254-bit field (ReluFull: Num2Bits(254) + Sign)',
    family: 'relu',
    circuit: (n) => `${header(n, 'ReluFull()')}include "ReluFull.circom";

template MicroReluFull(n) {
    signal input x[n];
    signal y[n];
    component relu[n];
    for (var i = 0; i < n; i++) {
        relu[i] = ReluFull();
        relu[i].in <== x[i];
        y[i] <== relu[i].out;
    }
    signal output first;
    first <== y[0];
}

component main = MicroReluFull(${n});
`,
    inputs: (n, settings) => ({ a: uniformIntegers(n, 16, settings.seed + 7) }),
  },
  sigmoid: smooth('sigmoid'),
  tanh: smooth('tanh'),
  'softmax-8': {
    id: 'softmax-8',
    description: `softmax over a row of ${SOFTMAX_ROW} values (max, exp table, sum, rounded division; Softmax) — one op is one row`,
    family: 'smooth',
    circuit: (n, settings) => {
      const exp = buildSmoothTable({ fn: 'exp', scaleBits: settings.scaleBits, valueBits: settings.valueBits, where: 'micro softmax-8' });
      const sumBits = Math.ceil(Math.log2(2 * SOFTMAX_ROW * Math.max(...exp.knots) + 1)) + 1;
      return `${header(n, `Softmax over ${SOFTMAX_ROW}`)}include "Smooth.circom";

template MicroSoftmax(n) {
    signal input x[n * ${SOFTMAX_ROW}];
    signal y[n * ${SOFTMAX_ROW}];
    component f = Softmax(n, ${SOFTMAX_ROW}, ${settings.valueBits}, ${settings.scaleBits}, ${tableArguments('exp', settings)}, ${sumBits});
    for (var i = 0; i < n; i++) for (var k = 0; k < ${SOFTMAX_ROW}; k++) f.in[i][k] <== x[i * ${SOFTMAX_ROW} + k];
    for (var i = 0; i < n; i++) for (var k = 0; k < ${SOFTMAX_ROW}; k++) y[i * ${SOFTMAX_ROW} + k] <== f.out[i][k];
    signal output first;
    first <== y[0];
}

component main = MicroSoftmax(${n});
`;
    },
    inputs: (n, settings) => ({ a: uniformIntegers(n * SOFTMAX_ROW, Math.min(settings.valueBits, settings.scaleBits + 4), settings.seed + 13) }),
  },
};

/** The result signal of the generated main, as the .sym file names it (main.c[i] or main.y[i]). */
export function resultSignalName(op: MicroOp, index: number): string {
  if (op.id === 'dot') return 'main.c';
  return op.family === 'mul' ? `main.c[${index}]` : `main.y[${index}]`;
}

/** The circuit input object (signal names as in the generated mains). */
export function circuitInput(op: MicroOp, values: { a: number[]; b?: number[] }): Record<string, number[]> {
  return op.family === 'mul' ? { a: values.a, b: values.b! } : { x: values.a };
}
