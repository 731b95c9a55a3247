/** ONNX Concat (axis normalised to ≥ 0 by the importer) → one `concat`; constant operands at scale s. */
import type { QuantizeNode } from './types.ts';

export const quantizeConcat: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { isConstant, addConstant, graph } = context;
  const inputs = node.inputs
    .filter((name) => name)
    .map((name) => (isConstant(name) ? addConstant({ baseName: name, source: graph.constants.get(name)!, scaleExp: 1, factor: 1, where }) : name));
  context.push({ op: 'concat', name: node.name, out, inputs, axis: Number(node.attributes.axis) }, outDims);
};
