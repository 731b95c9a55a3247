/**
 * The zoo's ONNX writer: turns a `Network` (createNetwork.ts) into ONNX bytes with the
 * `onnx-proto` package's encoder. Opset 13, IR version 7, producer "opzk-bench", one graph input
 * `input` with dims [1, …] (float32), one graph output `output`, named float32 initializers
 * (`<layer>.weight`, `<layer>.bias`, stored little-endian in raw_data). Layers map to Gemm
 * (transB = 1), Conv, BatchNormalization (scale, B, mean, var as `<layer>.weight`, `.bias`,
 * `.running_mean`, `.running_var`, as PyTorch names them; not folded — the importer folds it),
 * Relu, Sigmoid, MaxPool and Flatten (axis 1), in order.
 */
import onnxProto from 'onnx-proto';
import type { Network } from './createNetwork.ts';

const { onnx } = onnxProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;
export const ONNX_PRODUCER = 'opzk-bench';

export interface WriteOnnxParameters {
  network: Network;
  /** The graph's name and doc string. */
  name: string;
  description?: string;
}

export interface WriteOnnxResult {
  bytes: Uint8Array;
  /** ONNX operator types in node order. */
  operators: string[];
}

export function writeOnnx(parameters: WriteOnnxParameters): WriteOnnxResult {
  const { network } = parameters;
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  const counts: Record<string, number> = {};
  let current = 'input';
  network.layers.forEach((layer, index) => {
    const { spec } = layer;
    const last = index === network.layers.length - 1;
    const opType = {
      dense: 'Gemm',
      conv: 'Conv',
      batchnorm: 'BatchNormalization',
      relu: 'Relu',
      sigmoid: 'Sigmoid',
      maxpool: 'MaxPool',
      flatten: 'Flatten',
    }[spec.kind];
    counts[opType] = (counts[opType] ?? 0) + 1;
    const nodeName = 'name' in spec ? spec.name : `${spec.kind}${counts[opType]}`;
    const output = last ? 'output' : `${nodeName}.out`;
    const inputs = [current];
    const attribute: onnxProto.onnx.IAttributeProto[] = [];
    if (spec.kind === 'dense' || spec.kind === 'conv') {
      initializers.push(floatTensor(`${spec.name}.weight`, layer.weightDims, layer.weight));
      initializers.push(floatTensor(`${spec.name}.bias`, [layer.bias.length], layer.bias));
      inputs.push(`${spec.name}.weight`, `${spec.name}.bias`);
    }
    if (spec.kind === 'batchnorm') {
      const channels = [layer.weight.length];
      initializers.push(
        floatTensor(`${spec.name}.weight`, channels, layer.weight),
        floatTensor(`${spec.name}.bias`, channels, layer.bias),
        floatTensor(`${spec.name}.running_mean`, channels, layer.runningMean!),
        floatTensor(`${spec.name}.running_var`, channels, layer.runningVar!),
      );
      inputs.push(`${spec.name}.weight`, `${spec.name}.bias`, `${spec.name}.running_mean`, `${spec.name}.running_var`);
      attribute.push(floatAttribute('epsilon', layer.epsilon!));
    }
    if (spec.kind === 'dense') {
      attribute.push(floatAttribute('alpha', 1), floatAttribute('beta', 1), intAttribute('transB', 1));
    } else if (spec.kind === 'conv') {
      attribute.push(
        intsAttribute('kernel_shape', [spec.kernel, spec.kernel]),
        intsAttribute('pads', [0, 0, 0, 0]),
        intsAttribute('strides', [1, 1]),
        intsAttribute('dilations', [1, 1]),
        intAttribute('group', 1),
      );
    } else if (spec.kind === 'maxpool') {
      attribute.push(intsAttribute('kernel_shape', [spec.size, spec.size]), intsAttribute('strides', [spec.size, spec.size]));
    } else if (spec.kind === 'flatten') {
      attribute.push(intAttribute('axis', 1));
    }
    nodes.push({ name: nodeName, opType, input: inputs, output: [output], attribute });
    current = output;
  });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: ONNX_PRODUCER,
    producerVersion: '0.1.0',
    docString: parameters.description ?? '',
    graph: {
      name: parameters.name,
      docString: parameters.description ?? '',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', [1, ...network.inputDims])],
      output: [valueInfo('output', [1, ...network.outputDims])],
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), operators: nodes.map((node) => node.opType!) };
}

function floatTensor(name: string, dims: number[], values: Float64Array): onnxProto.onnx.ITensorProto {
  const data = Float32Array.from(values);
  const rawData = new Uint8Array(data.length * 4);
  const view = new DataView(rawData.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData };
}

function valueInfo(name: string, dims: number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  };
}

function floatAttribute(name: string, f: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}

function intAttribute(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function intsAttribute(name: string, ints: number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}
