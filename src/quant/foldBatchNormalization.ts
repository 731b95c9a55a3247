/**
 * BatchNormalization folded into the Conv or Gemm before it, in float, before anything is
 * quantized: y = (conv(x, W) + b) · k + t with k = scale / sqrt(var + epsilon) and
 * t = B − mean · k per channel is conv(x, W · k) + (b · k + t), so the pair becomes one conv
 * whose weight and bias are rounded once — no extra layer, no extra rounding. It applies when
 * the Conv/Gemm has constant weights and its output feeds only the BatchNormalization (and is no
 * graph output); any other BatchNormalization stays and is lowered to a per-channel `mul`
 * (ops/quantizeBatchNormalization.ts).
 */
import { InputFileError } from '../errors.ts';
import { DataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../onnx/types.ts';
import { broadcastOffsets, broadcastShapes } from '../tensor/broadcastShapes.ts';
import { sizeOf } from '../tensor/sizeOf.ts';

/** Per channel: k = scale / sqrt(var + epsilon), t = B − mean · k. */
export function batchNormFactors(graph: OnnxGraph, node: OnnxNode): { factor: number[]; shift: number[] } {
  const [, scaleName, biasName, meanName, varianceName] = node.inputs;
  const tensor = (name: string | undefined, role: string): Float64Array => {
    const constant = name ? graph.constants.get(name) : undefined;
    if (!constant)
      throw new InputFileError(`${graph.file}: node '${node.name}' (BatchNormalization): its ${role} '${name ?? ''}' is not a constant`, {
        hint: 'only inference-mode BatchNormalization with constant scale, B, mean and var is supported',
        details: { file: graph.file, node: node.name, tensor: name },
      });
    return constant.data;
  };
  const scale = tensor(scaleName, 'scale');
  const bias = tensor(biasName, 'B');
  const mean = tensor(meanName, 'mean');
  const variance = tensor(varianceName, 'var');
  const epsilon = Number(node.attributes.epsilon ?? 1e-5);
  const factor: number[] = [];
  const shift: number[] = [];
  for (let c = 0; c < scale.length; c++) {
    const k = scale[c]! / Math.sqrt(variance[c]! + epsilon);
    if (!Number.isFinite(k))
      throw new InputFileError(`${graph.file}: node '${node.name}' (BatchNormalization): channel ${c} has scale ${scale[c]} / sqrt(var ${variance[c]} + epsilon ${epsilon}), not a finite number`, {
        details: { file: graph.file, node: node.name, channel: c },
      });
    factor.push(k);
    shift.push(bias[c]! - mean[c]! * k);
  }
  return { factor, shift };
}

function floatConstant(name: string, dims: number[], data: ArrayLike<number>): OnnxTensor {
  return { name, dataType: DataType.FLOAT, dims, data: Float64Array.from(data) };
}

/** A unique constant name derived from `base`. */
function freshName(graph: OnnxGraph, base: string): string {
  let name = base;
  for (let n = 1; graph.constants.has(name); n++) name = `${base}#${n}`;
  return name;
}

export interface FoldBatchNormalizationParameters {
  graph: OnnxGraph;
}

/** The graph with every foldable BatchNormalization merged into its Conv/Gemm (a new graph; constants added, not changed). */
export function foldBatchNormalization({ graph }: FoldBatchNormalizationParameters): OnnxGraph {
  if (!graph.nodes.some((node) => node.opType === 'BatchNormalization')) return graph;
  const constants = new Map(graph.constants);
  const folded: OnnxGraph = { ...graph, constants };
  const consumers = new Map<string, number>();
  for (const node of graph.nodes) for (const input of node.inputs) if (input) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const outputs = new Set(graph.outputs.map((output) => output.name));
  const producer = new Map<string, OnnxNode>();
  const replaced = new Map<OnnxNode, OnnxNode>();
  const dropped = new Set<OnnxNode>();
  for (const node of graph.nodes) {
    for (const output of node.outputs) producer.set(output, node);
    if (node.opType !== 'BatchNormalization') continue;
    const input = node.inputs[0]!;
    const before = producer.get(input);
    if (!before || consumers.get(input) !== 1 || outputs.has(input) || replaced.has(before)) continue;
    const { factor, shift } = batchNormFactors(graph, node);
    const channels = factor.length;
    if (before.opType === 'Conv') {
      const weight = constants.get(before.inputs[1]!);
      const bias = before.inputs[2] ? constants.get(before.inputs[2]) : undefined;
      if (!weight || (before.inputs[2] && !bias) || weight.dims[0] !== channels) continue;
      const perFilter = sizeOf(weight.dims.slice(1));
      const w = Float64Array.from(weight.data, (value, i) => value * factor[Math.floor(i / perFilter)]!);
      const b = Array.from({ length: channels }, (_, m) => (bias ? bias.data[m]! : 0) * factor[m]! + shift[m]!);
      const weightName = freshName(folded, `${weight.name}:${node.name}`);
      const biasName = freshName(folded, `${bias?.name ?? before.name + ':bias'}:${node.name}`);
      constants.set(weightName, floatConstant(weightName, weight.dims, w));
      constants.set(biasName, floatConstant(biasName, [channels], b));
      replaced.set(before, { ...before, inputs: [before.inputs[0]!, weightName, biasName], outputs: [node.outputs[0]!] });
      dropped.add(node);
    } else if (before.opType === 'Gemm') {
      // Y = alpha · A' · B' + beta · C, channels on Y's columns: scale B' column n, C becomes beta · C · k + t.
      const [aName, bName, cName] = before.inputs;
      const b = constants.get(bName!);
      const transB = Number(before.attributes.transB) === 1;
      const n = graph.shapes.get(input)?.[1];
      if (!b || constants.has(aName!) || b.dims.length !== 2 || n !== channels) continue;
      const c = cName ? constants.get(cName) : undefined;
      if (cName && Number(before.attributes.beta) !== 0 && !c) continue;
      const scaled = Float64Array.from(b.data, (value, i) => value * factor[transB ? Math.floor(i / b.dims[1]!) : i % b.dims[1]!]!);
      const beta = Number(before.attributes.beta);
      const cDims = c && beta !== 0 ? broadcastShapes({ shapes: [c.dims, [channels]], where: `${graph.file}: node '${before.name}'` }) : [channels];
      const cOffsets = c && beta !== 0 ? broadcastOffsets(c.dims, cDims) : undefined;
      const cData = Array.from({ length: sizeOf(cDims) }, (_, i) => (cOffsets ? beta * c!.data[cOffsets[i]!]! : 0) * factor[i % channels]! + shift[i % channels]!);
      const weightName = freshName(folded, `${b.name}:${node.name}`);
      const addendName = freshName(folded, `${c?.name ?? before.name + ':C'}:${node.name}`);
      constants.set(weightName, floatConstant(weightName, b.dims, scaled));
      constants.set(addendName, floatConstant(addendName, cDims, cData));
      replaced.set(before, { ...before, inputs: [aName!, weightName, addendName], outputs: [node.outputs[0]!], attributes: { ...before.attributes, beta: 1 } });
      dropped.add(node);
    }
  }
  if (dropped.size === 0) return graph;
  const shapes = new Map(graph.shapes);
  folded.nodes = graph.nodes.filter((node) => !dropped.has(node)).map((node) => replaced.get(node) ?? node);
  folded.shapes = shapes;
  return folded;
}
