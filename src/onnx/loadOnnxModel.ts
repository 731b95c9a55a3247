/**
 * Reads an ONNX file (onnx-proto) into an OnnxGraph: static shapes for every activation,
 * constant subgraphs folded, Identity/Dropout removed, conv/pool attributes normalised into
 * explicit pads/strides/dilations/kernel by one importer per operator (ops/). Everything outside
 * the supported operator set is an UnsupportedModelError naming the file, the node and what is
 * supported.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputFileError, UnsupportedModelError } from '../errors.ts';
import { checkTensorDims } from './checkTensorDims.ts';
import onnxProto from 'onnx-proto';
import { decodeTensor, toNumber } from './decodeTensor.ts';
import { foldConstantNode } from './foldConstantNode.ts';
import { ONNX_IMPORTERS, SUPPORTED_OPS } from './ops/index.ts';
import type { ImportContext } from './ops/types.ts';
import {
  DataType, dataTypeName, isFloatType,
  type OnnxAttributeValue, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo,
} from './types.ts';

export interface LoadOnnxModelParameters {
  file: string;
  /**
   * Graph inputs to treat as constants (e.g. the int64 `shape` input of a Reshape test case):
   * they are folded like initializers and are no longer model inputs.
   */
  bindInputs?: Record<string, OnnxTensor>;
  /**
   * A run's input values by name (e.g. read by readInputs). The integer graph inputs among them
   * — Reshape's target shape given as an input, as the ONNX node tests give it — are bound as
   * constants: every shape is static, so such a value is part of the model (recorded in
   * `boundInputs`). Float inputs among them are left alone (they stay inputs).
   */
  runInputs?: Record<string, { dims: number[]; data: ArrayLike<number> }>;
}

export type LoadOnnxModelResult = OnnxGraph;

export { SUPPORTED_OPS };

const SUPPORTED_TEXT =
  `${SUPPORTED_OPS.join(', ')} on float tensors (2-D Conv/pools; Sub/Div/Pow by constants), plus constant subgraphs ` +
  `(Constant, Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Slice, arithmetic on constants)`;

import onnx = onnxProto.onnx;

function decodeAttribute(attribute: onnx.IAttributeProto, file: string): OnnxAttributeValue | undefined {
  const T = onnx.AttributeProto.AttributeType;
  switch (attribute.type) {
    case T.FLOAT: return attribute.f ?? 0;
    case T.INT: return toNumber(attribute.i ?? 0);
    case T.STRING: return Buffer.from(attribute.s ?? []).toString('utf8');
    case T.TENSOR: return attribute.t ? decodeTensor({ tensor: attribute.t, file, name: attribute.name ?? undefined }) : undefined;
    case T.FLOATS: return (attribute.floats ?? []).map(Number);
    case T.INTS: return (attribute.ints ?? []).map(toNumber);
    case T.STRINGS: return (attribute.strings ?? []).map((s) => Buffer.from(s).toString('utf8'));
    default: {
      // Older exporters leave `type` unset; guess from the field that is filled.
      if (attribute.ints?.length) return attribute.ints.map(toNumber);
      if (attribute.floats?.length) return attribute.floats.map(Number);
      if (attribute.t) return decodeTensor({ tensor: attribute.t, file });
      if (attribute.s?.length) return Buffer.from(attribute.s).toString('utf8');
      if (attribute.i !== undefined && attribute.i !== null && toNumber(attribute.i) !== 0) return toNumber(attribute.i);
      if (attribute.f) return attribute.f;
      return undefined;
    }
  }
}

function valueInfoDims(info: onnx.IValueInfoProto, file: string, isInput: boolean): { dims: number[]; elemType: number } | undefined {
  const tensorType = info.type?.tensorType;
  if (!tensorType) {
    const kind = Object.keys(info.type ?? {}).find((k) => k.endsWith('Type') && (info.type as Record<string, unknown>)[k]) ?? 'untyped';
    throw new UnsupportedModelError(`${file}: ${isInput ? 'input' : 'output'} '${info.name}' is a ${kind.replace(/Type$/, '')} value, not a tensor`, {
      hint: `supported: ${SUPPORTED_TEXT}`,
      details: { file, value: info.name },
    });
  }
  const elemType = tensorType.elemType ?? DataType.FLOAT;
  if (!tensorType.shape) return isInput ? undefined : { dims: [], elemType };
  const dims: unknown[] = (tensorType.shape.dim ?? []).map((d, index) => {
    const explicit = (d as { value?: string }).value === 'dimValue' || (d.dimValue !== undefined && d.dimValue !== null && toNumber(d.dimValue) !== 0);
    if (explicit) return d.dimValue;
    if (!isInput) return -1;
    if (index === 0) return 1; // a dynamic batch dimension is fixed to 1
    throw new UnsupportedModelError(`${file}: input '${info.name}' has a dynamic dimension ${index} ('${d.dimParam ?? '?'}')`, {
      hint: `only the batch dimension (0) may be dynamic; export the model with static input dims (supported: ${SUPPORTED_TEXT})`,
      details: { file, input: info.name, dimension: index },
    });
  });
  const where = `${file}: ${isInput ? 'input' : 'output'} '${info.name}'`;
  return { dims: checkTensorDims({ dims, where, details: { file, [isInput ? 'input' : 'output']: info.name } }), elemType };
}

/**
 * The nodes in a topological order (ONNX requires one, a few converters do not keep it): a stable
 * sort that keeps the file's order wherever it is already valid. Each entry keeps its index in
 * the file, which names unnamed nodes (`<op>_<index>`).
 */
function sortNodes(nodes: onnx.INodeProto[], available: Set<string>): { proto: onnx.INodeProto; index: number }[] {
  const ready = new Set(available);
  const pending = nodes.map((proto, index) => ({ proto, index }));
  const sorted: { proto: onnx.INodeProto; index: number }[] = [];
  while (pending.length > 0) {
    const next = pending.findIndex(({ proto }) => (proto.input ?? []).every((i) => !i || ready.has(i)));
    // A cycle or a dangling input: keep the file's order and let the import name the missing tensor.
    const [entry] = pending.splice(next === -1 ? 0 : next, 1);
    sorted.push(entry!);
    for (const o of entry!.proto.output ?? []) ready.add(o);
  }
  return sorted;
}

function decodeModel(file: string): { bytes: Buffer; model: onnx.ModelProto } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputFileError(`${file}: cannot read the ONNX file`, { cause: error, details: { file }, hint: 'check the path' });
  }
  try {
    return { bytes, model: onnx.ModelProto.decode(bytes) };
  } catch (error) {
    throw new InputFileError(`${file}: not a valid ONNX model (protobuf decoding failed)`, {
      cause: error,
      details: { file },
      hint: 'the file must be an ONNX ModelProto (.onnx), e.g. written by torch.onnx.export or onnx.save',
    });
  }
}

export interface ReadGraphInputsParameters {
  file: string;
}

/** A graph input's name, static dims and element type; one without a tensor shape is refused by name. */
function describeGraphInput(info: Parameters<typeof valueInfoDims>[0], file: string): OnnxValueInfo {
  const name = info.name ?? '';
  const described = valueInfoDims(info, file, true);
  if (!described)
    throw new UnsupportedModelError(`${file}: input '${name}' has no tensor shape`, {
      hint: `export the model with static input shapes (supported: ${SUPPORTED_TEXT})`,
      details: { file, input: name },
    });
  return { name, dims: described.dims, elemType: described.elemType };
}

/**
 * The graph inputs that are not initializers, with static dims and element type, without
 * importing the graph: what an input file must provide (integer ones included, which the import
 * then needs as `runInputs`).
 */
export function readGraphInputs({ file }: ReadGraphInputsParameters): OnnxValueInfo[] {
  const { model } = decodeModel(file);
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name ?? ''));
  const inputs: OnnxValueInfo[] = [];
  for (const info of model.graph?.input ?? []) {
    const name = info.name ?? '';
    if (initializers.has(name)) continue;
    inputs.push(describeGraphInput(info, file));
  }
  return inputs;
}

export function loadOnnxModel({ file, bindInputs = {}, runInputs = {} }: LoadOnnxModelParameters): LoadOnnxModelResult {
  const { bytes, model } = decodeModel(file);
  const graph = model.graph;
  if (!graph || !graph.node || (graph.node.length === 0 && (graph.output ?? []).length === 0))
    throw new InputFileError(`${file}: not a valid ONNX model (no graph)`, { details: { file }, hint: 'the file must be an ONNX ModelProto' });
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? toNumber(opsetEntry.version) : 1;
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  const constants = new Map<string, OnnxTensor>();
  for (const init of graph.initializer ?? []) {
    const t = decodeTensor({ tensor: init, file });
    constants.set(t.name, t);
  }
  const bound: Record<string, OnnxTensor> = {};
  for (const [name, t] of Object.entries(bindInputs)) bound[name] = { ...t, name };
  // Only an integer input that a node reads where it takes integers (Reshape's shape) is bound:
  // any other integer input stays an input (and is refused as one, by the node that reads it).
  const integerOperands = new Set<string>();
  for (const node of graph.node) {
    const importer = Object.hasOwn(ONNX_IMPORTERS, node.opType ?? '') ? ONNX_IMPORTERS[node.opType as keyof typeof ONNX_IMPORTERS] : undefined;
    for (const position of importer?.integerInputs ?? []) if (node.input?.[position]) integerOperands.add(node.input[position]!);
  }
  for (const info of graph.input ?? []) {
    const name = info.name ?? '';
    const elemType = info.type?.tensorType?.elemType ?? DataType.FLOAT;
    const given = runInputs[name];
    if (!given || isFloatType(elemType) || !integerOperands.has(name) || bound[name] || constants.has(name)) continue;
    const data = Float64Array.from(given.data);
    const bad = data.findIndex((x) => !Number.isSafeInteger(x));
    if (bad !== -1)
      throw new InputFileError(`${file}: input '${name}' is ${dataTypeName(elemType)}, but element ${bad} is ${data[bad]}, not an integer`, {
        hint: 'give the integer values the model expects (e.g. a Reshape target shape such as [1, -1])',
        details: { file, input: name, index: bad },
      });
    bound[name] = { name, dataType: elemType, dims: [...given.dims], data };
  }
  for (const [name, t] of Object.entries(bound)) constants.set(name, t);

  const shapes = new Map<string, number[]>();
  const inputs: OnnxValueInfo[] = [];
  for (const info of graph.input ?? []) {
    const name = info.name ?? '';
    if (constants.has(name)) continue;
    const described = describeGraphInput(info, file);
    inputs.push(described);
    shapes.set(name, described.dims);
  }

  const alias = new Map<string, string>();
  const resolve = (name: string) => alias.get(name) ?? name;
  const useCount = new Map<string, number>();
  for (const node of graph.node)
    for (const i of node.input ?? []) if (i) useCount.set(i, (useCount.get(i) ?? 0) + 1);
  for (const o of graph.output ?? []) useCount.set(o.name ?? '', (useCount.get(o.name ?? '') ?? 0) + 1);

  const nodes: OnnxNode[] = [];
  const inputTypes = new Map(inputs.map((i) => [i.name, i.elemType]));

  sortNodes(graph.node, new Set([...constants.keys(), ...inputs.map((i) => i.name)])).forEach(({ proto, index }) => {
    const opType = proto.opType ?? '';
    const node: OnnxNode = {
      name: proto.name || `${opType}_${index}`,
      opType,
      inputs: (proto.input ?? []).map((i) => (i ? resolve(i) : '')),
      outputs: [...(proto.output ?? [])],
      attributes: {},
    };
    for (const a of proto.attribute ?? []) {
      const value = decodeAttribute(a, file);
      if (value !== undefined && a.name) node.attributes[a.name] = value;
    }
    const where = `${file}: node '${node.name}' (${opType})`;
    const unsupported = (what: string): never => {
      throw new UnsupportedModelError(`${file}: node '${node.name}' (${opType}) uses ${what}, which is not supported`, {
        hint: `supported: ${SUPPORTED_TEXT}`,
        details: { file, node: node.name, op: opType },
      });
    };
    if (proto.domain && proto.domain !== 'ai.onnx') unsupported(`the operator domain '${proto.domain}'`);

    // Constant folding.
    const present = node.inputs.filter((i) => i);
    if (opType === 'Shape' && (shapes.has(node.inputs[0]) || constants.has(node.inputs[0]))) {
      const dims = shapes.get(node.inputs[0]) ?? constants.get(node.inputs[0])!.dims;
      const rank = dims.length;
      const norm = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
      const start = norm(Number(node.attributes.start ?? 0));
      const end = norm(Number(node.attributes.end ?? rank));
      const value = dims.slice(start, end);
      constants.set(node.outputs[0], { name: node.outputs[0], dataType: DataType.INT64, dims: [value.length], data: Float64Array.from(value) });
      return;
    }
    if (present.every((i) => constants.has(i))) {
      const folded = foldConstantNode({ node, inputs: node.inputs.map((i) => (i ? constants.get(i) : undefined)), opset, where });
      if (folded) {
        for (const t of folded) {
          // A folded Reshape/Unsqueeze only relabels its data: its dims are checked here.
          checkTensorDims({ dims: t.dims, where: `${where} output '${t.name}'`, details: { file, node: node.name, tensor: t.name } });
          constants.set(t.name, t);
        }
        return;
      }
    }

    const importer = Object.hasOwn(ONNX_IMPORTERS, opType) ? ONNX_IMPORTERS[opType as keyof typeof ONNX_IMPORTERS] : undefined;
    const activations = present.filter((i) => !constants.has(i));
    for (const a of activations) {
      const type = inputTypes.get(a);
      if (type !== undefined && !isFloatType(type) && importer?.integerInputs?.includes(node.inputs.indexOf(a)))
        throw new UnsupportedModelError(`${where}: its ${dataTypeName(type)} input '${a}' is a graph input whose value the import needs (shapes are static)`, {
          hint: `give '${a}' with the inputs (opzk infer/prove/dispute --input …, or loadOnnxModel's runInputs): its value is then fixed in the quantized model`,
          details: { file, node: node.name, input: a },
        });
      if (type !== undefined && !isFloatType(type)) unsupported(`a ${dataTypeName(type)} input '${a}' (only float tensors)`);
    }
    node.inputs.forEach((name, position) => {
      const c = name ? constants.get(name) : undefined;
      if (c && !isFloatType(c.dataType) && !importer?.integerInputs?.includes(position))
        throw new InputFileError(`${where}: constant '${name}' is ${dataTypeName(c.dataType)}, a float tensor is needed`, {
          details: { file, node: node.name, tensor: name },
          hint: 'weights, biases and addends must be float tensors',
        });
    });
    if (!importer) unsupported(`the operator ${opType}`);

    const context: ImportContext = {
      file,
      opset,
      where,
      constantOf: (name) => constants.get(name),
      inputDims: (i) => {
        const name = node.inputs[i];
        const dims = shapes.get(name) ?? constants.get(name)?.dims;
        if (!dims) unsupported(`input '${name}' that no earlier node produces`);
        return dims!;
      },
      graphInputType: (name) => inputTypes.get(name),
      isUsed: (name) => (useCount.get(name) ?? 0) > 0,
      unsupported,
    };
    const imported = importer!.importNode({ context, node });
    if ('aliasOf' in imported) {
      alias.set(node.outputs[0], imported.aliasOf);
      return;
    }
    shapes.set(node.outputs[0], checkTensorDims({ dims: imported.outDims, where: `${where} output '${node.outputs[0]}'`, details: { file, node: node.name, tensor: node.outputs[0] } }));
    nodes.push(node);
  });

  const outputs: OnnxValueInfo[] = [];
  for (const info of graph.output ?? []) {
    const name = info.name ?? '';
    const source = resolve(name);
    if (constants.has(source))
      throw new UnsupportedModelError(`${file}: output '${name}' is a constant (it does not depend on any input)`, {
        details: { file, output: name },
      });
    const dims = shapes.get(source);
    if (!dims) throw new UnsupportedModelError(`${file}: output '${name}' is not produced by any node`, { details: { file, output: name } });
    if (source !== name) {
      nodes.push({ name: `Identity_${name}`, opType: 'Identity', inputs: [source], outputs: [name], attributes: {} });
      shapes.set(name, dims);
    }
    const elemType = info.type?.tensorType?.elemType ?? DataType.FLOAT;
    outputs.push({ name, dims, elemType });
  }
  const boundInputs = Object.keys(bound).length > 0
    ? Object.fromEntries(Object.entries(bound).map(([name, t]) => [name, { dims: [...t.dims], data: Array.from(t.data) }]))
    : undefined;
  return { file, sha256, opset, producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '), inputs, outputs, constants, nodes, shapes, ...(boundInputs ? { boundInputs } : {}) };
}
