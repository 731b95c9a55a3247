/**
 * proveGkr: a non-interactive proof that the quantized model maps the public inputs to the public
 * outputs under the weights committed at setup (setupGkrModel.ts).
 *
 * 1. Witness (model/buildWitness.ts): the engine's run, remainders, range-check limbs, multiplicities.
 * 2. Commit (commit/): one multilinear commitment to every witness polynomial.
 * 3. Transcript: domain, model hash, weights' commitment, inputs, outputs, witness commitment.
 * 4. Protocol: each layer in order (layers/), then every range check and the LogUp lookup; every
 *    check ends in evaluation claims on committed polynomials (or on public tensors, which the
 *    verifier evaluates itself).
 * 5. Open: all weight claims in one opening, all witness claims in another.
 * `commit: false` skips 2 and 5: the interactive protocol alone, whose time is the sumcheck
 * prover's ("protocol"); such a proof binds nothing and verifyGkr rejects it.
 */
import type { EngineOutput } from '../engine/createEngine.ts';
import { commitMultilinear } from './commit/commitMultilinear.ts';
import { openMultilinear } from './commit/openMultilinear.ts';
import { serializeCommitment, serializeOpeningProof } from './commit/serializeOpening.ts';
import type { MultilinearProverData } from './commit/types.ts';
import { extEquals } from './field/extension.ts';
import { proveAddLayer } from './layers/addLayer.ts';
import { proveAvgPoolLayer } from './layers/avgPoolLayer.ts';
import { proveConvLayer } from './layers/convLayer.ts';
import { proveMatMulLayer } from './layers/matmulLayer.ts';
import { proveMaxPoolLayer } from './layers/maxPoolLayer.ts';
import { proveRangeChecks } from './layers/rangeChecks.ts';
import { proveReluLayer } from './layers/reluLayer.ts';
import { proveScalarMulLayer } from './layers/scalarMulLayer.ts';
import { buildWitness } from './model/buildWitness.ts';
import { createProverContext, type EvaluationClaimRecord, type ProtocolContext } from './model/context.ts';
import { ByteWriter } from './proofBytes.ts';
import { serializeGkrProof, type GkrProof } from './serializeGkrProof.ts';
import { baseTable, stripWeights, type GkrModelKey } from './setupGkrModel.ts';
import { hashQuantizedModel } from '../quant/hashQuantizedModel.ts';
import { Transcript } from './transcript.ts';
import type { QLayer, QuantizedModel } from '../quant/types.ts';

export const MODEL_DOMAIN = 'opzk-gkr/model';

export interface ProveGkrParameters {
  key: GkrModelKey;
  inputs: Record<string, ArrayLike<number>>;
  /** Default true. */
  commit?: boolean;
  /**
   * Soundness tests only: edits the witness tables (by polynomial name) after they are built and
   * before they are committed, to play a dishonest prover. Never set in production paths.
   */
  alterWitness?: (tables: Map<string, Float64Array>) => void;
}

export interface ProveGkrResult {
  outputs: EngineOutput[];
  proof: GkrProof;
  proofBytes: number;
  timingsMs: { witness: number; prove: number; protocol: number; commit: number; open: number };
  sizes: { layers: number; sumcheckRounds: number; lookups: number; tableEntries: number; committedElements: number; commitmentBytes: number };
  /** Offset and length of every message in proof.body (tampering tests flip bytes there). */
  bodyMessages: { offset: number; length: number }[];
}

/**
 * The model's identity in the statement: its structure, settings and the ONNX file's SHA-256, but
 * neither the weights' values (bound by the weight commitment; the verifier's copy has them
 * emptied) nor the path the file was read from — model.hash includes that path, so the same model
 * in another checkout drew other challenges (and proofs of another size).
 */
export function statementModelId(model: QuantizedModel): string {
  const stripped = stripWeights(model);
  return hashQuantizedModel({ model: { ...stripped, source: { ...stripped.source, file: '' } } });
}

/** Absorbs the statement, in the same order on both sides. */
export function absorbStatement(transcript: Transcript, model: QuantizedModel, weightCommitment: Uint8Array, inputs: Record<string, ArrayLike<number>>, outputs: { name: string; data: ArrayLike<number> }[], committed: boolean): void {
  transcript.absorbBytes('model', new TextEncoder().encode(statementModelId(model)));
  transcript.absorbBytes('weights', weightCommitment);
  transcript.absorbNumber('committed', committed ? 1 : 0);
  for (const input of model.inputs) transcript.absorbBytes(`input/${input.name}`, new Uint8Array(Float64Array.from(inputs[input.name]).buffer));
  for (const output of outputs) transcript.absorbBytes(`output/${output.name}`, new Uint8Array(Float64Array.from(output.data).buffer));
}

export function proveLayer(ctx: ProtocolContext, layer: QLayer): void {
  switch (layer.op) {
    case 'matmul': return proveMatMulLayer(ctx, layer);
    case 'conv': return proveConvLayer(ctx, layer);
    case 'maxpool': return proveMaxPoolLayer(ctx, layer);
    case 'avgpool': return proveAvgPoolLayer(ctx, layer);
    case 'relu': return proveReluLayer(ctx, layer);
    case 'add': return proveAddLayer(ctx, layer);
    case 'scalarMul': return proveScalarMulLayer(ctx, layer);
    case 'reshape': case 'transpose': return; // the output is the input's polynomial or a view of it (planModel.ts)
    default: throw new Error(`gkr: op '${(layer as QLayer).op}' passed planning (a planModel bug)`);
  }
}

function open(proverData: MultilinearProverData | undefined, claims: EvaluationClaimRecord[], transcript: Transcript): Uint8Array {
  if (claims.length === 0) return new Uint8Array(0);
  if (!proverData) throw new Error('gkr: claims on a commitment that does not exist (a prover bug)');
  const { values, proof } = openMultilinear({ proverData, claims: claims.map((c) => ({ polynomial: c.polynomial, point: c.point })), transcript });
  claims.forEach((c, i) => {
    if (!extEquals(values, 4 * i, c.value, 0)) throw new Error(`gkr: claim '${c.label}' disagrees with the committed polynomial (a prover bug)`);
  });
  return serializeOpeningProof(proof);
}

export function proveGkr({ key, inputs, commit = true, alterWitness }: ProveGkrParameters): ProveGkrResult {
  const { model, plan } = key;
  const t0 = performance.now();
  const witness = buildWitness({ model, plan, inputs, weightTables: key.weightTables, engine: key.engine });
  alterWitness?.(witness.tables);
  const t1 = performance.now();
  let witnessData: MultilinearProverData | undefined;
  let witnessCommitment: Uint8Array = new Uint8Array(0);
  let committedElements = 0;
  if (commit) {
    const polynomials = plan.witnessPolynomials.map((p) => baseTable(witness.tables.get(p.name)!));
    committedElements = polynomials.reduce((n, p) => n + p.length / 2, 0);
    witnessData = commitMultilinear({ polynomials }).proverData;
    witnessCommitment = serializeCommitment(witnessData.commitment);
  }
  const t2 = performance.now();
  const transcript = new Transcript(MODEL_DOMAIN);
  absorbStatement(transcript, model, key.verifierKey.weightCommitment, inputs, witness.outputs, commit);
  transcript.absorbBytes('witness', witnessCommitment);
  const writer = new ByteWriter();
  const ctx = createProverContext({ model, plan, transcript, publicTables: witness.publicTables, tables: witness.tables, writer });
  for (const layer of model.layers) proveLayer(ctx, layer);
  proveRangeChecks(ctx);
  const body = writer.finish();
  const t3 = performance.now();
  let weightOpening: Uint8Array = new Uint8Array(0);
  let witnessOpening: Uint8Array = new Uint8Array(0);
  if (commit) {
    weightOpening = open(key.weightProverData, ctx.claims.filter((c) => c.commitment === 'weights'), transcript);
    witnessOpening = open(witnessData!, ctx.claims.filter((c) => c.commitment === 'witness'), transcript);
  }
  const t4 = performance.now();
  const proof: GkrProof = { committed: commit, witnessCommitment, body, weightOpening, witnessOpening };
  return {
    outputs: witness.outputs,
    proof,
    proofBytes: serializeGkrProof(proof).length,
    timingsMs: { witness: t1 - t0, prove: t4 - t0, protocol: t3 - t2, commit: t2 - t1, open: t4 - t3 },
    sizes: {
      layers: model.layers.length,
      sumcheckRounds: writer.sumcheckRounds,
      lookups: 2 ** plan.lookupVariables,
      tableEntries: 256,
      committedElements,
      commitmentBytes: witnessCommitment.length + key.verifierKey.weightCommitment.length,
    },
    bodyMessages: writer.messages,
  };
}
