/**
 * The templates of circuits/ as gadgets over Cs<T> (constraintSystem.ts): the same constraints,
 * each hint pinned by the same checks, in the form circom's --O2 leaves them (only the
 * non-linear constraints; a signal a linear constraint defines is a linear combination, not a
 * wire). Each gadget's comment gives its circuits/ file and constraint count; the counts are
 * asserted against circom in test/zk-direct-r1cs.test.ts.
 *
 * `prefix` gives the circom signal path of the component (e.g. `main.l0[0].rescale[0][3]`), only
 * evaluated when names are recorded (cross-checks with circom's .sym).
 *
 * A value a hint cannot decompose (out of range) means the circuit has no witness for this input:
 * a VerificationError naming the component and the value, as circom's witness calculator fails.
 */
import { VerificationError } from '../../errors.ts';
import type { Cs } from './constraintSystem.ts';

type Prefix = () => string;

const TWO = 2n;
/** 2^i for every shift a gadget uses (s + v ≤ 250). */
const POW2: bigint[] = Array.from({ length: 256 }, (_, i) => 1n << BigInt(i));

function noWitness(prefix: Prefix, what: string, value: bigint, range: string): never {
  throw new VerificationError(`the circuit has no witness for this input: ${prefix()} ${what} is ${value}, outside ${range}`, {
    details: { component: prefix(), value: value.toString() },
    hint: 'an input or intermediate value is outside the fixed-point range (see docs/fixed-point.md)',
  });
}

/** Booleanity of one bit: b·(b − 1) = 0 (a constraint only: nothing to compute for the witness). */
function booleanity<T>(cs: Cs<T>, bit: T): void {
  if (cs.mode === 'symbolic') cs.enforce(bit, cs.sub(bit, cs.constant(1)), cs.constant(0));
}

/**
 * circomlib's Num2Bits(n) of an existing signal: out[1..n-1] are wires, out[0] = in − Σ 2^i·out[i]
 * (the linear constraint `lc1 === in` solved for it). n constraints.
 */
export function num2Bits<T>(cs: Cs<T>, prefix: Prefix, input: T, n: number): T[] {
  let value = 0n;
  if (cs.mode === 'concrete') {
    value = cs.value(input);
    if (value < 0n || value >= POW2[n]!) noWitness(prefix, 'Num2Bits input', value, `[0, 2^${n})`);
  }
  const bits: T[] = new Array(n);
  let rest = input;
  for (let i = 1; i < n; i++) {
    const shift = BigInt(i);
    bits[i] = cs.witness(() => (value >> shift) & 1n);
    rest = cs.sub(rest, cs.scale(bits[i]!, POW2[i]!));
  }
  bits[0] = rest;
  for (let i = 0; i < n; i++) booleanity(cs, bits[i]!);
  if (cs.recording) {
    cs.name(() => `${prefix()}.in`, input);
    bits.forEach((bit, i) => cs.name(() => `${prefix()}.out[${i}]`, bit));
  }
  return bits;
}

/**
 * A hinted value proven by its n bits, all wires: value = Σ 2^i·bits[i] − offset (a Num2Bits of
 * `hint + offset` where the hinted signal itself is the one the linear constraint removes). n
 * constraints. Returns the bits and the value as a combination of them.
 */
function hintedBits<T>(cs: Cs<T>, prefix: Prefix, shifted: bigint, n: number, offset: bigint): { bits: T[]; value: T } {
  const bits: T[] = [];
  let packed = cs.constant(-offset);
  for (let i = 0; i < n; i++) {
    const shift = BigInt(i);
    const bit = cs.witness(() => (shifted >> shift) & 1n);
    bits.push(bit);
    packed = cs.add(packed, cs.scale(bit, POW2[i]!));
  }
  for (const bit of bits) booleanity(cs, bit);
  if (cs.recording) {
    bits.forEach((bit, i) => cs.name(() => `${prefix()}.out[${i}]`, bit));
    cs.name(() => `${prefix()}.in`, cs.add(packed, cs.constant(offset)));
  }
  return { bits, value: packed };
}

/** RangeCheck(v) (circuits/RangeCheck.circom): −2^(v−1) ≤ in < 2^(v−1). v constraints; returns the bits. */
export function rangeCheck<T>(cs: Cs<T>, prefix: Prefix, input: T, valueBits: number): T[] {
  const offset = TWO ** BigInt(valueBits - 1);
  if (cs.mode === 'concrete') {
    const value = cs.value(input);
    if (value < -offset || value >= offset) noWitness(prefix, 'value', value, `the signed ${valueBits}-bit range`);
  }
  const bits = num2Bits(cs, () => `${prefix()}.decompose`, cs.add(input, cs.constant(offset)), valueBits);
  if (cs.recording) {
    cs.name(() => `${prefix()}.in`, input);
    bits.forEach((bit, i) => cs.name(() => `${prefix()}.bits[${i}]`, bit));
  }
  return bits;
}

/**
 * Rescale(s, v) (circuits/Rescale.circom): out = floor((in + 2^(s−1)) / 2^s), the quotient's v
 * bits and the remainder's s bits proven. s + v constraints.
 */
export function rescale<T>(cs: Cs<T>, prefix: Prefix, input: T, scaleBits: number, valueBits: number): T {
  const s = BigInt(scaleBits);
  const half = TWO ** BigInt(valueBits - 1);
  let quotientShifted = 0n;
  if (cs.mode === 'concrete') {
    const numerator = cs.value(input) + TWO ** (s - 1n);
    const quotient = numerator >= 0n ? numerator >> s : -((-numerator + TWO ** s - 1n) >> s);
    if (quotient < -half || quotient >= half) noWitness(prefix, 'quotient', quotient, `the signed ${valueBits}-bit range`);
    quotientShifted = quotient + half;
  }
  const { value: quotient } = hintedBits(cs, () => `${prefix()}.quotientBits`, quotientShifted, valueBits, half);
  // remainder = in + 2^(s−1) − quotient·2^s; its s bits prove 0 ≤ remainder < 2^s.
  const remainder = cs.sub(cs.add(input, cs.constant(TWO ** (s - 1n))), cs.scale(quotient, TWO ** s));
  num2Bits(cs, () => `${prefix()}.remainderBits`, remainder, scaleBits);
  if (cs.recording) cs.name(() => `${prefix()}.in`, input);
  if (cs.recording) cs.name(() => `${prefix()}.quotient`, quotient);
  if (cs.recording) cs.name(() => `${prefix()}.remainder`, remainder);
  if (cs.recording) cs.name(() => `${prefix()}.out`, quotient);
  return quotient;
}

/** Relu(v) (circuits/Relu.circom): out = in · sign bit. v + 1 constraints. */
export function relu<T>(cs: Cs<T>, prefix: Prefix, input: T, valueBits: number): T {
  const bits = rangeCheck(cs, () => `${prefix()}.range`, input, valueBits);
  const out = cs.mul(input, bits[valueBits - 1]!);
  if (cs.recording) cs.name(() => `${prefix()}.in`, input);
  if (cs.recording) cs.name(() => `${prefix()}.out`, out);
  return out;
}

/** Add(v) (circuits/Add.circom): out = a + b, range-checked. v constraints. */
export function add<T>(cs: Cs<T>, prefix: Prefix, a: T, b: T, valueBits: number): T {
  const out = cs.add(a, b);
  rangeCheck(cs, () => `${prefix()}.range`, out, valueBits);
  if (cs.recording) cs.name(() => `${prefix()}.a`, a);
  if (cs.recording) cs.name(() => `${prefix()}.b`, b);
  if (cs.recording) cs.name(() => `${prefix()}.out`, out);
  return out;
}

/** ScalarMul(factor, s, v) (circuits/ScalarMul.circom): rescale(in · factor). s + v constraints. */
export function scalarMul<T>(cs: Cs<T>, prefix: Prefix, input: T, factor: number, scaleBits: number, valueBits: number): T {
  const out = rescale(cs, () => `${prefix()}.rescale`, cs.scale(input, factor), scaleBits, valueBits);
  if (cs.recording) cs.name(() => `${prefix()}.in`, input);
  if (cs.recording) cs.name(() => `${prefix()}.out`, out);
  return out;
}

/** Max2(v) (circuits/MaxPool.circom): out = b + [a ≥ b]·(a − b). v + 2 constraints. */
export function max2<T>(cs: Cs<T>, prefix: Prefix, a: T, b: T, valueBits: number): T {
  const difference = cs.sub(a, b);
  const bits = num2Bits(cs, () => `${prefix()}.difference`, cs.add(difference, cs.constant(TWO ** BigInt(valueBits))), valueBits + 1);
  const chosen = cs.mul(bits[valueBits]!, difference);
  const out = cs.add(b, chosen);
  if (cs.recording) cs.name(() => `${prefix()}.a`, a);
  if (cs.recording) cs.name(() => `${prefix()}.b`, b);
  if (cs.recording) cs.name(() => `${prefix()}.chosen`, chosen);
  if (cs.recording) cs.name(() => `${prefix()}.out`, out);
  return out;
}

function bitsOf(value: number): number {
  let bits = 0;
  while (2 ** bits <= value) bits++;
  return bits;
}

/**
 * RoundDiv(c, v) (circuits/AvgPool.circom): out = floor((in + floor(c/2)) / c), 0 ≤ r < c and
 * the quotient's range proven. v + 2·bits(c − 1) constraints (v when c = 1).
 */
export function roundDiv<T>(cs: Cs<T>, prefix: Prefix, input: T, divisor: number, valueBits: number): T {
  if (divisor === 1) {
    rangeCheck(cs, () => `${prefix()}.range`, input, valueBits);
    if (cs.recording) cs.name(() => `${prefix()}.in`, input);
    if (cs.recording) cs.name(() => `${prefix()}.out`, input);
    return input;
  }
  const c = BigInt(divisor);
  const half = TWO ** BigInt(valueBits - 1);
  const remainderBitCount = bitsOf(divisor - 1);
  let quotientShifted = 0n;
  if (cs.mode === 'concrete') {
    const numerator = cs.value(input) + c / 2n;
    let quotient = numerator / c;
    if (quotient * c > numerator) quotient -= 1n;
    if (quotient < -half || quotient >= half) noWitness(prefix, 'quotient', quotient, `the signed ${valueBits}-bit range`);
    quotientShifted = quotient + half;
  }
  const { bits, value: quotient } = hintedBits(cs, () => `${prefix()}.quotientRange.decompose`, quotientShifted, valueBits, half);
  if (cs.recording) bits.forEach((bit, i) => cs.name(() => `${prefix()}.quotientRange.bits[${i}]`, bit));
  if (cs.recording) cs.name(() => `${prefix()}.quotientRange.in`, quotient);
  const remainder = cs.sub(cs.add(input, cs.constant(c / 2n)), cs.scale(quotient, c));
  num2Bits(cs, () => `${prefix()}.remainderBits`, remainder, remainderBitCount);
  num2Bits(cs, () => `${prefix()}.belowDivisor`, cs.add(remainder, cs.constant(TWO ** BigInt(remainderBitCount) - c)), remainderBitCount);
  if (cs.recording) cs.name(() => `${prefix()}.in`, input);
  if (cs.recording) cs.name(() => `${prefix()}.quotient`, quotient);
  if (cs.recording) cs.name(() => `${prefix()}.remainder`, remainder);
  if (cs.recording) cs.name(() => `${prefix()}.out`, quotient);
  return quotient;
}
