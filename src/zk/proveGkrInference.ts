/**
 * One inference proved with the sumcheck/GKR prover (src/gkr, issue 10), end to end, every cost
 * measured: the one-time setup (the weights committed), the proof (witness, protocol, commitment
 * and opening), the outputs checked bit for bit against the engine, the proof serialized (so the
 * byte count is real) and verified from those bytes. Used by `opzk prove --system gkr` and the
 * table2 gkr path; the Groth16/PLONK path (proveInference.ts) is untouched.
 */
import { performance } from 'node:perf_hooks';
import type { EngineOutput } from '../engine/createEngine.ts';
import { runEngine } from '../engine/runEngine.ts';
import { VerificationError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';
import { loadGkrProver, type GkrModelKey, type GkrProofSizes, type GkrProofTimings, type GkrProverApi } from './loadGkrProver.ts';
import { peakRssBytes } from './types.ts';

export interface ProveGkrInferenceParameters {
  model: QuantizedModel;
  /** Quantized inputs (integers at scale 2^s) by input name. */
  inputs: Record<string, ArrayLike<number>>;
  /** A key from an earlier setup of the same model (then setupMs is 0 and setupCached true). */
  key?: GkrModelKey;
  /** Skip verification (still proves). Default false. */
  skipVerify?: boolean;
  /** Also time a second proof without the commitment (proveGkr({ commit: false }), wall time). Default false. */
  timeWithoutCommitment?: boolean;
}

export interface ProveGkrInferenceResult {
  system: 'gkr';
  key: GkrModelKey;
  /** One-time per model: committing the weights, milliseconds (0 when `key` was given). */
  setupMs: number;
  setupCached: boolean;
  witnessMs: number;
  /** The whole proof, commitment and opening included (the prover's own timing). */
  proveMs: number;
  /** Sumchecks and lookups alone: the proof without the commitment. */
  protocolMs: number;
  /** Wall time of a whole proof without the commitment (when asked for). */
  proveWithoutCommitmentMs?: number;
  commitMs: number;
  openMs: number;
  /** Verification of the deserialized proof; undefined when skipped. */
  verifyMs?: number;
  verified: boolean;
  /** Length of the serialized proof. */
  proofBytes: number;
  proofData: Uint8Array;
  proof: unknown;
  sizes: GkrProofSizes;
  timingsMs: GkrProofTimings;
  outputs: EngineOutput[];
  peakRssBytes: number;
}

/** Throws when the prover's outputs differ from the engine's by one element. */
function checkOutputs(model: QuantizedModel, outputs: EngineOutput[], expected: EngineOutput[]): void {
  if (outputs.length !== expected.length)
    throw new VerificationError(`model '${model.name}': the gkr prover returned ${outputs.length} outputs, the engine ${expected.length}`, { hint: 'a bug in src/gkr (proveModel.ts)' });
  outputs.forEach((output, index) => {
    const engine = expected[index]!;
    const data = Array.from(output.data, Number);
    const mismatch = data.length !== engine.data.length ? Math.min(data.length, engine.data.length) : data.findIndex((value, i) => value !== engine.data[i]);
    if (mismatch >= 0)
      throw new VerificationError(`model '${model.name}': gkr output '${output.name}' element ${mismatch} is ${data[mismatch]}, the engine says ${engine.data[mismatch]}`, {
        details: { output: output.name, index: mismatch },
        hint: 'the gkr prover and the engine disagree: a bug in src/gkr',
      });
  });
}

/** Deserializes and verifies; throws the verifier's VerificationError. */
export function verifyGkrBytes({ prover, key, inputs, outputs, proofData }: { prover: GkrProverApi; key: GkrModelKey; inputs: Record<string, ArrayLike<number>>; outputs: EngineOutput[]; proofData: Uint8Array }): { verifyMs: number } {
  const started = performance.now();
  const proof = prover.deserializeGkrProof(proofData);
  const { verifyMs } = prover.verifyGkr({ verifierKey: key.verifierKey, inputs, outputs, proof });
  // The verifier's own figure; the wall time (deserialization included) when it gives none.
  return { verifyMs: Number.isFinite(verifyMs) ? verifyMs : performance.now() - started };
}

export async function proveGkrInference({ model, inputs, key: givenKey, skipVerify = false, timeWithoutCommitment = false }: ProveGkrInferenceParameters): Promise<ProveGkrInferenceResult> {
  const prover = await loadGkrProver();
  const expected = runEngine({ model, inputs }).outputs;
  let setupMs = 0;
  let key = givenKey;
  if (!key) {
    const started = performance.now();
    key = prover.setupGkrModel({ model });
    setupMs = Number.isFinite(key.setupMs) ? key.setupMs : performance.now() - started;
  }
  const proved = prover.proveGkr({ key, inputs, commit: true });
  const peak = peakRssBytes();
  checkOutputs(model, proved.outputs, expected);
  const proofData = prover.serializeGkrProof(proved.proof);
  const verification = skipVerify ? undefined : verifyGkrBytes({ prover, key, inputs, outputs: proved.outputs, proofData });
  let proveWithoutCommitmentMs: number | undefined;
  if (timeWithoutCommitment) {
    const started = performance.now();
    prover.proveGkr({ key, inputs, commit: false });
    proveWithoutCommitmentMs = performance.now() - started;
  }
  const t = proved.timingsMs;
  return {
    system: 'gkr',
    key,
    setupMs,
    setupCached: givenKey !== undefined,
    witnessMs: t.witness,
    proveMs: t.prove,
    protocolMs: t.protocol,
    ...(proveWithoutCommitmentMs !== undefined ? { proveWithoutCommitmentMs } : {}),
    commitMs: t.commit,
    openMs: t.open,
    verifyMs: verification?.verifyMs,
    verified: verification !== undefined,
    proofBytes: proofData.length,
    proofData,
    proof: proved.proof,
    sizes: proved.sizes,
    timingsMs: t,
    outputs: proved.outputs.map((o) => ({ name: o.name, dims: [...o.dims], data: Array.from(o.data, Number) })),
    peakRssBytes: peak,
  };
}
