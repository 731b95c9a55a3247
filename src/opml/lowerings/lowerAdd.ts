/**
 * `add` (numpy broadcasting). A constant addend becomes the immediate of ADD (IMM). Two
 * activations are added as ACC A; ACC B; AVG 1 (acc = A + B, then mem[dst] = range(acc),
 * acc = 0): the same integers as ADD A B, but every step touches at most two memory words, so
 * no one-step proof carries three Merkle paths (ADD A B's would make the game's step transaction
 * ~104k gas, over the 100k bound; see docs/opml.md).
 */
import type { AddLayer } from '../../quant/types.ts';
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerAdd: LowerLayer<AddLayer> = ({ context, layer }) => {
  const { model, emitter } = context;
  const swap = model.constants[layer.a] !== undefined && model.constants[layer.b] === undefined;
  const [first, second] = swap ? [layer.b, layer.a] : [layer.a, layer.b];
  const A = context.viewOf(first, layer);
  const constant = model.constants[second];
  const B = constant ? undefined : context.viewOf(second, layer);
  const outDims = context.dimsOf(layer.out);
  const aOffsets = broadcastOffsets(context.dimsOf(first), outDims);
  const bOffsets = broadcastOffsets(context.dimsOf(second), outDims);
  const out = context.allocate(layer.out);
  for (let o = 0; o < out.length; o++) {
    if (constant) emitter.emit(VmOp.ADD, VmFlag.IMM, out[o], A[aOffsets[o]], 0, constant.data[bOffsets[o]]);
    else {
      emitter.emit(VmOp.ACC, 0, out[o], A[aOffsets[o]], 0);
      emitter.emit(VmOp.ACC, 0, out[o], B![bOffsets[o]], 0);
      emitter.emit(VmOp.AVG, 0, out[o], 0, 0, 1);
    }
  }
  return out;
};
