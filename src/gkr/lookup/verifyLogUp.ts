/**
 * Verifier of the range lookup (proveLogUp.ts): both fractional sums, the cross-multiplied
 * equality of the two roots (with non-zero denominators), the leaf checks p̃_f(ρ_f) = 1 and
 * α − q̃_m(ρ_m) = Σ_b 2^b·ρ_m,b, and the two claims returned for the commitment opening.
 */
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extAdd, extEquals, extFromSigned, extIsZero, extMul, extMulSigned, extSub, extToString } from '../field/extension.ts';
import type { Transcript } from '../transcript.ts';
import { TABLE_BITS, type LogUpClaims, type LogUpProof } from './proveLogUp.ts';
import { verifyFractionalSum } from './verifyFractionalSum.ts';

export interface VerifyLogUpParameters {
  transcript: Transcript;
  label: string;
  /** F: the looked-up vector has 2^F entries. */
  valuesVariables: number;
  proof: LogUpProof;
}

function reject(label: string, message: string, check: string): never {
  throw new VerificationError(`lookup ${label}: ${message}`, { details: { check, label } });
}

export function verifyLogUp({ transcript, label, valuesVariables, proof }: VerifyLogUpParameters): LogUpClaims {
  const alpha = transcript.squeezeExtension(`${label}/alpha`);
  const looked = verifyFractionalSum({ transcript, label: `${label}/looked`, depth: valuesVariables, proof: proof.looked });
  const table = verifyFractionalSum({ transcript, label: `${label}/table`, depth: TABLE_BITS, proof: proof.table });
  if (extIsZero(looked.rootQ, 0) || extIsZero(table.rootQ, 0)) reject(label, 'a zero denominator', 'denominator');
  const left = new Uint32Array(4);
  const right = new Uint32Array(4);
  extMul(left, 0, looked.rootP, 0, table.rootQ, 0);
  extMul(right, 0, table.rootP, 0, looked.rootQ, 0);
  if (!extEquals(left, 0, right, 0))
    reject(label, `Σ 1/(α − f) ≠ Σ m/(α − t): ${extToString(left, 0)} vs ${extToString(right, 0)}`, 'logup sum');
  const one = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  if (!extEquals(looked.leafP, 0, one, 0)) reject(label, `looked-up numerators at ρ are ${extToString(looked.leafP, 0)}, not 1`, 'numerator leaf');
  // t̃(ρ) = Σ_b 2^b ρ_b for the table j ↦ j
  const t = new Uint32Array(4);
  const term = new Uint32Array(4);
  for (let b = 0; b < TABLE_BITS; b++) {
    extMulSigned(term, 0, table.leafPoint, EXT_WORDS * b, 2 ** b);
    extAdd(t, 0, t, 0, term, 0);
  }
  const expectedQ = new Uint32Array(4);
  extSub(expectedQ, 0, alpha, 0, t, 0);
  if (!extEquals(expectedQ, 0, table.leafQ, 0)) reject(label, `table denominators at ρ are ${extToString(table.leafQ, 0)}, expected α − t̃(ρ)`, 'table leaf');
  const valuesEvaluation = new Uint32Array(4);
  extSub(valuesEvaluation, 0, alpha, 0, looked.leafQ, 0);
  return {
    valuesPoint: looked.leafPoint,
    valuesEvaluation,
    multiplicitiesPoint: table.leafPoint,
    multiplicitiesEvaluation: table.leafP,
  };
}
