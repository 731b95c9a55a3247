/**
 * One-time setup of a model for the gkr prover: plan the proof (planModel.ts) and commit to the
 * weights — every constant a layer reads, each in its padded layout — with the multilinear
 * commitment (commit/). Like Groth16's key setup this is paid once per model, not per proof.
 * The verifier key holds the model's structure with the weights' values removed, and the
 * weights' commitment.
 */
import { createEngine, type Engine } from '../engine/createEngine.ts';
import type { QuantizedModel } from '../quant/types.ts';
import { commitMultilinear } from './commit/commitMultilinear.ts';
import { serializeCommitment } from './commit/serializeOpening.ts';
import type { MultilinearProverData } from './commit/types.ts';
import { baseFromSigned, createBaseVector } from './field/goldilocks.ts';
import { padTensor } from './model/layout.ts';
import { planModel, type GkrPlan } from './model/planModel.ts';

export interface SetupGkrModelParameters {
  model: QuantizedModel;
}

/** What the verifier needs: the model's structure (weights' values emptied) and the weights' commitment. */
export interface GkrVerifierKey {
  model: QuantizedModel;
  /** serializeCommitment bytes of the weights' commitment; empty for a model without constants. */
  weightCommitment: Uint8Array;
}

export interface GkrModelKey {
  model: QuantizedModel;
  plan: GkrPlan;
  /** Undefined for a model without constants (e.g. a lone ReLU): nothing to commit or open. */
  weightProverData: MultilinearProverData | undefined;
  /** Every committed constant in its padded layout (integers), reused by each proof's witness. */
  weightTables: Map<string, Float64Array>;
  /** The engine compiled once: each proof's witness is one run of it. */
  engine: Engine;
  verifierKey: GkrVerifierKey;
  setupMs: number;
}

/** Integer table → base-field vector (2 words per entry). */
export function baseTable(table: Float64Array): Uint32Array {
  const out = createBaseVector(table.length);
  for (let i = 0; i < table.length; i++) if (table[i] !== 0) baseFromSigned(out, 2 * i, table[i]);
  return out;
}

/** The model with every constant's data emptied (dims and scale kept): what a verifier may see. */
export function stripWeights(model: QuantizedModel): QuantizedModel {
  const constants = Object.fromEntries(Object.entries(model.constants).map(([name, c]) => [name, { ...c, data: [] }]));
  return { ...model, constants };
}

export function setupGkrModel({ model }: SetupGkrModelParameters): GkrModelKey {
  const t0 = performance.now();
  const plan = planModel(model);
  const weightTables = new Map(plan.weightPolynomials.map((p) => [p.name, padTensor(model.constants[p.name].data, plan.layouts.get(p.name)!)]));
  const polynomials = plan.weightPolynomials.map((p) => baseTable(weightTables.get(p.name)!));
  // A model with no constants (a lone ReLU, a pool) has no weights to bind: no commitment at all,
  // and the verifier then accepts no weight claims (verifyModel.ts).
  const committed = polynomials.length > 0 ? commitMultilinear({ polynomials }) : undefined;
  return {
    model,
    plan,
    weightProverData: committed?.proverData,
    weightTables,
    engine: createEngine({ model }),
    verifierKey: { model: stripWeights(model), weightCommitment: committed ? serializeCommitment(committed.commitment) : new Uint8Array(0) },
    setupMs: performance.now() - t0,
  };
}
