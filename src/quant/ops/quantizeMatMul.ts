/**
 * ONNX MatMul → one `matmul` layer (constant operands quantized at scale s); a following
 * Add(constant) whose constant broadcasts into the output is fused as a bias at scale 2s.
 */
import { matmulAccBits } from '../matmulAccBits.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeMatMul: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { isConstant, addConstant, graph } = context;
  const [aName, bName] = node.inputs;
  const a = isConstant(aName) ? addConstant({ baseName: aName, source: graph.constants.get(aName)!, scaleExp: 1, factor: 1, where }) : aName;
  const b = isConstant(bName) ? addConstant({ baseName: bName, source: graph.constants.get(bName)!, scaleExp: 1, factor: 1, where }) : bName;
  const biasAdd = context.findBiasAdd(out, outDims);
  let bias: string | undefined;
  let target = out;
  if (biasAdd) {
    bias = addConstant({ baseName: biasAdd.constant.name, source: biasAdd.constant, scaleExp: 2, factor: 1, where });
    target = biasAdd.node.outputs[0];
    context.fuse(biasAdd.node);
  }
  const accBits = matmulAccBits({ context, layerName: node.name, a, b, bias, outDims });
  context.push({ op: 'matmul', name: node.name, out: target, a, b, ...(bias ? { bias } : {}), accBits }, outDims);
};
