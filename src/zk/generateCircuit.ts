/**
 * QuantizedModel + settings → the main `.circom` of that model, written into the build cache
 * (`.cache/zk/<content-hash>/main.circom`, never into circuits/), plus its layout (which signal
 * holds which tensor) for building inputs and reading outputs.
 *
 * How a model becomes a circuit: every activation tensor is a list of Circom expressions, one
 * per element (a main input `x0[i]`, a component output `l3[0].out[m][n]`, or an integer
 * literal); each layer instantiates a template from circuits/ and wires its elements in;
 * reshape/flatten/transpose only re-order the list (free). The settings choose:
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
 * Outputs are always public. Public signals, in snarkjs order: the outputs (model output order,
 * row-major), then the public inputs in declaration order: model inputs, weight tensors
 * (public mode), weightsCommitment (hashed mode).
 */
import { UnsupportedModelError } from '../errors.ts';
import { broadcastOffsets, broadcastShapes } from '../tensor/broadcastShapes.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { AvgPoolLayer, ConvLayer, MatMulLayer, MaxPoolLayer, QLayer, QuantizedModel } from '../quant/types.ts';
import { POSEIDON_CHUNK_SIZE, poseidonChainConstraints } from './commitWeights.ts';
import { writeCircuitSource } from './writeCircuitSource.ts';

export type WeightMode = 'constant' | 'public' | 'private' | 'hashed';
export const WEIGHT_MODES: readonly WeightMode[] = ['constant', 'public', 'private', 'hashed'];
export type ReluVariant = 'bounded' | 'full';
export const RELU_VARIANTS: readonly ReluVariant[] = ['bounded', 'full'];
export type InputVisibility = 'public' | 'private';

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

const SUPPORTED_OPS = ['matmul', 'conv', 'add', 'scalarMul', 'relu', 'maxpool', 'avgpool', 'reshape', 'transpose'];

export async function generateCircuit({ model, settings, cacheDir }: GenerateCircuitParameters): Promise<GenerateCircuitResult> {
  const { source, layout } = generateCircuitSource({ model, settings });
  const written = await writeCircuitSource({ source, cacheDir, extraFiles: { 'layout.json': `${JSON.stringify(layout, null, 2)}\n` } });
  return { ...written, layout };
}

/** A Circom array literal of integers in the given (row-major) shape. */
function arrayLiteral(data: ArrayLike<number>, dims: number[]): string {
  if (dims.length === 0) return String(data[0]);
  const [first, ...rest] = dims;
  const stride = sizeOf(rest);
  const parts: string[] = [];
  for (let i = 0; i < first!; i++) parts.push(arrayLiteral(Array.prototype.slice.call(data, i * stride, (i + 1) * stride), rest));
  return `[${parts.join(',')}]`;
}

export function generateCircuitSource({ model, settings }: { model: QuantizedModel; settings: CircuitSettings }): CircuitSource {
  const full: Required<CircuitSettings> = { inputs: 'public', rangeCheckInputs: false, ...settings };
  const s = model.scaleBits;
  const v = model.valueBits;
  const where = (layer: QLayer) => `model '${model.name}': layer '${layer.name}'`;
  for (const layer of model.layers)
    if (!SUPPORTED_OPS.includes(layer.op))
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
    if (full.inputs === 'private' || full.rangeCheckInputs) {
      body.push(`    // range check of input '${input.name}'`, `    component range${index}[${size}];`);
      for (let i = 0; i < size; i++) body.push(`    range${index}[${i}] = RangeCheck(${v}); range${index}[${i}].in <== ${signal}[${i}];`);
    }
    return { name: input.name, signal, dims: input.dims, size };
  });

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

  model.layers.forEach((layer, index) => {
    const id = `l${index}`;
    body.push(`    // ${layer.op} '${layer.name}' → '${layer.out}'`);
    const outDims = dimsOf(layer.out);
    const outSize = sizeOf(outDims);
    switch (layer.op) {
      case 'matmul':
        tensors.set(layer.out, emitMatMul(layer, id));
        break;
      case 'conv':
        tensors.set(layer.out, emitConv(layer, id));
        break;
      case 'maxpool':
      case 'avgpool':
        tensors.set(layer.out, emitPool(layer, id));
        break;
      case 'add': {
        const a = operand(layer.a);
        const b = operand(layer.b);
        const aOffsets = broadcastOffsets(dimsOf(layer.a), outDims);
        const bOffsets = broadcastOffsets(dimsOf(layer.b), outDims);
        body.push(`    component ${id}[${outSize}];`);
        for (let i = 0; i < outSize; i++)
          body.push(`    ${id}[${i}] = Add(${v}); ${id}[${i}].a <== ${a[aOffsets[i]!]}; ${id}[${i}].b <== ${b[bOffsets[i]!]};`);
        tensors.set(layer.out, Array.from({ length: outSize }, (_, i) => `${id}[${i}].out`));
        break;
      }
      case 'scalarMul':
      case 'relu': {
        const input = operand(layer.input);
        const template = layer.op === 'scalarMul' ? `ScalarMul(${layer.factor}, ${s}, ${v})` : full.relu === 'full' ? 'ReluFull()' : `Relu(${v})`;
        body.push(`    component ${id}[${outSize}];`);
        for (let i = 0; i < outSize; i++) body.push(`    ${id}[${i}] = ${template}; ${id}[${i}].in <== ${input[i]};`);
        tensors.set(layer.out, Array.from({ length: outSize }, (_, i) => `${id}[${i}].out`));
        break;
      }
      case 'reshape':
        tensors.set(layer.out, operand(layer.input));
        break;
      case 'transpose': {
        const input = operand(layer.input);
        const inDims = dimsOf(layer.input);
        if (inDims.length !== 2)
          throw new UnsupportedModelError(`${where(layer)}: transpose of a ${inDims.length}-D tensor`, { details: { layer: layer.name, dims: inDims }, hint: 'only 2-D transposes are supported' });
        const [rows, columns] = inDims as [number, number];
        const out: string[] = [];
        for (let j = 0; j < columns; j++) for (let i = 0; i < rows; i++) out.push(input[i * columns + j]!);
        tensors.set(layer.out, out);
        break;
      }
    }
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
    (full.weights === 'public' ? parameters.reduce((sum, p) => sum + p.size, 0) : 0) +
    (commitment ? 1 : 0);
  const includes = ['Add', 'AvgPool', 'Conv2D', 'Gemm', 'MaxPool', 'PoseidonChain', 'RangeCheck', 'Relu', 'ReluFull', 'ScalarMul'];
  const source = [
    'pragma circom 2.1.0;',
    `// Generated by src/zk/generateCircuit.ts from model '${model.name}' (${model.hash})`,
    `// settings: weights=${full.weights} relu=${full.relu} inputs=${full.inputs} rangeCheckInputs=${full.rangeCheckInputs}; scaleBits=${s} valueBits=${v}`,
    ...includes.filter((name) => name !== 'PoseidonChain' || full.weights === 'hashed').map((name) => `include "${name}.circom";`),
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
    layout: { settings: full, scaleBits: s, valueBits: v, inputs, outputs, parameters, commitment, publicSignalCount },
  };

  // ---- layer emitters (closures over the generator state) ----

  function emitMatMul(layer: MatMulLayer, id: string): string[] {
    const aDims = dimsOf(layer.a);
    const bDims = dimsOf(layer.b);
    const a2 = aDims.length === 1 ? [1, aDims[0]!] : aDims;
    const b2 = bDims.length === 1 ? [bDims[0]!, 1] : bDims;
    const M = a2[a2.length - 2]!;
    const K = a2[a2.length - 1]!;
    const N = b2[b2.length - 1]!;
    const batchDims = broadcastShapes({ shapes: [a2.slice(0, -2), b2.slice(0, -2)], where: where(layer) });
    const batches = sizeOf(batchDims);
    const aOffsets = broadcastOffsets(a2.slice(0, -2), batchDims);
    const bOffsets = broadcastOffsets(b2.slice(0, -2), batchDims);
    const outDims = dimsOf(layer.out);
    const aConstant = isConstant(layer.a);
    const bConstant = isConstant(layer.b);
    if (aConstant && bConstant)
      throw new UnsupportedModelError(`${where(layer)}: both operands are constants`, { details: { layer: layer.name }, hint: 'fold it at import' });
    const biasOffsets = layer.bias ? broadcastOffsets(dimsOf(layer.bias), outDims) : undefined;
    const biasData = layer.bias ? model.constants[layer.bias]!.data : undefined;
    const a = operand(layer.a);
    const b = operand(layer.b);
    const biasSignals = layer.bias && full.weights !== 'constant' ? weightSignals(layer.bias) : undefined;
    const out = new Array<string>(batches * M * N);
    body.push(`    component ${id}[${batches}];`);
    for (let batch = 0; batch < batches; batch++) {
      const aBase = aOffsets[batch]! * M * K;
      const bBase = bOffsets[batch]! * K * N;
      const oBase = batch * M * N;
      const component = `${id}[${batch}]`;
      const biasAt = (m: number, n: number) => (biasOffsets ? biasOffsets[oBase + m * N + n]! : -1);
      if (full.weights === 'constant' && (aConstant || bConstant)) {
        // GemmConst takes the constant on the right; a constant left operand is handled as
        // (bᵀ · aᵀ)ᵀ, re-ordering the wiring only.
        const [rows, inner, columns] = bConstant ? [M, K, N] : [N, K, M];
        const constantData = model.constants[bConstant ? layer.b : layer.a]!.data;
        const weight: number[] = [];
        for (let k = 0; k < inner; k++)
          for (let j = 0; j < columns; j++) weight.push(bConstant ? constantData[bBase + k * N + j]! : constantData[aBase + j * K + k]!);
        const bias: number[] = [];
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < columns; j++) {
            const at = bConstant ? biasAt(i, j) : biasAt(j, i);
            bias.push(at >= 0 ? biasData![at]! : 0);
          }
        body.push(`    var ${id}w${batch}[${inner}][${columns}] = ${arrayLiteral(weight, [inner, columns])};`);
        body.push(`    var ${id}b${batch}[${rows}][${columns}] = ${arrayLiteral(bias, [rows, columns])};`);
        body.push(`    ${component} = GemmConst(${rows}, ${inner}, ${columns}, ${id}w${batch}, ${id}b${batch}, ${s}, ${v});`);
        for (let i = 0; i < rows; i++)
          for (let k = 0; k < inner; k++)
            body.push(`    ${component}.a[${i}][${k}] <== ${bConstant ? a[aBase + i * K + k] : b[bBase + k * N + i]};`);
        for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) out[oBase + m * N + n] = bConstant ? `${component}.out[${m}][${n}]` : `${component}.out[${n}][${m}]`;
      } else {
        body.push(`    ${component} = Gemm(${M}, ${K}, ${N}, ${s}, ${v});`);
        for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) body.push(`    ${component}.a[${m}][${k}] <== ${a[aBase + m * K + k]};`);
        for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) body.push(`    ${component}.b[${k}][${n}] <== ${b[bBase + k * N + n]};`);
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            const at = biasAt(m, n);
            body.push(`    ${component}.bias[${m}][${n}] <== ${at < 0 ? '0' : biasSignals ? biasSignals[at] : biasData![at]};`);
            out[oBase + m * N + n] = `${component}.out[${m}][${n}]`;
          }
      }
    }
    return out;
  }

  function emitConv(layer: ConvLayer, id: string): string[] {
    const inDims = dimsOf(layer.input);
    const weightDims = dimsOf(layer.weight);
    const outDims = dimsOf(layer.out);
    if (inDims.length !== 4 || weightDims.length !== 4 || outDims.length !== 4)
      throw new UnsupportedModelError(`${where(layer)}: only 2-D convolutions on NCHW tensors are supported`, { details: { layer: layer.name, dims: inDims } });
    const [batches, C, H, W] = inDims as [number, number, number, number];
    const [M, , KH, KW] = weightDims as [number, number, number, number];
    const [, , OH, OW] = outDims as [number, number, number, number];
    const input = operand(layer.input);
    const geometry = `[${layer.pads.join(',')}], [${layer.strides.join(',')}], [${layer.dilations.join(',')}]`;
    const biasData = layer.bias ? model.constants[layer.bias]!.data : new Array<number>(M).fill(0);
    const out = new Array<string>(batches * M * OH * OW);
    body.push(`    component ${id}[${batches}];`);
    let weightSignalList: string[] | undefined;
    let biasSignalList: string[] | undefined;
    if (full.weights === 'constant') {
      body.push(`    var ${id}w[${M}][${C}][${KH}][${KW}] = ${arrayLiteral(model.constants[layer.weight]!.data, [M, C, KH, KW])};`);
      body.push(`    var ${id}b[${M}] = ${arrayLiteral(biasData, [M])};`);
    } else {
      weightSignalList = weightSignals(layer.weight);
      if (layer.bias) biasSignalList = weightSignals(layer.bias);
    }
    for (let n = 0; n < batches; n++) {
      const component = `${id}[${n}]`;
      if (full.weights === 'constant') {
        body.push(`    ${component} = Conv2DConst(${C}, ${H}, ${W}, ${M}, ${KH}, ${KW}, ${OH}, ${OW}, ${geometry}, ${id}w, ${id}b, ${s}, ${v});`);
      } else {
        body.push(`    ${component} = Conv2D(${C}, ${H}, ${W}, ${M}, ${KH}, ${KW}, ${OH}, ${OW}, ${geometry}, ${s}, ${v});`);
        let i = 0;
        for (let m = 0; m < M; m++)
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) body.push(`    ${component}.weight[${m}][${c}][${ky}][${kx}] <== ${weightSignalList![i++]};`);
        for (let m = 0; m < M; m++) body.push(`    ${component}.bias[${m}] <== ${biasSignalList ? biasSignalList[m] : 0};`);
      }
      for (let c = 0; c < C; c++)
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) body.push(`    ${component}.in[${c}][${y}][${x}] <== ${input[((n * C + c) * H + y) * W + x]};`);
      for (let m = 0; m < M; m++)
        for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[((n * M + m) * OH + y) * OW + x] = `${component}.out[${m}][${y}][${x}]`;
    }
    return out;
  }

  function emitPool(layer: MaxPoolLayer | AvgPoolLayer, id: string): string[] {
    const inDims = dimsOf(layer.input);
    const outDims = dimsOf(layer.out);
    if (inDims.length !== 4 || outDims.length !== 4)
      throw new UnsupportedModelError(`${where(layer)}: only 2-D pooling on NCHW tensors is supported`, { details: { layer: layer.name, dims: inDims } });
    const [batches, C, H, W] = inDims as [number, number, number, number];
    const [, , OH, OW] = outDims as [number, number, number, number];
    const input = operand(layer.input);
    const geometry = `${layer.kernel[0]}, ${layer.kernel[1]}, ${OH}, ${OW}, [${layer.pads.join(',')}], [${layer.strides.join(',')}], [${layer.dilations.join(',')}]`;
    const template = layer.op === 'maxpool' ? `MaxPool(${C}, ${H}, ${W}, ${geometry}, ${v})` : `AvgPool(${C}, ${H}, ${W}, ${geometry}, ${layer.countIncludePad ? 1 : 0}, ${v})`;
    const out = new Array<string>(batches * C * OH * OW);
    body.push(`    component ${id}[${batches}];`);
    for (let n = 0; n < batches; n++) {
      const component = `${id}[${n}]`;
      body.push(`    ${component} = ${template};`);
      for (let c = 0; c < C; c++)
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) body.push(`    ${component}.in[${c}][${y}][${x}] <== ${input[((n * C + c) * H + y) * W + x]};`);
      for (let c = 0; c < C; c++)
        for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[((n * C + c) * OH + y) * OW + x] = `${component}.out[${c}][${y}][${x}]`;
    }
    return out;
  }
}
