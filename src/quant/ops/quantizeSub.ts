/**
 * ONNX Sub → `add`: x − c adds the constant −c (quantized as round(−c · 2^s)); c − x and x − y
 * negate the subtrahend first (a `scalarMul` by −2^s, exact) and add.
 */
import type { QuantizeNode } from './types.ts';
import { negate } from './elementwiseHelpers.ts';

export const quantizeSub: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const [aName, bName] = node.inputs;
  const { graph, isConstant, addConstant } = context;
  if (isConstant(bName)) {
    const b = addConstant({ baseName: `${bName}:negated`, source: graph.constants.get(bName)!, scaleExp: 1, factor: -1, where });
    context.push({ op: 'add', name: node.name, out, a: aName, b }, outDims);
    return;
  }
  const negated = negate(context, `${node.name}:negate`, `${node.name}:negated`, bName);
  const a = isConstant(aName) ? addConstant({ baseName: aName, source: graph.constants.get(aName)!, scaleExp: 1, factor: 1, where }) : aName;
  context.push({ op: 'add', name: node.name, out, a, b: negated }, outDims);
};
