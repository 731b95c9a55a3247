/**
 * Owns the order in which a snarkjs proof object becomes the 32-byte words a snarkjs Solidity
 * verifier reads (the same order as snarkjs's `exportSolidityCallData` for each system, written
 * out here so no text has to be parsed): Groth16 8 words (note B's coordinates swapped: the EVM's
 * pairing precompile wants Fp2 elements as (imaginary, real)), PLONK 24, FFLONK 24.
 */
import { UsageError } from '../../errors.ts';
import type { OnChainProofSystem } from './exportVerifier.ts';

export interface EncodeProofWordsParameters {
  system: OnChainProofSystem;
  /** The proof as snarkjs returns it (decimal strings). */
  proof: Record<string, unknown>;
}

export type EncodeProofWordsResult = bigint[];

type Point = [string | bigint, string | bigint, ...unknown[]];

export function encodeProofWords({ system, proof }: EncodeProofWordsParameters): bigint[] {
  const field = (path: string): bigint => {
    let value: unknown = proof;
    for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value !== 'string' && typeof value !== 'bigint')
      throw new UsageError(`encodeProofWords: the ${system} proof has no field '${path}'`, {
        hint: `pass the proof object snarkjs's ${system} prover returned`,
        details: { system, field: path },
      });
    return BigInt(value);
  };
  const point = (path: string) => [field(`${path}.0`), field(`${path}.1`)];
  if (system === 'groth16') {
    return [
      ...point('pi_a'),
      field('pi_b.0.1'), field('pi_b.0.0'), field('pi_b.1.1'), field('pi_b.1.0'),
      ...point('pi_c'),
    ];
  }
  if (system === 'plonk') {
    return [
      ...point('A'), ...point('B'), ...point('C'), ...point('Z'), ...point('T1'), ...point('T2'), ...point('T3'),
      ...point('Wxi'), ...point('Wxiw'),
      field('eval_a'), field('eval_b'), field('eval_c'), field('eval_s1'), field('eval_s2'), field('eval_zw'),
    ];
  }
  if (system === 'fflonk') {
    const evaluations = ['ql', 'qr', 'qm', 'qo', 'qc', 's1', 's2', 's3', 'a', 'b', 'c', 'z', 'zw', 't1w', 't2w', 'inv'];
    return [
      ...point('polynomials.C1'), ...point('polynomials.C2'), ...point('polynomials.W1'), ...point('polynomials.W2'),
      ...evaluations.map((name) => field(`evaluations.${name}`)),
    ];
  }
  throw new UsageError(`encodeProofWords: unknown proof system '${system as string}'`, { hint: 'groth16, plonk or fflonk' });
}
