/**
 * Every range check of the plan (planModel.ts), prover and verifier, then the one LogUp lookup
 * that proves all limbs lie in {0..255}.
 *
 * A check y ∈ [0, 2^bits) is y = Σ_l 256^l·limb_l with every limb looked up (and, when the top
 * limb has topBits < 8, also top·2^(8 − topBits) looked up, which bounds top < 2^topBits). The
 * limbs are committed blocks of the looked-up vector; their sum is checked at one random point:
 *   ỹ(ρ) = Σ_l 256^l·limb̃_l(ρ),   and   top-shift̃(ρ) = 2^(8−topBits)·limb̃_top(ρ).
 * ỹ(ρ) comes from the layer's tensors: value: out̃ + 2^(v−1) (the padding then holds 2^(v−1),
 * whose MLE is the constant); remainder: rem̃; nonNegative: out̃; gap: out̃ − g̃ (relu: g = x;
 * maxpool: g = one window's view of the input, whose claim reduceView.ts passes on).
 * A block of 2^n entries at offset o is the looked-up vector's MLE at (ρ, bits of o/2^n).
 */
import { VerificationError } from '../../errors.ts';
import { extAdd, extEquals, extFromSigned, extMulSigned, extSub } from '../field/extension.ts';
import { proveLogUp, TABLE_BITS } from '../lookup/proveLogUp.ts';
import { verifyLogUp } from '../lookup/verifyLogUp.ts';
import type { FractionalSumProof } from '../lookup/proveFractionalSum.ts';
import { concatPoints } from '../multilinear.ts';
import type { QLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';
import { indicatorAt } from '../model/layout.ts';
import { LOOKUP_MULTIPLICITIES, LOOKUP_VALUES, remainderName, type RangeCheckPlan } from '../model/planModel.ts';

/** The point of a block: ρ then the block index's bits as constant 0/1 coordinates. */
function blockPoint(point: Uint32Array, numVariables: number, offset: number, lookupVariables: number): Uint32Array {
  const high = new Uint32Array(4 * (lookupVariables - numVariables));
  const block = offset / 2 ** numVariables;
  for (let b = 0; b < lookupVariables - numVariables; b++) extFromSigned(high, 4 * b, (block >> b) & 1);
  return concatPoints(point, high);
}

function layerOf(ctx: ProtocolContext, name: string): QLayer {
  return ctx.plan.layers.find((l) => l.name === name)!;
}

/** ỹ(ρ) for a check, from evaluations of the layer's tensors. */
function checkedValue(ctx: ProtocolContext, check: RangeCheckPlan, point: Uint32Array): Uint32Array {
  const layer = layerOf(ctx, check.layer);
  const y = new Uint32Array(4);
  switch (check.kind) {
    case 'value': {
      const offset = new Uint32Array(4);
      extFromSigned(offset, 0, 2 ** (ctx.model.valueBits - 1));
      extAdd(y, 0, ctx.evaluate(layer.out, point, check.label), 0, offset, 0);
      break;
    }
    case 'remainder':
      y.set(ctx.evaluate(remainderName(layer.name), point, check.label));
      break;
    case 'nonNegative':
      y.set(ctx.evaluate(layer.out, point, check.label));
      break;
    case 'remainderBound': {
      const pool = layer as { kernel: [number, number] };
      extMulSigned(y, 0, indicatorAt(ctx.plan.layouts.get(layer.out)!, point), 0, pool.kernel[0] * pool.kernel[1] - 1);
      extSub(y, 0, y, 0, ctx.evaluate(remainderName(layer.name), point, check.label), 0);
      break;
    }
    case 'gap':
      extSub(y, 0, ctx.evaluate(layer.out, point, check.label), 0, ctx.evaluate(check.gapOf!, point, check.label), 0);
      break;
  }
  return y;
}

function runChecks(ctx: ProtocolContext): void {
  const { lookupVariables } = ctx.plan;
  for (const check of ctx.plan.rangeChecks) {
    const point = ctx.transcript.squeezeExtensions(`${check.label}/rho`, check.numVariables);
    const y = checkedValue(ctx, check, point);
    const sum = new Uint32Array(4);
    const term = new Uint32Array(4);
    let top: Uint32Array = new Uint32Array(4);
    check.limbOffsets.forEach((offset, l) => {
      const limb = ctx.evaluate(LOOKUP_VALUES, blockPoint(point, check.numVariables, offset, lookupVariables), `${check.label}/limb${l}`);
      extMulSigned(term, 0, limb, 0, 2 ** (TABLE_BITS * l));
      extAdd(sum, 0, sum, 0, term, 0);
      top = limb;
    });
    if (ctx.side === 'verifier' && !extEquals(sum, 0, y, 0))
      throw new VerificationError(`gkr proof: range check '${check.label}': the limbs do not add up to the checked value at ρ`, {
        details: { check: 'limb decomposition', label: check.label },
      });
    if (check.topShiftOffset !== undefined) {
      const shifted = ctx.evaluate(LOOKUP_VALUES, blockPoint(point, check.numVariables, check.topShiftOffset, lookupVariables), `${check.label}/top`);
      extMulSigned(term, 0, top, 0, 2 ** (TABLE_BITS - check.topBits));
      if (ctx.side === 'verifier' && !extEquals(term, 0, shifted, 0))
        throw new VerificationError(`gkr proof: range check '${check.label}': the shifted top limb is not 2^${TABLE_BITS - check.topBits}·top`, {
          details: { check: 'top limb', label: check.label },
        });
    }
  }
}

function writeFractional(ctx: ProtocolContext, proof: FractionalSumProof): void {
  ctx.fieldMessage('root', proof.rootChildren);
  for (const layer of proof.layers) ctx.sumcheckMessage(layer);
}

function readFractional(ctx: ProtocolContext, depth: number): FractionalSumProof {
  const rootChildren = ctx.fieldMessage('lookup root');
  const layers = Array.from({ length: Math.max(0, depth - 1) }, () => ctx.sumcheckMessage());
  return { rootChildren, layers };
}

export function proveRangeChecks(ctx: ProtocolContext): void {
  runChecks(ctx);
  const proved = proveLogUp({
    transcript: ctx.transcript,
    label: 'lookup',
    values: ctx.tableOf(LOOKUP_VALUES),
    multiplicities: ctx.tableOf(LOOKUP_MULTIPLICITIES),
  });
  writeFractional(ctx, proved.proof.looked);
  writeFractional(ctx, proved.proof.table);
  ctx.expect(LOOKUP_VALUES, proved.valuesPoint, proved.valuesEvaluation, 'lookup');
  ctx.expect(LOOKUP_MULTIPLICITIES, proved.multiplicitiesPoint, proved.multiplicitiesEvaluation, 'lookup');
}

export function verifyRangeChecks(ctx: ProtocolContext): void {
  runChecks(ctx);
  const looked = readFractional(ctx, ctx.plan.lookupVariables);
  const table = readFractional(ctx, TABLE_BITS);
  const claims = verifyLogUp({ transcript: ctx.transcript, label: 'lookup', valuesVariables: ctx.plan.lookupVariables, proof: { looked, table } });
  ctx.expect(LOOKUP_VALUES, claims.valuesPoint, claims.valuesEvaluation, 'lookup');
  ctx.expect(LOOKUP_MULTIPLICITIES, claims.multiplicitiesPoint, claims.multiplicitiesEvaluation, 'lookup');
}
