/**
 * verifyGkr: replays proveModel.ts's transcript on the public statement (verifier key, inputs,
 * outputs), runs every layer's verifier and the range checks / lookup, then checks all weight
 * claims against the setup commitment and all witness claims against the proof's commitment.
 * Also checks what needs no proof: the inputs and outputs are integers in the value range and
 * have the model's sizes. Throws VerificationError naming the failing check; returns the time.
 */
import { VerificationError } from '../errors.ts';
import type { EngineOutput } from '../engine/createEngine.ts';
import type { QLayer } from '../quant/types.ts';
import { deserializeCommitment, deserializeOpeningProof } from './commit/serializeOpening.ts';
import type { MultilinearCommitment } from './commit/types.ts';
import { verifyOpening } from './commit/verifyOpening.ts';
import { createExtVector } from './field/extension.ts';
import { verifyAddLayer } from './layers/addLayer.ts';
import { verifyAvgPoolLayer } from './layers/avgPoolLayer.ts';
import { verifyConvLayer } from './layers/convLayer.ts';
import { verifyMatMulLayer } from './layers/matmulLayer.ts';
import { verifyMaxPoolLayer } from './layers/maxPoolLayer.ts';
import { verifyRangeChecks } from './layers/rangeChecks.ts';
import { verifyReluLayer } from './layers/reluLayer.ts';
import { verifyScalarMulLayer } from './layers/scalarMulLayer.ts';
import { createVerifierContext, type EvaluationClaimRecord, type ProtocolContext } from './model/context.ts';
import { padTensor } from './model/layout.ts';
import { planModel, type WitnessPolynomial } from './model/planModel.ts';
import { ByteReader } from './proofBytes.ts';
import { MODEL_DOMAIN, absorbStatement } from './proveModel.ts';
import type { GkrProof } from './serializeGkrProof.ts';
import type { GkrVerifierKey } from './setupGkrModel.ts';
import { Transcript } from './transcript.ts';

export interface VerifyGkrParameters {
  verifierKey: GkrVerifierKey;
  inputs: Record<string, ArrayLike<number>>;
  outputs: Pick<EngineOutput, 'name' | 'data'>[];
  proof: GkrProof;
}

function reject(message: string, check: string, details: Record<string, unknown> = {}, hint?: string): never {
  throw new VerificationError(`gkr proof: ${message}`, { details: { check, ...details }, hint });
}

export function verifyLayer(ctx: ProtocolContext, layer: QLayer): void {
  switch (layer.op) {
    case 'matmul': return verifyMatMulLayer(ctx, layer);
    case 'conv': return verifyConvLayer(ctx, layer);
    case 'maxpool': return verifyMaxPoolLayer(ctx, layer);
    case 'avgpool': return verifyAvgPoolLayer(ctx, layer);
    case 'relu': return verifyReluLayer(ctx, layer);
    case 'add': return verifyAddLayer(ctx, layer);
    case 'scalarMul': return verifyScalarMulLayer(ctx, layer);
    case 'reshape': case 'transpose': return;
    default: throw new Error(`gkr: op '${(layer as QLayer).op}' passed planning (a planModel bug)`);
  }
}

function checkShape(commitment: MultilinearCommitment, polynomials: WitnessPolynomial[], what: string): void {
  const got = commitment.shape.polynomials.map((p) => p.variableCount).join();
  const expected = polynomials.map((p) => p.numVariables).join();
  if (got !== expected) reject(`the ${what} commitment holds polynomials of [${got}] variables, the model needs [${expected}]`, 'commitment shape', { what });
}

function verifyClaims(commitment: MultilinearCommitment | undefined, claims: EvaluationClaimRecord[], openingBytes: Uint8Array, transcript: Transcript): void {
  if (claims.length === 0) {
    if (openingBytes.length !== 0) reject('an opening for no claims', 'proof shape');
    return;
  }
  if (!commitment) reject(`${claims.length} claim(s) on a commitment the model does not have`, 'proof shape');
  const values = createExtVector(claims.length);
  claims.forEach((c, i) => values.set(c.value, 4 * i));
  verifyOpening({ commitment, claims: claims.map((c) => ({ polynomial: c.polynomial, point: c.point })), values, proof: deserializeOpeningProof(openingBytes), transcript });
}

export function verifyGkr({ verifierKey, inputs, outputs, proof }: VerifyGkrParameters): { verifyMs: number } {
  const t0 = performance.now();
  const { model } = verifierKey;
  if (!proof.committed)
    reject('the proof was made with commit: false', 'commitment', {}, 'such a proof is the interactive protocol only and binds no witness; prove with commit: true');
  const plan = planModel(model);
  const lo = -(2 ** (model.valueBits - 1));
  const hi = 2 ** (model.valueBits - 1) - 1;
  const publicTables = new Map<string, Float64Array>();
  const checkTensor = (kind: string, name: string, data: ArrayLike<number> | undefined) => {
    const layout = plan.layouts.get(name)!;
    const size = layout.dims.reduce((a, b) => a * b, 1);
    if (!data || data.length !== size) reject(`${kind} '${name}' has ${data?.length ?? 0} elements, the model needs ${size}`, 'statement', { tensor: name });
    for (let i = 0; i < size; i++)
      if (!Number.isInteger(data[i]) || data[i] < lo || data[i] > hi)
        reject(`${kind} '${name}' element ${i} = ${data[i]} is not an integer in the value range [${lo}, ${hi}]`, 'statement', { tensor: name, index: i });
    publicTables.set(name, padTensor(data, layout));
  };
  for (const input of model.inputs) checkTensor('input', input.name, inputs[input.name]);
  if (outputs.length !== model.outputs.length) reject(`${outputs.length} outputs, the model has ${model.outputs.length}`, 'statement');
  model.outputs.forEach((o, i) => {
    if (outputs[i].name !== o.name) reject(`output ${i} is '${outputs[i].name}', the model's is '${o.name}'`, 'statement');
    checkTensor('output', o.name, outputs[i].data);
  });

  // A model without constants has an empty weight commitment, and then no weight claim may be made.
  if (plan.weightPolynomials.length === 0 && verifierKey.weightCommitment.length !== 0) reject('a weight commitment for a model without weights', 'commitment shape');
  const weightCommitment = plan.weightPolynomials.length === 0 ? undefined : deserializeCommitment(verifierKey.weightCommitment);
  if (weightCommitment) checkShape(weightCommitment, plan.weightPolynomials, 'weights');
  const witnessCommitment = deserializeCommitment(proof.witnessCommitment);
  checkShape(witnessCommitment, plan.witnessPolynomials, 'witness');

  const transcript = new Transcript(MODEL_DOMAIN);
  absorbStatement(transcript, model, verifierKey.weightCommitment, inputs, outputs, true);
  transcript.absorbBytes('witness', proof.witnessCommitment);
  const reader = new ByteReader(proof.body);
  const ctx = createVerifierContext({ model, plan, transcript, publicTables, reader });
  for (const layer of model.layers) verifyLayer(ctx, layer);
  verifyRangeChecks(ctx);
  reader.end();
  verifyClaims(weightCommitment, ctx.claims.filter((c) => c.commitment === 'weights'), proof.weightOpening, transcript);
  verifyClaims(witnessCommitment, ctx.claims.filter((c) => c.commitment === 'witness'), proof.witnessOpening, transcript);
  return { verifyMs: performance.now() - t0 };
}
