/** Conv: 2-D, group 1, constant weight and bias; the window made explicit (kernel, pads, strides, dilations). */
import { ShapeError } from '../../errors.ts';
import { ints, resolveWindow } from './resolveWindow.ts';
import type { ImportNode } from './types.ts';

export const importConv: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  if (!context.constantOf(node.inputs[1])) context.unsupported('a weight that is not a constant');
  if (node.inputs[2] && !context.constantOf(node.inputs[2])) context.unsupported('a bias that is not a constant');
  const w = context.inputDims(1);
  if (x.length !== 4 || w.length !== 4) context.unsupported(`a ${x.length - 2}-D convolution (only 2-D)`);
  const group = Number(node.attributes.group ?? 1);
  if (group !== 1) context.unsupported(`group=${group} (only group=1)`);
  if (w[1] !== x[1]) throw new ShapeError(`${context.where}: weight [${w}] expects ${w[1]} channels, input [${x}] has ${x[1]}`);
  const kernel = ints(node.attributes.kernel_shape, [w[2], w[3]]);
  const window = resolveWindow({ node, inHW: [x[2], x[3]], kernel, ceilMode: false, unsupported: context.unsupported });
  node.attributes = { kernel: window.kernel, pads: window.pads, strides: window.strides, dilations: window.dilations };
  return { outDims: [x[0], w[0], ...window.outDims] };
};
