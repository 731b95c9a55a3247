/**
 * `opzk calibrate <model> [--input <file>]... [--tolerance 0.01] [--json]`: chooses scaleBits and
 * valueBits from sample inputs, as EZKL's calibrate-settings does (src/quant/calibrateModel.ts),
 * and says what it chose, the error it measured and every scale it tried.
 */
import { UsageError } from '../../errors.ts';
import { readGraphInputs } from '../../onnx/loadOnnxModel.ts';
import { readInputs } from '../../onnx/readInputs.ts';
import { calibrateCliSettings, CALIBRATION_SAMPLES, describeCalibration } from '../calibrateCliSettings.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { resolveModelSettings } from './infer.ts';

const help = `Usage: opzk calibrate <model.onnx | zoo name> [--input <file>]... [--tolerance <fraction>] [--json]

Chooses the fixed-point settings of a model from sample inputs (as EZKL's calibrate-settings):
for scaleBits = 2, 3, … it quantizes the model, runs the engine on every sample and compares
with onnxruntime; the first scale whose largest error is within tolerance/2 of the largest
output (a margin for inputs other than the samples) wins, with valueBits = the bits every
tensor of every sample needs plus 1 bit of headroom. Prints the choice, the measured error and
every scale tried. Use the choice with --scale-bits/--value-bits, or pass --scale-bits auto to
infer, prove and dispute to calibrate on the fly.

Samples: each --input file (JSON, .pb or a directory of input_<i>.pb; see opzk infer --help) is
one sample holding all of the model's inputs; a zoo model adds its first ${CALIBRATION_SAMPLES} own samples.

Options:
  --input <file>          one sample (repeatable)
  --tolerance <fraction>  largest error allowed relative to the largest output (default 0.01)
  --json                  print {"model","scaleBits","valueBits","maxAbsError","relativeError",
                          "tolerance","margin","headroomBits","samples","samplesSource","candidates"}`;

export const command: CliCommand = {
  summary: 'choose scaleBits and valueBits from sample inputs (within 1% of onnxruntime)',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('calibrate', argv, {
      input: { type: 'string', multiple: true },
      tolerance: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('calibrate: give exactly one model (a zoo name or an .onnx path)', { hint: "run 'opzk calibrate --help'" });
    const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
    if (tolerance !== undefined && !(tolerance > 0 && tolerance < 1))
      throw new UsageError(`calibrate: --tolerance must be a fraction between 0 and 1, got '${values.tolerance}'`, { hint: 'e.g. --tolerance 0.01 for 1%' });
    const settings = resolveModelSettings(positionals[0]!);
    const graphInputs = (values.input ?? []).length > 0 ? readGraphInputs({ file: settings.resolved.file }) : [];
    const runInputs = (values.input ?? []).map((file) => readInputs({ files: [file], graphInputs }));
    if (runInputs.length === 0 && !settings.resolved.metadata)
      throw new UsageError(`calibrate: no sample input for '${settings.resolved.file}'`, { hint: 'pass --input <file> (one per sample); zoo models bring their own samples' });
    const { calibration } = await calibrateCliSettings({ settings, runInputs, tolerance });
    if (values.json) {
      console.log(JSON.stringify({ model: settings.resolved.name, ...calibration }));
      return 0;
    }
    console.log(`${settings.resolved.name}: ${describeCalibration(calibration)}`);
    console.log('  scaleBits  error (of largest output)  valueBits needed');
    for (const c of calibration.candidates)
      console.log(`  ${String(c.scaleBits).padStart(9)}  ${c.refused ? c.refused : `${(c.relativeError! * 100).toPrecision(3).padStart(8)}%`.padEnd(26)}  ${c.neededValueBits ?? ''}`);
    return 0;
  },
};
