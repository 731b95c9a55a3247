/**
 * The build script's evaluation of one zoo model on its test set: the native float model
 * (onnxruntime-node, the accuracy reference) against the fixed-point engine at the given
 * scaleBits/valueBits (dequantized), plus the float network's largest activation (the range
 * headroom). Classifiers report accuracy and argmax agreement, linreg reports RMSE.
 */
import { OverflowError } from '../errors.ts';
import { createEngine } from '../engine/createEngine.ts';
import { createNativeSession } from '../native/createNativeSession.ts';
import { quantizeInputs } from '../quant/quantizeInputs.ts';
import { quantizeModel } from '../quant/quantizeModel.ts';
import type { Network } from './createNetwork.ts';
import type { ZooEvaluation } from './types.ts';
import type { ZooSpec } from './zooSpecs.ts';

/** Labelled samples as flat float32 inputs (a classifier's label is the class index). */
export interface ZooTestSet {
  description: string;
  count: number;
  sample(index: number): { data: Float32Array; label: number };
}

export interface EvaluateZooModelParameters {
  spec: ZooSpec;
  /** The written ONNX file. */
  file: string;
  /** The float64 network the file was written from (for the activation headroom). */
  network: Network;
  testSet: ZooTestSet;
  scaleBits: number;
  valueBits: number;
}

export type EvaluateZooModelResult = ZooEvaluation;

export async function evaluateZooModel(parameters: EvaluateZooModelParameters): Promise<EvaluateZooModelResult> {
  const { spec, file, network, testSet, scaleBits, valueBits } = parameters;
  const model = quantizeModel({ file, name: spec.name, scaleBits, valueBits });
  const engine = createEngine({ model });
  const native = await createNativeSession({ file });
  const regression = spec.inputData === 'linreg-synthetic';
  const dims = [1, ...spec.inputDims];
  const scale = 2 ** scaleBits;
  let nativeScore = 0;
  let engineScore = 0;
  let agreements = 0;
  let maxAbsError = 0;
  let maxAbsActivation = 0;
  let overflows = 0;
  try {
    for (let index = 0; index < testSet.count; index++) {
      const { data, label } = testSet.sample(index);
      network.forward(data);
      for (const tensor of network.lastActivations()) for (const value of tensor) maxAbsActivation = Math.max(maxAbsActivation, Math.abs(value));
      const nativeOutput = (await native.run({ input: { dims, data } }))[0]!.data;
      let engineOutput: number[] | undefined;
      try {
        const raw = engine.run(quantizeInputs({ model, inputs: { input: data } })).outputs[0]!.data;
        engineOutput = raw.map((value) => value / scale);
      } catch (error) {
        if (!(error instanceof OverflowError)) throw error;
        overflows++;
      }
      if (regression) {
        nativeScore += (nativeOutput[0]! - label) ** 2;
        engineScore += engineOutput ? (engineOutput[0]! - label) ** 2 : Infinity;
      } else {
        const nativeClass = argmax(nativeOutput);
        if (nativeClass === label) nativeScore++;
        if (engineOutput) {
          const engineClass = argmax(engineOutput);
          if (engineClass === label) engineScore++;
          if (engineClass === nativeClass) agreements++;
        }
      }
      if (engineOutput)
        engineOutput.forEach((value, i) => {
          maxAbsError = Math.max(maxAbsError, Math.abs(value - nativeOutput[i]!));
        });
    }
  } finally {
    await native.close();
  }
  const count = testSet.count;
  return {
    dataset: testSet.description,
    samples: count,
    metric: regression ? 'rmse' : 'accuracy',
    native: regression ? Math.sqrt(nativeScore / count) : nativeScore / count,
    engine: regression ? Math.sqrt(engineScore / count) : engineScore / count,
    ...(regression ? {} : { argmaxAgreement: agreements / count }),
    maxAbsError,
    maxAbsActivation,
    overflows,
  };
}

/** Index of the largest value (the first one on ties, as numpy). */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
