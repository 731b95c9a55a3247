/**
 * A rough R1CS size of a zoo network with constant weights, used to keep `mnist-cnn` provable:
 * (valueBits + scaleBits + 2) per Conv/Gemm output (the rescale's quotient and remainder bits),
 * valueBits + 1 per Relu output, (valueBits + 2) per comparison of a MaxPool window (k² − 1 per
 * output), 2v + 3s + 132 per Sigmoid output (circuits/Smooth.circom: 188 at s = 8, v = 16), none
 * for a BatchNormalization (the importer folds it into the Conv before it). The circuits
 * helper's exact counts replace this once they exist.
 */
import type { Network } from './createNetwork.ts';

export interface EstimateConstraintsParameters {
  network: Network;
  scaleBits: number;
  valueBits: number;
}

export function estimateConstraints(parameters: EstimateConstraintsParameters): number {
  const { network, scaleBits, valueBits } = parameters;
  let total = 0;
  for (const layer of network.layers) {
    const outputs = layer.outputDims.reduce((a, b) => a * b, 1);
    if (layer.spec.kind === 'dense' || layer.spec.kind === 'conv') total += outputs * (valueBits + scaleBits + 2);
    else if (layer.spec.kind === 'relu') total += outputs * (valueBits + 1);
    else if (layer.spec.kind === 'sigmoid') total += outputs * (2 * valueBits + 3 * scaleBits + 132);
    else if (layer.spec.kind === 'maxpool') total += outputs * (layer.spec.size * layer.spec.size - 1) * (valueBits + 2);
  }
  return total;
}
