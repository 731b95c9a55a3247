// The zoo's trainer and numerics: the seeded PRNG's exact stream, back-propagation checked
// against finite differences (dense, conv, relu, maxpool), training determinism on a tiny
// problem, and the least-squares fit.
import { describe, expect, it } from 'vitest';
import { createNetwork, setBatchNormStatistics, type LayerSpec } from '../src/zoo/createNetwork.ts';
import { createPrng } from '../src/zoo/createPrng.ts';
import { estimateConstraints } from '../src/zoo/estimateConstraints.ts';
import { fitLeastSquares } from '../src/zoo/fitLeastSquares.ts';
import { generateLinregData, LINREG_FEATURES } from '../src/zoo/generateLinregData.ts';
import { trainNetwork } from '../src/zoo/trainNetwork.ts';

/** Two Gaussian blobs per class in 4-D: a tiny problem a 4→6→3 MLP solves. */
function tinyProblem() {
  const prng = createPrng({ seed: 42 });
  const count = 90;
  const inputs = new Float64Array(count * 4);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < 4; j++) inputs[i * 4 + j] = (j === labels[i] ? 2 : 0) + 0.3 * prng.normal();
  }
  return { inputs, labels };
}

const mlp: LayerSpec[] = [{ kind: 'dense', name: 'fc1', outputs: 6 }, { kind: 'relu' }, { kind: 'dense', name: 'fc2', outputs: 3 }];

describe('createPrng (mulberry32)', () => {
  it('produces the same exact stream for a seed', () => {
    const a = createPrng({ seed: 1 });
    expect([a.next(), a.next(), a.next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const b = createPrng({ seed: 1 });
    expect(b.int(1000)).toBe(627);
    expect(createPrng({ seed: 7 }).shuffle([1, 2, 3, 4, 5, 6])).toEqual(createPrng({ seed: 7 }).shuffle([1, 2, 3, 4, 5, 6]));
  });
});

describe('createNetwork backward', () => {
  it('matches finite differences for conv, relu, maxpool, flatten and dense', () => {
    const network = createNetwork({
      inputDims: [1, 6, 6],
      layers: [
        { kind: 'conv', name: 'conv', outChannels: 2, kernel: 3 },
        { kind: 'relu' },
        { kind: 'maxpool', size: 2 },
        { kind: 'flatten' },
        { kind: 'dense', name: 'fc', outputs: 3 },
      ],
      seed: 3,
    });
    const prng = createPrng({ seed: 9 });
    for (const layer of network.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = prng.uniform(-0.1, 0.1);
    const input = Float64Array.from({ length: 36 }, () => prng.uniform(0, 1));
    const direction = Float64Array.from([0.3, -0.7, 0.5]);
    const loss = () => network.forward(input).reduce((total, value, i) => total + value * direction[i]!, 0);
    network.zeroGrad();
    loss();
    network.backward(direction);
    const epsilon = 1e-6;
    for (const layer of network.layers)
      for (const [values, grads] of [[layer.weight, layer.weightGrad], [layer.bias, layer.biasGrad]] as const)
        for (let i = 0; i < values.length; i++) {
          const saved = values[i]!;
          values[i] = saved + epsilon;
          const up = loss();
          values[i] = saved - epsilon;
          const down = loss();
          values[i] = saved;
          expect(grads[i]!).toBeCloseTo((up - down) / (2 * epsilon), 6);
        }
  });
});

describe('createNetwork batchnorm and sigmoid', () => {
  const spec = () =>
    createNetwork({
      inputDims: [1, 6, 6],
      layers: [
        { kind: 'conv', name: 'conv', outChannels: 2, kernel: 3 },
        { kind: 'batchnorm', name: 'bn' },
        { kind: 'maxpool', size: 2 },
        { kind: 'sigmoid' },
        { kind: 'flatten' },
        { kind: 'dense', name: 'fc', outputs: 3 },
      ],
      seed: 4,
    });

  it('backward matches finite differences (the batchnorm scale and shift over running statistics, the sigmoid)', () => {
    const network = spec();
    const prng = createPrng({ seed: 10 });
    const bn = network.layers[1]!;
    bn.weight.set([1.7, 0.6]);
    bn.bias.set([-0.2, 0.3]);
    bn.runningMean!.set([0.4, -0.1]);
    bn.runningVar!.set([2.5, 0.3]);
    const input = Float64Array.from({ length: 36 }, () => prng.uniform(0, 1));
    const direction = Float64Array.from([0.3, -0.7, 0.5]);
    const loss = () => network.forward(input).reduce((total, value, i) => total + value * direction[i]!, 0);
    network.zeroGrad();
    loss();
    network.backward(direction);
    const epsilon = 1e-6;
    let checked = 0;
    for (const layer of network.layers)
      for (const [values, grads] of [[layer.weight, layer.weightGrad], [layer.bias, layer.biasGrad]] as const)
        for (let i = 0; i < values.length; i++) {
          const saved = values[i]!;
          values[i] = saved + epsilon;
          const up = loss();
          values[i] = saved - epsilon;
          const down = loss();
          values[i] = saved;
          expect(grads[i]!).toBeCloseTo((up - down) / (2 * epsilon), 6);
          checked++;
        }
    // conv 2·9 + 2, batchnorm 2 + 2, fc 3·8 + 3
    expect(checked).toBe(51);
  });

  it('setBatchNormStatistics stores running statistics and keeps the function', () => {
    const network = spec();
    const prng = createPrng({ seed: 11 });
    const input = Float64Array.from({ length: 36 }, () => prng.uniform(0, 1));
    const before = network.forward(input);
    const bn = network.layers[1]!;
    setBatchNormStatistics({ layer: bn, mean: Float64Array.from([0.25, -1.5]), variance: Float64Array.from([4, 0.09]) });
    expect(Array.from(bn.runningMean!)).toEqual([0.25, -1.5]);
    expect(Array.from(bn.runningVar!)).toEqual([4, 0.09]);
    network.forward(input).forEach((value, i) => expect(value).toBeCloseTo(before[i]!, 12));
    expect(() => setBatchNormStatistics({ layer: network.layers[0]!, mean: new Float64Array(2), variance: new Float64Array(2) })).toThrow(/kind 'conv' is not a batchnorm/);
  });
});

describe('trainNetwork', () => {
  it('is deterministic: same data, spec and seeds give bit-identical weights and losses', () => {
    const { inputs, labels } = tinyProblem();
    const run = () => {
      const network = createNetwork({ inputDims: [4], layers: mlp, seed: 5 });
      const result = trainNetwork({ network, inputs, labels, epochs: 15, seed: 6, batchSize: 8, learningRate: 0.01 });
      return { network, result };
    };
    const first = run();
    const second = run();
    expect(second.result.epochLosses).toEqual(first.result.epochLosses);
    first.network.layers.forEach((layer, index) => {
      expect(second.network.layers[index]!.weight).toEqual(layer.weight);
      expect(second.network.layers[index]!.bias).toEqual(layer.bias);
    });
    expect(first.result.epochLosses.at(-1)!).toBeLessThan(first.result.epochLosses[0]! / 4);
    let correct = 0;
    for (let i = 0; i < labels.length; i++) {
      const output = first.network.forward(inputs.subarray(i * 4, i * 4 + 4));
      if (output.indexOf(Math.max(...output)) === labels[i]) correct++;
    }
    expect(correct).toBe(labels.length);
    // A different shuffle seed trains differently.
    const other = createNetwork({ inputDims: [4], layers: mlp, seed: 5 });
    trainNetwork({ network: other, inputs, labels, epochs: 15, seed: 7, batchSize: 8, learningRate: 0.01 });
    expect(other.layers[0]!.weight).not.toEqual(first.network.layers[0]!.weight);
  });

  it('trains on a subset given by indices and rejects mismatched labels', () => {
    const { inputs, labels } = tinyProblem();
    const network = createNetwork({ inputDims: [4], layers: mlp, seed: 5 });
    expect(trainNetwork({ network, inputs, labels, indices: [0, 1, 2, 3], epochs: 1, seed: 1 }).samples).toBe(4);
    expect(() => trainNetwork({ network, inputs, labels: labels.subarray(1), epochs: 1, seed: 1 })).toThrow(/do not make 89 samples of 4/);
  });
});

describe('fitLeastSquares and the linreg data', () => {
  it('recovers the coefficients of noiseless data exactly (to 1e-9)', () => {
    const prng = createPrng({ seed: 11 });
    const inputs = Float64Array.from({ length: 50 * 3 }, () => prng.uniform(-1, 1));
    const targets = Float64Array.from({ length: 50 }, (_, row) => 1.5 * inputs[row * 3]! - 2 * inputs[row * 3 + 1]! + 0.25 * inputs[row * 3 + 2]! + 0.75);
    const fit = fitLeastSquares({ inputs, targets, features: 3 });
    [1.5, -2, 0.25].forEach((weight, j) => expect(fit.weights[j]!).toBeCloseTo(weight, 9));
    expect(fit.bias).toBeCloseTo(0.75, 9);
    expect(() => fitLeastSquares({ inputs: new Float64Array(6), targets: new Float64Array(2), features: 3 })).toThrow(/more rows than features/);
  });

  it('generates the same rows for a split, and an offset skips rows', () => {
    const all = generateLinregData({ split: 'train', count: 10 });
    const tail = generateLinregData({ split: 'train', count: 4, offset: 6 });
    expect(tail.inputs).toEqual(all.inputs.subarray(6 * LINREG_FEATURES));
    expect(tail.targets).toEqual(all.targets.subarray(6));
    expect(generateLinregData({ split: 'test', count: 1 }).inputs).not.toEqual(all.inputs.subarray(0, LINREG_FEATURES));
    expect(all.trueWeights).toHaveLength(LINREG_FEATURES);
  });
});

describe('estimateConstraints', () => {
  it('counts (v+s+2) per Conv/Gemm output, v+1 per Relu output, (v+2)(k²−1) per MaxPool output', () => {
    const network = createNetwork({
      inputDims: [1, 14, 14],
      layers: [
        { kind: 'conv', name: 'conv', outChannels: 3, kernel: 5 },
        { kind: 'relu' },
        { kind: 'maxpool', size: 2 },
        { kind: 'flatten' },
        { kind: 'dense', name: 'fc', outputs: 10 },
      ],
      seed: 1,
    });
    // conv 300 × 26 + relu 300 × 17 + maxpool 75 × 3 × 18 + gemm 10 × 26
    expect(estimateConstraints({ network, scaleBits: 8, valueBits: 16 })).toBe(7800 + 5100 + 4050 + 260);
  });

  it('counts 2v + 3s + 132 per Sigmoid output (188 at s = 8, v = 16) and nothing for a BatchNormalization (folded)', () => {
    const network = createNetwork({
      inputDims: [1, 14, 14],
      layers: [
        { kind: 'conv', name: 'conv', outChannels: 2, kernel: 5 },
        { kind: 'batchnorm', name: 'bn' },
        { kind: 'maxpool', size: 2 },
        { kind: 'sigmoid' },
        { kind: 'flatten' },
        { kind: 'dense', name: 'fc', outputs: 10 },
      ],
      seed: 1,
    });
    // conv 200 × 26 + maxpool 50 × 3 × 18 + sigmoid 50 × 188 + gemm 10 × 26 (the circuit: 17,140)
    expect(estimateConstraints({ network, scaleBits: 8, valueBits: 16 })).toBe(5200 + 2700 + 9400 + 260);
    expect(estimateConstraints({ network, scaleBits: 12, valueBits: 24 })).toBe(200 * 38 + 50 * 3 * 26 + 50 * (48 + 36 + 132) + 10 * 38);
  });
});
