/**
 * matmul (Gemm/MatMul with fused bias and rescale, docs/fixed-point.md), prover and verifier.
 *
 * Relation on the padded domain, with acc = a·b + bias and acc + 2^(s−1) = 2^s·out + rem:
 *   (a·b)(i, j) = 2^s·out(i, j) + rem(i, j) − 2^(s−1)·V(i, j) − bias(i, j)
 * where V is the indicator of the unpadded entries (Ĩ_N(r2)·Ĩ_M(r1)) and a bias of dims [N]
 * broadcasts as Ĩ_M(r1)·bias̃(r2). Random (r1, r2) → claims out̃, rem̃, bias̃ at (r2, r1), then
 * Thaler's sumcheck (matmul/) reduces the left side to ã(rk, r1) and b̃(r2, rk).
 * Ranges (checked by rangeChecks.ts): rem ∈ [0, 2^s), out in the value range; with
 * |acc| < 2^52 ≪ p the field identity is the integer identity, so out = rescale(acc) exactly.
 */

import { extAdd, extMul, extMulSigned, extSub } from '../field/extension.ts';
import { proveMatMul } from '../matmul/proveMatMul.ts';
import { verifyMatMul } from '../matmul/verifyMatMul.ts';
import { concatPoints, log2Ceil } from '../multilinear.ts';
import type { MatMulLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';
import { axisIndicator } from '../model/layout.ts';
import { remainderName } from '../model/planModel.ts';

interface MatMulDims {
  m: number;
  k: number;
  n: number;
  /** The bias covers the whole [M, N] output (else it broadcasts over rows). */
  fullBias: boolean;
}

function dimsOf(ctx: ProtocolContext, layer: MatMulLayer): MatMulDims {
  const aDims = ctx.plan.layouts.get(layer.a)!.dims.filter((d) => d !== 1);
  const bDims = ctx.plan.layouts.get(layer.b)!.dims;
  const m = aDims.length === 2 ? aDims[0] : 1;
  const fullBias = !!layer.bias && m > 1 && ctx.plan.layouts.get(layer.bias)!.dims.filter((d) => d !== 1).length === 2;
  return { m, k: bDims[0], n: bDims[1], fullBias };
}

/** Shared opening of both sides: the points and the claimed C̃(r1, r2) = (a·b)~(r2, r1). */
function claimedProduct(ctx: ProtocolContext, layer: MatMulLayer, dims: MatMulDims) {
  const s = ctx.model.scaleBits;
  const rowPoint = ctx.transcript.squeezeExtensions(`${layer.name}/r1`, log2Ceil(dims.m));
  const colPoint = ctx.transcript.squeezeExtensions(`${layer.name}/r2`, log2Ceil(dims.n));
  const outPoint = concatPoints(colPoint, rowPoint);
  const out = ctx.evaluate(layer.out, outPoint, layer.name);
  const rem = ctx.evaluate(remainderName(layer.name), outPoint, layer.name);
  const rowIndicator = axisIndicator(dims.m, rowPoint);
  const value = new Uint32Array(4);
  const t = new Uint32Array(4);
  extMulSigned(value, 0, out, 0, 2 ** s);
  extAdd(value, 0, value, 0, rem, 0);
  extMul(t, 0, axisIndicator(dims.n, colPoint), 0, rowIndicator, 0);
  extMulSigned(t, 0, t, 0, 2 ** (s - 1));
  extSub(value, 0, value, 0, t, 0);
  if (layer.bias) {
    const bias = dims.fullBias ? ctx.evaluate(layer.bias, outPoint, layer.name) : ctx.evaluate(layer.bias, colPoint, layer.name);
    if (dims.fullBias) extSub(value, 0, value, 0, bias, 0);
    else {
      extMul(t, 0, bias, 0, rowIndicator, 0);
      extSub(value, 0, value, 0, t, 0);
    }
  }
  return { rowPoint, colPoint, value };
}

export function proveMatMulLayer(ctx: ProtocolContext, layer: MatMulLayer): void {
  const dims = dimsOf(ctx, layer);
  const { rowPoint, colPoint } = claimedProduct(ctx, layer, dims);
  const a = unpadded(ctx.tableOf(layer.a), dims.m, dims.k);
  const b = unpadded(ctx.tableOf(layer.b), dims.k, dims.n);
  const proved = proveMatMul({ transcript: ctx.transcript, label: `${layer.name}/sumcheck`, a, b, ...dims, rowPoint, colPoint });
  ctx.sumcheckMessage(proved.proof);
  ctx.expect(layer.a, proved.aPoint, proved.aEvaluation, layer.name);
  ctx.expect(layer.b, proved.bPoint, proved.bEvaluation, layer.name);
}

export function verifyMatMulLayer(ctx: ProtocolContext, layer: MatMulLayer): void {
  const dims = dimsOf(ctx, layer);
  const { rowPoint, colPoint, value } = claimedProduct(ctx, layer, dims);
  const proof = ctx.sumcheckMessage();
  const claims = verifyMatMul({ transcript: ctx.transcript, label: `${layer.name}/sumcheck`, k: dims.k, rowPoint, colPoint, claimedValue: value, proof });
  ctx.expect(layer.a, claims.aPoint, claims.aEvaluation, layer.name);
  ctx.expect(layer.b, claims.bPoint, claims.bEvaluation, layer.name);
}

// Weights' tables live as long as their key: their unpadded copies are made once, not per proof.
const unpaddedCache = new WeakMap<Float64Array, Float64Array>();

/** The rows × cols matrix inside a padded table (row stride = cols padded to a power of two). */
function unpadded(table: Float64Array, rows: number, cols: number): Float64Array {
  const stride = 2 ** log2Ceil(cols);
  if (stride === cols) return table.subarray(0, rows * cols);
  const cached = unpaddedCache.get(table);
  if (cached && cached.length === rows * cols) return cached;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(table.subarray(i * stride, i * stride + cols), i * cols);
  unpaddedCache.set(table, out);
  return out;
}

