/**
 * Owns the three-backend agreement check of the quick suite: the same input through the native
 * float model (onnxruntime) and the fixed-point engine — the prediction (argmax) must agree and
 * the dequantized outputs differ by the quantization error only. (engine = circuit is checked
 * bit for bit inside proveInference, which throws on any difference.)
 */
import { dequantize } from '../../engine/dequantize.ts';
import { runEngine } from '../../engine/runEngine.ts';
import { runNative } from '../../native/runNative.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { LoadBenchModelResult } from './loadBenchModel.ts';

export interface CompareBackendsParameters {
  loaded: LoadBenchModelResult;
}

export interface CompareBackendsResult {
  measurements: Measurement[];
  argmaxAgrees: boolean;
  maxAbsError: number;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export async function compareBackends({ loaded }: CompareBackendsParameters): Promise<CompareBackendsResult> {
  const native = (await runNative({ file: loaded.file, inputs: loaded.floatInputs })).outputs;
  const engine = runEngine({ model: loaded.model, inputs: loaded.inputs }).outputs;
  let maxAbsError = 0;
  let argmaxAgrees = true;
  native.forEach((output, index) => {
    const fixed = dequantize({ data: engine[index]!.data, scaleBits: loaded.model.scaleBits });
    for (let i = 0; i < output.data.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(output.data[i]! - fixed[i]!));
    if (output.data.length > 1 && argmax(output.data) !== argmax(fixed)) argmaxAgrees = false;
  });
  const labels = { model: loaded.name };
  return {
    argmaxAgrees,
    maxAbsError,
    measurements: [
      createMeasurement({ metric: 'nativeEngineArgmaxAgree', labels, unit: 'agree', kind: 'deterministic', value: argmaxAgrees ? 1 : 0, higherIsWorse: false, note: 'onnxruntime float vs the fixed-point engine: same predicted class' }),
      createMeasurement({ metric: 'nativeEngineMaxAbsError', labels, unit: 'abs', kind: 'info', value: maxAbsError, note: `largest |float − dequantized engine output|, scale 2^-${loaded.model.scaleBits}` }),
    ],
  };
}
