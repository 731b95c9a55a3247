/**
 * `conv` (2-D, NCHW) → one Conv2D per batch image and group, or with constant weights one
 * Conv2DConst whose weights and bias are template parameters. A group reads its C/group input
 * channels and writes its M/group filters (group = C = M: depthwise, one component per channel).
 * A weight that is an activation (a graph input given at run time) is wired into Conv2D's weight
 * signals in every weight mode.
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { ConvLayer } from '../../quant/types.ts';
import { arrayLiteral } from './arrayLiteral.ts';
import type { EmitLayer } from './types.ts';

export const emitConv: EmitLayer<ConvLayer> = ({ context, layer, id }) => {
  const { model, body, dimsOf, operand, weightSignals, isConstant } = context;
  const { weights } = context.settings;
  const weightIsActivation = !isConstant(layer.weight);
  const s = model.scaleBits;
  const v = model.valueBits;
  const inDims = dimsOf(layer.input);
  const weightDims = dimsOf(layer.weight);
  const outDims = dimsOf(layer.out);
  if (inDims.length !== 4 || weightDims.length !== 4 || outDims.length !== 4)
    throw new UnsupportedModelError(`${context.where(layer)}: only 2-D convolutions on NCHW tensors are supported`, { details: { layer: layer.name, dims: inDims } });
  const group = layer.group ?? 1;
  const [batches, inChannels, H, W] = inDims as [number, number, number, number];
  const [filters, C, KH, KW] = weightDims as [number, number, number, number];
  const [, , OH, OW] = outDims as [number, number, number, number];
  const M = filters / group;
  const perFilter = C * KH * KW;
  const input = operand(layer.input);
  const geometry = `[${layer.pads.join(',')}], [${layer.strides.join(',')}], [${layer.dilations.join(',')}]`;
  const biasData = layer.bias ? model.constants[layer.bias]!.data : new Array<number>(filters).fill(0);
  const out = new Array<string>(batches * filters * OH * OW);
  body.push(`    component ${id}[${batches * group}];`);
  let weightSignalList: string[] | undefined;
  let biasSignalList: string[] | undefined;
  const templateWeights = weights === 'constant' && !weightIsActivation;
  // Group 1 keeps the names (and so the sources) of the circuits generated before groups existed.
  const suffix = (g: number) => (group === 1 ? '' : `g${g}`);
  if (templateWeights) {
    const weightData = model.constants[layer.weight]!.data;
    for (let g = 0; g < group; g++) {
      body.push(`    var ${id}w${suffix(g)}[${M}][${C}][${KH}][${KW}] = ${arrayLiteral(weightData.slice(g * M * perFilter, (g + 1) * M * perFilter), [M, C, KH, KW])};`);
      body.push(`    var ${id}b${suffix(g)}[${M}] = ${arrayLiteral(biasData.slice(g * M, (g + 1) * M), [M])};`);
    }
  } else {
    weightSignalList = weightIsActivation ? operand(layer.weight) : weightSignals(layer.weight);
    if (layer.bias) biasSignalList = weights === 'constant' ? biasData.map(String) : weightSignals(layer.bias);
  }
  for (let n = 0; n < batches; n++)
    for (let g = 0; g < group; g++) {
      const component = `${id}[${n * group + g}]`;
      if (templateWeights) {
        body.push(`    ${component} = Conv2DConst(${C}, ${H}, ${W}, ${M}, ${KH}, ${KW}, ${OH}, ${OW}, ${geometry}, ${id}w${suffix(g)}, ${id}b${suffix(g)}, ${s}, ${v});`);
      } else {
        body.push(`    ${component} = Conv2D(${C}, ${H}, ${W}, ${M}, ${KH}, ${KW}, ${OH}, ${OW}, ${geometry}, ${s}, ${v});`);
        let i = g * M * perFilter;
        for (let m = 0; m < M; m++)
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) body.push(`    ${component}.weight[${m}][${c}][${ky}][${kx}] <== ${weightSignalList![i++]};`);
        for (let m = 0; m < M; m++) body.push(`    ${component}.bias[${m}] <== ${biasSignalList ? biasSignalList[g * M + m] : 0};`);
      }
      for (let c = 0; c < C; c++)
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) body.push(`    ${component}.in[${c}][${y}][${x}] <== ${input[((n * inChannels + g * C + c) * H + y) * W + x]};`);
      for (let m = 0; m < M; m++)
        for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[((n * filters + g * M + m) * OH + y) * OW + x] = `${component}.out[${m}][${y}][${x}]`;
    }
  return out;
};
