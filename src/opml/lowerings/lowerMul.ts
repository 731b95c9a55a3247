/**
 * `mul` (numpy broadcasting): per element one MAC (IMM for a constant b: the factor is an
 * immediate) and one RESCALE whose immediate is the bias: rescale(a·b + bias).
 */
import type { MulLayer } from '../../quant/types.ts';
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerMul: LowerLayer<MulLayer> = ({ context, layer }) => {
  const { model, emitter } = context;
  const A = context.viewOf(layer.a, layer);
  const bConstant = model.constants[layer.b];
  const B = bConstant ? undefined : context.viewOf(layer.b, layer);
  const bias = layer.bias ? context.constantOf(layer.bias, layer) : undefined;
  const outDims = context.dimsOf(layer.out);
  const aOffsets = broadcastOffsets(context.dimsOf(layer.a), outDims);
  const bOffsets = broadcastOffsets(context.dimsOf(layer.b), outDims);
  const biasOffsets = layer.bias ? broadcastOffsets(context.dimsOf(layer.bias), outDims) : undefined;
  const out = context.allocate(layer.out);
  for (let o = 0; o < out.length; o++) {
    if (bConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o]!, A[aOffsets[o]!]!, 0, bConstant.data[bOffsets[o]!]!);
    else emitter.emit(VmOp.MAC, 0, out[o]!, A[aOffsets[o]!]!, B![bOffsets[o]!]!);
    emitter.emit(VmOp.RESCALE, 0, out[o]!, 0, 0, bias ? bias.data[biasOffsets![o]!]! : 0);
  }
  return out;
};
