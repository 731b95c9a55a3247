/**
 * The commitment's data types and the transcript interface it needs.
 *
 * CommitmentTranscript is structural: src/gkr/transcript.ts (gkr-core) satisfies it, and the
 * commitment's own tests use the same class. Prover and verifier call it in the same order
 * (openMultilinear.ts and verifyOpening.ts side by side), so the challenges agree.
 */
import type { CommitmentShape } from './parameters.ts';
import type { MerkleTree } from './merkle.ts';

export interface CommitmentTranscript {
  /** Absorbs a labelled prover message or statement. */
  absorbBytes(label: string, bytes: Uint8Array): void;
  /** One uniformly random F_p² element (4 words). */
  squeezeExtension(label: string): Uint32Array;
  /** `count` uniform indices in [0, bound), bound a power of two. */
  squeezeIndices(label: string, count: number, bound: number): Uint32Array;
}

/** What the verifier holds: the Merkle root over the encoded columns and the matrix shape. */
export interface MultilinearCommitment {
  root: Uint8Array;
  shape: CommitmentShape;
  /** t for this shape (from parameters.ts, a function of rate and securityBits). */
  columnOpenings: number;
}

/** What the prover keeps after committing. */
export interface MultilinearProverData {
  commitment: MultilinearCommitment;
  /** The M × k matrix, row-major, 2 words per base element (the polynomials, zero-padded). */
  matrix: Uint32Array;
  /** The M × N encoded matrix, COLUMN-major (column j = leaf j), 2 words per element. */
  encodedColumns: Uint32Array;
  tree: MerkleTree;
}

/** One evaluation claim: committed polynomial `polynomial` (its index) at `point` (n F_p² elements, 4n words). */
export interface EvaluationClaim {
  polynomial: number;
  point: Uint32Array;
}

/** The opening proof (serializeOpeningProof.ts writes it as bytes). */
export interface OpeningProof {
  /** u' = Σ_i γ_i·row_i: k F_p² elements (4k words). */
  proximityRow: Uint32Array;
  /** u_c = Σ_i eq(r_row, i)·row_i of claim c's polynomial: k F_p² elements each. */
  evaluationRows: Uint32Array[];
  /** M: entries per opened column (the committed matrix's row count). */
  columnLength: number;
  /** The opened columns, sorted unique indices (re-derived by the verifier, not serialized), M base elements each, concatenated. */
  columns: Uint32Array;
  /** The pruned Merkle multi-proof for those columns (32 bytes per sibling). */
  merkleSiblings: Uint8Array;
}
