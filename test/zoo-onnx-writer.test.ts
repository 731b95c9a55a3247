// The zoo's ONNX writer round-trips: the bytes decode to the graph that was written (opset 13,
// producer, named float32 initializers equal to the network's weights), onnxruntime-node and the
// project's importer load it, and onnxruntime computes what the float64 network computes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { createNativeSession } from '../src/native/createNativeSession.ts';
import { loadOnnxModel } from '../src/onnx/loadOnnxModel.ts';
import { createNetwork } from '../src/zoo/createNetwork.ts';
import { createPrng } from '../src/zoo/createPrng.ts';
import { writeOnnx } from '../src/zoo/writeOnnx.ts';

function smallCnn() {
  const network = createNetwork({
    inputDims: [1, 8, 8],
    layers: [
      { kind: 'conv', name: 'conv1', outChannels: 2, kernel: 3 },
      { kind: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', name: 'fc', outputs: 4 },
    ],
    seed: 12,
  });
  const prng = createPrng({ seed: 13 });
  for (const layer of network.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = prng.uniform(-0.5, 0.5);
  return network;
}

describe('writeOnnx', () => {
  it('writes a decodable opset-13 graph with named initializers holding the weights', () => {
    const network = smallCnn();
    const { bytes, operators } = writeOnnx({ network, name: 'small-cnn', description: 'test' });
    expect(operators).toEqual(['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm']);
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(7);
    expect(model.producerName).toBe('opzk-bench');
    expect(model.opsetImport.map((opset) => Number(opset.version))).toEqual([13]);
    const graph = model.graph as onnxProto.onnx.GraphProto;
    expect(graph.name).toBe('small-cnn');
    expect(graph.input.map((input) => [input.name, input.type!.tensorType!.shape!.dim!.map((dim) => Number(dim.dimValue))])).toEqual([['input', [1, 1, 8, 8]]]);
    expect(graph.output.map((output) => [output.name, output.type!.tensorType!.shape!.dim!.map((dim) => Number(dim.dimValue))])).toEqual([['output', [1, 4]]]);
    expect(graph.node.map((node) => [node.name, node.input, node.output])).toEqual([
      ['conv1', ['input', 'conv1.weight', 'conv1.bias'], ['conv1.out']],
      ['relu1', ['conv1.out'], ['relu1.out']],
      ['maxpool1', ['relu1.out'], ['maxpool1.out']],
      ['flatten1', ['maxpool1.out'], ['flatten1.out']],
      ['fc', ['flatten1.out', 'fc.weight', 'fc.bias'], ['output']],
    ]);
    const gemm = graph.node[4] as onnxProto.onnx.NodeProto;
    expect(Number(gemm.attribute.find((attribute) => attribute.name === 'transB')!.i)).toBe(1);
    const initializers = new Map(graph.initializer.map((tensor) => [tensor.name, tensor]));
    expect([...initializers.keys()]).toEqual(['conv1.weight', 'conv1.bias', 'fc.weight', 'fc.bias']);
    const conv = initializers.get('conv1.weight')!;
    expect(conv.dims!.map(Number)).toEqual([2, 1, 3, 3]);
    const raw = conv.rawData!;
    expect(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))).toEqual(Float32Array.from(network.layers[0]!.weight));
    // Same network → same bytes.
    expect(writeOnnx({ network, name: 'small-cnn', description: 'test' }).bytes).toEqual(bytes);
  });

  it('loads in onnxruntime-node and the importer, and computes what the network computes', async () => {
    const network = smallCnn();
    const dir = mkdtempSync(join(tmpdir(), 'opzk-writer-'));
    const file = join(dir, 'small-cnn.onnx');
    writeFileSync(file, writeOnnx({ network, name: 'small-cnn' }).bytes);
    const graph = loadOnnxModel({ file });
    expect(graph.opset).toBe(13);
    expect(graph.producer).toBe('opzk-bench 0.1.0');
    expect(graph.inputs.map((input) => [input.name, input.dims])).toEqual([['input', [1, 1, 8, 8]]]);
    const session = await createNativeSession({ file });
    try {
      const prng = createPrng({ seed: 14 });
      for (let trial = 0; trial < 5; trial++) {
        const data = Float32Array.from({ length: 64 }, () => prng.uniform(0, 1));
        const [output] = await session.run({ input: { dims: [1, 1, 8, 8], data } });
        const expected = network.forward(data);
        output!.data.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-5));
      }
    } finally {
      await session.close();
    }
  });

  it('writes BatchNormalization (unfolded, with running statistics and epsilon) and Sigmoid that onnxruntime computes as the network does', async () => {
    const network = createNetwork({
      inputDims: [1, 8, 8],
      layers: [
        { kind: 'conv', name: 'conv1', outChannels: 2, kernel: 3 },
        { kind: 'batchnorm', name: 'bn1' },
        { kind: 'maxpool', size: 2 },
        { kind: 'sigmoid' },
        { kind: 'flatten' },
        { kind: 'dense', name: 'fc', outputs: 4 },
      ],
      seed: 15,
    });
    const bn = network.layers[1]!;
    bn.weight.set([1.3, 0.8]);
    bn.bias.set([0.1, -0.4]);
    bn.runningMean!.set([0.2, -0.3]);
    bn.runningVar!.set([0.5, 3]);
    const { bytes, operators } = writeOnnx({ network, name: 'bn-sigmoid' });
    expect(operators).toEqual(['Conv', 'BatchNormalization', 'MaxPool', 'Sigmoid', 'Flatten', 'Gemm']);
    const graph = onnxProto.onnx.ModelProto.decode(bytes).graph as onnxProto.onnx.GraphProto;
    expect(graph.node[1]!.input).toEqual(['conv1.out', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var']);
    expect(graph.node[1]!.attribute!.map((attribute) => [attribute.name, attribute.f])).toEqual([['epsilon', Math.fround(1e-5)]]);
    const dir = mkdtempSync(join(tmpdir(), 'opzk-writer-'));
    const file = join(dir, 'bn-sigmoid.onnx');
    writeFileSync(file, bytes);
    const session = await createNativeSession({ file });
    try {
      const prng = createPrng({ seed: 16 });
      for (let trial = 0; trial < 5; trial++) {
        const data = Float32Array.from({ length: 64 }, () => prng.uniform(0, 1));
        const [output] = await session.run({ input: { dims: [1, 1, 8, 8], data } });
        const expected = network.forward(data);
        output!.data.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-5));
      }
    } finally {
      await session.close();
    }
  });
});
