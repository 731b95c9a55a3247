/**
 * The fixed-point settings a bench run uses for a model brought with `--model FILE`: a zoo model
 * carries its own (zoo.json), a file outside the zoo is calibrated (src/quant/calibrateModel.ts)
 * on the input the bench measures it with (loadBenchModel's seeded uniform input), once per
 * process. The result says what was chosen and the error measured, for the results file.
 */
import { calibrateModel, type CalibrateModelResult } from '../../quant/calibrateModel.ts';
import { resolveModel } from '../../zoo/resolveModel.ts';
import { loadBenchModel } from './loadBenchModel.ts';

export interface CalibrateBenchModelParameters {
  /** A zoo name or a path to an .onnx file. */
  model: string;
}

/** undefined for a zoo model (its own settings apply). */
export type CalibrateBenchModelResult = CalibrateModelResult | undefined;

const calibrated = new Map<string, Promise<CalibrateModelResult>>();

export async function calibrateBenchModel({ model }: CalibrateBenchModelParameters): Promise<CalibrateBenchModelResult> {
  const resolved = resolveModel(model);
  if (resolved.metadata) return undefined;
  let pending = calibrated.get(resolved.file);
  if (!pending) {
    const { floatInputs, inputSource } = loadBenchModel({ model });
    pending = calibrateModel({ file: resolved.file, name: resolved.name, samples: [floatInputs], samplesSource: inputSource });
    calibrated.set(resolved.file, pending);
  }
  return pending;
}
