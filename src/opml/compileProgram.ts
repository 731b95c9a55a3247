/**
 * Owns the compilation of a QuantizedModel into a trace-VM program: a straight-line list of
 * scalar instructions (executeInstruction.ts) over one word memory, its memory layout (input
 * region, output region — both aligned subtrees — constants, activations), the initial memory
 * image without the input, the program Merkle tree and the model root. Reshape and flatten are
 * address maps, transpose too (no steps); every matmul/conv output costs K MACs + 1 RESCALE, so
 * the step count stays near the MAC count. Weights, biases and constant addends are instruction
 * immediates (proven by the program proof), so memory holds only inputs and activations and a
 * weight MAC touches one memory word. Semantics: docs/fixed-point.md, bit for bit with the
 * engine (src/engine/).
 */
import type { Hex } from 'viem';
import { ShapeError, UnsupportedModelError } from '../errors.ts';
import { broadcastOffsets, broadcastShapes } from '../onnx/broadcastShapes.ts';
import type { QLayer, QOp, QuantizedModel } from '../quant/types.ts';
import { VmFlag, VmOp, type VmInstruction } from './executeInstruction.ts';
import { buildMerkleTree, encodeSafeInteger, hashLeaf, keccakBytes, rootOf, siblingsOf, toHex, type Hash, type MerkleTree } from './merkle.ts';
import { headerOf, modelRootOf, type VmLayout, type VmModelHeader } from './vmState.ts';
import { concatMap, padMap, transposeMap } from '../tensor/reindex.ts';

/** Layers that only re-map addresses (no steps): their output is never written in place. */
const VIEW_OPS: ReadonlySet<QOp> = new Set(['transpose', 'concat', 'pad']);

export interface CompileProgramParameters {
  model: QuantizedModel;
}

/** A region of memory holding one model input or output, row-major. */
export interface VmTensorRegion {
  name: string;
  dims: number[];
  offset: number;
  length: number;
}

/** The steps of one model layer (reshape/transpose have none). */
export interface VmProgramLayer {
  name: string;
  op: QOp | 'copy';
  /** The tensor the layer writes. */
  tensor: string;
  firstStep: number;
  stepCount: number;
  /** Address of the layer output's element 0 (outputs are contiguous), -1 if no steps. */
  outBase: number;
}

export interface VmProgram {
  modelName: string;
  /** QuantizedModel.hash of the compiled model. */
  modelHash: string;
  scaleBits: number;
  valueBits: number;
  totalSteps: number;
  /** Instructions, column by column (compact for millions of steps); see instructionAt. */
  columns: { op: Uint8Array; flags: Uint8Array; dst: Uint32Array; a: Uint32Array; b: Uint32Array; imm: Float64Array };
  memoryDepth: number;
  programDepth: number;
  /** Words [0, usedLength) of the initial memory without the input (input region zero); the rest is zero. */
  initialMemory: Float64Array;
  usedLength: number;
  inputs: VmTensorRegion[];
  outputs: VmTensorRegion[];
  layers: VmProgramLayer[];
  /** The registered model (Solidity VmLayout). */
  layout: VmLayout;
  header: VmModelHeader;
  modelRoot: Hex;
  /** The program Merkle tree (leaves keccak256(abi.encode(instruction)), padding bytes32(0)). */
  programTree: MerkleTree;
  /** The Merkle tree of the initial memory without the input (createTrace copies it and rehashes
   * only the input subtree and its path). */
  memoryTree: MerkleTree;
}

export type CompileProgramResult = VmProgram;

export function instructionAt(program: VmProgram, step: number): VmInstruction {
  const c = program.columns;
  return { op: c.op[step], flags: c.flags[step], dst: c.dst[step], a: c.a[step], b: c.b[step], imm: BigInt(c.imm[step]) };
}

/** The layer that step `step` belongs to (binary search over firstStep). */
export function layerOfStep(program: VmProgram, step: number): VmProgramLayer {
  const layers = program.layers.filter((layer) => layer.stepCount > 0);
  let low = 0;
  let high = layers.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (layers[middle].firstStep <= step) low = middle;
    else high = middle - 1;
  }
  return layers[low];
}

export function ceilLog2(n: number): number {
  let depth = 0;
  while (2 ** depth < n) depth++;
  return depth;
}

const sizeOf = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** Growable instruction columns. */
class Emitter {
  length = 0;
  op = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  dst = new Uint32Array(1024);
  a = new Uint32Array(1024);
  b = new Uint32Array(1024);
  imm = new Float64Array(1024);
  emit(op: number, flags: number, dst: number, a: number, b: number, imm = 0): void {
    if (this.length === this.op.length) {
      const grow = <T extends Uint8Array | Uint32Array | Float64Array>(array: T): T => {
        const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.op = grow(this.op); this.flags = grow(this.flags); this.dst = grow(this.dst);
      this.a = grow(this.a); this.b = grow(this.b); this.imm = grow(this.imm);
    }
    const i = this.length++;
    this.op[i] = op; this.flags[i] = flags; this.dst[i] = dst; this.a[i] = a; this.b[i] = b; this.imm[i] = imm;
  }
}

const instructionScratch = new Uint8Array(192);
function hashInstructionBytes(op: number, flags: number, dst: number, a: number, b: number, imm: number): Hash {
  encodeSafeInteger(op, instructionScratch, 0);
  encodeSafeInteger(flags, instructionScratch, 32);
  encodeSafeInteger(dst, instructionScratch, 64);
  encodeSafeInteger(a, instructionScratch, 96);
  encodeSafeInteger(b, instructionScratch, 128);
  encodeSafeInteger(imm, instructionScratch, 160);
  return keccakBytes(instructionScratch);
}

/** Padding of the program tree: bytes32(0) leaves. */
function programPadding(depth: number): Hash[] {
  const table: Hash[] = [new Uint8Array(32)];
  const pair = new Uint8Array(64);
  for (let level = 1; level <= depth; level++) {
    pair.set(table[level - 1], 0);
    pair.set(table[level - 1], 32);
    table.push(keccakBytes(pair));
  }
  return table;
}

export function compileProgram({ model }: CompileProgramParameters): CompileProgramResult {
  const where = (layer: QLayer) => `model '${model.name}': layer '${layer.name}' (${layer.op})`;
  const dimsOf = (name: string): number[] => {
    const dims = model.tensors[name] ?? model.constants[name]?.dims;
    if (!dims) throw new ShapeError(`model '${model.name}': tensor '${name}' has no dims`, { hint: 'the quantized model is inconsistent; re-quantize it', details: { tensor: name } });
    return dims;
  };

  // Regions: inputs at 0, outputs in the next aligned subtree, then constants and activations.
  const inputs: VmTensorRegion[] = [];
  let inputLength = 0;
  for (const input of model.inputs) {
    const length = sizeOf(input.dims);
    inputs.push({ name: input.name, dims: input.dims, offset: inputLength, length });
    inputLength += length;
  }
  const inputDepth = ceilLog2(Math.max(1, inputLength));
  const outputs: VmTensorRegion[] = [];
  let outputLength = 0;
  for (const output of model.outputs) {
    const length = sizeOf(output.dims);
    outputs.push({ name: output.name, dims: output.dims, offset: 0, length });
    outputLength += length;
  }
  const outputDepth = ceilLog2(Math.max(1, outputLength));
  const outputOffset = Math.ceil(2 ** inputDepth / 2 ** outputDepth) * 2 ** outputDepth;
  let cursor = 0;
  for (const output of outputs) { output.offset = outputOffset + cursor; cursor += output.length; }
  let next = outputOffset + 2 ** outputDepth;

  const memory: number[] = [];
  const views = new Map<string, Uint32Array>();
  const contiguous = (base: number, length: number) => Uint32Array.from({ length }, (_, i) => base + i);
  for (const input of inputs) views.set(input.name, contiguous(input.offset, input.length));

  // A single output produced (through reshapes only) by a layer that writes it is allocated in
  // the output region directly; anything else is copied there at the end.
  const producer = new Map<string, QLayer>(model.layers.map((layer) => [layer.out, layer]));
  const preassigned = new Map<string, number>();
  const claimed = new Set<string>();
  for (const output of outputs) {
    let tensor = output.name;
    let layer = producer.get(tensor);
    while (layer && layer.op === 'reshape') { tensor = layer.input; layer = producer.get(tensor); }
    if (layer && !VIEW_OPS.has(layer.op) && !claimed.has(tensor) && sizeOf(dimsOf(tensor)) === output.length) {
      claimed.add(tensor);
      preassigned.set(tensor, output.offset);
    }
  }

  const viewOf = (name: string, layer: QLayer): Uint32Array => {
    const known = views.get(name);
    if (known) return known;
    const constant = model.constants[name];
    if (!constant)
      throw new ShapeError(`${where(layer)}: operand '${name}' is neither an activation computed before nor a constant`, {
        hint: 'layers must be topologically ordered',
        details: { layer: layer.name, tensor: name },
      });
    const view = contiguous(next, constant.data.length);
    for (let i = 0; i < constant.data.length; i++) memory[next + i] = constant.data[i];
    next += constant.data.length;
    views.set(name, view);
    return view;
  };
  const constantOf = (name: string, layer: QLayer) => {
    const constant = model.constants[name];
    if (!constant)
      throw new UnsupportedModelError(`${where(layer)}: '${name}' must be a constant`, {
        hint: 'weights and biases of conv, and biases of matmul, are constants in a quantized model',
        details: { layer: layer.name, tensor: name },
      });
    return constant;
  };
  /** One memory word holding `value` (a pad fill, a clip bound), shared by every use. */
  const constantWords = new Map<number, number>();
  const constantWord = (value: number): number => {
    let addr = constantWords.get(value);
    if (addr === undefined) {
      addr = next++;
      memory[addr] = value;
      constantWords.set(value, addr);
    }
    return addr;
  };
  const allocate = (name: string): Uint32Array => {
    const length = sizeOf(dimsOf(name));
    const base = preassigned.get(name);
    if (base !== undefined) return contiguous(base, length);
    const view = contiguous(next, length);
    next += length;
    return view;
  };

  const emitter = new Emitter();
  const layers: VmProgramLayer[] = [];

  for (const layer of model.layers) {
    const firstStep = emitter.length;
    const outDims = dimsOf(layer.out);
    const outSize = sizeOf(outDims);
    let out: Uint32Array;
    switch (layer.op) {
      case 'reshape': {
        const input = viewOf(layer.input, layer);
        if (input.length !== outSize)
          throw new ShapeError(`${where(layer)}: reshape of ${input.length} elements to [${outDims}]`, { hint: 'the element count must not change', details: { layer: layer.name } });
        views.set(layer.out, input);
        layers.push({ name: layer.name, op: layer.op, tensor: layer.out, firstStep, stepCount: 0, outBase: -1 });
        continue;
      }
      case 'transpose':
      case 'concat':
      case 'pad': {
        // Address maps (src/tensor/reindex.ts): no steps; a pad fill reads one constant word.
        let view: Uint32Array;
        if (layer.op === 'transpose') {
          const input = viewOf(layer.input, layer);
          view = Uint32Array.from(transposeMap(dimsOf(layer.input), layer.perm ?? [1, 0]), (source) => input[source]);
        } else if (layer.op === 'concat') {
          const operands = layer.inputs.map((name) => viewOf(name, layer));
          const { operand, index } = concatMap(layer.inputs.map(dimsOf), layer.axis);
          view = Uint32Array.from(operand, (k, i) => operands[k][index[i]]);
        } else {
          const input = viewOf(layer.input, layer);
          const map = padMap(dimsOf(layer.input), layer.pads, layer.mode);
          const fill = map.some((source) => source < 0) ? constantWord(layer.value) : 0;
          view = Uint32Array.from(map, (source) => (source < 0 ? fill : input[source]));
        }
        views.set(layer.out, view);
        layers.push({ name: layer.name, op: layer.op, tensor: layer.out, firstStep, stepCount: 0, outBase: -1 });
        continue;
      }
      case 'matmul': {
        // A constant operand becomes the immediate of MAC (IMM); if both are constants, `a` goes to memory.
        const bConstant = model.constants[layer.b];
        const aConstant = bConstant ? undefined : model.constants[layer.a];
        const A = aConstant ? undefined : viewOf(layer.a, layer);
        const B = bConstant ? undefined : viewOf(layer.b, layer);
        const aDims = dimsOf(layer.a);
        const bDims = dimsOf(layer.b);
        const a2 = aDims.length === 1 ? [1, aDims[0]] : aDims;
        const b2 = bDims.length === 1 ? [bDims[0], 1] : bDims;
        const M = a2[a2.length - 2];
        const K = a2[a2.length - 1];
        const N = b2[b2.length - 1];
        if (b2[b2.length - 2] !== K)
          throw new ShapeError(`${where(layer)}: [${aDims}] × [${bDims}] do not multiply`, { hint: 'inner dimensions must match', details: { layer: layer.name } });
        const batchDims = broadcastShapes({ shapes: [a2.slice(0, -2), b2.slice(0, -2)], where: where(layer) });
        const batches = sizeOf(batchDims);
        if (batches * M * N !== outSize)
          throw new ShapeError(`${where(layer)}: output [${outDims}] does not hold ${batches}×${M}×${N}`, { hint: 're-quantize the model', details: { layer: layer.name } });
        const aOffsets = broadcastOffsets(a2.slice(0, -2), batchDims);
        const bOffsets = broadcastOffsets(b2.slice(0, -2), batchDims);
        const bias = layer.bias ? constantOf(layer.bias, layer) : undefined;
        const biasOffsets = layer.bias ? broadcastOffsets(dimsOf(layer.bias), outDims) : undefined;
        out = allocate(layer.out);
        for (let batch = 0; batch < batches; batch++) {
          const aBase = aOffsets[batch] * M * K;
          const bBase = bOffsets[batch] * K * N;
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) {
              const o = batch * M * N + i * N + j;
              for (let k = 0; k < K; k++) {
                const ai = aBase + i * K + k;
                const bi = bBase + k * N + j;
                if (bConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], A![ai], 0, bConstant.data[bi]);
                else if (aConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], B![bi], 0, aConstant.data[ai]);
                else emitter.emit(VmOp.MAC, 0, out[o], A![ai], B![bi]);
              }
              emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias.data[biasOffsets![o]] : 0);
            }
        }
        break;
      }
      case 'conv': {
        const input = viewOf(layer.input, layer);
        const weight = constantOf(layer.weight, layer).data;
        const bias = layer.bias ? constantOf(layer.bias, layer).data : undefined;
        const [N, inChannels, H, W] = dimsOf(layer.input);
        const [M, C, kh, kw] = dimsOf(layer.weight);
        const [ON, OM, OH, OW] = outDims;
        const group = layer.group ?? 1;
        if (C * group !== inChannels || M % group !== 0 || ON !== N || OM !== M)
          throw new UnsupportedModelError(`${where(layer)}: input [${N},${inChannels},${H},${W}], weight [${M},${C},${kh},${kw}], output [${outDims}] do not fit group = ${group}`, { hint: 're-quantize the model', details: { layer: layer.name } });
        const filtersPerGroup = M / group;
        const [pt, pl] = layer.pads;
        const [sy, sx] = layer.strides;
        const [dy, dx] = layer.dilations;
        out = allocate(layer.out);
        let o = 0;
        for (let n = 0; n < N; n++)
          for (let m = 0; m < M; m++)
            for (let oy = 0; oy < OH; oy++)
              for (let ox = 0; ox < OW; ox++, o++) {
                const channelBase = n * inChannels + Math.floor(m / filtersPerGroup) * C;
                for (let c = 0; c < C; c++)
                  for (let ky = 0; ky < kh; ky++) {
                    const iy = oy * sy + ky * dy - pt;
                    if (iy < 0 || iy >= H) continue;
                    for (let kx = 0; kx < kw; kx++) {
                      const ix = ox * sx + kx * dx - pl;
                      if (ix < 0 || ix >= W) continue;
                      emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], input[((channelBase + c) * H + iy) * W + ix], 0, weight[((m * C + c) * kh + ky) * kw + kx]);
                    }
                  }
                emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias[m] : 0);
              }
        break;
      }
      case 'add': {
        // A constant addend becomes the immediate of ADD (IMM). Two activations are added as
        // ACC A; ACC B; AVG 1 (acc = A + B, then mem[dst] = range(acc), acc = 0): the same
        // integers as ADD A B, but every step touches at most two memory words, so no one-step
        // proof carries three Merkle paths (ADD A B's would make the game's step transaction
        // ~104k gas, over the 100k bound; see README "opML: the dispute game").
        const swap = model.constants[layer.a] !== undefined && model.constants[layer.b] === undefined;
        const [first, second] = swap ? [layer.b, layer.a] : [layer.a, layer.b];
        const A = viewOf(first, layer);
        const constant = model.constants[second];
        const B = constant ? undefined : viewOf(second, layer);
        const aOffsets = broadcastOffsets(dimsOf(first), outDims);
        const bOffsets = broadcastOffsets(dimsOf(second), outDims);
        out = allocate(layer.out);
        for (let o = 0; o < outSize; o++) {
          if (constant) emitter.emit(VmOp.ADD, VmFlag.IMM, out[o], A[aOffsets[o]], 0, constant.data[bOffsets[o]]);
          else {
            emitter.emit(VmOp.ACC, 0, out[o], A[aOffsets[o]], 0);
            emitter.emit(VmOp.ACC, 0, out[o], B![bOffsets[o]], 0);
            emitter.emit(VmOp.AVG, 0, out[o], 0, 0, 1);
          }
        }
        break;
      }
      case 'scalarMul': {
        const X = viewOf(layer.input, layer);
        out = allocate(layer.out);
        for (let o = 0; o < outSize; o++) emitter.emit(VmOp.SCALE, 0, out[o], X[o], 0, layer.factor);
        break;
      }
      case 'mul': {
        // MAC (IMM for a constant b) then RESCALE with the bias as immediate: rescale(a·b + bias).
        const A = viewOf(layer.a, layer);
        const bConstant = model.constants[layer.b];
        const B = bConstant ? undefined : viewOf(layer.b, layer);
        const bias = layer.bias ? constantOf(layer.bias, layer) : undefined;
        const aOffsets = broadcastOffsets(dimsOf(layer.a), outDims);
        const bOffsets = broadcastOffsets(dimsOf(layer.b), outDims);
        const biasOffsets = layer.bias ? broadcastOffsets(dimsOf(layer.bias), outDims) : undefined;
        out = allocate(layer.out);
        for (let o = 0; o < outSize; o++) {
          if (bConstant) emitter.emit(VmOp.MAC, VmFlag.IMM, out[o], A[aOffsets[o]], 0, bConstant.data[bOffsets[o]]);
          else emitter.emit(VmOp.MAC, 0, out[o], A[aOffsets[o]], B![bOffsets[o]]);
          emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0, bias ? bias.data[biasOffsets![o]] : 0);
        }
        break;
      }
      case 'clip': {
        // acc = x; acc = max(acc, min); mem[dst] = min(acc, max): the bounds are constant words.
        const X = viewOf(layer.input, layer);
        const low = constantWord(layer.min);
        const high = constantWord(layer.max);
        out = allocate(layer.out);
        for (let o = 0; o < outSize; o++) {
          emitter.emit(VmOp.MAX, VmFlag.FIRST, out[o], X[o], 0);
          emitter.emit(VmOp.MAX, 0, out[o], low, 0);
          emitter.emit(VmOp.MAX, VmFlag.MIN | VmFlag.STORE, out[o], high, 0);
        }
        break;
      }
      case 'leakyRelu': {
        // r = rescale(x·alpha) into a scratch word, then max(x, r): with 0 ≤ alpha ≤ 2^s that is
        // x for x ≥ 0 (r ≤ x) and r for x < 0 (r ≥ x), the engine's x ≥ 0 ? x : r.
        const X = viewOf(layer.input, layer);
        out = allocate(layer.out);
        const scratch = next++;
        for (let o = 0; o < outSize; o++) {
          emitter.emit(VmOp.SCALE, 0, scratch, X[o], 0, layer.alpha);
          emitter.emit(VmOp.MAX, VmFlag.FIRST, out[o], X[o], 0);
          emitter.emit(VmOp.MAX, VmFlag.STORE, out[o], scratch, 0);
        }
        break;
      }
      case 'relu': {
        const X = viewOf(layer.input, layer);
        out = allocate(layer.out);
        for (let o = 0; o < outSize; o++) emitter.emit(VmOp.RELU, 0, out[o], X[o], 0);
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const X = viewOf(layer.input, layer);
        const [N, C, H, W] = dimsOf(layer.input);
        const [, , OH, OW] = outDims;
        const [kh, kw] = layer.kernel;
        const [pt, pl, pb, pr] = layer.pads;
        const [sy, sx] = layer.strides;
        const [dy, dx] = layer.dilations;
        out = allocate(layer.out);
        let o = 0;
        for (let plane = 0; plane < N * C; plane++)
          for (let oy = 0; oy < OH; oy++)
            for (let ox = 0; ox < OW; ox++, o++) {
              const inside: number[] = [];
              let padded = 0;
              for (let ky = 0; ky < kh; ky++) {
                const iy = oy * sy + ky * dy - pt;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = ox * sx + kx * dx - pl;
                  if (iy >= -pt && iy < H + pb && ix >= -pl && ix < W + pr) padded++;
                  if (iy >= 0 && iy < H && ix >= 0 && ix < W) inside.push(X[plane * H * W + iy * W + ix]);
                }
              }
              const count = layer.op === 'avgpool' && layer.countIncludePad ? padded : inside.length;
              if (inside.length === 0 || count === 0) {
                // The engine writes 0 for an empty window; RESCALE of acc = 0 writes 0.
                emitter.emit(VmOp.RESCALE, 0, out[o], 0, 0);
              } else if (layer.op === 'maxpool') {
                inside.forEach((addr, i) =>
                  emitter.emit(VmOp.MAX, (i === 0 ? VmFlag.FIRST : 0) | (i === inside.length - 1 ? VmFlag.STORE : 0), out[o], addr, 0));
              } else {
                for (const addr of inside) emitter.emit(VmOp.ACC, 0, out[o], addr, 0);
                emitter.emit(VmOp.AVG, 0, out[o], 0, 0, count);
              }
            }
        break;
      }
      default:
        throw new UnsupportedModelError(`model '${model.name}': layer '${(layer as QLayer).name}' has op '${(layer as QLayer).op}', which the opML VM does not implement`, {
          hint: 'supported: matmul, conv, add, scalarMul, relu, maxpool, avgpool, reshape, transpose, mul, clip, leakyRelu, concat, pad',
          details: { layer: (layer as QLayer).name },
        });
    }
    views.set(layer.out, out);
    layers.push({ name: layer.name, op: layer.op, tensor: layer.out, firstStep, stepCount: emitter.length - firstStep, outBase: out[0] ?? -1 });
  }

  // Outputs not produced in place are copied into the output region.
  for (const output of outputs) {
    const view = views.get(output.name);
    if (!view)
      throw new ShapeError(`model '${model.name}': output '${output.name}' is never computed`, { hint: 're-quantize the model', details: { tensor: output.name } });
    if (view.every((addr, i) => addr === output.offset + i)) continue;
    const firstStep = emitter.length;
    view.forEach((addr, i) => emitter.emit(VmOp.COPY, 0, output.offset + i, addr, 0));
    layers.push({ name: `output '${output.name}'`, op: 'copy', tensor: output.name, firstStep, stepCount: view.length, outBase: output.offset });
  }

  const totalSteps = emitter.length;
  if (totalSteps === 0)
    throw new UnsupportedModelError(`model '${model.name}' has no computing layer`, { hint: 'the opML VM needs at least one step' });
  const usedLength = next;
  const memoryDepth = Math.max(1, ceilLog2(usedLength));
  const initialMemory = new Float64Array(usedLength);
  for (let i = 0; i < memory.length; i++) if (memory[i] !== undefined) initialMemory[i] = memory[i];

  const columns = {
    op: emitter.op.slice(0, totalSteps), flags: emitter.flags.slice(0, totalSteps), dst: emitter.dst.slice(0, totalSteps),
    a: emitter.a.slice(0, totalSteps), b: emitter.b.slice(0, totalSteps), imm: emitter.imm.slice(0, totalSteps),
  };
  const programDepth = ceilLog2(totalSteps);
  const programTree = buildMerkleTree({
    depth: programDepth,
    usedLength: totalSteps,
    leafHash: (i) => hashInstructionBytes(columns.op[i], columns.flags[i], columns.dst[i], columns.a[i], columns.b[i], columns.imm[i]),
    padding: programPadding(programDepth),
  });

  // Siblings of the input subtree in the initial memory (input words zero).
  const memoryTree = buildMerkleTree({ depth: memoryDepth, usedLength, leafHash: (i) => hashLeaf(initialMemory[i]) });
  const inputSiblings = siblingsOf(memoryTree, 0, inputDepth).map(toHex);

  const layout: VmLayout = {
    programRoot: toHex(rootOf(programTree)),
    programDepth,
    memoryDepth,
    scaleBits: model.scaleBits,
    valueBits: model.valueBits,
    totalSteps,
    inputOffset: 0,
    inputLength,
    inputDepth,
    inputSiblings,
    outputOffset,
    outputLength,
    outputDepth,
    layerBoundaries: layers.filter((layer) => layer.stepCount > 0).map((layer) => layer.firstStep),
  };
  const header = headerOf(layout);
  return {
    modelName: model.name,
    modelHash: model.hash,
    scaleBits: model.scaleBits,
    valueBits: model.valueBits,
    totalSteps,
    columns,
    memoryDepth,
    programDepth,
    initialMemory,
    usedLength,
    inputs,
    outputs,
    layers,
    layout,
    header,
    modelRoot: modelRootOf(header),
    programTree,
    memoryTree,
  };
}
