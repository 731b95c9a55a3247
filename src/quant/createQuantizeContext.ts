/**
 * The quantizer's state for one model and the helpers every operator lowering shares:
 * constant quantization (with de-duplication of identical constants), the accumulator bound
 * check, and the matmul+Add bias fusion lookup. See src/quant/ops/types.ts.
 */
import { OverflowError, UnsupportedModelError } from '../errors.ts';
import type { OnnxGraph, OnnxNode } from '../onnx/types.ts';
import { broadcastShapes } from '../tensor/broadcastShapes.ts';
import { bitLength } from './bitLength.ts';
import { MAX_ACC_BITS } from './defaults.ts';
import { canonicalJson } from './hashQuantizedModel.ts';
import type { BiasAdd, QuantizeContext } from './ops/types.ts';
import { roundHalfUp } from './roundHalfUp.ts';
import type { QConstant, QLayer } from './types.ts';

export interface CreateQuantizeContextParameters {
  graph: OnnxGraph;
  scaleBits: number;
  valueBits: number;
  /** Receives the layers in order. */
  layers: QLayer[];
  /** Receives the nodes consumed by an earlier lowering. */
  fused: Set<OnnxNode>;
}

export type CreateQuantizeContextResult = QuantizeContext;

export function createQuantizeContext({ graph: g, scaleBits: s, valueBits, layers, fused }: CreateQuantizeContextParameters): CreateQuantizeContextResult {
  const constants: Record<string, QConstant> = {};
  const tensors: Record<string, number[]> = {};
  for (const input of g.inputs) tensors[input.name] = input.dims;

  // Consumers of each tensor, to decide whether an Add can be fused into the preceding matmul.
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of g.nodes) for (const i of node.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), node]);
  const graphOutputs = new Set(g.outputs.map((o) => o.name));

  const context: QuantizeContext = {
    graph: g,
    scaleBits: s,
    valueBits,
    maxActivation: 1n << BigInt(valueBits - 1),
    half: 1n << BigInt(s - 1),
    constants,
    tensors,
    isConstant: (tensorName) => g.constants.has(tensorName),
    dimsOf: (tensorName) => tensors[tensorName] ?? g.constants.get(tensorName)?.dims ?? g.shapes.get(tensorName)!,

    addConstant({ baseName, source, scaleExp, factor, where }) {
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
    },

    checkBound(layerName, bound) {
      const bits = bitLength(bound);
      if (bound > 1n << BigInt(MAX_ACC_BITS))
        throw new UnsupportedModelError(`${g.file}: layer '${layerName}' can reach an accumulator of ${bits} bits, above the circuits' ${MAX_ACC_BITS}-bit safe range`, {
          hint: 'use smaller --value-bits or --scale-bits',
          details: { file: g.file, layer: layerName, accBits: bits },
        });
      return bits;
    },

    findBiasAdd(out, outDims): BiasAdd | undefined {
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
    },

    fuse: (node) => void fused.add(node),

    push(layer, dims) {
      layers.push(layer);
      tensors[layer.out] = dims;
    },
  };
  return context;
}
