/**
 * ONNX → QuantizedModel (docs/fixed-point.md): lowers the imported graph to the integer layer
 * set (matmul, conv, add, scalarMul, relu, pools, reshape, transpose), quantizes constants
 * (weights at scale s, fused biases at 2s), fuses MatMul+Add(constant) into a bias, folds
 * Gemm's alpha/beta/transA/transB, runs the static bound analysis (accBits per layer) and
 * stamps the canonical-JSON hash. The only place where floats become integers.
 */
import { basename, extname } from 'node:path';
import { OverflowError, UnsupportedModelError } from '../errors.ts';
import { broadcastOffsets, broadcastShapes } from '../tensor/broadcastShapes.ts';
import { transposeData } from '../onnx/foldConstantNode.ts';
import { loadOnnxModel } from '../onnx/loadOnnxModel.ts';
import { sizeOf, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../onnx/types.ts';
import { DEFAULT_SCALE_BITS, DEFAULT_VALUE_BITS, MAX_ACC_BITS } from './defaults.ts';
import { canonicalJson, hashQuantizedModel } from './hashQuantizedModel.ts';
import { QUANTIZED_MODEL_FORMAT, type Pads2D, type QConstant, type QLayer, type QuantizedModel } from './types.ts';
import { validateScale } from './validateScale.ts';

export interface QuantizeModelParameters {
  /** The ONNX file. */
  file: string;
  /** Model name; defaults to the file stem. */
  name?: string;
  scaleBits?: number;
  valueBits?: number;
  /** An already imported graph of `file` (e.g. with bound inputs); loaded from `file` when absent. */
  graph?: OnnxGraph;
}

export type QuantizeModelResult = QuantizedModel;

/** round(x) = floor(x + 1/2), ties toward +∞ (docs/fixed-point.md). */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** Bits of the largest magnitude: the bit length of `bound`. */
export function bitLength(bound: bigint): number {
  return bound <= 0n ? 0 : bound.toString(2).length;
}

export function quantizeModel({ file, name, scaleBits = DEFAULT_SCALE_BITS, valueBits = DEFAULT_VALUE_BITS, graph }: QuantizeModelParameters): QuantizeModelResult {
  validateScale({ scaleBits, valueBits });
  const g = graph ?? loadOnnxModel({ file });
  const s = scaleBits;
  const maxActivation = 1n << BigInt(valueBits - 1);
  const half = 1n << BigInt(s - 1);

  const constants: Record<string, QConstant> = {};
  const tensors: Record<string, number[]> = {};
  const layers: QLayer[] = [];
  for (const input of g.inputs) tensors[input.name] = input.dims;

  const isConstant = (tensorName: string) => g.constants.has(tensorName);
  const dimsOf = (tensorName: string): number[] => tensors[tensorName] ?? g.constants.get(tensorName)?.dims ?? g.shapes.get(tensorName)!;

  /** Quantizes `values · factor` at scale 2^(scaleExp·s) and registers it under a unique name. */
  const addConstant = (baseName: string, source: OnnxTensor, scaleExp: 1 | 2, factor: number, where: string): string => {
    const multiplier = factor * 2 ** (scaleExp * s);
    const data = new Array<number>(source.data.length);
    for (let i = 0; i < data.length; i++) {
      const value = source.data[i];
      const q = roundHalfUp(value * multiplier);
      if (!Number.isSafeInteger(q))
        throw new OverflowError(`${g.file}: ${where}: constant '${source.name}' element ${i} = ${value} does not fit a safe integer at scale 2^${scaleExp * s}`, {
          hint: 'use a smaller --scale-bits, or check the model for NaN/huge weights',
          details: { file: g.file, constant: source.name, index: i, value },
        });
      data[i] = q;
    }
    const constant: QConstant = { dims: [...source.dims], data, scaleExp };
    let unique = baseName;
    for (let n = 1; constants[unique]; n++) {
      if (canonicalJson(constants[unique]) === canonicalJson(constant)) return unique;
      unique = `${baseName}#${n}`;
    }
    constants[unique] = constant;
    return unique;
  };

  const checkBound = (layerName: string, bound: bigint): number => {
    const bits = bitLength(bound);
    if (bound > 1n << BigInt(MAX_ACC_BITS))
      throw new UnsupportedModelError(`${g.file}: layer '${layerName}' can reach an accumulator of ${bits} bits, above the circuits' ${MAX_ACC_BITS}-bit safe range`, {
        hint: 'use smaller --value-bits or --scale-bits',
        details: { file: g.file, layer: layerName, accBits: bits },
      });
    return bits;
  };


  /**
   * Static bound of a matmul (docs/fixed-point.md), exact per output element:
   * Σ_k |w[k,j]| · 2^(v-1) + |bias[i,j]| + 2^(s-1) with a constant operand (rows of a constant A
   * likewise), K · 2^(2(v-1)) + |bias| + 2^(s-1) for activation × activation; the max over outputs.
   */
  const matmulAccBits = (layerName: string, a: string, b: string, bias: string | undefined, outDims: number[]): number => {
    const aConst = constants[a];
    const bConst = constants[b];
    const aDims = aConst?.dims ?? tensors[a]!;
    const bDims = bConst?.dims ?? tensors[b]!;
    const a2 = aDims.length === 1 ? [1, aDims[0]!] : aDims;
    const b2 = bDims.length === 1 ? [bDims[0]!, 1] : bDims;
    const M = a2[a2.length - 2]!;
    const K = a2[a2.length - 1]!;
    const N = b2[b2.length - 1]!;
    const batchDims = broadcastShapes({ shapes: [a2.slice(0, -2), b2.slice(0, -2)], where: `${g.file}: layer '${layerName}'` });
    const aBatch = broadcastOffsets(a2.slice(0, -2), batchDims);
    const bBatch = broadcastOffsets(b2.slice(0, -2), batchDims);
    const abs = (x: number) => BigInt(Math.abs(x));
    const rowSums = (c: QConstant) => {
      const sums: bigint[] = [];
      for (let r = 0; r < c.data.length / K; r++) {
        let sum = 0n;
        for (let k = 0; k < K; k++) sum += abs(c.data[r * K + k]!);
        sums.push(sum);
      }
      return sums;
    };
    const colSums = (c: QConstant) => {
      const sums: bigint[] = [];
      for (let batch = 0; batch < c.data.length / (K * N); batch++)
        for (let j = 0; j < N; j++) {
          let sum = 0n;
          for (let k = 0; k < K; k++) sum += abs(c.data[batch * K * N + k * N + j]!);
          sums.push(sum);
        }
      return sums;
    };
    const aRows = aConst && !bConst ? rowSums(aConst) : undefined;
    const bCols = bConst && !aConst ? colSums(bConst) : undefined;
    const biasData = bias ? constants[bias]!.data : undefined;
    const biasOffsets = bias ? broadcastOffsets(constants[bias]!.dims, outDims) : undefined;
    const activationProduct = BigInt(K) * maxActivation * maxActivation;
    let best = 0n;
    for (let batch = 0; batch < aBatch.length; batch++)
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let term: bigint;
          if (aConst && bConst) {
            term = 0n;
            const aBase = aBatch[batch]! * M * K + i * K;
            const bBase = bBatch[batch]! * K * N + j;
            for (let k = 0; k < K; k++) term += abs(aConst.data[aBase + k]!) * abs(bConst.data[bBase + k * N]!);
          } else if (bCols) term = bCols[bBatch[batch]! * N + j]! * maxActivation;
          else if (aRows) term = aRows[aBatch[batch]! * M + i]! * maxActivation;
          else term = activationProduct;
          if (biasData && biasOffsets) term += abs(biasData[biasOffsets[(batch * M + i) * N + j]!]!);
          if (term > best) best = term;
        }
    return checkBound(layerName, best + half);
  };

  // Consumers of each tensor, to decide whether an Add can be fused into the preceding matmul.
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of g.nodes) for (const i of node.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), node]);
  const graphOutputs = new Set(g.outputs.map((o) => o.name));
  const fused = new Set<OnnxNode>();

  /** The single Add(out, constant) after a matmul whose constant broadcasts into the output, if any. */
  const findBiasAdd = (out: string, outDims: number[]): { node: OnnxNode; constant: OnnxTensor } | undefined => {
    const users = consumers.get(out) ?? [];
    if (graphOutputs.has(out) || users.length !== 1) return undefined;
    const add = users[0];
    if (add.opType !== 'Add') return undefined;
    const other = add.inputs[0] === out ? add.inputs[1] : add.inputs[0];
    if (other === out) return undefined;
    const constant = g.constants.get(other);
    if (!constant) return undefined;
    const dims = broadcastShapes({ shapes: [outDims, constant.dims], where: `${g.file}: node '${add.name}'` });
    if (canonicalJson(dims) !== canonicalJson(outDims)) return undefined;
    return { node: add, constant };
  };

  const push = (layer: QLayer, dims: number[]) => {
    layers.push(layer);
    tensors[layer.out] = dims;
  };

  for (const node of g.nodes) {
    if (fused.has(node)) continue;
    const out = node.outputs[0];
    const outDims = g.shapes.get(out)!;
    const where = `node '${node.name}' (${node.opType})`;
    const attr = node.attributes;
    switch (node.opType) {
      case 'MatMul': {
        const [aName, bName] = node.inputs;
        const a = isConstant(aName) ? addConstant(aName, g.constants.get(aName)!, 1, 1, where) : aName;
        const b = isConstant(bName) ? addConstant(bName, g.constants.get(bName)!, 1, 1, where) : bName;
        const biasAdd = findBiasAdd(out, outDims);
        let bias: string | undefined;
        let target = out;
        if (biasAdd) {
          bias = addConstant(biasAdd.constant.name, biasAdd.constant, 2, 1, where);
          target = biasAdd.node.outputs[0];
          fused.add(biasAdd.node);
        }
        push({ op: 'matmul', name: node.name, out: target, a, b, ...(bias ? { bias } : {}), accBits: matmulAccBits(node.name, a, b, bias, outDims) }, outDims);
        break;
      }
      case 'Gemm': {
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
            return addConstant(`${tensorName}${suffix}`, oriented, 1, factor, where);
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
        let bias: string | undefined;
        let target = out;
        if (cConstant && alphaFolded) {
          bias = addConstant(`${cName}${beta !== 1 ? `:x${beta}` : ''}`, g.constants.get(cName)!, 2, beta, where);
        } else if (!hasC && alphaFolded) {
          const biasAdd = findBiasAdd(out, outDims);
          if (biasAdd) {
            bias = addConstant(biasAdd.constant.name, biasAdd.constant, 2, 1, where);
            target = biasAdd.node.outputs[0];
            fused.add(biasAdd.node);
          }
        }
        const needsMore = !alphaFolded || (hasC && !bias);
        const productName = needsMore ? `${node.name}:product` : target;
        push({ op: 'matmul', name: node.name, out: productName, a, b, ...(bias ? { bias } : {}), accBits: matmulAccBits(node.name, a, b, bias, [m, n]) }, [m, n]);
        let current = productName;
        if (!alphaFolded) {
          const factor = roundHalfUp(alpha * 2 ** s);
          const scaled = hasC ? `${node.name}:alpha` : target;
          push({ op: 'scalarMul', name: `${node.name}:alpha`, out: scaled, input: current, factor, accBits: checkBound(`${node.name}:alpha`, BigInt(Math.abs(factor)) * maxActivation + half) }, [m, n]);
          current = scaled;
        }
        if (hasC && !bias) {
          let addend: string;
          if (cConstant) addend = addConstant(`${cName}${beta !== 1 ? `:x${beta}` : ''}`, g.constants.get(cName)!, 1, beta, where);
          else if (beta !== 1) {
            const factor = roundHalfUp(beta * 2 ** s);
            addend = `${node.name}:betaC`;
            push({ op: 'scalarMul', name: `${node.name}:beta`, out: addend, input: cName, factor, accBits: checkBound(`${node.name}:beta`, BigInt(Math.abs(factor)) * maxActivation + half) }, dimsOf(cName));
          } else addend = cName;
          push({ op: 'add', name: `${node.name}:C`, out: target, a: current, b: addend }, [m, n]);
        }
        break;
      }
      case 'Add': {
        const [aName, bName] = node.inputs;
        const a = isConstant(aName) ? addConstant(aName, g.constants.get(aName)!, 1, 1, where) : aName;
        const b = isConstant(bName) ? addConstant(bName, g.constants.get(bName)!, 1, 1, where) : bName;
        push({ op: 'add', name: node.name, out, a, b }, outDims);
        break;
      }
      case 'Relu':
        push({ op: 'relu', name: node.name, out, input: node.inputs[0] }, outDims);
        break;
      case 'Conv': {
        const weightName = node.inputs[1];
        const weight = addConstant(weightName, g.constants.get(weightName)!, 1, 1, where);
        const bias = node.inputs[2] ? addConstant(node.inputs[2], g.constants.get(node.inputs[2])!, 2, 1, where) : undefined;
        const w = constants[weight];
        const perFilter = sizeOf(w.dims.slice(1));
        let bound = 0n;
        for (let filter = 0; filter < w.dims[0]; filter++) {
          let sum = 0n;
          for (let i = 0; i < perFilter; i++) sum += BigInt(Math.abs(w.data[filter * perFilter + i]));
          let total = sum * maxActivation;
          if (bias) total += BigInt(Math.abs(constants[bias].data[filter]));
          if (total > bound) bound = total;
        }
        push({
          op: 'conv', name: node.name, out, input: node.inputs[0], weight, ...(bias ? { bias } : {}),
          pads: attr.pads as Pads2D, strides: attr.strides as [number, number], dilations: attr.dilations as [number, number],
          accBits: checkBound(node.name, bound + half),
        }, outDims);
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const pool = {
          name: node.name, out, input: node.inputs[0],
          kernel: attr.kernel as [number, number], pads: attr.pads as Pads2D,
          strides: attr.strides as [number, number], dilations: attr.dilations as [number, number],
          ceilMode: attr.ceilMode === 1,
        };
        if (node.opType === 'MaxPool') push({ op: 'maxpool', ...pool }, outDims);
        else {
          const window = BigInt(pool.kernel[0] * pool.kernel[1]);
          push({ op: 'avgpool', ...pool, countIncludePad: attr.countIncludePad === 1, accBits: checkBound(node.name, window * maxActivation + window) }, outDims);
        }
        break;
      }
      case 'Flatten':
      case 'Reshape':
      case 'Identity':
        push({ op: 'reshape', name: node.name, out, input: node.inputs[0] }, outDims);
        break;
      default:
        throw new UnsupportedModelError(`${g.file}: ${where} cannot be quantized`, { details: { file: g.file, node: node.name } });
    }
  }

  const body: Omit<QuantizedModel, 'hash'> = {
    format: QUANTIZED_MODEL_FORMAT,
    name: name ?? basename(file, extname(file)),
    source: { file, sha256: g.sha256, opset: g.opset, producer: g.producer },
    scaleBits,
    valueBits,
    inputs: g.inputs.map((i) => ({ name: i.name, dims: i.dims })),
    outputs: g.outputs.map((o) => ({ name: o.name, dims: o.dims })),
    tensors,
    constants,
    layers,
  };
  return { ...body, hash: hashQuantizedModel({ model: body }) };
}
