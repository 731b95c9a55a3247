/**
 * Calibration (as EZKL's calibrate-settings): from sample inputs, choose the fixed-point settings
 * of a model. For each scaleBits from `minScaleBits` up, the model is quantized and run by the
 * engine on every sample; its dequantized outputs are compared with onnxruntime's, and the
 * largest |integer| of every tensor (inputs, every layer's output) gives the valueBits that hold
 * them. The first scaleBits whose error on the samples is within `tolerance / margin` of the
 * largest output wins (the smallest scale that is accurate enough: the cheapest circuits and
 * traces; the margin, 2 by default, leaves room for inputs other than the samples), with valueBits =
 * the bits the samples need plus `headroomBits` (so an input somewhat larger than every sample
 * does not overflow). The engine's integers do not depend on valueBits (only its range checks
 * do), so each scale is run once, with a valueBits large enough for the samples.
 */
import { OverflowError, UnsupportedModelError, UsageError } from '../errors.ts';
import { createNativeSession, type NativeTensor } from '../native/createNativeSession.ts';
import { createEngine } from '../engine/createEngine.ts';
import { loadOnnxModel } from '../onnx/loadOnnxModel.ts';
import { quantizeInputs } from './quantizeInputs.ts';
import { quantizeModel } from './quantizeModel.ts';

/** One run's float inputs by graph input name (integer inputs, e.g. a Reshape shape, included). */
export type CalibrationSample = Record<string, NativeTensor>;

export interface CalibrateModelParameters {
  /** The ONNX file. */
  file: string;
  /** Model name; defaults to the file stem. */
  name?: string;
  samples: CalibrationSample[];
  /** Where the samples came from, for the report. */
  samplesSource?: string;
  /** Largest error allowed, relative to the largest |output| of onnxruntime (default 0.01: 1%). */
  tolerance?: number;
  /** Extra value bits above what the samples need (default 1: twice the largest sample magnitude). */
  headroomBits?: number;
  /** The samples' error must be within tolerance / margin (default 2). */
  margin?: number;
  minScaleBits?: number;
  maxScaleBits?: number;
}

export interface CalibrationCandidate {
  scaleBits: number;
  /** Bits the samples need (every tensor of every sample in range); undefined if even 40 do not hold them. */
  neededValueBits?: number;
  /** Largest |engine − onnxruntime| over samples and output elements, in output units. */
  maxAbsError?: number;
  /** maxAbsError of each output / the largest |onnxruntime output| of that output, the worst output. */
  relativeError?: number;
  /**
   * Why the scale is not usable, if it is not: an overflow even at 40 bits, or an operator that
   * cannot represent it (a Sigmoid's table needs scaleBits ≥ 4).
   */
  refused?: string;
}

export interface CalibrateModelResult {
  scaleBits: number;
  valueBits: number;
  /** The chosen scale's figures (the stated error). */
  maxAbsError: number;
  relativeError: number;
  tolerance: number;
  /** The samples' error had to be within tolerance / margin. */
  margin: number;
  headroomBits: number;
  samples: number;
  samplesSource: string;
  /** Every scale tried, in order. */
  candidates: CalibrationCandidate[];
}

const MAX_VALUE_BITS = 40;

/** The smallest v whose range [-2^(v-1), 2^(v-1) - 1] holds [min, max]. */
function valueBitsFor(min: number, max: number): number {
  let bits = 1;
  while (min < -(2 ** (bits - 1)) || max > 2 ** (bits - 1) - 1) bits++;
  return bits;
}

export async function calibrateModel(parameters: CalibrateModelParameters): Promise<CalibrateModelResult> {
  const { file, name, samples, tolerance = 0.01, headroomBits = 1, margin = 2, minScaleBits = 2, maxScaleBits = 24 } = parameters;
  if (samples.length === 0) throw new UsageError(`${file}: calibration needs at least one sample input`, { hint: 'pass --input <file> (one per sample), or use a zoo model (its own samples)' });
  if (!(tolerance > 0)) throw new UsageError(`calibration tolerance ${tolerance} must be a positive fraction (e.g. 0.01 for 1%)`);

  // A model the import refuses is refused for what it is, before onnxruntime sees it.
  loadOnnxModel({ file, runInputs: samples[0] });
  const session = await createNativeSession({ file });
  const references: { name: string; data: number[] }[][] = [];
  try {
    for (const sample of samples) references.push((await session.run(sample)).map((o) => ({ name: o.name, data: Array.from(o.data) })));
  } finally {
    await session.close();
  }
  const outputCount = references[0]!.length;
  const largest = Array.from({ length: outputCount }, (_, o) => Math.max(...references.map((r) => Math.max(0, ...r[o]!.data.map(Math.abs)))));

  const candidates: CalibrationCandidate[] = [];
  for (let scaleBits = minScaleBits; scaleBits <= maxScaleBits; scaleBits++) {
    // A valueBits that holds the samples: start near the scale (small accumulators keep the
    // engine on its float64 path), widen on overflow.
    let candidate: CalibrationCandidate | undefined;
    for (let valueBits = Math.min(MAX_VALUE_BITS, scaleBits + 8); ; valueBits = Math.min(MAX_VALUE_BITS, valueBits + 8)) {
      try {
        const model = quantizeModel({ file, name, scaleBits, valueBits, runInputs: samples[0] });
        const engine = createEngine({ model });
        let min = 0;
        let max = 0;
        const errors = new Array<number>(outputCount).fill(0);
        samples.forEach((sample, s) => {
          const run = engine.run(quantizeInputs({ model, inputs: sample }), { keepIntermediates: true });
          for (const data of Object.values(run.tensors!)) for (const x of data) { if (x < min) min = x; if (x > max) max = x; }
          run.outputs.forEach((output, o) => {
            const reference = references[s]![o]!.data;
            for (let i = 0; i < reference.length; i++) errors[o] = Math.max(errors[o]!, Math.abs(output.data[i]! * 2 ** -scaleBits - reference[i]!));
          });
        });
        const maxAbsError = Math.max(...errors);
        // An output that is 0 on every sample is measured in absolute terms.
        const relativeError = Math.max(...errors.map((e, o) => e / (largest[o]! > 0 ? largest[o]! : 1)));
        candidate = { scaleBits, neededValueBits: Math.max(valueBitsFor(min, max), scaleBits + 1), maxAbsError, relativeError };
        break;
      } catch (error) {
        // Too small a scale for an operator (a smooth function's table): try the next one. Once a
        // scale has been usable, a refusal means the larger ones are out of range too.
        if (error instanceof UnsupportedModelError && candidates.every((c) => c.refused)) {
          candidate = { scaleBits, refused: `unsupported at this scale: ${error.shortMessage}` };
          break;
        }
        if (!(error instanceof OverflowError)) throw error;
        if (valueBits === MAX_VALUE_BITS) {
          candidate = { scaleBits, refused: `overflows even at valueBits ${MAX_VALUE_BITS}: ${error.message}` };
          break;
        }
      }
    }
    candidates.push(candidate!);
    if (candidate!.refused?.startsWith('unsupported at this scale')) continue;
    if (candidate!.refused) break; // a larger scale overflows too
    if (candidate!.relativeError! <= tolerance / margin) {
      const valueBits = Math.min(MAX_VALUE_BITS, Math.max(candidate!.neededValueBits! + headroomBits, scaleBits + 1));
      return {
        scaleBits, valueBits, maxAbsError: candidate!.maxAbsError!, relativeError: candidate!.relativeError!,
        tolerance, margin, headroomBits, samples: samples.length, samplesSource: parameters.samplesSource ?? `${samples.length} given sample(s)`, candidates,
      };
    }
  }
  const best = candidates.filter((c) => c.relativeError !== undefined).sort((a, b) => a.relativeError! - b.relativeError!)[0];
  throw new UsageError(
    `${file}: no scaleBits in [${minScaleBits}, ${candidates.at(-1)!.scaleBits}] keeps the outputs within ${(tolerance / margin) * 100}% of onnxruntime` +
      (best ? ` (best: scaleBits ${best.scaleBits}, ${(best.relativeError! * 100).toPrecision(3)}%)` : ''),
    { hint: 'give a larger tolerance, or set --scale-bits/--value-bits by hand', details: { candidates } },
  );
}
