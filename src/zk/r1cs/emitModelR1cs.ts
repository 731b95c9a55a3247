/**
 * QuantizedModel + settings → the model's circuit run through a Cs<T>: symbolic (the R1CS, built
 * once per circuit) or concrete (the witness of one inference). The same circuit as
 * generateCircuitSource's main template — same inputs, outputs, weight signals, public signal
 * order and layout — built from the gadgets of gadgets.ts instead of by circom, so that no
 * compiler's memory limits the model size (circom2's WebAssembly heap stops at 4 GiB: mlp-w1024).
 *
 * Supported: every op in DIRECT_LOWERINGS, weights constant/public/private, bounded Relu, public,
 * private or hashed inputs (InputCommitment: range checks, packing, PoseidonChain — poseidon.ts),
 * hashed weights (PoseidonChain over the weight signals), sigmoid, tanh and softmax (smooth.ts).
 * `--relu full` is circom's: an UnsupportedModelError says so, and builder 'auto' falls back to
 * circom.
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { QLayer, QuantizedModel } from '../../quant/types.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { CircuitLayout, CircuitSettings, TensorSignal } from '../generateCircuit.ts';
import { inputCommitmentConstraints, inputWordCount } from '../commitInput.ts';
import { POSEIDON_CHUNK_SIZE, poseidonChainConstraints } from '../commitWeights.ts';
import type { Cs } from './constraintSystem.ts';
import { checkMirroredTemplates } from './checkMirroredTemplates.ts';
import { rangeCheck } from './gadgets.ts';
import { DIRECT_LOWERINGS } from './layers/index.ts';
import { inputCommitment as commitInputs, poseidonChain } from './poseidon.ts';
import type { DirectContext, DirectEmitLayer } from './layers/types.ts';

export interface EmitModelR1csParameters<T> {
  cs: Cs<T>;
  model: QuantizedModel;
  settings: CircuitSettings;
}

export interface EmitModelR1csResult<T> {
  layout: CircuitLayout;
  /** The model outputs' signals, in output order, row-major. */
  outputs: T[][];
}

/** The settings (and values) the direct builder knows; anything else is circom's. */
const KNOWN_SETTINGS: Record<string, readonly unknown[]> = {
  weights: ['constant', 'public', 'private', 'hashed'],
  relu: ['bounded', 'full'],
  inputs: ['public', 'private', 'hashed', undefined],
  rangeCheckInputs: [true, false, undefined],
};

/** Throws UnsupportedModelError when the direct builder cannot build this model and settings. */
export function checkDirectSupport({ model, settings }: { model: QuantizedModel; settings: CircuitSettings }): void {
  const where = `model '${model.name}'`;
  checkMirroredTemplates();
  for (const [key, value] of Object.entries(settings))
    if (!Object.hasOwn(KNOWN_SETTINGS, key) || !KNOWN_SETTINGS[key]!.includes(value))
      throw new UnsupportedModelError(`${where}: the direct R1CS builder does not know the circuit setting ${key}=${JSON.stringify(value)}`, { hint: 'circom builds it (builder auto or circom)' });
  if (settings.relu === 'full' && model.layers.some((layer) => layer.op === 'relu'))
    throw new UnsupportedModelError(`${where}: the direct R1CS builder has no ReluFull (--relu full)`, { hint: 'circom builds it (builder auto or circom)' });
  for (const layer of model.layers)
    if (!Object.hasOwn(DIRECT_LOWERINGS, layer.op))
      throw new UnsupportedModelError(`${where}: layer '${layer.name}' uses op '${layer.op}', which the direct R1CS builder has no emitter for`, {
        details: { layer: layer.name, op: layer.op },
        hint: `circom builds it (builder auto or circom); direct: ${Object.keys(DIRECT_LOWERINGS).join(', ')}`,
      });
  // Conv variants added after the direct emitter was written (its Conv2D gadget reads channels
  // 0..C-1 and takes the weight from the model's constants).
  for (const layer of model.layers)
    if (layer.op === 'conv' && ((layer.group ?? 1) !== 1 || !Object.hasOwn(model.constants, layer.weight)))
      throw new UnsupportedModelError(`${where}: layer '${layer.name}' is a ${(layer.group ?? 1) !== 1 ? `grouped conv (group = ${layer.group})` : 'conv whose weight is given at run time'}, which the direct R1CS builder has no emitter for`, {
        details: { layer: layer.name, op: layer.op },
        hint: 'circom builds it (builder auto or circom)',
      });
}

export function emitModelR1cs<T>({ cs, model, settings }: EmitModelR1csParameters<T>): EmitModelR1csResult<T> {
  const full: Required<CircuitSettings> = { inputs: 'public', rangeCheckInputs: false, ...settings };
  checkDirectSupport({ model, settings: full });
  const v = model.valueBits;
  const where = (layer: QLayer) => `model '${model.name}': layer '${layer.name}'`;
  const tensors = new Map<string, T[]>();
  const dimsOf = (name: string): number[] => model.tensors[name] ?? model.constants[name]?.dims ?? [];

  const inputs: TensorSignal[] = model.inputs.map((input, index) => {
    const size = sizeOf(input.dims);
    const signal = `x${index}`;
    const elements = cs.input(signal, size, full.inputs === 'public' ? 'publicInput' : 'privateInput');
    elements.forEach((element, i) => cs.name(() => `main.${signal}[${i}]`, element));
    tensors.set(input.name, elements);
    return { name: input.name, signal, dims: input.dims, size };
  });
  // The circom main range-checks inputs right after declaring them (hashed inputs: inside InputCommitment).
  model.inputs.forEach((input, index) => {
    if (!(full.inputs === 'private' || (full.rangeCheckInputs && full.inputs !== 'hashed'))) return;
    tensors.get(input.name)!.forEach((element, i) => rangeCheck(cs, () => `main.range${index}[${i}]`, element, v));
  });
  // Hashed inputs: the public input `inputCommitment` (declared after the inputs, so the first
  // public input) equals InputCommitment over every input element, in input order.
  let inputCommitment: CircuitLayout['inputCommitment'];
  if (full.inputs === 'hashed') {
    const elements = model.inputs.flatMap((input) => tensors.get(input.name)!);
    if (elements.length === 0) throw new UnsupportedModelError(`model '${model.name}' has no input elements to commit to`, { hint: 'use --inputs public' });
    const [commitment] = cs.input('inputCommitment', 1, 'publicInput');
    cs.name(() => 'main.inputCommitment', commitment!);
    const computed = commitInputs(cs, () => 'main.committedInput', elements, v);
    cs.equal(computed, commitment!, () => `model '${model.name}': the input commitment (main.committedInput.out)`);
    const words = inputWordCount(elements.length, v);
    inputCommitment = { signal: 'inputCommitment', elements: elements.length, words, chunks: Math.ceil(words / POSEIDON_CHUNK_SIZE), constraints: inputCommitmentConstraints(elements.length, v) };
  }

  const parameters: TensorSignal[] = [];
  const parameterSignals = new Map<string, T[]>();
  const weightSignals = (constantName: string): T[] => {
    let signals = parameterSignals.get(constantName);
    if (!signals) {
      const constant = model.constants[constantName]!;
      const signal = `p${parameters.length}`;
      parameters.push({ name: constantName, signal, dims: constant.dims, size: constant.data.length });
      signals = cs.input(signal, constant.data.length, full.weights === 'public' ? 'publicInput' : 'privateInput');
      signals.forEach((element, i) => cs.name(() => `main.${signal}[${i}]`, element));
      parameterSignals.set(constantName, signals);
    }
    return signals;
  };
  const isConstant = (name: string) => name in model.constants && !(name in model.tensors);
  const operand = (name: string): T[] => {
    const activation = tensors.get(name);
    if (activation) return activation;
    const constant = model.constants[name];
    if (!constant) throw new UnsupportedModelError(`model '${model.name}': tensor '${name}' is used before it is computed`, { details: { tensor: name } });
    return full.weights === 'constant' ? constant.data.map((value) => cs.constant(value)) : weightSignals(name);
  };
  const context: DirectContext<T> = { cs, model, settings: full, dimsOf, isConstant, operand, weightSignals, where };
  model.layers.forEach((layer, index) => {
    const emit = DIRECT_LOWERINGS[layer.op] as DirectEmitLayer<QLayer>;
    const produced = emit({ context, layer, id: `l${index}` });
    const outSize = sizeOf(dimsOf(layer.out));
    if (produced.length !== outSize)
      throw new UnsupportedModelError(`${where(layer)}: the direct builder computes ${produced.length} elements, dims [${dimsOf(layer.out)}] need ${outSize}`, { details: { layer: layer.name } });
    tensors.set(layer.out, produced);
  });

  const outputSignals: T[][] = [];
  const outputs: TensorSignal[] = model.outputs.map((output, index) => {
    const size = sizeOf(output.dims);
    const signal = `y${index}`;
    const elements = tensors.get(output.name);
    if (!elements) throw new UnsupportedModelError(`model '${model.name}': output '${output.name}' is never computed`, { details: { output: output.name } });
    const values = elements.slice(0, size);
    for (const element of values) cs.output(element);
    values.forEach((element, i) => cs.name(() => `main.${signal}[${i}]`, element));
    outputSignals.push(values);
    return { name: output.name, signal, dims: output.dims, size };
  });

  // Hashed weights: the public input `weightsCommitment` (declared last) equals PoseidonChain over
  // every weight signal, in declaration order (signed values as field elements).
  let commitment: CircuitLayout['commitment'];
  if (full.weights === 'hashed') {
    const elements = parameters.flatMap((parameter) => parameterSignals.get(parameter.name)!);
    if (elements.length === 0) throw new UnsupportedModelError(`model '${model.name}' has no weights to commit to`, { hint: 'use --weights constant or private' });
    const [given] = cs.input('weightsCommitment', 1, 'publicInput');
    cs.name(() => 'main.weightsCommitment', given!);
    const computed = poseidonChain(cs, () => 'main.commitment', elements);
    cs.equal(computed, given!, () => `model '${model.name}': the weight commitment (main.commitment.out)`);
    commitment = { signal: 'weightsCommitment', elements: elements.length, chunks: Math.ceil(elements.length / POSEIDON_CHUNK_SIZE), constraints: poseidonChainConstraints(elements.length) };
  }

  const publicSignalCount =
    outputs.reduce((sum, o) => sum + o.size, 0) +
    (full.inputs === 'public' ? inputs.reduce((sum, i) => sum + i.size, 0) : 0) +
    (inputCommitment ? 1 : 0) +
    (full.weights === 'public' ? parameters.reduce((sum, p) => sum + p.size, 0) : 0) +
    (commitment ? 1 : 0);
  return {
    layout: { settings: full, scaleBits: model.scaleBits, valueBits: v, inputs, outputs, parameters, commitment, inputCommitment, publicSignalCount },
    outputs: outputSignals,
  };
}
