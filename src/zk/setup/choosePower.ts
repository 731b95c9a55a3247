/**
 * Owns: the smallest powers-of-tau power each snarkjs (0.7) proof system accepts for a circuit,
 * computed the way snarkjs computes it, so that ensurePtau generates neither too small a file
 * (setup fails) nor a needlessly large one (generation and setup time double per power).
 *
 * - Groth16 (zkey_new.js): domain 2^c with c = log2(nConstraints + nPubInputs + nOutputs) + 1;
 *   the ptau needs power ≥ c.
 * - PLONK (plonk_setup.js): snarkjs turns the r1cs into PLONK gates — one per public signal, one
 *   per constraint, plus one "addition" gate for every linear term beyond what a gate holds
 *   (3 in a sum, 1 per side of a product). c = max(3, log2(gates − 1) + 1); power ≥ c.
 *   plonk_setup keeps zero coefficients (it compares wasm field elements with `== 0n`, which is
 *   never true), so terms are counted, not cancelled.
 * - FFLONK (fflonk_setup.js, r1cs_constraint_processor.js): the same gates, but zero
 *   coefficients are dropped (after k·B − C joins too); c = max(3, log2(gates + 1) + 1), and
 *   the ptau's tauG1 section (2^(power+1) − 1 points) must hold 9·2^c + 18 points.
 * Gate counts need the constraints themselves: pass `r1csFile` for PLONK/FFLONK to get the exact
 * power; without it the count assumes no addition gates (a lower bound, `exact: false`).
 */
import { UsageError } from '../../errors.ts';
import { readR1cs, type LinearCombination } from '../readR1cs.ts';

export type ProofSystem = 'groth16' | 'plonk' | 'fflonk';

export interface ChoosePowerParameters {
  system: ProofSystem;
  /** R1CS constraints (r1cs header nConstraints). Read from r1csFile when that is given. */
  constraints?: number;
  /** Public inputs (r1cs nPubInputs). */
  publicInputs?: number;
  /** Public outputs (r1cs nOutputs). */
  outputs?: number;
  /** The circuit's .r1cs: gives the counts, and the exact PLONK/FFLONK gate count. */
  r1csFile?: string;
}

export interface ChoosePowerResult {
  system: ProofSystem;
  /** Smallest ptau power snarkjs accepts for this circuit and system. */
  power: number;
  /** log2 of the circuit's evaluation domain (≤ power; FFLONK needs power = this + 3). */
  circuitPower: number;
  /** Rows snarkjs fills: R1CS constraints + public signals (Groth16) or PLONK gates. */
  rows: number;
  /** PLONK/FFLONK addition gates (0 for Groth16, or when counted without the r1cs). */
  additionGates: number;
  /** False when PLONK/FFLONK were sized without the r1cs (then `power` is a lower bound). */
  exact: boolean;
}

const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** snarkjs misc.log2: index of the highest set bit (0 for 0). */
function log2(value: number): number {
  return value <= 0 ? 0 : Math.floor(Math.log2(value));
}

export async function choosePower(parameters: ChoosePowerParameters): Promise<ChoosePowerResult> {
  const { system, r1csFile } = parameters;
  if (system !== 'groth16' && system !== 'plonk' && system !== 'fflonk') {
    throw new UsageError(`choosePower: unknown proof system '${String(system)}'`, { hint: 'use groth16, plonk or fflonk', details: { system } });
  }
  let constraints = parameters.constraints;
  let publicInputs = parameters.publicInputs;
  let outputs = parameters.outputs;
  let gateCount: { gates: number; additions: number } | undefined;
  if (r1csFile !== undefined) {
    const r1cs = await readR1cs({ file: r1csFile, loadConstraints: system !== 'groth16' });
    constraints = r1cs.nConstraints;
    publicInputs = r1cs.nPublicInputs;
    outputs = r1cs.nPublicOutputs;
    if (r1cs.constraints) {
      gateCount = countPlonkGates(r1cs.constraints, publicInputs + outputs, system === 'fflonk' ? 'drop-zeros' : 'keep-zeros');
    }
  }
  for (const [name, value] of [['constraints', constraints], ['publicInputs', publicInputs], ['outputs', outputs]] as const) {
    if (value === undefined || !Number.isInteger(value) || value < 0) {
      throw new UsageError(`choosePower: ${name} must be a non-negative integer (got ${String(value)})`, {
        hint: 'pass constraints, publicInputs and outputs from the r1cs header, or r1csFile',
        details: { [name]: value },
      });
    }
  }
  const nPublic = publicInputs! + outputs!;

  if (system === 'groth16') {
    const rows = constraints! + nPublic;
    const circuitPower = log2(rows) + 1;
    return { system, power: circuitPower, circuitPower, rows, additionGates: 0, exact: true };
  }

  const exact = gateCount !== undefined;
  const gates = gateCount?.gates ?? constraints! + nPublic;
  const additionGates = gateCount?.additions ?? 0;
  if (system === 'plonk') {
    const circuitPower = Math.max(3, log2(gates - 1) + 1);
    return { system, power: circuitPower, circuitPower, rows: gates, additionGates, exact };
  }
  const circuitPower = Math.max(3, log2(gates + 2 - 1) + 1);
  const needed = 9 * 2 ** circuitPower + 18; // tauG1 points fflonk_setup reads
  let power = circuitPower;
  while (2 ** (power + 1) - 1 < needed) power++;
  return { system, power, circuitPower, rows: gates, additionGates, exact };
}

type ZeroHandling = 'keep-zeros' | 'drop-zeros';

/** Counts the PLONK gates snarkjs builds from the constraints (plonk_setup / r1cs_constraint_processor). */
export function countPlonkGates(constraints: Array<{ a: LinearCombination; b: LinearCombination; c: LinearCombination }>, nPublic: number, zeros: ZeroHandling): { gates: number; additions: number } {
  let gates = nPublic;
  let additions = 0;
  const toMap = (combination: LinearCombination): Map<number, bigint> => {
    const map = new Map<number, bigint>();
    for (const [wire, coefficient] of combination) {
      map.set(wire, coefficient % r); // an object keyed by wire in snarkjs: a repeated wire overwrites
    }
    if (zeros === 'drop-zeros') for (const [wire, coefficient] of map) if (coefficient === 0n) map.delete(wire);
    return map;
  };
  const variables = (map: Map<number, bigint>): number => map.size - (map.has(0) ? 1 : 0);
  const type = (map: Map<number, bigint>): 'nullable' | 'constant' | 'variable' => {
    if (variables(map) > 0) return 'variable';
    if (!map.has(0)) return 'nullable';
    // plonk_setup: any constant term makes it "k" (its zero test is by reference); fflonk tests the value.
    if (zeros === 'keep-zeros') return 'constant';
    return map.get(0)! === 0n ? 'nullable' : 'constant';
  };
  const join = (x: Map<number, bigint>, k: bigint, c: Map<number, bigint>): Map<number, bigint> => {
    const out = new Map<number, bigint>();
    for (const [wire, value] of x) out.set(wire, (((k * value) % r) + (out.get(wire) ?? 0n)) % r);
    for (const [wire, value] of c) out.set(wire, ((out.get(wire) ?? 0n) - value + r) % r);
    if (zeros === 'drop-zeros') for (const [wire, value] of out) if (value === 0n) out.delete(wire);
    return out;
  };
  const sumGates = (map: Map<number, bigint>): number => Math.max(0, variables(map) - 3);
  const sideGates = (map: Map<number, bigint>): number => Math.max(0, variables(map) - 1);
  for (const constraint of constraints) {
    const a = toMap(constraint.a);
    const b = toMap(constraint.b);
    const c = toMap(constraint.c);
    const typeA = type(a);
    const typeB = type(b);
    let extra: number;
    if (typeA === 'nullable' || typeB === 'nullable') extra = sumGates(c);
    else if (typeA === 'constant') extra = sumGates(join(b, a.get(0)!, c));
    else if (typeB === 'constant') extra = sumGates(join(a, b.get(0)!, c));
    else extra = sideGates(a) + sideGates(b) + sideGates(c);
    additions += extra;
    gates += extra + 1;
  }
  return { gates, additions };
}
