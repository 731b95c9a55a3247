/**
 * Conv: 2-D, any group (depthwise included); the window made explicit (kernel, pads, strides,
 * dilations). Weight and bias are constants, or graph inputs given at run time (as the ONNX node
 * tests give them).
 */
import { ShapeError } from '../../errors.ts';
import { ints, resolveWindow } from './resolveWindow.ts';
import type { ImportNode } from './types.ts';

export const importConv: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  const w = context.inputDims(1);
  if (x.length !== 4 || w.length !== 4) context.unsupported(`a ${x.length - 2}-D convolution (only 2-D)`);
  const group = Number(node.attributes.group ?? 1);
  if (!Number.isInteger(group) || group < 1 || x[1] % group !== 0 || w[0] % group !== 0)
    context.unsupported(`group=${group} for ${x[1]} input channels and ${w[0]} filters (both must be multiples of group)`);
  if (w[1] * group !== x[1])
    throw new ShapeError(`${context.where}: weight [${w}] expects ${w[1]} channels per group × ${group} groups, input [${x}] has ${x[1]}`);
  if (node.inputs[2]) {
    const bias = context.inputDims(2);
    if (bias.length !== 1 || bias[0] !== w[0])
      throw new ShapeError(`${context.where}: bias '${node.inputs[2]}' has dims [${bias}], the weight [${w}] needs [${w[0]}]`, { details: { file: context.file, node: node.name } });
  }
  const kernel = ints(node.attributes.kernel_shape, [w[2], w[3]]);
  const window = resolveWindow({ node, inHW: [x[2], x[3]], kernel, ceilMode: false, unsupported: context.unsupported });
  node.attributes = { kernel: window.kernel, pads: window.pads, strides: window.strides, dilations: window.dilations, ...(group !== 1 ? { group } : {}) };
  return { outDims: [x[0], w[0], ...window.outDims] };
};
