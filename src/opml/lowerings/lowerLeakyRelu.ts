/**
 * `leakyRelu`: per element r = rescale(x·alpha) into a scratch word (SCALE), then
 * mem[dst] = max(x, r) (MAX FIRST, MAX STORE). With 0 ≤ alpha ≤ 2^s that is x for x ≥ 0 (r ≤ x)
 * and r for x < 0 (r ≥ x): the engine's x ≥ 0 ? x : r, and SCALE never traps (r ∈ [x, 0]).
 */
import type { LeakyReluLayer } from '../../quant/types.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerLeakyRelu: LowerLayer<LeakyReluLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const X = context.viewOf(layer.input, layer);
  const out = context.allocate(layer.out);
  const scratch = context.scratch(1)[0]!;
  for (let o = 0; o < out.length; o++) {
    emitter.emit(VmOp.SCALE, 0, scratch, X[o]!, 0, layer.alpha);
    emitter.emit(VmOp.MAX, VmFlag.FIRST, out[o]!, X[o]!, 0);
    emitter.emit(VmOp.MAX, VmFlag.STORE, out[o]!, scratch, 0);
  }
  return out;
};
