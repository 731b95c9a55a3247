/**
 * The zoo's deterministic trainer: minibatch Adam on softmax cross-entropy, one sample at a time
 * in float64, samples shuffled each epoch by a seeded PRNG. Same data, spec and seed → the same
 * weights, bit for bit, on the same Node version.
 */
import { UsageError } from '../errors.ts';
import { createPrng } from './createPrng.ts';
import type { Network } from './createNetwork.ts';

export interface TrainNetworkParameters {
  network: Network;
  /** `count` samples, each `network.inputDims` floats, concatenated. */
  inputs: Float32Array | Float64Array;
  /** Class index of each sample (0 ≤ label < number of outputs). */
  labels: Uint8Array;
  /** Which samples to train on (indices into inputs/labels); default all. */
  indices?: number[];
  epochs: number;
  /** Seed of the per-epoch shuffle. */
  seed: number;
  batchSize?: number;
  learningRate?: number;
  /** Called after each epoch (progress output). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

export interface TrainNetworkResult {
  /** Mean cross-entropy of each epoch (nats). */
  epochLosses: number[];
  samples: number;
}

export function trainNetwork(parameters: TrainNetworkParameters): TrainNetworkResult {
  const { network, inputs, labels, epochs } = parameters;
  const batchSize = parameters.batchSize ?? 32;
  const learningRate = parameters.learningRate ?? 1e-3;
  const inputSize = network.inputDims.reduce((a, b) => a * b, 1);
  const classes = network.outputDims[0]!;
  if (inputs.length !== labels.length * inputSize)
    throw new UsageError(`trainNetwork: ${inputs.length} input floats do not make ${labels.length} samples of ${inputSize}`, {
      hint: 'pass one label per sample',
    });
  const order = parameters.indices ? [...parameters.indices] : Array.from({ length: labels.length }, (_, i) => i);
  const prng = createPrng({ seed: parameters.seed });
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const tensors = network.layers.flatMap((layer) => [
    { value: layer.weight, grad: layer.weightGrad },
    { value: layer.bias, grad: layer.biasGrad },
  ]).filter((tensor) => tensor.value.length > 0);
  const moments = tensors.map((tensor) => ({ m: new Float64Array(tensor.value.length), v: new Float64Array(tensor.value.length) }));
  let step = 0;
  const epochLosses: number[] = [];
  const gradient = new Float64Array(classes);
  for (let epoch = 0; epoch < epochs; epoch++) {
    prng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      network.zeroGrad();
      for (const sample of batch) {
        const logits = network.forward(inputs.subarray(sample * inputSize, (sample + 1) * inputSize));
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, logits[c]!);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp(logits[c]! - max);
        const label = labels[sample]!;
        lossSum += Math.log(sum) - (logits[label]! - max);
        for (let c = 0; c < classes; c++) gradient[c] = (Math.exp(logits[c]! - max) / sum - (c === label ? 1 : 0)) / batch.length;
        network.backward(gradient);
      }
      step++;
      const correction1 = 1 - beta1 ** step;
      const correction2 = 1 - beta2 ** step;
      tensors.forEach((tensor, t) => {
        const { m, v } = moments[t]!;
        for (let i = 0; i < tensor.value.length; i++) {
          const g = tensor.grad[i]!;
          m[i] = beta1 * m[i]! + (1 - beta1) * g;
          v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
          tensor.value[i]! -= (learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
        }
      });
    }
    epochLosses.push(lossSum / order.length);
    parameters.onEpoch?.(epoch, lossSum / order.length);
  }
  return { epochLosses, samples: order.length };
}
