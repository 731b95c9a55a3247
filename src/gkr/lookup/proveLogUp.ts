/**
 * LogUp (Haböck, "Multivariate lookups based on logarithmic derivatives", 2022) for a range
 * table: every entry f_i of a committed vector lies in T = {0, 1, …, 2^TABLE_BITS − 1} iff, for a
 * random α (squeezed after f and the multiplicities m are committed),
 *   Σ_i 1/(α − f_i) = Σ_j m_j/(α − j).
 * Both sides are proven by the fractional sumcheck (proveFractionalSum.ts), so no inverse is ever
 * committed. The leaf claims reduce to: f̃(ρ_f) = α − q̃_f(ρ_f) (a claim on the committed vector),
 * p̃_f(ρ_f) = 1 (checked by the verifier), m̃(ρ_m) = p̃_m(ρ_m) (a claim on the committed
 * multiplicities) and α − q̃_m(ρ_m) = Σ_b 2^b·ρ_m,b (the MLE of j ↦ j, checked by the verifier).
 * Soundness (Haböck, Lemma 5): a false lookup passes with probability ≤ (|f| + |T|)/|F_p²| over
 * α, plus the two fractional sumchecks' errors.
 */
import { EXT_WORDS, createExtVector, extFromSigned, extSub } from '../field/extension.ts';
import { baseFromSigned } from '../field/goldilocks.ts';
import type { Transcript } from '../transcript.ts';
import { proveFractionalSum, type FractionalSumProof } from './proveFractionalSum.ts';

/** The range table is {0, …, 255}: every range check is a decomposition into 8-bit limbs. */
export const TABLE_BITS = 8;
export const TABLE_SIZE = 2 ** TABLE_BITS;

export interface LogUpProof {
  looked: FractionalSumProof;
  table: FractionalSumProof;
}

export interface LogUpClaims {
  /** Point and value of the claim f̃(ρ_f) on the looked-up vector. */
  valuesPoint: Uint32Array;
  valuesEvaluation: Uint32Array;
  /** Point and value of the claim m̃(ρ_m) on the multiplicities. */
  multiplicitiesPoint: Uint32Array;
  multiplicitiesEvaluation: Uint32Array;
}

export interface ProveLogUpParameters {
  transcript: Transcript;
  label: string;
  /** The looked-up values (2^F of them, each in [0, TABLE_SIZE)). */
  values: Float64Array;
  /** m_j = #{i : values[i] = j}. */
  multiplicities: Float64Array;
}

export interface ProveLogUpResult extends LogUpClaims {
  proof: LogUpProof;
}

/** m_j = #{i : values[i] = j}; throws RangeError on a value outside the table (a witness bug). */
export function countMultiplicities(values: ArrayLike<number>): Float64Array {
  const m = new Float64Array(TABLE_SIZE);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v < TABLE_SIZE && Number.isInteger(v))) throw new RangeError(`logup: value ${v} at ${i} is not in [0, ${TABLE_SIZE})`);
    m[v]++;
  }
  return m;
}

/** Leaves (p, q) = (numerator_i, α − denominatorValue_i). */
function leaves(alpha: Uint32Array, numerators: ArrayLike<number> | null, denominators: ArrayLike<number>): { p: Uint32Array; q: Uint32Array } {
  const size = denominators.length;
  const p = createExtVector(size);
  const q = createExtVector(size);
  const v = new Uint32Array(4);
  for (let i = 0; i < size; i++) {
    extFromSigned(p, EXT_WORDS * i, numerators ? numerators[i] : 1);
    baseFromSigned(v, 0, denominators[i]);
    extSub(q, EXT_WORDS * i, alpha, 0, v, 0);
  }
  return { p, q };
}

export const TABLE_VALUES = Float64Array.from({ length: TABLE_SIZE }, (_, j) => j);

export function proveLogUp({ transcript, label, values, multiplicities }: ProveLogUpParameters): ProveLogUpResult {
  const alpha = transcript.squeezeExtension(`${label}/alpha`);
  const lookedLeaves = leaves(alpha, null, values);
  const looked = proveFractionalSum({ transcript, label: `${label}/looked`, ...lookedLeaves });
  const tableLeaves = leaves(alpha, multiplicities, TABLE_VALUES);
  const table = proveFractionalSum({ transcript, label: `${label}/table`, ...tableLeaves });
  const valuesEvaluation = new Uint32Array(4);
  extSub(valuesEvaluation, 0, alpha, 0, looked.leafQ, 0);
  return {
    proof: { looked: looked.proof, table: table.proof },
    valuesPoint: looked.leafPoint,
    valuesEvaluation,
    multiplicitiesPoint: table.leafPoint,
    multiplicitiesEvaluation: table.leafP,
  };
}
