/**
 * circomlib's Poseidon (node_modules/circomlib/circuits/poseidon.circom: PoseidonEx, the
 * optimised form with the sparse partial-round matrices) and circuits/PoseidonChain.circom and
 * circuits/InputCommitment.circom as gadgets over Cs<T>, in the form circom's --O2 leaves them:
 * only the S-boxes are constraints (Sigma: in2 = in·in, in4 = in2·in2, out = in4·in, 3 each); the
 * round constants (Ark), the MDS mixes (Mix, MixS, MixLast) are linear, so their signals are
 * linear combinations, not wires. An S-box whose input is a constant (circom propagates constants:
 * Poseidon(16)'s initial state, PoseidonChain's zero first state and zero padding) is a constant,
 * no constraint — so Poseidon(16) costs 3·(8·17 + 68) = 612 minus 3 per constant input, as
 * poseidonChainConstraints (commitWeights.ts) counts.
 *
 * The constants are circomlibjs's (poseidon_constants_opt.json, the same numbers as circomlib's
 * poseidon_constants.circom: test/zk-direct-r1cs.test.ts checks the outputs against circomlibjs's
 * poseidon and the whole witness against circom's). Concrete values are kept reduced mod p.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ToolError, VerificationError } from '../../errors.ts';
import { inputsPerWord } from '../commitInput.ts';
import { POSEIDON_CHUNK_SIZE } from '../commitWeights.ts';
import { zkCacheDir } from '../paths.ts';
import { FIELD_PRIME, type Cs, type Lc } from './constraintSystem.ts';
import { rangeCheck } from './gadgets.ts';

type Prefix = () => string;

/** A Poseidon state element: a signal, or a constant circom has propagated (no wire, no constraint). */
type Slot<T> = { signal: T } | { constant: bigint };

const N_ROUNDS_F = 8;
const N_ROUNDS_P = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

interface PoseidonConstants {
  C: bigint[];
  S: bigint[];
  M: bigint[][];
  P: bigint[][];
}

const constantsByWidth = new Map<number, PoseidonConstants>();

/**
 * circomlibjs's optimised-Poseidon constants for width t, once per process and only when used.
 * circomlibjs keeps every width in one 1.7 MB JSON file (~35 ms to read and parse, most of a cold
 * hashed witness); the width's part (~0.2 MB, ~2 ms) is cached in the zk build cache, keyed by
 * circomlibjs's version, on first use.
 */
export function poseidonConstants(t: number): PoseidonConstants {
  let constants = constantsByWidth.get(t);
  if (constants) return constants;
  const require = createRequire(import.meta.url);
  // circomlibjs exports only its entry points: its files lie beside build/main.cjs.
  const root = path.join(path.dirname(require.resolve('circomlibjs')), '..');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const cacheFile = path.join(zkCacheDir(), `poseidon-opt-circomlibjs-${version}-t${t}.json`);
  let width: Record<'C' | 'S' | 'M' | 'P', unknown> | undefined;
  if (existsSync(cacheFile)) {
    try {
      width = JSON.parse(readFileSync(cacheFile, 'utf8')) as typeof width;
    } catch {
      width = undefined; // a torn or foreign file: read the source again
    }
  }
  if (!width) {
    const all = JSON.parse(readFileSync(path.join(root, 'src', 'poseidon_constants_opt.json'), 'utf8')) as Record<'C' | 'S' | 'M' | 'P', unknown[]>;
    width = { C: all.C[t - 2], S: all.S[t - 2], M: all.M[t - 2], P: all.P[t - 2] };
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(width));
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only cache only costs the next process the full read.
    }
  }
  const big = (value: string) => BigInt(value);
  constants = {
    C: (width.C as string[]).map(big),
    S: (width.S as string[]).map(big),
    M: (width.M as string[][]).map((row) => row.map(big)),
    P: (width.P as string[][]).map((row) => row.map(big)),
  };
  if (constants.C.length !== t * N_ROUNDS_F + N_ROUNDS_P[t - 2]! || constants.M.length !== t || constants.S.length !== N_ROUNDS_P[t - 2]! * (2 * t - 1))
    throw new ToolError(`${cacheFile}: Poseidon constants for width ${t} have the wrong shape`, { hint: 'delete the file (it is rebuilt from circomlibjs)' });
  constantsByWidth.set(t, constants);
  return constants;
}

function mod(value: bigint): bigint {
  const r = value % FIELD_PRIME;
  return r < 0n ? r + FIELD_PRIME : r;
}

function pow5(x: bigint): bigint {
  const x2 = (x * x) % FIELD_PRIME;
  const x4 = (x2 * x2) % FIELD_PRIME;
  return (x4 * x) % FIELD_PRIME;
}

/** constant + Σ coefficient·slot, reduced mod p (a constant when every slot is). */
function linear<T>(cs: Cs<T>, terms: ReadonlyArray<readonly [bigint, Slot<T>]>, constant: bigint): Slot<T> {
  let k = constant;
  if (cs.mode === 'concrete') {
    let sum = 0n;
    let signals = 0;
    for (const [coefficient, slot] of terms) {
      if ('constant' in slot) k += coefficient * slot.constant;
      else {
        sum += coefficient * (slot.signal as unknown as bigint);
        signals++;
      }
    }
    if (signals === 0) return { constant: mod(k) };
    return { signal: mod(sum + k) as unknown as T };
  }
  const lc: Lc = new Map();
  for (const [coefficient, slot] of terms) {
    if ('constant' in slot) {
      k += coefficient * slot.constant;
      continue;
    }
    for (const [wire, c] of slot.signal as unknown as Lc) lc.set(wire, (lc.get(wire) ?? 0n) + coefficient * c);
  }
  k = mod(k);
  if (k !== 0n) lc.set(0, (lc.get(0) ?? 0n) + k);
  let signals = 0;
  for (const [wire, c] of lc) {
    const reduced = mod(c);
    if (reduced === 0n) lc.delete(wire);
    else {
      lc.set(wire, reduced);
      if (wire !== 0) signals++;
    }
  }
  if (signals === 0) return { constant: lc.get(0) ?? 0n };
  return { signal: lc as unknown as T };
}

function asSignal<T>(cs: Cs<T>, slot: Slot<T>): T {
  return 'constant' in slot ? cs.constant(slot.constant) : slot.signal;
}

/** a·b as a new wire, its value reduced mod p (a constraint in symbolic mode). */
function fieldMul<T>(cs: Cs<T>, a: T, b: T): T {
  if (cs.mode === 'symbolic') return cs.mul(a, b);
  return cs.witness(() => ((cs.value(a) * cs.value(b)) % FIELD_PRIME));
}

/** circomlib's Sigma: x^5 in 3 constraints (none for a constant). */
function sigma<T>(cs: Cs<T>, prefix: Prefix, input: Slot<T>): Slot<T> {
  if ('constant' in input) return { constant: pow5(input.constant) };
  const x = input.signal;
  const in2 = fieldMul(cs, x, x);
  const in4 = fieldMul(cs, in2, in2);
  const out = fieldMul(cs, in4, x);
  if (cs.recording) {
    cs.name(() => `${prefix()}.in`, x);
    cs.name(() => `${prefix()}.in2`, in2);
    cs.name(() => `${prefix()}.in4`, in4);
    cs.name(() => `${prefix()}.out`, out);
  }
  return { signal: out };
}

/**
 * PoseidonEx(nInputs, 1) with initialState, as circomlib's Poseidon(nInputs) instantiates it:
 * 3 constraints per S-box with a non-constant input (8 full rounds of t, nRoundsP partial rounds
 * of 1). Returns out[0].
 */
export function poseidonEx<T>(cs: Cs<T>, prefix: Prefix, inputs: ReadonlyArray<Slot<T>>, initialState: Slot<T>): Slot<T> {
  if (cs.mode === 'concrete' && inputs.some((slot) => 'signal' in slot))
    return poseidonExConcrete(cs as unknown as Cs<bigint>, [initialState, ...inputs] as unknown as Array<Slot<bigint>>) as unknown as Slot<T>;
  const t = inputs.length + 1;
  const nRoundsP = N_ROUNDS_P[t - 2]!;
  const { C, S, M, P } = poseidonConstants(t);
  const half = N_ROUNDS_F / 2;
  const named = (suffix: () => string, slot: Slot<T>) => {
    if (cs.recording) cs.name(() => `${prefix()}.${suffix()}`, asSignal(cs, slot));
  };
  const nameAll = (component: () => string, port: 'in' | 'out', slots: ReadonlyArray<Slot<T>>) => {
    if (cs.recording) slots.forEach((slot, j) => named(() => `${component()}.${port}[${j}]`, slot));
  };
  const ark = (index: number, offset: number, state: Slot<T>[]): Slot<T>[] => {
    nameAll(() => `ark[${index}]`, 'in', state);
    const out = state.map((slot, j) => linear(cs, [[1n, slot]], C[offset + j]!));
    nameAll(() => `ark[${index}]`, 'out', out);
    return out;
  };
  const mix = (index: number, matrix: bigint[][], state: Slot<T>[]): Slot<T>[] => {
    nameAll(() => `mix[${index}]`, 'in', state);
    const out = state.map((_, i) => linear(cs, state.map((slot, j) => [matrix[j]![i]!, slot] as const), 0n));
    nameAll(() => `mix[${index}]`, 'out', out);
    return out;
  };
  const sigmaFull = (round: number, state: Slot<T>[]) => state.map((slot, j) => sigma(cs, () => `${prefix()}.sigmaF[${round}][${j}]`, slot));

  if (cs.recording) {
    named(() => 'initialState', initialState);
    inputs.forEach((slot, i) => named(() => `inputs[${i}]`, slot));
  }
  let state: Slot<T>[] = ark(0, 0, [initialState, ...inputs]);
  for (let r = 0; r < half; r++) {
    state = ark(r + 1, (r + 1) * t, sigmaFull(r, state));
    state = mix(r, r < half - 1 ? M : P, state);
  }
  for (let r = 0; r < nRoundsP; r++) {
    const box = sigma(cs, () => `${prefix()}.sigmaP[${r}]`, state[0]!);
    const base = (t * 2 - 1) * r;
    const input = [linear(cs, [[1n, box]], C[(half + 1) * t + r]!), ...state.slice(1)];
    nameAll(() => `mixS[${r}]`, 'in', input);
    const out: Slot<T>[] = [linear(cs, input.map((slot, i) => [S[base + i]!, slot] as const), 0n)];
    for (let i = 1; i < t; i++) out.push(linear(cs, [[1n, input[i]!], [S[base + t + i - 1]!, input[0]!]], 0n));
    nameAll(() => `mixS[${r}]`, 'out', out);
    state = out;
  }
  for (let r = 0; r < half - 1; r++) {
    state = ark(half + r + 1, (half + 1) * t + nRoundsP + r * t, sigmaFull(half + r, state));
    state = mix(half + r, M, state);
  }
  const last = sigmaFull(N_ROUNDS_F - 1, state);
  nameAll(() => 'mixLast[0]', 'in', last);
  const out = linear(cs, last.map((slot, j) => [M[j]![0]!, slot] as const), 0n);
  named(() => 'mixLast[0].out', out);
  named(() => 'out[0]', out);
  return out;
}

/**
 * poseidonEx's witness with plain field arithmetic (the per-inference path): the same wires in
 * the same order — 3 per S-box of a non-constant input, full rounds element by element, then one
 * per partial round — without building a combination per signal. Needs one non-constant input
 * (then every S-box after the first round is one). Checked by the tests that rebuild circom's
 * witness from the direct one and check it against the direct R1CS.
 */
function poseidonExConcrete(cs: Cs<bigint>, slots: ReadonlyArray<Slot<bigint>>): Slot<bigint> {
  const p = FIELD_PRIME;
  const t = slots.length;
  const nRoundsP = N_ROUNDS_P[t - 2]!;
  const { C, S, M, P } = poseidonConstants(t);
  const half = N_ROUNDS_F / 2;
  const sbox = (x: bigint): bigint => {
    const x2 = (x * x) % p;
    cs.witness(() => x2);
    const x4 = (x2 * x2) % p;
    cs.witness(() => x4);
    const x5 = (x4 * x) % p;
    cs.witness(() => x5);
    return x5;
  };
  const constant = slots.map((slot) => 'constant' in slot);
  let state = slots.map((slot, j) => mod(('constant' in slot ? slot.constant : slot.signal) + C[j]!));
  const mix = (matrix: bigint[][]) => {
    const out = new Array<bigint>(t);
    for (let i = 0; i < t; i++) {
      let acc = 0n;
      for (let j = 0; j < t; j++) acc += matrix[j]![i]! * state[j]!;
      out[i] = acc % p;
    }
    state = out;
  };
  for (let r = 0; r < half; r++) {
    for (let j = 0; j < t; j++) state[j] = ((r === 0 && constant[j] ? pow5(state[j]!) : sbox(state[j]!)) + C[(r + 1) * t + j]!) % p;
    mix(r < half - 1 ? M : P);
  }
  for (let r = 0; r < nRoundsP; r++) {
    const base = (t * 2 - 1) * r;
    const first = (sbox(state[0]!) + C[(half + 1) * t + r]!) % p;
    let s0 = S[base]! * first;
    for (let i = 1; i < t; i++) s0 += S[base + i]! * state[i]!;
    for (let i = 1; i < t; i++) state[i] = (state[i]! + first * S[base + t + i - 1]!) % p;
    state[0] = s0 % p;
  }
  for (let r = 0; r < half - 1; r++) {
    for (let j = 0; j < t; j++) state[j] = (sbox(state[j]!) + C[(half + 1) * t + nRoundsP + r * t + j]!) % p;
    mix(M);
  }
  let out = 0n;
  for (let j = 0; j < t; j++) out += M[j]![0]! * sbox(state[j]!);
  return { signal: out % p };
}

/**
 * PoseidonChain(n) (circuits/PoseidonChain.circom): state_0 = 0, state_{i+1} =
 * Poseidon(16)(state_i, chunk_i), the last chunk zero-padded. 609·chunks − 3·(1 + padding)
 * constraints (poseidonChainConstraints).
 */
export function poseidonChain<T>(cs: Cs<T>, prefix: Prefix, elements: readonly T[]): T {
  const n = elements.length;
  const chunks = Math.ceil(n / POSEIDON_CHUNK_SIZE);
  if (cs.recording) elements.forEach((element, i) => cs.name(() => `${prefix()}.in[${i}]`, element));
  let state: Slot<T> = { constant: 0n };
  for (let chunk = 0; chunk < chunks; chunk++) {
    const inputs: Slot<T>[] = [state];
    for (let j = 0; j < POSEIDON_CHUNK_SIZE; j++) {
      const index = chunk * POSEIDON_CHUNK_SIZE + j;
      inputs.push(index < n ? { signal: elements[index]! } : { constant: 0n });
    }
    const hash = () => `${prefix()}.hash[${chunk}]`;
    if (cs.recording) inputs.forEach((slot, i) => cs.name(() => `${hash()}.inputs[${i}]`, asSignal(cs, slot)));
    state = poseidonEx(cs, () => `${hash()}.pEx`, inputs, { constant: 0n });
    if (cs.recording) cs.name(() => `${hash()}.out`, asSignal(cs, state));
  }
  const out = asSignal(cs, state);
  if (cs.recording) cs.name(() => `${prefix()}.out`, out);
  return out;
}

/**
 * InputCommitment(n, v) (circuits/InputCommitment.circom): every element range-checked
 * (RangeCheck, v constraints), the offset values packed floor(253 / v) to a word (linear: free),
 * PoseidonChain over the words. n·v + PoseidonChain(words) constraints
 * (inputCommitmentConstraints, commitInput.ts). Returns the commitment.
 */
export function inputCommitment<T>(cs: Cs<T>, prefix: Prefix, elements: readonly T[], valueBits: number): T {
  const n = elements.length;
  if (n < 1) throw new VerificationError(`${prefix()}: InputCommitment needs at least one element`);
  const perWord = inputsPerWord(valueBits);
  const offset = 1n << BigInt(valueBits - 1);
  elements.forEach((element, i) => rangeCheck(cs, () => `${prefix()}.range[${i}]`, element, valueBits));
  const words: T[] = [];
  for (let start = 0; start < n; start += perWord) {
    let word = cs.constant(0);
    for (let t = 0; t < perWord && start + t < n; t++) word = cs.add(word, cs.scale(cs.add(elements[start + t]!, cs.constant(offset)), 1n << BigInt(valueBits * t)));
    words.push(word);
  }
  const out = poseidonChain(cs, () => `${prefix()}.chain`, words);
  if (cs.recording) {
    elements.forEach((element, i) => cs.name(() => `${prefix()}.in[${i}]`, element));
    cs.name(() => `${prefix()}.out`, out);
  }
  return out;
}
