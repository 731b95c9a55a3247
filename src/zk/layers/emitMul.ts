/**
 * `mul` → one Mul(s, v) per output element (a, b, bias as signals: one product), or with a
 * constant `b` under --weights constant one MulConst(factor, bias, s, v) (linear). Numpy
 * broadcasting of a, b and bias through precomputed offsets.
 */
import type { MulLayer } from '../../quant/types.ts';
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { EmitLayer } from './types.ts';

export const emitMul: EmitLayer<MulLayer> = ({ context, layer, id }) => {
  const { body, dimsOf, operand, model } = context;
  const s = model.scaleBits;
  const v = model.valueBits;
  const outDims = dimsOf(layer.out);
  const outSize = sizeOf(outDims);
  const a = operand(layer.a);
  const aOffsets = broadcastOffsets(dimsOf(layer.a), outDims);
  const bOffsets = broadcastOffsets(dimsOf(layer.b), outDims);
  const biasOffsets = layer.bias ? broadcastOffsets(dimsOf(layer.bias), outDims) : undefined;
  const compiledIn = context.settings.weights === 'constant' && context.isConstant(layer.b);
  body.push(`    component ${id}[${outSize}];`);
  if (compiledIn) {
    const factor = model.constants[layer.b]!.data;
    const bias = layer.bias ? model.constants[layer.bias]!.data : undefined;
    for (let i = 0; i < outSize; i++)
      body.push(`    ${id}[${i}] = MulConst(${factor[bOffsets[i]!]}, ${bias ? bias[biasOffsets![i]!] : 0}, ${s}, ${v}); ${id}[${i}].a <== ${a[aOffsets[i]!]};`);
  } else {
    const b = operand(layer.b);
    const bias = layer.bias ? operand(layer.bias) : undefined;
    for (let i = 0; i < outSize; i++)
      body.push(`    ${id}[${i}] = Mul(${s}, ${v}); ${id}[${i}].a <== ${a[aOffsets[i]!]}; ${id}[${i}].b <== ${b[bOffsets[i]!]}; ${id}[${i}].bias <== ${bias ? bias[biasOffsets![i]!] : 0};`);
  }
  return Array.from({ length: outSize }, (_, i) => `${id}[${i}].out`);
};
