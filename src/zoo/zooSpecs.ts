/**
 * What the model zoo is made of: one spec per model (architecture, data, seeds, epochs), read by
 * `models/build.ts` (`npm run models`). The built facts (sha256, sizes, accuracy) live in
 * `models/zoo.json`, which the rest of the code reads through `resolveModel` / `readZoo`.
 */
import type { LayerSpec } from './createNetwork.ts';

/** Which data a model reads: MNIST at 28×28 or 14×14 (pixels in [0, 1]) or the linreg rows. */
export type ZooInputData = 'mnist-28' | 'mnist-14' | 'linreg-synthetic';

export interface ZooSpec {
  name: string;
  description: string;
  /** One line, e.g. "Gemm 784→56, Relu, Gemm 56→10". */
  architecture: string;
  inputData: ZooInputData;
  /** Dims of one sample without the batch dimension (the ONNX input is [1, …these]). */
  inputDims: number[];
  layers: LayerSpec[];
  /** trained: Adam on MNIST; random: He-uniform weights; least-squares: fitted in closed form. */
  weights: 'trained' | 'random' | 'least-squares';
  /** Seed of the weight initialisation (trained, random). */
  seed: number;
  /** Trained models: epochs and the seed of the per-epoch shuffle. */
  epochs?: number;
  shuffleSeed?: number;
  learningRate?: number;
  /** How many test samples the build script evaluates (default: the whole test set). */
  evaluationSamples?: number;
}

const mlp = (hidden: number): LayerSpec[] => [
  { kind: 'dense', name: 'fc1', outputs: hidden },
  { kind: 'relu' },
  { kind: 'dense', name: 'fc2', outputs: 10 },
];

export const LADDER_WIDTHS = [8, 16, 32, 64, 128, 256, 512, 1024] as const;

export const ZOO_SPECS: ZooSpec[] = [
  {
    name: 'mnist-mlp-784-56-10',
    description: 'MNIST MLP with the architecture of the circomlib-ml / ZKML benchmark, trained on 28×28 digits',
    architecture: 'Gemm 784→56, Relu, Gemm 56→10',
    inputData: 'mnist-28',
    inputDims: [784],
    layers: mlp(56),
    weights: 'trained',
    seed: 1,
    epochs: 12,
    shuffleSeed: 2,
  },
  {
    name: 'mnist-mlp-196-24-10',
    description: 'Small MNIST MLP on 14×14 digits (2×2 average): the fast-test model',
    architecture: 'Gemm 196→24, Relu, Gemm 24→10',
    inputData: 'mnist-14',
    inputDims: [196],
    layers: mlp(24),
    weights: 'trained',
    seed: 3,
    epochs: 20,
    shuffleSeed: 4,
  },
  {
    name: 'mnist-cnn',
    description: 'Small MNIST CNN on 14×14 digits, sized to stay under ~20,000 R1CS constraints',
    architecture: 'Conv 1→3 5×5, Relu, MaxPool 2×2, Flatten, Gemm 75→10',
    inputData: 'mnist-14',
    inputDims: [1, 14, 14],
    layers: [
      { kind: 'conv', name: 'conv1', outChannels: 3, kernel: 5 },
      { kind: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', name: 'fc', outputs: 10 },
    ],
    weights: 'trained',
    seed: 5,
    epochs: 30,
    shuffleSeed: 6,
  },
  {
    name: 'mnist-cnn-bn-sigmoid',
    description:
      'Small MNIST CNN on 14×14 digits with BatchNormalization (stored unfolded, with running statistics) and Sigmoid: the smooth-operator model',
    architecture: 'Conv 1→2 5×5, BatchNormalization, MaxPool 2×2, Sigmoid, Flatten, Gemm 50→10',
    inputData: 'mnist-14',
    inputDims: [1, 14, 14],
    layers: [
      // Two channels, not mnist-cnn's three: 50 sigmoids at ~188 constraints each keep the
      // circuit at 17,140 constraints (three channels: 25,590), so a Groth16 setup in a test stays short.
      { kind: 'conv', name: 'conv1', outChannels: 2, kernel: 5 },
      { kind: 'batchnorm', name: 'bn1' },
      { kind: 'maxpool', size: 2 },
      { kind: 'sigmoid' },
      { kind: 'flatten' },
      { kind: 'dense', name: 'fc', outputs: 10 },
    ],
    weights: 'trained',
    seed: 11,
    epochs: 40,
    shuffleSeed: 12,
    learningRate: 3e-3,
  },
  {
    name: 'linreg',
    description: 'Linear regression, 8 features → 1 output, least-squares fit to seeded synthetic data (multiplications only)',
    architecture: 'Gemm 8→1',
    inputData: 'linreg-synthetic',
    inputDims: [8],
    layers: [{ kind: 'dense', name: 'linear', outputs: 1 }],
    weights: 'least-squares',
    seed: 7,
  },
  ...LADDER_WIDTHS.map(
    (width, index): ZooSpec => ({
      name: `mlp-w${width}`,
      description: `Width-ladder MLP 784→${width}→10 with random weights, for scaling experiments (accuracy is chance)`,
      architecture: `Gemm 784→${width}, Relu, Gemm ${width}→10`,
      inputData: 'mnist-28',
      inputDims: [784],
      layers: mlp(width),
      weights: 'random',
      seed: 100 + index,
      evaluationSamples: 1000,
    }),
  ),
];
