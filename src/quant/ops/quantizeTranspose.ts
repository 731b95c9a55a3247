/** ONNX Transpose (perm normalised by the importer) → one `transpose`, or a `reshape` for the identity perm. */
import type { QuantizeNode } from './types.ts';

export const quantizeTranspose: QuantizeNode = ({ context, node, out, outDims }) => {
  const perm = node.attributes.perm as number[];
  if (perm.every((axis, i) => axis === i)) context.push({ op: 'reshape', name: node.name, out, input: node.inputs[0] }, outDims);
  else context.push({ op: 'transpose', name: node.name, out, input: node.inputs[0], perm: [...perm] }, outDims);
};
