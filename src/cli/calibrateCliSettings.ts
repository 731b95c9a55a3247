/**
 * `--scale-bits auto`: the fixed-point settings chosen by calibration (src/quant/calibrateModel.ts)
 * from the zoo model's own samples (the first CALIBRATION_SAMPLES) and the run's inputs, or from
 * the run's inputs alone for a model outside the zoo. Shared by `opzk calibrate` and every
 * command that takes --scale-bits.
 */
import { UsageError } from '../errors.ts';
import type { ReadInputsResult } from '../onnx/readInputs.ts';
import { calibrateModel, type CalibrateModelResult, type CalibrationSample } from '../quant/calibrateModel.ts';
import { sampleInputs } from '../zoo/sampleInputs.ts';
import type { ModelSettings } from './commands/infer.ts';

/** Zoo samples a calibration runs on (8: a few seconds on the largest zoo model). */
export const CALIBRATION_SAMPLES = 8;

export interface CalibrateCliSettingsParameters {
  settings: ModelSettings;
  /** The samples the user gave (each one run's inputs); the zoo's own are added for a zoo model. */
  runInputs: ReadInputsResult[];
  tolerance?: number;
}

export interface CalibrateCliSettingsResult {
  settings: ModelSettings;
  calibration: CalibrateModelResult;
}

export async function calibrateCliSettings({ settings, runInputs, tolerance }: CalibrateCliSettingsParameters): Promise<CalibrateCliSettingsResult> {
  const samples: CalibrationSample[] = [...runInputs];
  const sources: string[] = [];
  if (runInputs.length > 0) sources.push(`${runInputs.length} given input${runInputs.length === 1 ? '' : 's'}`);
  if (settings.resolved.metadata) {
    const zoo = sampleInputs({ name: settings.resolved.name, count: CALIBRATION_SAMPLES });
    samples.push(...zoo);
    sources.push(`the zoo's first ${zoo.length} samples (${zoo.source})`);
  }
  if (samples.length === 0)
    throw new UsageError(`--scale-bits auto: no sample input for '${settings.resolved.file}'`, { hint: 'pass --input <file> (calibration chooses the scale from sample inputs)' });
  const calibration = await calibrateModel({ file: settings.resolved.file, name: settings.resolved.name, samples, samplesSource: sources.join(' and '), tolerance });
  return { settings: { ...settings, scaleBits: calibration.scaleBits, valueBits: calibration.valueBits }, calibration };
}

/** One line saying what calibration chose and why. */
export function describeCalibration(calibration: CalibrateModelResult): string {
  const percent = (x: number) => `${(x * 100).toPrecision(2)}%`;
  return `calibrated: scaleBits=${calibration.scaleBits}, valueBits=${calibration.valueBits} — max error ${calibration.maxAbsError.toPrecision(3)} ` +
    `(${percent(calibration.relativeError)} of the largest output, target ≤ ${percent(calibration.tolerance / calibration.margin)} on the samples for ${percent(calibration.tolerance)}) ` +
    `over ${calibration.samples} sample${calibration.samples === 1 ? '' : 's'} (${calibration.samplesSource}); ${calibration.headroomBits} bit of value headroom`;
}
