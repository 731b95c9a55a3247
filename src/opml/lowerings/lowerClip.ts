/**
 * `clip`: per element acc = x (MAX FIRST), acc = max(acc, min) (MAX), mem[dst] = min(acc, max)
 * (MAX MIN STORE); the two bounds are constant words in the initial memory.
 */
import type { ClipLayer } from '../../quant/types.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerClip: LowerLayer<ClipLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const X = context.viewOf(layer.input, layer);
  const low = context.constantWord(layer.min);
  const high = context.constantWord(layer.max);
  const out = context.allocate(layer.out);
  for (let o = 0; o < out.length; o++) {
    emitter.emit(VmOp.MAX, VmFlag.FIRST, out[o]!, X[o]!, 0);
    emitter.emit(VmOp.MAX, 0, out[o]!, low, 0);
    emitter.emit(VmOp.MAX, VmFlag.MIN | VmFlag.STORE, out[o]!, high, 0);
  }
  return out;
};
