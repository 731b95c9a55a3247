/**
 * What a gkr proof of one model commits to and checks, decided from the model's structure alone
 * (prover and verifier compute the same plan): which tensors are public (inputs, outputs), which
 * are committed per proof (every other activation; each rescaling layer's remainder; the limbs of
 * every range check, packed into one looked-up vector; the 256 lookup multiplicities), which
 * constants are committed once at setup, and every range check with its limb blocks.
 * An op or shape the protocol does not cover is an UnsupportedModelError naming the layer.
 */
import { UnsupportedModelError } from '../../errors.ts';
import { FLOAT_SAFE_ACC_BITS } from '../../quant/defaults.ts';
import type { QLayer, QuantizedModel } from '../../quant/types.ts';
import { TABLE_BITS, TABLE_SIZE } from '../lookup/proveLogUp.ts';
import { log2Ceil } from '../multilinear.ts';
import { layoutOf, sameLayout, type TensorLayout } from './layout.ts';
import { im2colMap, reshapeMap, transposeMap, windowMap, type ViewPlan } from './views.ts';

/** The ops the gkr prover proves (layers/). */
export const GKR_SUPPORTED_OPS = ['matmul', 'conv', 'relu', 'add', 'scalarMul', 'maxpool', 'avgpool', 'reshape', 'transpose'] as const;

/**
 * value: out + 2^(v−1); remainder: rem; nonNegative: out; gap: out − `gapOf` (a tensor or view);
 * remainderBound: (c − 1)·V − rem for avgpool's divisor c (V: the unpadded entries).
 */
export type RangeCheckKind = 'value' | 'remainder' | 'nonNegative' | 'gap' | 'remainderBound';

/** y ∈ [0, 2^bits) for a vector y derived from committed tensors, via 8-bit limbs. */
export interface RangeCheckPlan {
  label: string;
  layer: string;
  kind: RangeCheckKind;
  /** For 'gap': the tensor or view subtracted from the layer's output. */
  gapOf?: string;
  /** y has 2^numVariables entries (the tensor's padded layout). */
  numVariables: number;
  bits: number;
  /** Entry offset of each limb block (limb l = ⌊y / 256^l⌋ mod 256) in the looked-up vector. */
  limbOffsets: number[];
  /** When the top limb has fewer than 8 bits: offset of the block top·2^(8 − topBits), which proves top < 2^topBits. */
  topShiftOffset?: number;
  topBits: number;
}

export interface WitnessPolynomial {
  name: string;
  numVariables: number;
}

export interface GkrPlan {
  /** Layout of every activation tensor and constant, by name. */
  layouts: Map<string, TensorLayout>;
  /** Tensor → the polynomial that holds it (reshape outputs alias their input). */
  polynomialOf: Map<string, string>;
  /** Model inputs and outputs: the verifier evaluates their MLEs itself. */
  publicTensors: Set<string>;
  /** Constants committed at setup, in commitment order. */
  weightPolynomials: WitnessPolynomial[];
  /** Per-proof committed polynomials, in commitment order (the last two are the lookup's). */
  witnessPolynomials: WitnessPolynomial[];
  rangeChecks: RangeCheckPlan[];
  /** The looked-up vector has 2^lookupVariables entries. */
  lookupVariables: number;
  /** The layers in order, reshape included. */
  layers: QLayer[];
  /** Uncommitted re-indexings (views.ts) by name: non-trivial reshapes, im2col, pool windows. */
  views: Map<string, ViewPlan>;
}

export const LOOKUP_VALUES = 'lookup#values';
export const LOOKUP_MULTIPLICITIES = 'lookup#multiplicities';
export const remainderName = (layer: string): string => `${layer}#remainder`;
export const im2colName = (layer: string): string => `${layer}#im2col`;
export const windowName = (layer: string, window: number): string => `${layer}#window${window}`;

function unsupported(model: QuantizedModel, layer: QLayer, what: string, hint: string): never {
  throw new UnsupportedModelError(`model '${model.name}': layer '${layer.name}' (${layer.op}) ${what}, which the gkr prover does not support`, {
    details: { model: model.name, layer: layer.name, op: layer.op },
    hint,
  });
}

export function planModel(model: QuantizedModel): GkrPlan {
  const layouts = new Map<string, TensorLayout>();
  for (const [name, dims] of Object.entries(model.tensors)) layouts.set(name, layoutOf(dims));
  for (const [name, c] of Object.entries(model.constants)) layouts.set(name, layoutOf(c.dims));
  const publicTensors = new Set([...model.inputs.map((i) => i.name), ...model.outputs.map((o) => o.name)]);
  const polynomialOf = new Map<string, string>();
  for (const name of Object.keys(model.tensors)) polynomialOf.set(name, name);
  for (const name of Object.keys(model.constants)) polynomialOf.set(name, name);
  const isConstant = (name: string) => name in model.constants;
  const weightNames = new Set<string>();
  const witnessNames: string[] = [];
  const checks: Omit<RangeCheckPlan, 'limbOffsets' | 'topShiftOffset'>[] = [];
  const s = model.scaleBits;
  const v = model.valueBits;
  const views = new Map<string, ViewPlan>();
  const rangeCheck = (layer: QLayer, kind: RangeCheckKind, tensor: string, bits: number, gapOf?: string) => {
    const limbs = Math.ceil(bits / TABLE_BITS);
    const label = `${layer.name}/${kind}${gapOf && kind === 'gap' && gapOf.includes('#') ? gapOf.slice(gapOf.indexOf('#')) : ''}`;
    checks.push({ label, layer: layer.name, kind, gapOf, numVariables: layouts.get(tensor)!.numVariables, bits, topBits: bits - TABLE_BITS * (limbs - 1) });
  };
  const commitActivation = (name: string) => {
    if (!publicTensors.has(name) && !witnessNames.includes(name)) witnessNames.push(name);
  };

  for (const layer of model.layers) {
    switch (layer.op) {
      case 'matmul': {
        if (layer.accBits > FLOAT_SAFE_ACC_BITS)
          unsupported(model, layer, `has accumulators of ${layer.accBits} bits (> ${FLOAT_SAFE_ACC_BITS})`, 'lower --value-bits or --scale-bits so every accBits ≤ 52');
        const aDims = layouts.get(layer.a)!.dims.filter((d) => d !== 1);
        const bDims = layouts.get(layer.b)!.dims;
        const outDims = layouts.get(layer.out)!.dims.filter((d) => d !== 1);
        if (aDims.length > 2 || bDims.length !== 2 || outDims.length > 2)
          unsupported(model, layer, `multiplies [${layouts.get(layer.a)!.dims}] by [${bDims}] (batched or 1-D)`, 'the gkr matmul takes an [M, K] (or [1, K]) activation times a [K, N] matrix');
        if (layer.bias) {
          const biasDims = layouts.get(layer.bias)!.dims.filter((d) => d !== 1);
          const n = bDims[1];
          const m = aDims.length === 2 ? aDims[0] : 1;
          if (!(biasDims.length === 0 || (biasDims.length === 1 && biasDims[0] === n) || (m > 1 && biasDims.join() === `${m},${n}`)))
            unsupported(model, layer, `has a bias of dims [${layouts.get(layer.bias)!.dims}]`, 'the bias must be [N], [1, N] or the full [M, N]');
          weightNames.add(layer.bias);
        }
        for (const operand of [layer.a, layer.b]) {
          if (isConstant(operand)) weightNames.add(operand);
          else commitActivation(operand);
        }
        commitActivation(layer.out);
        witnessNames.push(remainderName(layer.name));
        layouts.set(remainderName(layer.name), layouts.get(layer.out)!);
        if (!publicTensors.has(layer.out)) rangeCheck(layer, 'value', layer.out, v);
        rangeCheck(layer, 'remainder', layer.out, s);
        break;
      }
      case 'scalarMul': {
        commitActivation(layer.input);
        commitActivation(layer.out);
        witnessNames.push(remainderName(layer.name));
        layouts.set(remainderName(layer.name), layouts.get(layer.out)!);
        if (!publicTensors.has(layer.out)) rangeCheck(layer, 'value', layer.out, v);
        rangeCheck(layer, 'remainder', layer.out, s);
        break;
      }
      case 'add': {
        const outLayout = layouts.get(layer.out)!;
        for (const operand of [layer.a, layer.b]) {
          if (layouts.get(operand)!.dims.join() !== outLayout.dims.join())
            unsupported(model, layer, `broadcasts [${layouts.get(operand)!.dims}] to [${outLayout.dims}]`, 'both addends must have the output’s dims');
          if (isConstant(operand)) weightNames.add(operand);
          else commitActivation(operand);
        }
        commitActivation(layer.out);
        if (!publicTensors.has(layer.out)) rangeCheck(layer, 'value', layer.out, v);
        break;
      }
      case 'relu': {
        commitActivation(layer.input);
        commitActivation(layer.out);
        // out ∈ [0, 2^v) (not 2^(v−1)): with out·(out − x) = 0 and out − x ≥ 0 it already forces
        // out ∈ {0, x} with out ≥ 0, and v bits are two whole limbs (no top-limb shift block).
        rangeCheck(layer, 'nonNegative', layer.out, v);
        rangeCheck(layer, 'gap', layer.out, v, layer.input);
        break;
      }
      case 'conv': {
        if (layer.accBits > FLOAT_SAFE_ACC_BITS)
          unsupported(model, layer, `has accumulators of ${layer.accBits} bits (> ${FLOAT_SAFE_ACC_BITS})`, 'lower --value-bits or --scale-bits so every accBits ≤ 52');
        const inDims = layouts.get(layer.input)!.dims;
        if (inDims.length !== 4 || inDims[0] !== 1) unsupported(model, layer, `has an input of dims [${inDims}]`, 'the gkr conv takes one [1, C, H, W] image');
        if ((layer.group ?? 1) !== 1) unsupported(model, layer, `has group = ${layer.group}`, 'the gkr conv (one im2col matmul) takes group = 1');
        if (views.has(layer.input)) unsupported(model, layer, 'reads a re-indexed (reshaped or transposed) tensor', 'convolve a tensor a layer computed');
        if (!isConstant(layer.weight)) unsupported(model, layer, `has a weight '${layer.weight}' given at run time`, 'the gkr conv commits its weight at setup: make the weight an initializer');
        if (!isConstant(layer.input)) commitActivation(layer.input);
        weightNames.add(layer.weight);
        if (layer.bias) weightNames.add(layer.bias);
        const { map, rows, cols } = im2colMap(layer, layouts.get(layer.input)!, layouts.get(layer.weight)!, layouts.get(layer.out)!);
        views.set(im2colName(layer.name), { name: im2colName(layer.name), source: layer.input, numVariables: log2Ceil(rows * cols), map });
        commitActivation(layer.out);
        witnessNames.push(remainderName(layer.name));
        layouts.set(remainderName(layer.name), layouts.get(layer.out)!);
        if (!publicTensors.has(layer.out)) rangeCheck(layer, 'value', layer.out, v);
        rangeCheck(layer, 'remainder', layer.out, s);
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const inLayout = layouts.get(layer.input)!;
        const outLayout = layouts.get(layer.out)!;
        const [, , H, W] = inLayout.dims;
        const [, , OH, OW] = outLayout.dims;
        const [kh, kw] = layer.kernel;
        const inside = (OH - 1) * layer.strides[0] + (kh - 1) * layer.dilations[0] < H && (OW - 1) * layer.strides[1] + (kw - 1) * layer.dilations[1] < W;
        if (layer.pads.some((p) => p !== 0) || !inside)
          unsupported(model, layer, 'has windows that reach into padding', 'the gkr pools take pads 0 and windows inside the input');
        if (views.has(layer.input)) unsupported(model, layer, 'reads a re-indexed (reshaped or transposed) tensor', 'pool a tensor a layer computed');
        commitActivation(layer.input);
        commitActivation(layer.out);
        for (let ky = 0, w = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++, w++) {
            const name = windowName(layer.name, w);
            views.set(name, { name, source: layer.input, numVariables: outLayout.numVariables, map: windowMap(layer, inLayout, outLayout, ky, kx) });
            if (layer.op === 'maxpool') rangeCheck(layer, 'gap', layer.out, v, name);
          }
        if (layer.op === 'avgpool') {
          // c·out + rem = Σ window + ⌊c/2⌋ with 0 ≤ rem < c (c = kh·kw: every window is inside)
          const c = kh * kw;
          const bits = Math.max(1, log2Ceil(c));
          witnessNames.push(remainderName(layer.name));
          layouts.set(remainderName(layer.name), outLayout);
          if (!publicTensors.has(layer.out)) rangeCheck(layer, 'value', layer.out, v);
          rangeCheck(layer, 'remainder', layer.out, bits);
          if (2 ** bits !== c) rangeCheck(layer, 'remainderBound', layer.out, bits);
        }
        break;
      }
      case 'reshape': {
        if (publicTensors.has(layer.out))
          unsupported(model, layer, 'reshapes into a model output', 'reshape an intermediate tensor instead');
        if (sameLayout(layouts.get(layer.input)!, layouts.get(layer.out)!)) {
          polynomialOf.set(layer.out, polynomialOf.get(layer.input)!);
          break;
        }
        polynomialOf.delete(layer.out);
        const outLayout = layouts.get(layer.out)!;
        views.set(layer.out, { name: layer.out, source: layer.input, numVariables: outLayout.numVariables, map: reshapeMap(layouts.get(layer.input)!, outLayout) });
        break;
      }
      case 'transpose': {
        const inLayout = layouts.get(layer.input)!;
        if (publicTensors.has(layer.out) || inLayout.dims.length !== 2)
          unsupported(model, layer, `transposes [${inLayout.dims}]${publicTensors.has(layer.out) ? ' into a model output' : ''}`, 'the gkr transpose takes a 2-D intermediate tensor');
        polynomialOf.delete(layer.out);
        const outLayout = layouts.get(layer.out)!;
        views.set(layer.out, { name: layer.out, source: layer.input, numVariables: outLayout.numVariables, map: transposeMap(inLayout, outLayout) });
        break;
      }
      default:
        unsupported(model, layer as QLayer, `uses op '${(layer as QLayer).op}'`, `supported ops: ${GKR_SUPPORTED_OPS.join(', ')}`);
    }
  }
  // Reshape outputs are not separate polynomials.
  const witness = witnessNames.filter((n) => (polynomialOf.get(n) === n || n.includes('#')) && !views.has(n));
  // Limb blocks, largest first so every block sits at an offset that is a multiple of its size.
  const blocks: { check: number; role: 'limb' | 'top'; limb: number; size: number }[] = [];
  checks.forEach((c, index) => {
    const limbs = Math.ceil(c.bits / TABLE_BITS);
    for (let l = 0; l < limbs; l++) blocks.push({ check: index, role: 'limb', limb: l, size: 2 ** c.numVariables });
    if (c.topBits < TABLE_BITS) blocks.push({ check: index, role: 'top', limb: limbs - 1, size: 2 ** c.numVariables });
  });
  const order = blocks.map((_, i) => i).sort((x, y) => blocks[y].size - blocks[x].size || x - y);
  const rangeChecks: RangeCheckPlan[] = checks.map((c) => ({ ...c, limbOffsets: [] }));
  let offset = 0;
  for (const i of order) {
    const b = blocks[i];
    if (b.role === 'limb') rangeChecks[b.check].limbOffsets[b.limb] = offset;
    else rangeChecks[b.check].topShiftOffset = offset;
    offset += b.size;
  }
  const lookupVariables = log2Ceil(Math.max(offset, 1));
  const numVariablesOf = (name: string) => layouts.get(name)!.numVariables;
  return {
    layouts,
    polynomialOf,
    publicTensors,
    weightPolynomials: [...weightNames].map((name) => ({ name, numVariables: numVariablesOf(name) })),
    witnessPolynomials: [
      ...witness.map((name) => ({ name, numVariables: numVariablesOf(name) })),
      { name: LOOKUP_VALUES, numVariables: lookupVariables },
      { name: LOOKUP_MULTIPLICITIES, numVariables: TABLE_BITS },
    ],
    rangeChecks,
    lookupVariables,
    layers: model.layers,
    views,
  };
}

export { TABLE_SIZE };
