/**
 * ONNX → QuantizedModel (docs/fixed-point.md): lowers the imported graph to the integer layer
 * set (matmul, conv, add, scalarMul, relu, pools, reshape, transpose, mul, clip, leakyRelu, concat,
 * pad), one lowering per ONNX
 * operator in src/quant/ops/ (weights at scale s, fused biases at 2s, MatMul+Add(constant)
 * fused into a bias, Gemm's alpha/beta/transA/transB folded, BatchNormalization folded into the
 * Conv/Gemm before it, accBits per layer from the static
 * bound analysis), and stamps the canonical-JSON hash. The only place where floats become
 * integers.
 */
import { basename, extname } from 'node:path';
import { UnsupportedModelError } from '../errors.ts';
import { loadOnnxModel, type LoadOnnxModelParameters } from '../onnx/loadOnnxModel.ts';
import type { OnnxGraph, OnnxNode } from '../onnx/types.ts';
import { createQuantizeContext } from './createQuantizeContext.ts';
import { foldBatchNormalization } from './foldBatchNormalization.ts';
import { DEFAULT_SCALE_BITS, DEFAULT_VALUE_BITS } from './defaults.ts';
import { hashQuantizedModel } from './hashQuantizedModel.ts';
import { NODE_QUANTIZERS } from './ops/index.ts';
import { QUANTIZED_MODEL_FORMAT, type QLayer, type QuantizedModel } from './types.ts';
import { validateScale } from './validateScale.ts';

export { bitLength } from './bitLength.ts';
export { roundHalfUp } from './roundHalfUp.ts';

export interface QuantizeModelParameters {
  /** The ONNX file. */
  file: string;
  /** Model name; defaults to the file stem. */
  name?: string;
  scaleBits?: number;
  valueBits?: number;
  /** An already imported graph of `file` (e.g. with bound inputs); loaded from `file` when absent. */
  graph?: OnnxGraph;
  /** The run's inputs, for the integer graph inputs the import needs (loadOnnxModel's runInputs). */
  runInputs?: LoadOnnxModelParameters['runInputs'];
}

export type QuantizeModelResult = QuantizedModel;

export function quantizeModel({ file, name, scaleBits = DEFAULT_SCALE_BITS, valueBits = DEFAULT_VALUE_BITS, graph, runInputs }: QuantizeModelParameters): QuantizeModelResult {
  validateScale({ scaleBits, valueBits });
  // BatchNormalization after a Conv/Gemm is merged into its weights in float, before rounding.
  const g = foldBatchNormalization({ graph: graph ?? loadOnnxModel({ file, runInputs }) });
  const layers: QLayer[] = [];
  const fused = new Set<OnnxNode>();
  const context = createQuantizeContext({ graph: g, scaleBits, valueBits, layers, fused });

  for (const node of g.nodes) {
    if (fused.has(node)) continue;
    const where = `node '${node.name}' (${node.opType})`;
    const quantizeNode = Object.hasOwn(NODE_QUANTIZERS, node.opType) ? NODE_QUANTIZERS[node.opType as keyof typeof NODE_QUANTIZERS] : undefined;
    if (!quantizeNode) throw new UnsupportedModelError(`${g.file}: ${where} cannot be quantized`, { details: { file: g.file, node: node.name } });
    const out = node.outputs[0];
    quantizeNode({ context, node, out, outDims: g.shapes.get(out)!, where });
  }

  const body: Omit<QuantizedModel, 'hash'> = {
    format: QUANTIZED_MODEL_FORMAT,
    name: name ?? basename(file, extname(file)),
    source: { file, sha256: g.sha256, opset: g.opset, producer: g.producer },
    scaleBits,
    valueBits,
    inputs: g.inputs.map((i) => ({ name: i.name, dims: i.dims })),
    ...(g.boundInputs ? { boundInputs: g.boundInputs } : {}),
    outputs: g.outputs.map((o) => ({ name: o.name, dims: o.dims })),
    tensors: context.tensors,
    constants: context.constants,
    layers,
  };
  return { ...body, hash: hashQuantizedModel({ model: body }) };
}
