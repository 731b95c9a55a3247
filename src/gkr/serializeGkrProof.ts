/**
 * A gkr proof as bytes and back: u32 committed flag ‖ witness commitment ‖ protocol messages ‖
 * weights opening ‖ witness opening, each length-prefixed (proofBytes.ts). The protocol messages
 * are, in transcript order, every evaluation sent and every sumcheck (round polynomials, final
 * evaluations) — see proveModel.ts.
 */
import { ByteReader, ByteWriter } from './proofBytes.ts';

export interface GkrProof {
  /** False for `commit: false` proofs: the interactive protocol only, binding nothing. */
  committed: boolean;
  witnessCommitment: Uint8Array;
  body: Uint8Array;
  weightOpening: Uint8Array;
  witnessOpening: Uint8Array;
}

export function serializeGkrProof(proof: GkrProof): Uint8Array {
  const w = new ByteWriter();
  w.u32(proof.committed ? 1 : 0);
  w.bytes(proof.witnessCommitment);
  w.bytes(proof.body);
  w.bytes(proof.weightOpening);
  w.bytes(proof.witnessOpening);
  return w.finish();
}

export function deserializeGkrProof(bytes: Uint8Array): GkrProof {
  const r = new ByteReader(bytes);
  const committed = r.u32('flags') === 1;
  const proof = { committed, witnessCommitment: r.bytes('witness commitment'), body: r.bytes('protocol'), weightOpening: r.bytes('weights opening'), witnessOpening: r.bytes('witness opening') };
  r.end();
  return proof;
}
