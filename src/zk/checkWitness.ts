/**
 * Checks a full witness against every constraint of an r1cs (A·w × B·w = C·w mod p): the
 * soundness tests tamper with a witness and expect this to throw. Independent of snarkjs.
 */
import { VerificationError } from '../errors.ts';
import type { R1csConstraint, ReadR1csResult } from './readR1cs.ts';

export interface CheckWitnessParameters {
  r1cs: ReadR1csResult;
  /** The full witness (wire 0 = 1), field elements. */
  witness: bigint[];
  /** For error messages. */
  circuit?: string;
}

export interface CheckWitnessResult {
  constraintsChecked: number;
}

function evaluate(combination: R1csConstraint['a'], witness: bigint[], prime: bigint): bigint {
  let sum = 0n;
  for (const [wire, coefficient] of combination) sum += coefficient * witness[wire]!;
  return ((sum % prime) + prime) % prime;
}

export function checkWitness({ r1cs, witness, circuit = 'circuit' }: CheckWitnessParameters): CheckWitnessResult {
  if (!r1cs.constraints) throw new VerificationError(`${circuit}: the r1cs was read without its constraints`, { hint: 'readR1cs({ loadConstraints: true })' });
  if (witness.length !== r1cs.nWires)
    throw new VerificationError(`${circuit}: the witness has ${witness.length} wires, the r1cs ${r1cs.nWires}`, { details: { circuit } });
  if (witness[0] !== 1n) throw new VerificationError(`${circuit}: witness wire 0 must be 1, got ${witness[0]}`, { details: { circuit } });
  const p = r1cs.prime;
  r1cs.constraints.forEach((constraint, index) => {
    const a = evaluate(constraint.a, witness, p);
    const b = evaluate(constraint.b, witness, p);
    const c = evaluate(constraint.c, witness, p);
    if ((a * b - c) % p !== 0n)
      throw new VerificationError(`${circuit}: constraint ${index} fails (A·B ≠ C)`, {
        details: { circuit, constraint: index },
        hint: 'the witness does not satisfy the circuit: a tampered or out-of-range value',
      });
  });
  return { constraintsChecked: r1cs.constraints.length };
}
