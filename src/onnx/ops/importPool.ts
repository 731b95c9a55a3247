/** MaxPool and AveragePool: 2-D, no Indices output; the window made explicit, ceil_mode and count_include_pad as 0/1. */
import { ints, resolveWindow } from './resolveWindow.ts';
import type { ImportNode } from './types.ts';

export const importPool: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  if (x.length !== 4) context.unsupported(`a ${x.length - 2}-D pool (only 2-D)`);
  if (node.outputs[1] && context.isUsed(node.outputs[1])) context.unsupported('the Indices output');
  const kernel = ints(node.attributes.kernel_shape, []);
  if (kernel.length !== 2) context.unsupported(`kernel_shape [${kernel}]`);
  const ceilMode = Number(node.attributes.ceil_mode ?? 0) === 1;
  const window = resolveWindow({ node, inHW: [x[2], x[3]], kernel, ceilMode, unsupported: context.unsupported });
  node.attributes = {
    kernel: window.kernel, pads: window.pads, strides: window.strides, dilations: window.dilations,
    ceilMode: ceilMode ? 1 : 0,
    countIncludePad: Number(node.attributes.count_include_pad ?? 0),
  };
  return { outDims: [x[0], x[1], ...window.outDims] };
};
