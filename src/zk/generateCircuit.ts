/**
 * QuantizedModel + settings → the main `.circom` of that model, written into the build cache
 * (`.cache/zk/<content-hash>/main.circom`, never into circuits/), plus its layout (which signal
 * holds which tensor) for building inputs and reading outputs.
 *
 * How a model becomes a circuit: every activation tensor is a list of Circom expressions, one
 * per element (a main input `x0[i]`, a component output `l3[0].out[m][n]`, or an integer
 * literal); each layer's lowering in src/zk/layers/ (one file per op) instantiates a template
 * from circuits/ and wires its elements in; reshape/flatten/transpose only re-order the list
 * (free). The settings choose:
 *   weights  constant  weights and biases are template parameters: dot products are linear and
 *                      vanish under --O2 (free in R1CS); the verifier trusts the circuit.
 *            public    every weight tensor is a public input `p<k>[]` (a product per term).
 *            private   every weight tensor is a private input (a product per term); the proof
 *                      says "some weights give this output".
 *            hashed    private, plus one public input `weightsCommitment` = PoseidonChain over
 *                      all weight tensors in order (circuits/PoseidonChain.circom,
 *                      commitWeights.ts), which binds the proof to committed weights.
 *   relu     bounded   Relu(v): v + 1 constraints, needs the input in range (it is).
 *            full      ReluFull: circomlib-ml's 517-constraint construction.
 *   inputs   public (default): the verifier sees what was inferred; the range check of the
 *                      inputs is then the verifier's (buildCircuitInput checks it before
 *                      proving, verifyProof({ layout }) after; any other consumer of the proof
 *                      must check -2^(v-1) <= x < 2^(v-1) itself, at no constraint cost)
 *                      unless rangeCheckInputs.
 *            private   inputs are witness and are range-checked in the circuit (v each).
 *            hashed    inputs are witness; one public input `inputCommitment` = Poseidon over
 *                      the range-checked, packed inputs (circuits/InputCommitment.circom,
 *                      commitInput.ts): the verifier sees a commitment, the data is posted
 *                      beside it (CommittedInputRegistry), not in the public signals.
 * Outputs are always public. Public signals, in snarkjs order: the outputs (model output order,
 * row-major), then the public inputs in declaration order: model inputs (public mode) or
 * inputCommitment (hashed mode), weight tensors (public mode), weightsCommitment (hashed mode).
 */
import { UnsupportedModelError } from '../errors.ts';
import type { QLayer, QuantizedModel } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { POSEIDON_CHUNK_SIZE, poseidonChainConstraints } from './commitWeights.ts';
import { inputCommitmentConstraints, inputsPerWord, inputWordCount } from './commitInput.ts';
import { CIRCUIT_LOWERINGS } from './layers/index.ts';
import type { CircuitContext, EmitLayer } from './layers/types.ts';
import { writeCircuitSource } from './writeCircuitSource.ts';

export type WeightMode = 'constant' | 'public' | 'private' | 'hashed';
export const WEIGHT_MODES: readonly WeightMode[] = ['constant', 'public', 'private', 'hashed'];
export type ReluVariant = 'bounded' | 'full';
export const RELU_VARIANTS: readonly ReluVariant[] = ['bounded', 'full'];
export type InputVisibility = 'public' | 'private' | 'hashed';
export const INPUT_VISIBILITIES: readonly InputVisibility[] = ['public', 'private', 'hashed'];

export interface CircuitSettings {
  weights: WeightMode;
  relu: ReluVariant;
  /** Default 'public'. */
  inputs?: InputVisibility;
  /** Range-check public inputs in the circuit too (private inputs always are). Default false. */
  rangeCheckInputs?: boolean;
}

export interface TensorSignal {
  /** The model's tensor name. */
  name: string;
  /** The main template's signal (flat, row-major). */
  signal: string;
  dims: number[];
  size: number;
}

export interface CircuitLayout {
  settings: Required<CircuitSettings>;
  scaleBits: number;
  valueBits: number;
  inputs: TensorSignal[];
  outputs: TensorSignal[];
  /** Weight tensors fed as signals (every mode but constant), in declaration (and hash) order. */
  parameters: TensorSignal[];
  /** Hashed mode: the public input holding the commitment, and its share of the constraints. */
  commitment?: { signal: string; elements: number; chunks: number; constraints: number };
  /**
   * Hashed inputs: the public input holding the input commitment, the elements it covers (all
   * model inputs, in order), the packed words and Poseidon(16) chunks, and its share of the
   * constraints (range checks included: inputCommitmentConstraints).
   */
  inputCommitment?: { signal: string; elements: number; words: number; chunks: number; constraints: number };
  /** Number of public signals (outputs + public inputs). */
  publicSignalCount: number;
}

export interface GenerateCircuitParameters {
  model: QuantizedModel;
  settings: CircuitSettings;
  cacheDir?: string;
}

export interface GenerateCircuitResult {
  circuitFile: string;
  dir: string;
  hash: string;
  layout: CircuitLayout;
}

/** Everything the generator decides, without touching the disk (for tests and size checks). */
export interface CircuitSource {
  source: string;
  layout: CircuitLayout;
}

const SUPPORTED_OPS = Object.keys(CIRCUIT_LOWERINGS);

export async function generateCircuit({ model, settings, cacheDir }: GenerateCircuitParameters): Promise<GenerateCircuitResult> {
  const { source, layout } = generateCircuitSource({ model, settings });
  const written = await writeCircuitSource({ source, cacheDir, extraFiles: { 'layout.json': `${JSON.stringify(layout, null, 2)}\n` } });
  return { ...written, layout };
}

export function generateCircuitSource({ model, settings }: { model: QuantizedModel; settings: CircuitSettings }): CircuitSource {
  const full: Required<CircuitSettings> = { inputs: 'public', rangeCheckInputs: false, ...settings };
  const s = model.scaleBits;
  const v = model.valueBits;
  const where = (layer: QLayer) => `model '${model.name}': layer '${layer.name}'`;
  for (const layer of model.layers)
    if (!Object.hasOwn(CIRCUIT_LOWERINGS, layer.op))
      throw new UnsupportedModelError(`${where(layer)} uses op '${layer.op}', which the circuits cannot express`, {
        details: { layer: layer.name, op: layer.op },
        hint: `supported: ${SUPPORTED_OPS.join(', ')}`,
      });

  const declarations: string[] = [];
  const body: string[] = [];
  const publicNames: string[] = [];
  /** Tensor name → one Circom expression per element. */
  const tensors = new Map<string, string[]>();
  const dimsOf = (name: string): number[] => model.tensors[name] ?? model.constants[name]?.dims ?? [];

  // Model inputs.
  const inputs: TensorSignal[] = model.inputs.map((input, index) => {
    const size = sizeOf(input.dims);
    const signal = `x${index}`;
    declarations.push(`    signal input ${signal}[${size}];`);
    if (full.inputs === 'public') publicNames.push(signal);
    tensors.set(input.name, Array.from({ length: size }, (_, i) => `${signal}[${i}]`));
    // Hashed inputs are range-checked inside InputCommitment (its packing needs it).
    if (full.inputs === 'private' || (full.rangeCheckInputs && full.inputs !== 'hashed')) {
      body.push(`    // range check of input '${input.name}'`, `    component range${index}[${size}];`);
      for (let i = 0; i < size; i++) body.push(`    range${index}[${i}] = RangeCheck(${v}); range${index}[${i}].in <== ${signal}[${i}];`);
    }
    return { name: input.name, signal, dims: input.dims, size };
  });
  // Hashed inputs: the commitment is the first public input after the outputs (where the inputs
  // would be), so its index is the output count.
  let inputCommitment: CircuitLayout['inputCommitment'];
  if (full.inputs === 'hashed') {
    const elements = inputs.reduce((sum, input) => sum + input.size, 0);
    if (elements === 0) throw new UnsupportedModelError(`model '${model.name}' has no input elements to commit to`, { hint: 'use --inputs public' });
    const words = inputWordCount(elements, v);
    inputCommitment = { signal: 'inputCommitment', elements, words, chunks: Math.ceil(words / POSEIDON_CHUNK_SIZE), constraints: inputCommitmentConstraints(elements, v) };
    declarations.push('    signal input inputCommitment;');
    publicNames.push('inputCommitment');
    body.push(`    // Poseidon commitment over the ${elements} input elements (range-checked, packed ${inputsPerWord(v)} per word)`, `    component committedInput = InputCommitment(${elements}, ${v});`);
    let offset = 0;
    for (const input of inputs) for (let i = 0; i < input.size; i++) body.push(`    committedInput.in[${offset++}] <== ${input.signal}[${i}];`);
    body.push('    committedInput.out === inputCommitment;');
  }

  // Weight tensors as signals (every mode but constant), declared on first use.
  const parameters: TensorSignal[] = [];
  const parameterSignals = new Map<string, string>();
  const weightSignals = (constantName: string): string[] => {
    const constant = model.constants[constantName]!;
    let signal = parameterSignals.get(constantName);
    if (!signal) {
      signal = `p${parameters.length}`;
      parameterSignals.set(constantName, signal);
      parameters.push({ name: constantName, signal, dims: constant.dims, size: constant.data.length });
      declarations.push(`    signal input ${signal}[${constant.data.length}];`);
      if (full.weights === 'public') publicNames.push(signal);
    }
    return constant.data.map((_, i) => `${signal}[${i}]`);
  };
  const isConstant = (name: string) => name in model.constants && !(name in model.tensors);
  /** An operand's element expressions: activation, literal constant, or weight signals. */
  const operand = (name: string): string[] => {
    const activation = tensors.get(name);
    if (activation) return activation;
    const constant = model.constants[name];
    if (!constant) throw new UnsupportedModelError(`model '${model.name}': tensor '${name}' is used before it is computed`, { details: { tensor: name } });
    return full.weights === 'constant' ? constant.data.map(String) : weightSignals(name);
  };

  const context: CircuitContext = { model, settings: full, body, dimsOf, isConstant, operand, weightSignals, where };
  model.layers.forEach((layer, index) => {
    const id = `l${index}`;
    body.push(`    // ${layer.op} '${layer.name}' → '${layer.out}'`);
    const outDims = dimsOf(layer.out);
    const outSize = sizeOf(outDims);
    const emit = CIRCUIT_LOWERINGS[layer.op].emit as EmitLayer<QLayer>;
    tensors.set(layer.out, emit({ context, layer, id }));
    const produced = tensors.get(layer.out)!;
    if (produced.length !== outSize)
      throw new UnsupportedModelError(`${where(layer)}: the circuit computes ${produced.length} elements, dims [${outDims}] need ${outSize}`, { details: { layer: layer.name } });
  });

  // Outputs.
  const outputs: TensorSignal[] = model.outputs.map((output, index) => {
    const size = sizeOf(output.dims);
    const signal = `y${index}`;
    const elements = tensors.get(output.name);
    if (!elements) throw new UnsupportedModelError(`model '${model.name}': output '${output.name}' is never computed`, { details: { output: output.name } });
    declarations.push(`    signal output ${signal}[${size}];`);
    body.push(`    // output '${output.name}'`);
    for (let i = 0; i < size; i++) body.push(`    ${signal}[${i}] <== ${elements[i]};`);
    return { name: output.name, signal, dims: output.dims, size };
  });

  // Hashed mode: one commitment over every weight tensor, in declaration order.
  let commitment: CircuitLayout['commitment'];
  if (full.weights === 'hashed') {
    const elements = parameters.reduce((sum, parameter) => sum + parameter.size, 0);
    if (elements === 0) throw new UnsupportedModelError(`model '${model.name}' has no weights to commit to`, { hint: "use --weights constant or private" });
    commitment = { signal: 'weightsCommitment', elements, chunks: Math.ceil(elements / POSEIDON_CHUNK_SIZE), constraints: poseidonChainConstraints(elements) };
    declarations.push('    signal input weightsCommitment;');
    publicNames.push('weightsCommitment');
    body.push(`    // Poseidon commitment over the ${elements} weights`, `    component commitment = PoseidonChain(${elements});`);
    let offset = 0;
    for (const parameter of parameters)
      for (let i = 0; i < parameter.size; i++) body.push(`    commitment.in[${offset++}] <== ${parameter.signal}[${i}];`);
    body.push('    commitment.out === weightsCommitment;');
  }

  const publicSignalCount =
    outputs.reduce((sum, o) => sum + o.size, 0) +
    (full.inputs === 'public' ? inputs.reduce((sum, i) => sum + i.size, 0) : 0) +
    (inputCommitment ? 1 : 0) +
    (full.weights === 'public' ? parameters.reduce((sum, p) => sum + p.size, 0) : 0) +
    (commitment ? 1 : 0);
  // Every lowering's templates (not only the ones this model uses: one include list for all models).
  const includes = [...new Set([...Object.values(CIRCUIT_LOWERINGS).flatMap((lowering) => lowering.includes), 'PoseidonChain', 'RangeCheck', 'InputCommitment'])].sort();
  const source = [
    'pragma circom 2.1.0;',
    `// Generated by src/zk/generateCircuit.ts from model '${model.name}' (${model.hash})`,
    `// settings: weights=${full.weights} relu=${full.relu} inputs=${full.inputs} rangeCheckInputs=${full.rangeCheckInputs}; scaleBits=${s} valueBits=${v}`,
    ...includes
      .filter((name) => (name !== 'PoseidonChain' || full.weights === 'hashed') && (name !== 'InputCommitment' || full.inputs === 'hashed'))
      .map((name) => `include "${name}.circom";`),
    '',
    'template Model() {',
    ...declarations,
    ...body,
    '}',
    '',
    `component main${publicNames.length ? ` {public [${publicNames.join(', ')}]}` : ''} = Model();`,
    '',
  ].join('\n');
  return {
    source,
    layout: { settings: full, scaleBits: s, valueBits: v, inputs, outputs, parameters, commitment, inputCommitment, publicSignalCount },
  };
}
