/**
 * Owns the harness's one door to the sumcheck/GKR prover (src/gkr/index.ts): the interface the
 * harness relies on (CLI `--system gkr`, the micro matmul ladder, the table2 gkr path), and its
 * loading. Everything else in the harness imports these types and calls `loadGkrProver`, so the
 * prover's API is checked against this interface in one place.
 */
import type { EngineOutput } from '../engine/createEngine.ts';
import { ToolError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';

/** Size measures of one gkr proof (the analogue of constraints for an R1CS proof). */
export interface GkrProofSizes {
  /** Model layers proved. */
  layers: number;
  /** Sumcheck rounds, summed over every sumcheck of the proof. */
  sumcheckRounds: number;
  /** Looked-up values (LogUp lookups: rescale remainders, ReLU, range checks). */
  lookups: number;
  /** Entries of the lookup tables. */
  tableEntries: number;
  /** Field elements committed per inference (the witness batch). */
  committedElements: number;
  /** Bytes of the commitments (Merkle roots) in the proof. */
  commitmentBytes: number;
}

/** Milliseconds of each step of one gkr proof. */
export interface GkrProofTimings {
  witness: number;
  /** The whole proof, commitment and opening included. */
  prove: number;
  /** The sumchecks and lookups alone: no commitment, no opening. */
  protocol: number;
  commit: number;
  open: number;
}

/** What setupGkrModel returns: the weights committed once per model. */
export interface GkrModelKey {
  /** Milliseconds the one-time setup (the weight commitment) took. */
  setupMs: number;
  /** What the verifier needs: the model's structure and the weights' commitment root. */
  verifierKey: unknown;
  [other: string]: unknown;
}

export interface GkrProveResult {
  outputs: EngineOutput[];
  proof: unknown;
  proofBytes: number;
  timingsMs: GkrProofTimings;
  sizes: GkrProofSizes;
}

export interface GkrMatMulResult {
  proof: unknown;
  proofBytes: number;
  /** The product C = A·B the prover computed (row-major). */
  c: Float64Array;
  /** `product`: computing C (the engine's loop) inside the call; `protocol`: the sumcheck after it; `commit` only when committing. */
  timingsMs: { product: number; protocol: number; commit?: number };
  sizes: Partial<GkrProofSizes> & { sumcheckRounds: number };
}

/** The prover's API as the harness uses it (the brief of issue 10; src/gkr/index.ts provides it). */
export interface GkrProverApi {
  setupGkrModel(parameters: { model: QuantizedModel }): GkrModelKey;
  proveGkr(parameters: { key: GkrModelKey; inputs: Record<string, ArrayLike<number>>; commit?: boolean }): GkrProveResult;
  /** Throws a VerificationError naming the failing check. */
  verifyGkr(parameters: { verifierKey: unknown; inputs: Record<string, ArrayLike<number>>; outputs: EngineOutput[]; proof: unknown }): { verifyMs: number };
  /** C = A·B for n × n integer matrices (row-major Float64Arrays); without a commitment unless `commit` (where supported). */
  proveMatMulGkr(parameters: { n: number; a: Float64Array; b: Float64Array; commit?: boolean }): GkrMatMulResult;
  verifyMatMulGkr(parameters: { a: Float64Array; b: Float64Array; c: Float64Array; proof: unknown }): { verifyMs: number };
  serializeGkrProof(proof: unknown): Uint8Array;
  deserializeGkrProof(bytes: Uint8Array): unknown;
}

export type LoadGkrProverResult = GkrProverApi;

const REQUIRED: Array<keyof GkrProverApi> = ['setupGkrModel', 'proveGkr', 'verifyGkr', 'proveMatMulGkr', 'verifyMatMulGkr', 'serializeGkrProof', 'deserializeGkrProof'];

let loaded: GkrProverApi | undefined;

/** The prover module, loaded once; a ToolError naming what is missing when the checkout lacks it. */
export async function loadGkrProver(): Promise<LoadGkrProverResult> {
  if (loaded) return loaded;
  // A computed specifier: the harness type-checks and its other systems run in a checkout without the prover.
  const specifier = new URL('../gkr/index.ts', import.meta.url).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new ToolError('the sumcheck/GKR prover (src/gkr/index.ts) could not be loaded', {
      hint: 'the gkr system needs src/gkr/ (issue 10); use --system groth16, plonk or fflonk meanwhile', cause: error,
    });
  }
  const missing = REQUIRED.filter((name) => typeof module[name] !== 'function');
  if (missing.length)
    throw new ToolError(`src/gkr/index.ts does not export ${missing.join(', ')}`, {
      hint: 'the harness codes against the interface in src/zk/loadGkrProver.ts (GkrProverApi)', details: { missing },
    });
  loaded = module as unknown as GkrProverApi;
  return loaded;
}
