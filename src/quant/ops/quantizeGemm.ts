/**
 * ONNX Gemm (Y = alpha · A' · B' + beta · C) → a `matmul`, plus what cannot be folded:
 * transA/transB of a constant are applied to the constant, of an activation become a
 * `transpose` layer; alpha is folded into a constant operand when there is one (else a
 * `scalarMul`); a constant C becomes the matmul's bias at scale 2s (beta folded) when alpha
 * was folded, otherwise an `add` (an activation C with beta ≠ 1 gets its own `scalarMul`).
 * Without C, a following Add(constant) is fused as the bias, as for MatMul.
 */
import { transposeData } from '../../onnx/foldConstantNode.ts';
import { matmulAccBits } from '../matmulAccBits.ts';
import { roundHalfUp } from '../roundHalfUp.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeGemm: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { isConstant, addConstant, checkBound, dimsOf, push, graph: g, maxActivation, half } = context;
  const s = context.scaleBits;
  const attr = node.attributes;
  const [aName, bName, cName] = node.inputs;
  const alpha = Number(attr.alpha);
  const beta = Number(attr.beta);
  const transA = Number(attr.transA) === 1;
  const transB = Number(attr.transB) === 1;
  const [m, n] = outDims;
  let alphaFolded = alpha === 1;
  const operand = (tensorName: string, transpose: boolean, tag: 'A' | 'B', foldAlpha: boolean): string => {
    if (isConstant(tensorName)) {
      const source = g.constants.get(tensorName)!;
      const oriented = transpose ? { ...transposeData(source, [1, 0]), name: source.name } : source;
      const factor = foldAlpha ? alpha : 1;
      if (foldAlpha) alphaFolded = true;
      const suffix = `${transpose ? ':T' : ''}${factor !== 1 ? `:x${factor}` : ''}`;
      return addConstant({ baseName: `${tensorName}${suffix}`, source: oriented, scaleExp: 1, factor, where });
    }
    if (!transpose) return tensorName;
    const transposed = `${node.name}:${tag}T`;
    const dims = dimsOf(tensorName);
    push({ op: 'transpose', name: `${node.name}:transpose${tag}`, out: transposed, input: tensorName }, [dims[1], dims[0]]);
    return transposed;
  };
  const b = operand(bName, transB, 'B', !alphaFolded);
  const a = operand(aName, transA, 'A', !alphaFolded && !isConstant(bName));
  const hasC = Boolean(cName) && beta !== 0;
  const cConstant = hasC && isConstant(cName);
  const cBaseName = `${cName}${beta !== 1 ? `:x${beta}` : ''}`;
  let bias: string | undefined;
  let target = out;
  if (cConstant && alphaFolded) {
    bias = addConstant({ baseName: cBaseName, source: g.constants.get(cName)!, scaleExp: 2, factor: beta, where });
  } else if (!hasC && alphaFolded) {
    const biasAdd = context.findBiasAdd(out, outDims);
    if (biasAdd) {
      bias = addConstant({ baseName: biasAdd.constant.name, source: biasAdd.constant, scaleExp: 2, factor: 1, where });
      target = biasAdd.node.outputs[0];
      context.fuse(biasAdd.node);
    }
  }
  const needsMore = !alphaFolded || (hasC && !bias);
  const productName = needsMore ? `${node.name}:product` : target;
  const accBits = matmulAccBits({ context, layerName: node.name, a, b, bias, outDims: [m, n] });
  push({ op: 'matmul', name: node.name, out: productName, a, b, ...(bias ? { bias } : {}), accBits }, [m, n]);
  let current = productName;
  if (!alphaFolded) {
    const factor = roundHalfUp(alpha * 2 ** s);
    const scaled = hasC ? `${node.name}:alpha` : target;
    push({ op: 'scalarMul', name: `${node.name}:alpha`, out: scaled, input: current, factor, accBits: checkBound(`${node.name}:alpha`, BigInt(Math.abs(factor)) * maxActivation + half) }, [m, n]);
    current = scaled;
  }
  if (hasC && !bias) {
    let addend: string;
    if (cConstant) addend = addConstant({ baseName: cBaseName, source: g.constants.get(cName)!, scaleExp: 1, factor: beta, where });
    else if (beta !== 1) {
      const factor = roundHalfUp(beta * 2 ** s);
      addend = `${node.name}:betaC`;
      push({ op: 'scalarMul', name: `${node.name}:beta`, out: addend, input: cName, factor, accBits: checkBound(`${node.name}:beta`, BigInt(Math.abs(factor)) * maxActivation + half) }, dimsOf(cName));
    } else addend = cName;
    push({ op: 'add', name: `${node.name}:C`, out: target, a: current, b: addend }, [m, n]);
  }
};
