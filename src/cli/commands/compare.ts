/**
 * `opzk compare <model> [--inputs N]`: the native float model vs the fixed-point engine over N
 * inputs (zoo models: their sample inputs, e.g. held-out MNIST digits; other models: seeded
 * uniform random inputs in [-1, 1]) — largest absolute error, argmax agreement, overflows.
 */
import { OverflowError, UsageError } from '../../errors.ts';
import { createEngine } from '../../engine/createEngine.ts';
import { dequantize } from '../../engine/dequantize.ts';
import { createNativeSession } from '../../native/createNativeSession.ts';
import { sizeOf } from '../../onnx/types.ts';
import { quantizeInputs } from '../../quant/quantizeInputs.ts';
import { quantizeModel } from '../../quant/quantizeModel.ts';
import { sampleInputs } from '../../zoo/sampleInputs.ts';
import { createPrng } from '../../zoo/createPrng.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { resolveModelSettings } from './infer.ts';

const RANDOM_SEED = 1;

const help = `Usage: opzk compare <model.onnx | zoo name> [--inputs N] [options]

Runs the float model (onnxruntime-node) and the fixed-point engine on the same N inputs and
reports the largest and mean absolute error of the dequantized engine outputs, how often the
argmax of the first output agrees, and how many inputs the engine rejected (OverflowError).
Zoo models use their sample inputs (MNIST: held-out digits); other models use uniform random
inputs in [-1, 1] from a fixed seed (${RANDOM_SEED}).

Options:
  --inputs <n>         number of inputs (default 100)
  --scale-bits <n>     fixed-point scale 2^n (default: the zoo model's setting, else the default)
  --value-bits <n>     activation range in bits
  --json               print one JSON object`;

function argmax(data: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
  return best;
}

export const command: CliCommand = {
  summary: 'compare the native float model with the fixed-point engine',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('compare', argv, {
      inputs: { type: 'string', default: '100' },
      'scale-bits': { type: 'string' },
      'value-bits': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('compare: give exactly one model (a zoo name or an .onnx path)', { hint: "run 'opzk compare --help'" });
    const count = Number(values.inputs);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`compare: --inputs must be a positive integer, got '${values.inputs}'`);
    const settings = resolveModelSettings(positionals[0]!, values['scale-bits'], values['value-bits']);
    if (settings.autoScale)
      throw new UsageError('compare: --scale-bits auto is not taken here (compare measures one fixed setting)', { hint: `run 'opzk calibrate ${positionals[0]}' and pass its --scale-bits/--value-bits` });
    const { resolved, scaleBits, valueBits } = settings;
    const model = quantizeModel({ file: resolved.file, name: resolved.name, scaleBits, valueBits });

    let samples: Record<string, { dims: number[]; data: ArrayLike<number> }>[];
    let source: string;
    if (resolved.metadata) {
      const result = sampleInputs({ name: resolved.name, count });
      samples = result;
      source = result.source;
    } else {
      const random = createPrng({ seed: RANDOM_SEED }).next;
      samples = Array.from({ length: count }, () =>
        Object.fromEntries(model.inputs.map((i) => [i.name, { dims: i.dims, data: Array.from({ length: sizeOf(i.dims) }, () => random() * 2 - 1) }])),
      );
      source = `uniform random in [-1, 1], seed ${RANDOM_SEED}`;
    }

    const engine = createEngine({ model });
    const session = await createNativeSession({ file: resolved.file });
    let maxAbsError = 0;
    let sumAbsError = 0;
    let compared = 0;
    let agree = 0;
    let overflows = 0;
    try {
      for (const sample of samples) {
        const native = await session.run(sample);
        let engineOutputs;
        try {
          engineOutputs = engine.run(quantizeInputs({ model, inputs: sample })).outputs;
        } catch (error) {
          if (error instanceof OverflowError) { overflows++; continue; }
          throw error;
        }
        engineOutputs.forEach((o, index) => {
          const real = dequantize({ data: o.data, scaleBits });
          const reference = native[index]!.data;
          for (let i = 0; i < real.length; i++) {
            const error = Math.abs(real[i]! - reference[i]!);
            maxAbsError = Math.max(maxAbsError, error);
            sumAbsError += error;
            compared++;
          }
          if (index === 0 && argmax(real) === argmax(reference)) agree++;
        });
      }
    } finally {
      await session.close();
    }
    const ran = samples.length - overflows;
    const report = {
      model: resolved.name,
      file: resolved.file,
      scaleBits,
      valueBits,
      inputs: samples.length,
      source,
      maxAbsError,
      meanAbsError: compared ? sumAbsError / compared : 0,
      argmaxAgreement: ran ? agree / ran : 0,
      overflows,
    };
    if (values.json) {
      console.log(JSON.stringify(report));
      return 0;
    }
    console.log(`${report.model}: native (onnxruntime, float) vs engine (scaleBits=${scaleBits}, valueBits=${valueBits}) on ${report.inputs} inputs (${source})`);
    console.log(`  max |error|     ${maxAbsError.toPrecision(4)}`);
    console.log(`  mean |error|    ${report.meanAbsError.toPrecision(4)}`);
    console.log(`  argmax agrees   ${agree}/${ran} (${(report.argmaxAgreement * 100).toFixed(2)}%)`);
    console.log(`  overflows       ${overflows}`);
    return 0;
  },
};
