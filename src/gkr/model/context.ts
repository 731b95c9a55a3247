/**
 * What the layer protocols (layers/) talk to, on each side. Both sides run the same calls in the
 * same order, so the transcripts agree:
 * - evaluate(tensor, point): the MLE of a tensor at a point. A public tensor (model input or
 *   output) is evaluated by each side itself; for a committed one the prover computes the value
 *   and sends it, the verifier reads it, and both record an evaluation claim for the opening.
 * - expect(tensor, point, value): a value both sides already hold (a sumcheck's final
 *   evaluation). Public: the verifier checks it; committed: both record the claim.
 * Every sent value is absorbed into the transcript before the next challenge.
 */
import { VerificationError } from '../../errors.ts';
import { extEquals, extToString } from '../field/extension.ts';
import { evaluateMultilinear, tableFromSigned } from '../multilinear.ts';
import type { ByteReader, ByteWriter } from '../proofBytes.ts';
import type { SumcheckProof } from '../sumcheck/proveSumcheck.ts';
import type { Transcript } from '../transcript.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import type { GkrPlan } from './planModel.ts';
import { reduceView } from './reduceView.ts';
import { materializeView } from './views.ts';

export interface EvaluationClaimRecord {
  commitment: 'weights' | 'witness';
  polynomial: number;
  point: Uint32Array;
  value: Uint32Array;
  /** Who made the claim (layer/check), for error messages. */
  label: string;
}

export interface ProtocolContext {
  side: 'prover' | 'verifier';
  model: QuantizedModel;
  plan: GkrPlan;
  transcript: Transcript;
  claims: EvaluationClaimRecord[];
  evaluate(tensor: string, point: Uint32Array, label: string): Uint32Array;
  expect(tensor: string, point: Uint32Array, value: Uint32Array, label: string): void;
  /** Evaluation of the padded integer table of a tensor (prover only: committed data). */
  tableOf(tensor: string): Float64Array;
  /** The prover writes a sumcheck proof into the proof; the verifier reads the next one. */
  sumcheckMessage(proof?: SumcheckProof): SumcheckProof;
  /** Same for raw field elements (the verifier checks the element count). */
  fieldMessage(label: string, words?: Uint32Array): Uint32Array;
}

interface ContextBase {
  model: QuantizedModel;
  plan: GkrPlan;
  transcript: Transcript;
  /** Padded integer tables of the public tensors (inputs, outputs). */
  publicTables: Map<string, Float64Array>;
}

function locate(plan: GkrPlan, tensor: string): { commitment: 'weights' | 'witness' | 'public' | 'view'; polynomial: number; name: string } {
  if (plan.views.has(tensor)) return { commitment: 'view', polynomial: -1, name: tensor };
  const name = plan.polynomialOf.get(tensor) ?? tensor;
  if (plan.publicTensors.has(name)) return { commitment: 'public', polynomial: -1, name };
  const w = plan.weightPolynomials.findIndex((p) => p.name === name);
  if (w >= 0) return { commitment: 'weights', polynomial: w, name };
  const x = plan.witnessPolynomials.findIndex((p) => p.name === name);
  if (x >= 0) return { commitment: 'witness', polynomial: x, name };
  throw new Error(`gkr: tensor '${tensor}' is neither public nor committed (a planning bug)`);
}

function publicEvaluation(base: ContextBase, name: string, point: Uint32Array): Uint32Array {
  return evaluateMultilinear(tableFromSigned(base.publicTables.get(name)!), point);
}

export function createProverContext(base: ContextBase & { tables: Map<string, Float64Array>; writer: ByteWriter }): ProtocolContext {
  const claims: EvaluationClaimRecord[] = [];
  const viewTables = new Map<string, Float64Array>();
  const tableOf = (tensor: string): Float64Array => {
    const view = base.plan.views.get(tensor);
    if (view) {
      let table = viewTables.get(tensor);
      if (!table) viewTables.set(tensor, (table = materializeView(view, tableOf(view.source))));
      return table;
    }
    const name = base.plan.polynomialOf.get(tensor) ?? tensor;
    const table = base.publicTables.get(name) ?? base.tables.get(name);
    if (!table) throw new Error(`gkr: no table for '${tensor}' (a witness bug)`);
    return table;
  };
  const context: ProtocolContext = {
    side: 'prover',
    model: base.model,
    plan: base.plan,
    transcript: base.transcript,
    claims,
    tableOf,
    evaluate(tensor, point, label) {
      const where = locate(base.plan, tensor);
      if (where.commitment === 'public') return publicEvaluation(base, where.name, point);
      const value = evaluateMultilinear(tableFromSigned(tableOf(tensor), point.length / 4), point);
      base.writer.words(value);
      base.transcript.absorbField(`${label}/${where.name}`, value);
      if (where.commitment === 'view') reduceView(context, base.plan.views.get(tensor)!, point, value, label);
      else claims.push({ commitment: where.commitment, polynomial: where.polynomial, point, value, label });
      return value;
    },
    expect(tensor, point, value, label) {
      const where = locate(base.plan, tensor);
      if (where.commitment === 'view') reduceView(context, base.plan.views.get(tensor)!, point, value, label);
      else if (where.commitment !== 'public') claims.push({ commitment: where.commitment, polynomial: where.polynomial, point, value, label });
    },
    sumcheckMessage(proof) {
      base.writer.sumcheck(proof!);
      return proof!;
    },
    fieldMessage(label, words) {
      base.writer.words(words!);
      return words!;
    },
  };
  return context;
}

export function createVerifierContext(base: ContextBase & { reader: ByteReader }): ProtocolContext {
  const claims: EvaluationClaimRecord[] = [];
  const context: ProtocolContext = {
    side: 'verifier',
    model: base.model,
    plan: base.plan,
    transcript: base.transcript,
    claims,
    tableOf() {
      throw new Error('gkr: the verifier has no witness tables');
    },
    evaluate(tensor, point, label) {
      const where = locate(base.plan, tensor);
      if (where.commitment === 'public') return publicEvaluation(base, where.name, point);
      const value = base.reader.words(`${label}: ${where.name}(r)`);
      if (value.length !== 4)
        throw new VerificationError(`gkr proof: ${label}: evaluation of '${where.name}' is not one F_p² element`, { details: { check: 'proof shape', label } });
      base.transcript.absorbField(`${label}/${where.name}`, value);
      if (where.commitment === 'view') reduceView(context, base.plan.views.get(tensor)!, point, value, label);
      else claims.push({ commitment: where.commitment, polynomial: where.polynomial, point, value, label });
      return value;
    },
    expect(tensor, point, value, label) {
      const where = locate(base.plan, tensor);
      if (where.commitment === 'view') {
        reduceView(context, base.plan.views.get(tensor)!, point, value, label);
        return;
      }
      if (where.commitment === 'public') {
        const actual = publicEvaluation(base, where.name, point);
        if (!extEquals(actual, 0, value, 0))
          throw new VerificationError(`gkr proof: ${label}: the MLE of public tensor '${where.name}' is ${extToString(actual, 0)} at the sumcheck point, the proof claims ${extToString(value, 0)}`, {
            details: { check: 'public evaluation', label, tensor: where.name },
            hint: 'the proof was made for other inputs or outputs than the ones given to the verifier',
          });
        return;
      }
      claims.push({ commitment: where.commitment, polynomial: where.polynomial, point, value, label });
    },
    sumcheckMessage() {
      return base.reader.sumcheck();
    },
    fieldMessage(label) {
      return base.reader.words(label);
    },
  };
  return context;
}
