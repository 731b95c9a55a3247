/**
 * The shape of `models/zoo.json`, written by `models/build.ts` and read by `readZoo`,
 * `resolveModel`, `sampleInputs` and `opzk models`. Paths are relative to the repository root.
 */
import type { ZooInputData } from './zooSpecs.ts';

export const ZOO_FORMAT = 'opzk-zoo/1' as const;

export interface ZooTensorInfo {
  name: string;
  dims: number[];
}

export type ZooTraining =
  | {
      kind: 'trained';
      /** Data source and licence. */
      data: string;
      samples: number;
      /** Which samples: the npm package minus its held-out split. */
      split: string;
      seed: number;
      shuffleSeed: number;
      epochs: number;
      optimizer: string;
      /** Mean cross-entropy (nats) of the last epoch. */
      finalLoss: number;
    }
  | { kind: 'random'; description: string; seed: number }
  | { kind: 'least-squares'; data: string; samples: number; seeds: Record<string, number> };

/** The backends compared on the test set by the build script. */
export interface ZooEvaluation {
  /** Which set and how many samples. */
  dataset: string;
  samples: number;
  /** `accuracy` (fraction of argmax = label) or `rmse` (root mean squared error vs the target). */
  metric: 'accuracy' | 'rmse';
  native: number;
  /** The engine's dequantized outputs at `quantization` settings. */
  engine: number;
  /** Fraction of samples whose argmax is the same in engine and native (classifiers). */
  argmaxAgreement?: number;
  /** Largest |engine (dequantized) − native| over all outputs of all samples. */
  maxAbsError: number;
  /** Largest |activation| (float, native network) over every layer and sample: the range headroom. */
  maxAbsActivation: number;
  /** Samples rejected by the engine with an OverflowError (should be 0). */
  overflows: number;
}

export interface ZooEntry {
  name: string;
  /** Repository-relative path of the ONNX file. */
  file: string;
  sha256: string;
  bytes: number;
  description: string;
  architecture: string;
  inputData: ZooInputData;
  inputs: ZooTensorInfo[];
  outputs: ZooTensorInfo[];
  parameters: number;
  /** ONNX operator types in node order. */
  operators: string[];
  training: ZooTraining;
  quantization: { scaleBits: number; valueBits: number };
  /** Rough R1CS size with constant weights (see the brief's estimate); only where estimated. */
  estimatedConstraints?: number;
  /** Absent when the build script could not run the engine/native backends. */
  evaluation?: ZooEvaluation;
}

export interface ZooFile {
  format: typeof ZOO_FORMAT;
  /** `node --version` of the run that trained the models (bit-for-bit reproducible on it). */
  node: string;
  opset: number;
  models: ZooEntry[];
}
