/**
 * Evaluates one node whose inputs are all constants (the shape arithmetic that exporters emit:
 * PyTorch's Shape→Gather→Unsqueeze→Concat→Reshape, tf2onnx's Cast/Slice, Constant nodes) so that
 * the quantized model only holds the operators the backends implement. Values are float64;
 * integer element types are kept integral (Div truncates, Cast rounds toward zero).
 */
import { ShapeError, UnsupportedModelError } from '../errors.ts';
import { broadcastOffsets, broadcastShapes } from './broadcastShapes.ts';
import { checkTensorDims } from './checkTensorDims.ts';
import { DataType, isFloatType, sizeOf, type OnnxNode, type OnnxTensor } from './types.ts';

export interface FoldConstantNodeParameters {
  node: OnnxNode;
  /** The node's inputs (undefined for an omitted optional input). */
  inputs: (OnnxTensor | undefined)[];
  opset: number;
  /** "file: node 'x'" for error messages. */
  where: string;
}

export const FOLDABLE_OPS: ReadonlySet<string> = new Set([
  'Constant', 'Identity', 'Dropout', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Slice', 'Add', 'Sub', 'Mul',
  'Div', 'Reshape', 'Flatten', 'Transpose', 'ConstantOfShape', 'Relu', 'Neg', 'Range',
]);

function tensor(name: string, dataType: number, dims: number[], data: Float64Array): OnnxTensor {
  return { name, dataType, dims, data };
}

function normalizeAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

function strides(dims: readonly number[]): number[] {
  const out = new Array(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1] * dims[i + 1];
  return out;
}

/** ONNX Reshape's target dims: 0 copies the input dim (unless allowzero), -1 is inferred. */
export function computeReshapeDims(inputDims: readonly number[], shape: readonly number[], allowzero: boolean, where: string): number[] {
  const total = sizeOf(inputDims);
  const dims = shape.map((d, i) => (d === 0 && !allowzero ? inputDims[i] : d));
  if (dims.some((d) => d === undefined))
    throw new ShapeError(`${where}: reshape target [${shape}] copies a dim (0) beyond the input's rank ${inputDims.length}`);
  const inferred = dims.filter((d) => d === -1).length;
  if (inferred > 1) throw new ShapeError(`${where}: reshape target [${shape}] has more than one -1`);
  if (inferred === 1) {
    const known = sizeOf(dims.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0)
      throw new ShapeError(`${where}: cannot reshape [${inputDims}] (${total} elements) to [${shape}]`);
    dims[dims.indexOf(-1)] = total / known;
  }
  if (sizeOf(dims) !== total)
    throw new ShapeError(`${where}: cannot reshape [${inputDims}] (${total} elements) to [${shape}]`, {
      details: { inputDims, shape },
    });
  return dims;
}

export function flattenDims(dims: readonly number[], axisAttribute: number, where: string): number[] {
  const axis = axisAttribute < 0 ? axisAttribute + dims.length : axisAttribute;
  if (axis < 0 || axis > dims.length) throw new ShapeError(`${where}: Flatten axis ${axisAttribute} out of range for rank ${dims.length}`);
  return [sizeOf(dims.slice(0, axis)), sizeOf(dims.slice(axis))];
}

export function transposeData(input: OnnxTensor, perm: number[]): OnnxTensor {
  const outDims = perm.map((p) => input.dims[p]);
  const inStrides = strides(input.dims);
  const out = new Float64Array(input.data.length);
  const rank = outDims.length;
  const index = new Array(rank).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += index[a] * inStrides[perm[a]];
    out[flat] = input.data[src];
    for (let a = rank - 1; a >= 0; a--) {
      if (++index[a] < outDims[a]) break;
      index[a] = 0;
    }
  }
  return tensor(input.name, input.dataType, outDims, out);
}

function castValue(value: number, to: number): number {
  switch (to) {
    case DataType.FLOAT: return Math.fround(value);
    case DataType.DOUBLE: case DataType.FLOAT16: case DataType.BFLOAT16: return value;
    case DataType.BOOL: return value !== 0 ? 1 : 0;
    default: return Math.trunc(value);
  }
}

/** The dims of a folded output, checked against the size limit before it is allocated. */
function outputDims(node: OnnxNode, dims: readonly number[], where: string): number[] {
  return checkTensorDims({ dims, where: `${where} output '${node.outputs[0]}'`, details: { node: node.name, tensor: node.outputs[0] } });
}

function elementwise(node: OnnxNode, a: OnnxTensor, b: OnnxTensor, where: string, f: (x: number, y: number) => number): OnnxTensor {
  const dims = outputDims(node, broadcastShapes({ shapes: [a.dims, b.dims], where }), where);
  const ia = broadcastOffsets(a.dims, dims);
  const ib = broadcastOffsets(b.dims, dims);
  const out = new Float64Array(sizeOf(dims));
  const integral = !isFloatType(a.dataType);
  for (let i = 0; i < out.length; i++) {
    const v = f(a.data[ia[i]], b.data[ib[i]]);
    out[i] = integral ? Math.trunc(v) : v;
  }
  return tensor(node.outputs[0], a.dataType, dims, out);
}

function attributeInts(node: OnnxNode, name: string): number[] | undefined {
  const value = node.attributes[name];
  return Array.isArray(value) ? (value as number[]) : undefined;
}

/** Returns the node's output tensors, or undefined when the operator is not foldable. */
export function foldConstantNode({ node, inputs, opset, where }: FoldConstantNodeParameters): OnnxTensor[] | undefined {
  if (!FOLDABLE_OPS.has(node.opType)) return undefined;
  const [x, y] = inputs;
  const out = node.outputs[0];
  const need = (t: OnnxTensor | undefined, i: number): OnnxTensor => {
    if (!t) throw new UnsupportedModelError(`${where}: ${node.opType} input ${i} is missing`);
    return t;
  };
  switch (node.opType) {
    case 'Constant': {
      const a = node.attributes;
      if (a.value && typeof a.value === 'object' && !Array.isArray(a.value)) return [{ ...(a.value as OnnxTensor), name: out }];
      if (typeof a.value_float === 'number') return [tensor(out, DataType.FLOAT, [], Float64Array.of(a.value_float))];
      if (Array.isArray(a.value_floats)) return [tensor(out, DataType.FLOAT, [a.value_floats.length], Float64Array.from(a.value_floats as number[]))];
      if (typeof a.value_int === 'number') return [tensor(out, DataType.INT64, [], Float64Array.of(a.value_int))];
      if (Array.isArray(a.value_ints)) return [tensor(out, DataType.INT64, [a.value_ints.length], Float64Array.from(a.value_ints as number[]))];
      throw new UnsupportedModelError(`${where}: Constant without a numeric value (sparse or string constants are not supported)`);
    }
    case 'Identity':
    case 'Dropout': {
      const t = need(x, 0);
      const outputs = [{ ...t, name: out }];
      if (node.outputs[1]) outputs.push(tensor(node.outputs[1], DataType.BOOL, t.dims, new Float64Array(t.data.length).fill(1)));
      return outputs;
    }
    case 'Relu': {
      const t = need(x, 0);
      return [tensor(out, t.dataType, t.dims, t.data.map((v) => Math.max(v, 0)))];
    }
    case 'Neg': {
      const t = need(x, 0);
      return [tensor(out, t.dataType, t.dims, t.data.map((v) => -v))];
    }
    case 'Add': return [elementwise(node, need(x, 0), need(y, 1), where, (p, q) => p + q)];
    case 'Sub': return [elementwise(node, need(x, 0), need(y, 1), where, (p, q) => p - q)];
    case 'Mul': return [elementwise(node, need(x, 0), need(y, 1), where, (p, q) => p * q)];
    case 'Div': return [elementwise(node, need(x, 0), need(y, 1), where, (p, q) => p / q)];
    case 'Cast': {
      const t = need(x, 0);
      const to = Number(node.attributes.to);
      return [tensor(out, to, t.dims, t.data.map((v) => castValue(v, to)))];
    }
    case 'Reshape': {
      const t = need(x, 0);
      const shape = opset < 5 ? attributeInts(node, 'shape') ?? [] : Array.from(need(y, 1).data);
      return [tensor(out, t.dataType, computeReshapeDims(t.dims, shape, node.attributes.allowzero === 1, where), t.data)];
    }
    case 'Flatten': {
      const t = need(x, 0);
      return [tensor(out, t.dataType, flattenDims(t.dims, Number(node.attributes.axis ?? 1), where), t.data)];
    }
    case 'Transpose': {
      const t = need(x, 0);
      const perm = attributeInts(node, 'perm') ?? t.dims.map((_, i) => t.dims.length - 1 - i);
      return [{ ...transposeData(t, perm), name: out }];
    }
    case 'Unsqueeze': {
      const t = need(x, 0);
      const axes = opset >= 13 ? Array.from(need(y, 1).data) : attributeInts(node, 'axes') ?? [];
      const rank = t.dims.length + axes.length;
      const normalized = axes.map((a) => normalizeAxis(a, rank, where)).sort((p, q) => p - q);
      const dims = [...t.dims];
      for (const a of normalized) dims.splice(a, 0, 1);
      return [tensor(out, t.dataType, dims, t.data)];
    }
    case 'Squeeze': {
      const t = need(x, 0);
      const axesSource = opset >= 13 ? (y ? Array.from(y.data) : undefined) : attributeInts(node, 'axes');
      const axes = axesSource ? axesSource.map((a) => normalizeAxis(a, t.dims.length, where)) : t.dims.flatMap((d, i) => (d === 1 ? [i] : []));
      return [tensor(out, t.dataType, t.dims.filter((_, i) => !axes.includes(i)), t.data)];
    }
    case 'Concat': {
      const parts = inputs.map((t, i) => need(t, i)).filter((t) => sizeOf(t.dims) > 0 || t.dims.length > 0);
      const first = parts[0];
      const axis = normalizeAxis(Number(node.attributes.axis ?? 0), first.dims.length, where);
      const outer = sizeOf(first.dims.slice(0, axis));
      const dims = [...first.dims];
      dims[axis] = parts.reduce((sum, t) => sum + t.dims[axis], 0);
      outputDims(node, dims, where);
      const data = new Float64Array(sizeOf(dims));
      let at = 0;
      for (let o = 0; o < outer; o++)
        for (const t of parts) {
          const chunk = sizeOf(t.dims.slice(axis));
          data.set(t.data.subarray(o * chunk, (o + 1) * chunk), at);
          at += chunk;
        }
      return [tensor(out, first.dataType, dims, data)];
    }
    case 'Gather': {
      const t = need(x, 0);
      const indices = need(y, 1);
      const axis = normalizeAxis(Number(node.attributes.axis ?? 0), t.dims.length, where);
      const outer = sizeOf(t.dims.slice(0, axis));
      const inner = sizeOf(t.dims.slice(axis + 1));
      const dims = outputDims(node, [...t.dims.slice(0, axis), ...indices.dims, ...t.dims.slice(axis + 1)], where);
      const data = new Float64Array(sizeOf(dims));
      let at = 0;
      for (let o = 0; o < outer; o++)
        for (const raw of indices.data) {
          const index = raw < 0 ? raw + t.dims[axis] : raw;
          const start = (o * t.dims[axis] + index) * inner;
          data.set(t.data.subarray(start, start + inner), at);
          at += inner;
        }
      return [tensor(out, t.dataType, dims, data)];
    }
    case 'Slice': {
      const t = need(x, 0);
      const rank = t.dims.length;
      const starts = opset >= 10 ? Array.from(need(y, 1).data) : attributeInts(node, 'starts') ?? [];
      const ends = opset >= 10 ? Array.from(need(inputs[2], 2).data) : attributeInts(node, 'ends') ?? [];
      const axes = (opset >= 10 ? (inputs[3] ? Array.from(inputs[3].data) : undefined) : attributeInts(node, 'axes')) ?? starts.map((_, i) => i);
      const steps = opset >= 10 && inputs[4] ? Array.from(inputs[4].data) : starts.map(() => 1);
      const begin = t.dims.map(() => 0);
      const step = t.dims.map(() => 1);
      const count = [...t.dims];
      axes.forEach((rawAxis, i) => {
        const axis = normalizeAxis(rawAxis, rank, where);
        const dim = t.dims[axis];
        const s = steps[i];
        const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
        let from = starts[i] < 0 ? starts[i] + dim : starts[i];
        let to = ends[i] < 0 ? ends[i] + dim : ends[i];
        if (s > 0) { from = clamp(from, 0, dim); to = clamp(to, 0, dim); }
        else { from = clamp(from, -1, dim - 1); to = clamp(to, -1, dim - 1); }
        begin[axis] = from;
        step[axis] = s;
        count[axis] = Math.max(0, Math.ceil((to - from) / s));
      });
      const inStrides = strides(t.dims);
      const data = new Float64Array(sizeOf(count));
      const index = count.map(() => 0);
      for (let flat = 0; flat < data.length; flat++) {
        let src = 0;
        for (let a = 0; a < rank; a++) src += (begin[a] + index[a] * step[a]) * inStrides[a];
        data[flat] = t.data[src];
        for (let a = rank - 1; a >= 0; a--) {
          if (++index[a] < count[a]) break;
          index[a] = 0;
        }
      }
      return [tensor(out, t.dataType, count, data)];
    }
    case 'ConstantOfShape': {
      const shape = outputDims(node, Array.from(need(x, 0).data), where);
      const value = node.attributes.value as OnnxTensor | undefined;
      return [tensor(out, value?.dataType ?? DataType.FLOAT, shape, new Float64Array(sizeOf(shape)).fill(value?.data[0] ?? 0))];
    }
    case 'Range': {
      const [start, limit, delta] = [need(x, 0).data[0], need(y, 1).data[0], need(inputs[2], 2).data[0]];
      const [n] = outputDims(node, [Math.max(0, Math.ceil((limit - start) / delta))], where);
      return [tensor(out, need(x, 0).dataType, [n], Float64Array.from({ length: n }, (_, i) => start + i * delta))];
    }
  }
  return undefined;
}
