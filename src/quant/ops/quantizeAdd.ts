/** ONNX Add (not fused into a matmul) → one `add` layer; constant operands at scale s. */
import type { QuantizeNode } from './types.ts';

export const quantizeAdd: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { isConstant, addConstant, graph } = context;
  const [aName, bName] = node.inputs;
  const a = isConstant(aName) ? addConstant({ baseName: aName, source: graph.constants.get(aName)!, scaleExp: 1, factor: 1, where }) : aName;
  const b = isConstant(bName) ? addConstant({ baseName: bName, source: graph.constants.get(bName)!, scaleExp: 1, factor: 1, where }) : bName;
  context.push({ op: 'add', name: node.name, out, a, b }, outDims);
};
