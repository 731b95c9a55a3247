/**
 * `opzk infer <model> --input <file> --backend native|engine`: one inference on the float
 * model (onnxruntime) or on the quantized model (the fixed-point engine, dequantized outputs
 * plus the raw integers). A zoo model without --input uses its first sample input.
 */
import { UsageError } from '../../errors.ts';
import { dequantize } from '../../engine/dequantize.ts';
import { runEngine } from '../../engine/runEngine.ts';
import { runNative } from '../../native/runNative.ts';
import { readGraphInputs } from '../../onnx/loadOnnxModel.ts';
import { readInputs, type ReadInputsResult } from '../../onnx/readInputs.ts';
import { DEFAULT_SCALE_BITS, DEFAULT_VALUE_BITS } from '../../quant/defaults.ts';
import { quantizeInputs } from '../../quant/quantizeInputs.ts';
import { quantizeModel } from '../../quant/quantizeModel.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { resolveModel, type ResolveModelResult } from '../../zoo/resolveModel.ts';
import { defaultInput } from '../../zoo/sampleInputs.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { calibrateCliSettings, describeCalibration } from '../calibrateCliSettings.ts';
import type { CalibrateModelResult } from '../../quant/calibrateModel.ts';

const help = `Usage: opzk infer <model.onnx | zoo name> [--input <file.json|file.pb|dir>]... [options]

Runs one inference. --backend engine (default) quantizes the model and runs the deterministic
fixed-point engine; --backend native runs the float model in onnxruntime-node.

Inputs: JSON {"input": [...]}, ezkl's {"input_data": [[...]]}, {"<name>": {"dims": [...],
"data": [...]}}, an ONNX TensorProto .pb, or a directory of input_<i>.pb. Several --input
files fill the model's inputs in order. A zoo model without --input uses its first sample.

Options:
  --input <file>       an input file (repeatable)
  --backend <b>        engine | native (default engine)
  --scale-bits <n>     fixed-point scale 2^n (default: the zoo model's setting, else ${DEFAULT_SCALE_BITS});
                       auto: calibrate scale and value bits on the inputs (and a zoo model's samples)
                       to within 1% of onnxruntime (see opzk calibrate)
  --value-bits <n>     activation range in bits (default: the zoo model's setting, else ${DEFAULT_VALUE_BITS})
  --json               print {"backend","model","scaleBits","valueBits","outputs":[{"name","dims","data"[,"raw"]}]}`;

export interface ModelSettings {
  resolved: ResolveModelResult;
  scaleBits: number;
  valueBits: number;
  /** --scale-bits auto: scaleBits/valueBits are the defaults until calibrateCliSettings sets them. */
  autoScale?: boolean;
}

function parseBits(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be an integer, got '${value}'`);
  return n;
}

/** Resolves a zoo name or path and the fixed-point settings (flags, then the zoo's, then the defaults). */
export function resolveModelSettings(model: string, scaleBits?: string, valueBits?: string): ModelSettings {
  const resolved = resolveModel(model);
  if (scaleBits === 'auto') {
    if (valueBits !== undefined) throw new UsageError('--scale-bits auto chooses --value-bits too; drop --value-bits', { hint: 'or give both by hand' });
    return { resolved, scaleBits: DEFAULT_SCALE_BITS, valueBits: DEFAULT_VALUE_BITS, autoScale: true };
  }
  return {
    resolved,
    scaleBits: parseBits('--scale-bits', scaleBits) ?? resolved.metadata?.quantization.scaleBits ?? DEFAULT_SCALE_BITS,
    valueBits: parseBits('--value-bits', valueBits) ?? resolved.metadata?.quantization.valueBits ?? DEFAULT_VALUE_BITS,
  };
}

/**
 * The inputs of one inference: from --input files, or a zoo model's first sample. Integer inputs
 * (a Reshape's target shape) are among them: pass them to quantizeModel as runInputs.
 */
export function loadCliInputs(settings: ModelSettings, files: string[]): ReadInputsResult {
  if (files.length > 0) return readInputs({ files, graphInputs: readGraphInputs({ file: settings.resolved.file }) });
  if (!settings.resolved.metadata)
    throw new UsageError(`no --input given for '${settings.resolved.file}'`, { hint: 'pass --input <file.json|file.pb|dir> (see opzk infer --help)' });
  const sample = defaultInput({ name: settings.resolved.name });
  return Object.fromEntries(Object.entries(sample).map(([name, t]) => [name, { dims: t.dims, data: Array.from(t.data) }]));
}

/**
 * For --scale-bits auto: the settings calibration chooses on the run's inputs (if --input was
 * given) and a zoo model's samples, with the note saying what it chose (printed on stderr by
 * commands whose stdout is a report); otherwise the settings unchanged.
 */
export async function applyAutoScale(settings: ModelSettings, files: string[], inputs: ReadInputsResult): Promise<ModelSettings> {
  if (!settings.autoScale) return settings;
  const calibrated = await calibrateCliSettings({ settings, runInputs: files.length > 0 ? [inputs] : [] });
  console.error(describeCalibration(calibrated.calibration));
  return calibrated.settings;
}

export const command: CliCommand = {
  summary: 'run one inference (native float or fixed-point engine)',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('infer', argv, {
      input: { type: 'string', multiple: true },
      backend: { type: 'string', default: 'engine' },
      'scale-bits': { type: 'string' },
      'value-bits': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('infer: give exactly one model (a zoo name or an .onnx path)', { hint: "run 'opzk infer --help'" });
    const backend = values.backend;
    if (backend !== 'engine' && backend !== 'native') throw new UsageError(`infer: unknown backend '${backend}'`, { hint: 'use --backend engine or --backend native' });
    let settings = resolveModelSettings(positionals[0]!, values['scale-bits'], values['value-bits']);
    const inputs = loadCliInputs(settings, values.input ?? []);
    let calibration: CalibrateModelResult | undefined;
    if (settings.autoScale && backend === 'engine') ({ settings, calibration } = await calibrateCliSettings({ settings, runInputs: values.input?.length ? [inputs] : [] }));
    let outputs: { name: string; dims: number[]; data: number[]; raw?: number[] }[];
    let model: QuantizedModel | undefined;
    if (backend === 'native') {
      outputs = (await runNative({ file: settings.resolved.file, inputs })).outputs;
    } else {
      model = quantizeModel({ file: settings.resolved.file, name: settings.resolved.name, scaleBits: settings.scaleBits, valueBits: settings.valueBits, runInputs: inputs });
      const result = runEngine({ model, inputs: quantizeInputs({ model, inputs }) });
      outputs = result.outputs.map((o) => ({ name: o.name, dims: o.dims, data: dequantize({ data: o.data, scaleBits: settings.scaleBits }), raw: o.data }));
    }
    if (values.json) {
      console.log(JSON.stringify({ backend, model: settings.resolved.name, scaleBits: settings.scaleBits, valueBits: settings.valueBits, ...(calibration ? { calibration } : {}), outputs }));
      return 0;
    }
    console.log(`${settings.resolved.name} (${backend}${model ? `, scaleBits=${settings.scaleBits}, valueBits=${settings.valueBits}` : ''})`);
    if (calibration) console.log(`  ${describeCalibration(calibration)}`);
    for (const o of outputs) {
      const argmax = o.data.indexOf(Math.max(...o.data));
      console.log(`  ${o.name} [${o.dims}] = [${o.data.map((x) => +x.toFixed(6)).join(', ')}]${o.data.length > 1 ? `  argmax ${argmax}` : ''}`);
      if (o.raw) console.log(`  ${o.name} raw integers = [${o.raw.join(', ')}]`);
    }
    return 0;
  },
};
