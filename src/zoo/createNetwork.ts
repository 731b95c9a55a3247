/**
 * A small feed-forward network in float64 for the zoo's trainer: dense (Gemm, weight [out, in]
 * as ONNX Gemm with transB = 1), 2-D convolution (one group, stride 1, no padding, weight
 * [M, C, k, k]), per-channel batch normalisation (inference form: learned scale and shift over
 * fixed running mean / variance, see `batchnorm` below), ReLU, Sigmoid, 2-D max pooling (k×k,
 * stride k) and flatten. Weights are initialised from
 * a seeded PRNG (He uniform), so a network is reproducible from its spec and seed. The layer
 * list maps one to one onto ONNX nodes (see writeOnnx.ts).
 */
import { ShapeError } from '../errors.ts';
import { createPrng } from './createPrng.ts';

export type LayerSpec =
  | { kind: 'dense'; name: string; outputs: number }
  | { kind: 'conv'; name: string; outChannels: number; kernel: number }
  | { kind: 'batchnorm'; name: string }
  | { kind: 'relu' }
  | { kind: 'sigmoid' }
  | { kind: 'maxpool'; size: number }
  | { kind: 'flatten' };

export interface NetworkLayer {
  spec: LayerSpec;
  /** Dims of one sample before and after this layer (no batch dimension). */
  inputDims: number[];
  outputDims: number[];
  /** Dense [out, in], conv [M, C, k, k] or batchnorm's scale [C]; empty for layers without parameters. */
  weight: Float64Array;
  weightDims: number[];
  bias: Float64Array;
  /** Gradients accumulated by `backward`, same shapes as weight and bias. */
  weightGrad: Float64Array;
  biasGrad: Float64Array;
  /**
   * Batchnorm only: the running mean and variance per channel and epsilon, as an ONNX
   * BatchNormalization node holds them (not trained: `setBatchNormStatistics` sets them).
   */
  runningMean?: Float64Array;
  runningVar?: Float64Array;
  epsilon?: number;
}

export interface Network {
  inputDims: number[];
  outputDims: number[];
  layers: NetworkLayer[];
  /** One sample's forward pass; keeps each layer's input for `backward`. */
  forward(input: Float64Array | Float32Array): Float64Array;
  /** Back-propagates d(loss)/d(output) of the last `forward`, adding to the gradients. */
  backward(outputGrad: Float64Array): void;
  /** Sets every gradient to 0. */
  zeroGrad(): void;
  /** Every tensor of the last `forward`: the input, then each layer's output. */
  lastActivations(): Float64Array[];
  /** Numbers the ONNX file stores: weights and biases, and batchnorm's running statistics. */
  parameterCount: number;
}

export interface CreateNetworkParameters {
  /** Dims of one sample, without the batch dimension: [features] or [channels, height, width]. */
  inputDims: number[];
  layers: LayerSpec[];
  /** Seed of the weight initialisation. */
  seed: number;
  /** Multiplies the He-uniform bound of every weight (default 1). */
  initScale?: number;
}

export type CreateNetworkResult = Network;

export function createNetwork(parameters: CreateNetworkParameters): CreateNetworkResult {
  const prng = createPrng({ seed: parameters.seed });
  const initScale = parameters.initScale ?? 1;
  const layers: NetworkLayer[] = [];
  let dims = [...parameters.inputDims];
  for (const spec of parameters.layers) {
    const inputDims = dims;
    let weightDims: number[] = [];
    let biasLength = 0;
    let fanIn = 1;
    if (spec.kind === 'dense') {
      if (dims.length !== 1)
        throw new ShapeError(`dense layer '${spec.name}' needs a flat input, got dims [${dims}]`, { hint: 'add a flatten layer before it' });
      weightDims = [spec.outputs, dims[0]!];
      biasLength = spec.outputs;
      fanIn = dims[0]!;
      dims = [spec.outputs];
    } else if (spec.kind === 'conv') {
      if (dims.length !== 3 || dims[1]! < spec.kernel || dims[2]! < spec.kernel)
        throw new ShapeError(`conv layer '${spec.name}' needs a [C, H, W] input of at least ${spec.kernel}×${spec.kernel}, got [${dims}]`, {
          hint: 'give the network [channels, height, width] input dims',
        });
      weightDims = [spec.outChannels, dims[0]!, spec.kernel, spec.kernel];
      biasLength = spec.outChannels;
      fanIn = dims[0]! * spec.kernel * spec.kernel;
      dims = [spec.outChannels, dims[1]! - spec.kernel + 1, dims[2]! - spec.kernel + 1];
    } else if (spec.kind === 'batchnorm') {
      if (dims.length !== 3)
        throw new ShapeError(`batchnorm layer '${spec.name}' needs a [C, H, W] input, got [${dims}]`, { hint: 'put it after a conv layer' });
      biasLength = dims[0]!;
    } else if (spec.kind === 'maxpool') {
      if (dims.length !== 3 || dims[1]! % spec.size !== 0 || dims[2]! % spec.size !== 0)
        throw new ShapeError(`maxpool ${spec.size}×${spec.size} needs a [C, H, W] input divisible by ${spec.size}, got [${dims}]`, {
          hint: 'change the kernel so the feature map divides evenly',
        });
      dims = [dims[0]!, dims[1]! / spec.size, dims[2]! / spec.size];
    } else if (spec.kind === 'flatten') {
      dims = [dims.reduce((a, b) => a * b, 1)];
    }
    const weightLength = weightDims.reduce((a, b) => a * b, weightDims.length ? 1 : 0);
    const weight = new Float64Array(weightLength);
    const bound = initScale * Math.sqrt(6 / fanIn);
    for (let i = 0; i < weightLength; i++) weight[i] = prng.uniform(-bound, bound);
    if (spec.kind === 'batchnorm') {
      // Scale 1, shift 0, statistics (0, 1): the identity until trained (no PRNG draw, so the
      // other layers' weights do not depend on whether a batchnorm is present).
      const channels = dims[0]!;
      layers.push({
        spec,
        inputDims,
        outputDims: dims,
        weight: new Float64Array(channels).fill(1),
        weightDims: [channels],
        bias: new Float64Array(channels),
        weightGrad: new Float64Array(channels),
        biasGrad: new Float64Array(channels),
        runningMean: new Float64Array(channels),
        runningVar: new Float64Array(channels).fill(1),
        epsilon: BATCHNORM_EPSILON,
      });
      continue;
    }
    layers.push({
      spec,
      inputDims,
      outputDims: dims,
      weight,
      weightDims,
      bias: new Float64Array(biasLength),
      weightGrad: new Float64Array(weightLength),
      biasGrad: new Float64Array(biasLength),
    });
  }

  const inputs: Float64Array[] = [];
  /** For max pooling: the flat input index that won each output. */
  const argmaxes: Int32Array[] = [];

  let lastOutput: Float64Array = new Float64Array(0);
  const forward = (input: Float64Array | Float32Array): Float64Array => {
    let x: Float64Array = Float64Array.from(input);
    layers.forEach((layer, index) => {
      inputs[index] = x;
      x = forwardLayer(layer, x, index);
    });
    lastOutput = x;
    return x;
  };

  const forwardLayer = (layer: NetworkLayer, x: Float64Array, index: number): Float64Array => {
    const { spec, weight, bias } = layer;
    const size = layer.outputDims.reduce((a, b) => a * b, 1);
    const y = new Float64Array(size);
    if (spec.kind === 'dense') {
      const n = layer.inputDims[0]!;
      for (let o = 0; o < size; o++) {
        let sum = bias[o]!;
        const row = o * n;
        for (let i = 0; i < n; i++) sum += weight[row + i]! * x[i]!;
        y[o] = sum;
      }
    } else if (spec.kind === 'conv') {
      const [channels, height, width] = layer.inputDims as [number, number, number];
      const [, outHeight, outWidth] = layer.outputDims as [number, number, number];
      const k = spec.kernel;
      for (let m = 0; m < spec.outChannels; m++)
        for (let oy = 0; oy < outHeight; oy++)
          for (let ox = 0; ox < outWidth; ox++) {
            let sum = bias[m]!;
            for (let c = 0; c < channels; c++)
              for (let ky = 0; ky < k; ky++)
                for (let kx = 0; kx < k; kx++)
                  sum += weight[((m * channels + c) * k + ky) * k + kx]! * x[(c * height + oy + ky) * width + ox + kx]!;
            y[(m * outHeight + oy) * outWidth + ox] = sum;
          }
    } else if (spec.kind === 'batchnorm') {
      const plane = size / layer.inputDims[0]!;
      for (let c = 0; c < layer.inputDims[0]!; c++) {
        const { multiplier, shift } = batchNormAffine(layer, c);
        for (let i = c * plane; i < (c + 1) * plane; i++) y[i] = x[i]! * multiplier + shift;
      }
    } else if (spec.kind === 'relu') {
      for (let i = 0; i < size; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
    } else if (spec.kind === 'sigmoid') {
      for (let i = 0; i < size; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
    } else if (spec.kind === 'maxpool') {
      const [channels, height, width] = layer.inputDims as [number, number, number];
      const [, outHeight, outWidth] = layer.outputDims as [number, number, number];
      const winners = new Int32Array(size);
      for (let c = 0; c < channels; c++)
        for (let oy = 0; oy < outHeight; oy++)
          for (let ox = 0; ox < outWidth; ox++) {
            let best = -Infinity;
            let bestIndex = -1;
            for (let py = 0; py < spec.size; py++)
              for (let px = 0; px < spec.size; px++) {
                const at = (c * height + oy * spec.size + py) * width + ox * spec.size + px;
                if (x[at]! > best) {
                  best = x[at]!;
                  bestIndex = at;
                }
              }
            const out = (c * outHeight + oy) * outWidth + ox;
            y[out] = best;
            winners[out] = bestIndex;
          }
      argmaxes[index] = winners;
    } else {
      y.set(x);
    }
    return y;
  };

  const backward = (outputGrad: Float64Array) => {
    let dy = outputGrad;
    for (let index = layers.length - 1; index >= 0; index--) {
      const layer = layers[index]!;
      const x = inputs[index]!;
      const { spec, weight, weightGrad, biasGrad } = layer;
      const dx = new Float64Array(x.length);
      if (spec.kind === 'dense') {
        const n = layer.inputDims[0]!;
        for (let o = 0; o < dy.length; o++) {
          const g = dy[o]!;
          if (g === 0) continue;
          biasGrad[o]! += g;
          const row = o * n;
          for (let i = 0; i < n; i++) {
            weightGrad[row + i]! += g * x[i]!;
            dx[i]! += g * weight[row + i]!;
          }
        }
      } else if (spec.kind === 'conv') {
        const [channels, height, width] = layer.inputDims as [number, number, number];
        const [, outHeight, outWidth] = layer.outputDims as [number, number, number];
        const k = spec.kernel;
        for (let m = 0; m < spec.outChannels; m++)
          for (let oy = 0; oy < outHeight; oy++)
            for (let ox = 0; ox < outWidth; ox++) {
              const g = dy[(m * outHeight + oy) * outWidth + ox]!;
              if (g === 0) continue;
              biasGrad[m]! += g;
              for (let c = 0; c < channels; c++)
                for (let ky = 0; ky < k; ky++)
                  for (let kx = 0; kx < k; kx++) {
                    const w = ((m * channels + c) * k + ky) * k + kx;
                    const at = (c * height + oy + ky) * width + ox + kx;
                    weightGrad[w]! += g * x[at]!;
                    dx[at]! += g * weight[w]!;
                  }
            }
      } else if (spec.kind === 'batchnorm') {
        // y = scale · (x − mean) / √(var + ε) + shift, with mean and var constants.
        const channels = layer.inputDims[0]!;
        const plane = x.length / channels;
        for (let c = 0; c < channels; c++) {
          const inverseStd = 1 / Math.sqrt(layer.runningVar![c]! + layer.epsilon!);
          for (let i = c * plane; i < (c + 1) * plane; i++) {
            const g = dy[i]!;
            weightGrad[c]! += g * (x[i]! - layer.runningMean![c]!) * inverseStd;
            biasGrad[c]! += g;
            dx[i] = g * weight[c]! * inverseStd;
          }
        }
      } else if (spec.kind === 'relu') {
        for (let i = 0; i < x.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
      } else if (spec.kind === 'sigmoid') {
        for (let i = 0; i < x.length; i++) {
          const y = 1 / (1 + Math.exp(-x[i]!));
          dx[i] = dy[i]! * y * (1 - y);
        }
      } else if (spec.kind === 'maxpool') {
        const winners = argmaxes[index]!;
        for (let out = 0; out < dy.length; out++) dx[winners[out]!]! += dy[out]!;
      } else {
        dx.set(dy);
      }
      dy = dx;
    }
  };

  const zeroGrad = () => {
    for (const layer of layers) {
      layer.weightGrad.fill(0);
      layer.biasGrad.fill(0);
    }
  };

  return {
    inputDims: [...parameters.inputDims],
    outputDims: dims,
    layers,
    forward,
    backward,
    zeroGrad,
    lastActivations: () => [...inputs.slice(0, layers.length), lastOutput],
    parameterCount: layers.reduce(
      (total, layer) => total + layer.weight.length + layer.bias.length + (layer.runningMean?.length ?? 0) + (layer.runningVar?.length ?? 0),
      0,
    ),
  };
}

/** PyTorch's BatchNorm2d default. */
export const BATCHNORM_EPSILON = 1e-5;

/** Batchnorm channel c as y = x · multiplier + shift. */
function batchNormAffine(layer: NetworkLayer, c: number): { multiplier: number; shift: number } {
  const multiplier = layer.weight[c]! / Math.sqrt(layer.runningVar![c]! + layer.epsilon!);
  return { multiplier, shift: layer.bias[c]! - layer.runningMean![c]! * multiplier };
}

export interface SetBatchNormStatisticsParameters {
  layer: NetworkLayer;
  /** Per-channel mean and (biased) variance of the layer's input, e.g. over the training set. */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Gives a trained batchnorm layer the running statistics a PyTorch export would hold, keeping
 * its function: the scale and shift are re-expressed so that scale / √(var + ε) and
 * shift − mean · scale / √(var + ε) stay what training left (to float64 rounding).
 */
export function setBatchNormStatistics(parameters: SetBatchNormStatisticsParameters): void {
  const { layer, mean, variance } = parameters;
  if (layer.spec.kind !== 'batchnorm')
    throw new ShapeError(`setBatchNormStatistics: layer kind '${layer.spec.kind}' is not a batchnorm`, { hint: 'pass a batchnorm layer' });
  for (let c = 0; c < layer.weight.length; c++) {
    const { multiplier, shift } = batchNormAffine(layer, c);
    layer.runningMean![c] = mean[c]!;
    layer.runningVar![c] = variance[c]!;
    layer.weight[c] = multiplier * Math.sqrt(variance[c]! + layer.epsilon!);
    layer.bias[c] = shift + mean[c]! * multiplier;
  }
}
