/**
 * The two faces of one circuit description, so that the R1CS and its witness come from the same
 * code and cannot drift apart (the gadget pattern of bellman's `ConstraintSystem`):
 *   SymbolicCs  — values are linear combinations of wires; `enforce` records a constraint A·B = C.
 *                 Built once per circuit: the R1CS file is written from it.
 *   ConcreteCs  — values are the integers themselves; `witness` runs its hint at once. Built once
 *                 per inference: the witness.
 * A gadget (src/zk/r1cs/gadgets.ts) is written once against `Cs<T>` and run in either mode; the
 * wires come out in the same order in both because the same calls allocate them.
 *
 * What circom's --O2 does with linear constraints is done here by construction: a signal that a
 * linear constraint defines (a sum, a bit recovered from the others, a quotient from its bits) is
 * never a wire, it is the linear combination itself. So every constraint recorded is non-linear
 * and the counts equal circom's. The one place where a linear relation is between wires that
 * exist anyway — a public output equal to a combination of internal wires — is solved by
 * `output`: one internal wire of the combination is eliminated (substituted when the R1CS is
 * written), as circom does.
 *
 * Values in ConcreteCs are signed integers (not reduced mod p): hints compare and divide them as
 * the engine does; they are reduced only when the witness is written.
 */
import { UnsupportedModelError, VerificationError } from '../../errors.ts';
import { BN254_PRIME } from '../calculateWitness.ts';

export const FIELD_PRIME = BN254_PRIME;

/** A linear combination: wire → coefficient (signed; wire 0 is the constant one). */
export type Lc = Map<number, bigint>;

export type WireKind = 'publicInput' | 'privateInput' | 'internal';

/** The operations a gadget may use. T is Lc (symbolic) or bigint (concrete). */
export interface Cs<T> {
  readonly mode: 'symbolic' | 'concrete';
  /** Whether `name` records anything (so gadgets can skip building names in loops). */
  readonly recording: boolean;
  constant(value: bigint | number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  scale(a: T, factor: bigint | number): T;
  /**
   * bias + Σ_k weights[start + k·stride]·xs[k], weights integers (constant weights: free in
   * R1CS). Strided so that a matmul reads a weight column in place; xs must not change after
   * it is first passed (the concrete side caches its numbers by array).
   */
  dot(weights: ArrayLike<number>, start: number, stride: number, xs: readonly T[], bias: bigint | number): T;
  /** A new wire whose value the hint computes (only called in concrete mode). */
  witness(hint: () => bigint): T;
  /** The value of a signal, inside hints (concrete mode only). */
  value(x: T): bigint;
  /** a·b = c, non-linear (both sides non-constant) or it would not be a constraint in --O2. */
  enforce(a: T, b: T, c: T): void;
  /**
   * a·b: a new wire and one constraint. Both sides must be signals, not constants (a constant
   * side would make the product linear and circom would count no constraint): the symbolic side
   * refuses a constant, so the two modes never allocate differently.
   */
  mul(a: T, b: T): T;
  /** Main inputs, in declaration order. */
  input(signal: string, size: number, kind: Exclude<WireKind, 'internal'>): T[];
  /** A main output: a public wire equal to x. */
  output(x: T): void;
  /**
   * a === b, a linear constraint (circom's `===` between combinations): solved away by
   * eliminating one internal wire of a − b, as --O2 does (no constraint, one wire fewer). The
   * concrete side checks it and fails as circom's witness calculator does.
   */
  equal(a: T, b: T, what: () => string): void;
  /** Record a circom signal name for x (cross-checks with circom's .sym; no-op unless recording). */
  name(name: () => string, x: T): void;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toBig(value: bigint | number): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function mod(value: bigint): bigint {
  const r = value % FIELD_PRIME;
  return r < 0n ? r + FIELD_PRIME : r;
}

/** Modular inverse by Fermat (p prime). */
export function inverse(value: bigint): bigint {
  let result = 1n;
  let base = mod(value);
  let exponent = FIELD_PRIME - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % FIELD_PRIME;
    base = (base * base) % FIELD_PRIME;
    exponent >>= 1n;
  }
  return result;
}

function addInto(target: Lc, source: Lc, factor = 1n): void {
  for (const [wire, coefficient] of source) {
    const sum = (target.get(wire) ?? 0n) + coefficient * factor;
    if (sum === 0n) target.delete(wire);
    else target.set(wire, sum);
  }
}

export interface SymbolicConstraint {
  a: Lc;
  b: Lc;
  c: Lc;
}

/** Records wires and constraints. */
export class SymbolicCs implements Cs<Lc> {
  readonly mode = 'symbolic' as const;
  readonly recording: boolean;
  /** Kind of each internal wire index (index 0 is the constant one, kind 'internal' unused). */
  readonly kinds: WireKind[] = ['internal'];
  /** Output wires, in order (indices into kinds). */
  readonly outputs: number[] = [];
  readonly constraints: SymbolicConstraint[] = [];
  /** Wires replaced by a combination of others (by `output`), substituted when written. */
  readonly eliminated = new Map<number, Lc>();
  /** Signal name → combination, when recording (cross-checks only). */
  readonly names?: Map<string, Lc>;
  /** Linear constraints that could not be solved away (an output equal to an input). */
  linearConstraints = 0;

  constructor({ recordNames = false }: { recordNames?: boolean } = {}) {
    if (recordNames) this.names = new Map();
    this.recording = recordNames;
  }

  private newWire(kind: WireKind): Lc {
    const wire = this.kinds.length;
    this.kinds.push(kind);
    return new Map([[wire, 1n]]);
  }

  constant(value: bigint | number): Lc {
    const v = toBig(value);
    return v === 0n ? new Map() : new Map([[0, v]]);
  }
  add(a: Lc, b: Lc): Lc {
    const result = new Map(a);
    addInto(result, b);
    return result;
  }
  sub(a: Lc, b: Lc): Lc {
    const result = new Map(a);
    addInto(result, b, -1n);
    return result;
  }
  scale(a: Lc, factor: bigint | number): Lc {
    const f = toBig(factor);
    const result: Lc = new Map();
    if (f === 0n) return result;
    for (const [wire, coefficient] of a) result.set(wire, coefficient * f);
    return result;
  }
  dot(weights: ArrayLike<number>, start: number, stride: number, xs: readonly Lc[], bias: bigint | number): Lc {
    const result = this.constant(bias);
    for (let i = 0; i < xs.length; i++) {
      const w = weights[start + i * stride]!;
      if (w !== 0) addInto(result, xs[i]!, BigInt(w));
    }
    return result;
  }
  witness(): Lc {
    return this.newWire('internal');
  }
  value(): bigint {
    throw new Error('SymbolicCs has no values (a hint ran in symbolic mode)');
  }
  constantValue(x: Lc): bigint | undefined {
    if (x.size === 0) return 0n;
    if (x.size === 1 && x.has(0)) return x.get(0)!;
    return undefined;
  }
  enforce(a: Lc, b: Lc, c: Lc): void {
    this.constraints.push({ a, b, c });
  }
  mul(a: Lc, b: Lc): Lc {
    if (this.constantValue(a) !== undefined || this.constantValue(b) !== undefined)
      throw new UnsupportedModelError('direct R1CS builder: a product with a constant operand', { hint: 'build this circuit with circom (builder: circom)' });
    const product = this.witness();
    this.enforce(a, b, product);
    return product;
  }
  input(_signal: string, size: number, kind: Exclude<WireKind, 'internal'>): Lc[] {
    return Array.from({ length: size }, () => this.newWire(kind));
  }
  output(x: Lc): void {
    const y = this.kinds.length;
    this.kinds.push('internal');
    this.outputs.push(y);
    // y = x: express x through the wires that remain, then eliminate one internal wire of x − y.
    this.eliminate(this.sub(this.expand(x), new Map([[y, 1n]])));
  }
  equal(a: Lc, b: Lc): void {
    this.eliminate(this.expand(this.sub(a, b)));
  }
  /**
   * expr = 0 (expr already expanded): solve it for one internal wire that is not an output (a ±1
   * coefficient preferred), as circom's --O2 does; with none, expr = 0 stays a linear constraint.
   */
  private eliminate(expr: Lc): void {
    let chosen: number | undefined;
    for (const [wire, coefficient] of expr) {
      if (wire === 0 || this.kinds[wire] !== 'internal' || this.outputs.includes(wire)) continue;
      if (chosen === undefined || coefficient === 1n || coefficient === -1n) chosen = wire;
      if (coefficient === 1n || coefficient === -1n) break;
    }
    if (chosen === undefined) {
      this.constraints.push({ a: new Map(), b: new Map(), c: expr });
      this.linearConstraints++;
      return;
    }
    // c·chosen + rest = 0  →  chosen = −rest / c
    const c = expr.get(chosen)!;
    const rest = new Map(expr);
    rest.delete(chosen);
    if (c === 1n) this.eliminated.set(chosen, this.scale(rest, -1n));
    else if (c === -1n) this.eliminated.set(chosen, rest);
    else {
      const factor = mod(-inverse(c));
      const scaled: Lc = new Map();
      for (const [wire, coefficient] of rest) scaled.set(wire, mod(coefficient * factor));
      this.eliminated.set(chosen, scaled);
    }
  }
  name(name: () => string, x: Lc): void {
    this.names?.set(name(), x);
  }

  /** x with every eliminated wire replaced by its definition (recursively). */
  expand(x: Lc): Lc {
    let needs = false;
    for (const wire of x.keys()) if (this.eliminated.has(wire)) needs = true;
    if (!needs) return x;
    const result: Lc = new Map();
    for (const [wire, coefficient] of x) {
      const definition = this.eliminated.get(wire);
      if (definition) addInto(result, this.expand(definition), coefficient);
      else addInto(result, new Map([[wire, coefficient]]));
    }
    return result;
  }

  /**
   * Internal wire → R1CS wire (-1 when eliminated): the constant one, the outputs, the public
   * inputs, the private inputs, then every other wire in the order it was made (snarkjs's order).
   */
  wireMap(): Int32Array {
    const map = new Int32Array(this.kinds.length).fill(-1);
    let next = 0;
    map[0] = next++;
    for (const wire of this.outputs) map[wire] = next++;
    for (const kind of ['publicInput', 'privateInput'] as const) this.kinds.forEach((k, wire) => { if (k === kind) map[wire] = next++; });
    const outputSet = new Set(this.outputs);
    this.kinds.forEach((k, wire) => {
      if (wire !== 0 && k === 'internal' && !outputSet.has(wire) && !this.eliminated.has(wire)) map[wire] = next++;
    });
    return map;
  }

  counts(): { publicOutputs: number; publicInputs: number; privateInputs: number } {
    return {
      publicOutputs: this.outputs.length,
      publicInputs: this.kinds.filter((k) => k === 'publicInput').length,
      privateInputs: this.kinds.filter((k) => k === 'privateInput').length,
    };
  }
}

export interface ConcreteCsParameters {
  /** Main input values by signal name (x0, p0, …), in the circuit's element order. */
  inputs: Record<string, ArrayLike<number | bigint>>;
}

/** Computes every wire's value, in the symbolic build's allocation order. */
export class ConcreteCs implements Cs<bigint> {
  readonly mode = 'concrete' as const;
  readonly recording = false;
  /** Value of each internal wire (index 0 is 1). */
  readonly values: bigint[] = [1n];
  readonly outputs: number[] = [];
  private readonly inputValues: Record<string, ArrayLike<number | bigint>>;

  constructor({ inputs }: ConcreteCsParameters) {
    this.inputValues = inputs;
  }

  constant(value: bigint | number): bigint {
    return toBig(value);
  }
  add(a: bigint, b: bigint): bigint {
    return a + b;
  }
  sub(a: bigint, b: bigint): bigint {
    return a - b;
  }
  scale(a: bigint, factor: bigint | number): bigint {
    return a * toBig(factor);
  }
  /** xs as doubles (exact: every |x| < 2^53), by array; null when some x is not. */
  private readonly numbers = new WeakMap<readonly bigint[], Float64Array | null>();

  dot(weights: ArrayLike<number>, start: number, stride: number, xs: readonly bigint[], bias: bigint | number): bigint {
    // Short operand lists (a convolution's taps, fresh per output) are converted in place; long
    // ones (a matmul row, shared by every output column) once, by array.
    let doubles = xs.length < 64 ? undefined : this.numbers.get(xs);
    if (doubles === undefined) {
      doubles = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        if (x > SAFE || x < -SAFE) {
          doubles = null;
          break;
        }
        doubles[i] = Number(x);
      }
      if (xs.length >= 64) this.numbers.set(xs, doubles);
    }
    if (doubles) {
      // Number arithmetic while it is exact (Σ|w·x| < 2^53), BigInt beyond.
      let sum = 0;
      let bound = 0;
      for (let i = 0, at = start; i < doubles.length; i++, at += stride) {
        const product = weights[at]! * doubles[i]!;
        sum += product;
        bound += Math.abs(product);
      }
      if (bound < 2 ** 53) return BigInt(sum) + toBig(bias);
    }
    let big = toBig(bias);
    for (let i = 0; i < xs.length; i++) big += BigInt(weights[start + i * stride]!) * xs[i]!;
    return big;
  }
  witness(hint: () => bigint): bigint {
    const value = hint();
    this.values.push(value);
    return value;
  }
  value(x: bigint): bigint {
    return x;
  }
  enforce(): void {
    // Hints check their own ranges; the constraints are checked against the R1CS in tests.
  }
  mul(a: bigint, b: bigint): bigint {
    const product = a * b;
    this.values.push(product);
    return product;
  }
  input(signal: string, size: number): bigint[] {
    const data = this.inputValues[signal];
    if (!data || data.length !== size)
      throw new VerificationError(`direct witness: input signal '${signal}' needs ${size} values, got ${data?.length ?? 'none'}`, { details: { signal } });
    const result: bigint[] = [];
    for (let i = 0; i < size; i++) {
      const value = toBig(data[i]!);
      this.values.push(value);
      result.push(value);
    }
    return result;
  }
  output(x: bigint): void {
    this.outputs.push(this.values.length);
    this.values.push(x);
  }
  equal(a: bigint, b: bigint, what: () => string): void {
    if (mod(a - b) !== 0n)
      throw new VerificationError(`the circuit has no witness for this input: ${what()} is ${mod(a)}, the circuit's input says ${mod(b)}`, {
        details: { component: what(), computed: mod(a).toString(), given: mod(b).toString() },
        hint: 'the public input does not match what the circuit computes (a commitment of other data?)',
      });
  }
  name(): void {}
}
