/**
 * Owns reading a gkr proof's commitment openings for the on-chain estimate: the proof carries the
 * weights' and the witness's openings as bytes (src/gkr/serializeGkrProof.ts), the verifier key
 * and the proof the two commitments (their shapes give the code's blow-up); the commitment's own
 * deserializers (src/gkr/commit/serializeOpening.ts) turn them into the OpeningProof objects
 * describeGkrOpenings measures.
 */
import { deserializeCommitment, deserializeOpeningProof } from '../../gkr/commit/serializeOpening.ts';
import { describeGkrOpenings, type GkrOpeningShape } from './estimateGkrVerifierGas.ts';

export interface DescribeGkrProofParameters {
  /** A GkrProof (weightOpening, witnessOpening, witnessCommitment as bytes). */
  proof: unknown;
  /** The GkrVerifierKey (weightCommitment as bytes). */
  verifierKey: unknown;
}

export type DescribeGkrProofResult = GkrOpeningShape[];

const bytesOf = (value: unknown): Uint8Array | undefined => (value instanceof Uint8Array && value.length > 0 ? value : undefined);

export function describeGkrProof({ proof, verifierKey }: DescribeGkrProofParameters): DescribeGkrProofResult {
  const p = (proof ?? {}) as Record<string, unknown>;
  const k = (verifierKey ?? {}) as Record<string, unknown>;
  const openings = [p.weightOpening, p.witnessOpening].map(bytesOf).filter((b): b is Uint8Array => b !== undefined).map((b) => deserializeOpeningProof(b));
  const shapes = [k.weightCommitment, p.witnessCommitment].map(bytesOf).filter((b): b is Uint8Array => b !== undefined).map((b) => deserializeCommitment(b).shape);
  return describeGkrOpenings({ proof: openings, context: shapes });
}
