/**
 * Owns the compilation of a QuantizedModel into a trace-VM program: a straight-line list of
 * scalar instructions (executeInstruction.ts) over one word memory, its memory layout (input
 * region, output region — both aligned subtrees — constants, activations), the initial memory
 * image without the input, the program Merkle tree and the model root. Each op's steps come from
 * its lowering in lowerings/ (one file per op). Reshape and flatten are
 * address maps, transpose, concat and pad too (no steps); every matmul/conv output costs K MACs + 1 RESCALE, so
 * the step count stays near the MAC count. Weights, biases and constant addends are instruction
 * immediates (proven by the program proof), so memory holds only inputs and activations and a
 * weight MAC touches one memory word. Semantics: docs/fixed-point.md, bit for bit with the
 * engine (src/engine/).
 */
import type { Hex } from 'viem';
import { ShapeError, UnsupportedModelError } from '../errors.ts';
import type { QLayer, QOp, QuantizedModel } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { VmOp, type VmInstruction } from './executeInstruction.ts';
import { InstructionEmitter } from './instructionEmitter.ts';
import { VM_LOWERINGS } from './lowerings/index.ts';
import type { LowerLayer, VmLoweringContext } from './lowerings/types.ts';
import { buildMerkleTree, encodeSafeInteger, hashLeaf, keccakBytes, rootOf, siblingsOf, toHex, type Hash, type MerkleTree } from './merkle.ts';
import { headerOf, modelRootOf, type VmLayout, type VmModelHeader } from './vmState.ts';

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

  // A single output produced (through aliases such as reshape only) by a layer that writes it is
  // allocated in the output region directly; anything else is copied there at the end.
  const producer = new Map<string, QLayer>(model.layers.map((layer) => [layer.out, layer]));
  const loweringOf = (layer: QLayer) => (Object.hasOwn(VM_LOWERINGS, layer.op) ? VM_LOWERINGS[layer.op] : undefined);
  const preassigned = new Map<string, number>();
  const claimed = new Set<string>();
  for (const output of outputs) {
    let tensor = output.name;
    let layer = producer.get(tensor);
    let lowering = layer && loweringOf(layer);
    while (layer && lowering?.output === 'alias') {
      tensor = (lowering.source as (layer: QLayer) => string)(layer);
      layer = producer.get(tensor);
      lowering = layer && loweringOf(layer);
    }
    if (layer && lowering?.output === 'written' && !claimed.has(tensor) && sizeOf(dimsOf(tensor)) === output.length) {
      claimed.add(tensor);
      preassigned.set(tensor, output.offset);
    }
  }

  // How many times each tensor is read (by a layer, or as a model output): allocateOver writes over
  // a tensor read once. Every string field of a layer but its name, op and output, and every
  // string of an array field, counts as a read (counting too many only keeps a tensor).
  const reads = new Map<string, number>();
  const read = (tensor: string) => reads.set(tensor, (reads.get(tensor) ?? 0) + 1);
  for (const layer of model.layers)
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'name' || key === 'op' || key === 'out') continue;
      if (typeof value === 'string') read(value);
      else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') read(item);
    }
  for (const output of model.outputs) read(output.name);
  /** Tensors at fresh addresses from allocate (no input, constant, view or output region). */
  const allocated = new Set<string>();

  const emitter = new InstructionEmitter();
  const tables = new Map<string, number>();
  const constantWords = new Map<number, number>();
  const context: VmLoweringContext = {
    model,
    emitter,
    where,
    dimsOf,
    viewOf(name, layer) {
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
    },
    constantOf(name, layer) {
      const constant = model.constants[name];
      if (!constant)
        throw new UnsupportedModelError(`${where(layer)}: '${name}' must be a constant`, {
          hint: 'weights and biases of conv, and biases of matmul, are constants in a quantized model',
          details: { layer: layer.name, tensor: name },
        });
      return constant;
    },
    constantWord(value) {
      let addr = constantWords.get(value);
      if (addr === undefined) {
        addr = next++;
        memory[addr] = value;
        constantWords.set(value, addr);
      }
      return addr;
    },
    allocate(name) {
      const length = sizeOf(dimsOf(name));
      const base = preassigned.get(name);
      if (base !== undefined) return contiguous(base, length);
      const view = contiguous(next, length);
      next += length;
      allocated.add(name);
      return view;
    },
    allocateOver(name, source) {
      const view = views.get(source);
      if (preassigned.has(name) || !view || !allocated.has(source) || reads.get(source) !== 1 || sizeOf(dimsOf(source)) !== sizeOf(dimsOf(name)))
        return context.allocate(name);
      // The output takes the input's words; the input is gone (nothing reads it again).
      allocated.delete(source);
      allocated.add(name);
      return view;
    },
    scratch(length) {
      const view = contiguous(next, length);
      next += length;
      return view;
    },
    table(key, words) {
      const known = tables.get(key);
      if (known !== undefined) return known;
      const base = next;
      for (const word of words()) memory[next++] = word;
      tables.set(key, base);
      return base;
    },
  };

  const layers: VmProgramLayer[] = [];
  for (const layer of model.layers) {
    const lowering = loweringOf(layer);
    if (!lowering)
      throw new UnsupportedModelError(`model '${model.name}': layer '${layer.name}' has op '${layer.op}', which the opML VM does not implement`, {
        hint: `supported: ${Object.keys(VM_LOWERINGS).join(', ')}`,
        details: { layer: layer.name },
      });
    const firstStep = emitter.length;
    const out = (lowering.lower as LowerLayer<QLayer>)({ context, layer });
    views.set(layer.out, out);
    const stepCount = emitter.length - firstStep;
    layers.push({ name: layer.name, op: layer.op, tensor: layer.out, firstStep, stepCount, outBase: stepCount > 0 ? (out[0] ?? -1) : -1 });
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
