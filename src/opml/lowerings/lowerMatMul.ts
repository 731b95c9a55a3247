/**
 * `matmul` (numpy batching, 1-D operands promoted): per output element K MAC steps and one
 * RESCALE whose immediate is the bias. A constant operand becomes the immediate of MAC (IMM), so
 * a weight MAC touches one memory word; if both operands are constants, `a` goes to memory.
 */
import { ShapeError } from '../../errors.ts';
import type { MatMulLayer } from '../../quant/types.ts';
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { matmulShape } from '../../tensor/matmulShape.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import { VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer } from './types.ts';

export const lowerMatMul: LowerLayer<MatMulLayer> = ({ context, layer }) => {
  const { model, emitter } = context;
  const bConstant = model.constants[layer.b];
  const aConstant = bConstant ? undefined : model.constants[layer.a];
  const A = aConstant ? undefined : context.viewOf(layer.a, layer);
  const B = bConstant ? undefined : context.viewOf(layer.b, layer);
  const aDims = context.dimsOf(layer.a);
  const bDims = context.dimsOf(layer.b);
  const outDims = context.dimsOf(layer.out);
  const bInner = bDims.length === 1 ? bDims[0] : bDims[bDims.length - 2];
  const aInner = aDims[aDims.length - 1];
  if (bInner !== aInner)
    throw new ShapeError(`${context.where(layer)}: [${aDims}] × [${bDims}] do not multiply`, { hint: 'inner dimensions must match', details: { layer: layer.name } });
  const { M, K, N, batches, aBatchOffsets, bBatchOffsets } = matmulShape({ aDims, bDims, where: context.where(layer) });
  if (batches * M * N !== sizeOf(outDims))
    throw new ShapeError(`${context.where(layer)}: output [${outDims}] does not hold ${batches}×${M}×${N}`, { hint: 're-quantize the model', details: { layer: layer.name } });
  const bias = layer.bias ? context.constantOf(layer.bias, layer) : undefined;
  const biasOffsets = layer.bias ? broadcastOffsets(context.dimsOf(layer.bias), outDims) : undefined;
  const out = context.allocate(layer.out);
  for (let batch = 0; batch < batches; batch++) {
    const aBase = aBatchOffsets[batch] * M * K;
    const bBase = bBatchOffsets[batch] * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const o = batch * M * N + i * N + j;
        for (let k = 0; k < K; k++) {
          const ai = aBase + i * K + k;
          const bi = bBase + k * N + j;
          if (bConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], A![ai], 0, bConstant.data[bi]);
          else if (aConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], B![bi], 0, aConstant.data[ai]);
          else emitter.emit(VmOp.MAC, 0, out[o], A![ai], B![bi]);
        }
        emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias.data[biasOffsets![o]] : 0);
      }
  }
  return out;
};
