/**
 * conv (2-D, group 1, fused bias and rescale), prover and verifier: a matmul W·X with the
 * weight [M, C, kh, kw] read as an [Mp, Kp] matrix in its own padded layout and X the im2col
 * view of the input ([Kp, Pp], views.ts), never committed:
 *   (W·X)(m, p) = 2^s·out(m, p) + rem(m, p) − 2^(s−1)·V(m, p) − bias(m)·V_pos(p)
 * at random (r1, r2) (V, V_pos: indicators of the unpadded entries), Thaler's sumcheck over
 * k = (c, ky, kx), then W̃(rk, r1) is a weight claim and X̃(r2, rk) reduces to a claim on the
 * input by the view sumcheck (model/reduceView.ts). Ranges as matmul: rem, out by range checks.
 */
import { extMul, extMulSigned, extAdd, extSub } from '../field/extension.ts';
import { proveMatMul } from '../matmul/proveMatMul.ts';
import { verifyMatMul } from '../matmul/verifyMatMul.ts';
import { concatPoints } from '../multilinear.ts';
import type { ConvLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';
import { indicatorAt, layoutOf } from '../model/layout.ts';
import { im2colName, remainderName } from '../model/planModel.ts';

function shapeOf(ctx: ProtocolContext, layer: ConvLayer) {
  const outLayout = ctx.plan.layouts.get(layer.out)!;
  const [, Mp, OHp, OWp] = outLayout.paddedDims;
  const cols = OHp * OWp;
  const k = ctx.plan.views.get(im2colName(layer.name))!.map.length / cols;
  return { outLayout, m: Mp, k, n: cols };
}

function claimedProduct(ctx: ProtocolContext, layer: ConvLayer, shape: ReturnType<typeof shapeOf>) {
  const s = ctx.model.scaleBits;
  const rowPoint = ctx.transcript.squeezeExtensions(`${layer.name}/r1`, Math.log2(shape.m));
  const colPoint = ctx.transcript.squeezeExtensions(`${layer.name}/r2`, Math.log2(shape.n));
  const outPoint = concatPoints(colPoint, rowPoint);
  const out = ctx.evaluate(layer.out, outPoint, layer.name);
  const rem = ctx.evaluate(remainderName(layer.name), outPoint, layer.name);
  const [, , OH, OW] = shape.outLayout.dims;
  const positions = indicatorAt(layoutOf([OH, OW]), colPoint);
  const value = new Uint32Array(4);
  const t = new Uint32Array(4);
  extMulSigned(value, 0, out, 0, 2 ** s);
  extAdd(value, 0, value, 0, rem, 0);
  extMulSigned(t, 0, indicatorAt(shape.outLayout, outPoint), 0, 2 ** (s - 1));
  extSub(value, 0, value, 0, t, 0);
  if (layer.bias) {
    extMul(t, 0, ctx.evaluate(layer.bias, rowPoint, layer.name), 0, positions, 0);
    extSub(value, 0, value, 0, t, 0);
  }
  return { rowPoint, colPoint, value };
}

export function proveConvLayer(ctx: ProtocolContext, layer: ConvLayer): void {
  const shape = shapeOf(ctx, layer);
  const { rowPoint, colPoint } = claimedProduct(ctx, layer, shape);
  const proved = proveMatMul({
    transcript: ctx.transcript,
    label: `${layer.name}/sumcheck`,
    a: ctx.tableOf(layer.weight),
    b: ctx.tableOf(im2colName(layer.name)),
    m: shape.m,
    k: shape.k,
    n: shape.n,
    rowPoint,
    colPoint,
  });
  ctx.sumcheckMessage(proved.proof);
  ctx.expect(layer.weight, proved.aPoint, proved.aEvaluation, layer.name);
  ctx.expect(im2colName(layer.name), proved.bPoint, proved.bEvaluation, layer.name);
}

export function verifyConvLayer(ctx: ProtocolContext, layer: ConvLayer): void {
  const shape = shapeOf(ctx, layer);
  const { rowPoint, colPoint, value } = claimedProduct(ctx, layer, shape);
  const proof = ctx.sumcheckMessage();
  const claims = verifyMatMul({ transcript: ctx.transcript, label: `${layer.name}/sumcheck`, k: shape.k, rowPoint, colPoint, claimedValue: value, proof });
  ctx.expect(layer.weight, claims.aPoint, claims.aEvaluation, layer.name);
  ctx.expect(im2colName(layer.name), claims.bPoint, claims.bEvaluation, layer.name);
}
