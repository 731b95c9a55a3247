/**
 * Owns a trace of the VM on one input: runs the program once on raw memory (no hashing per
 * step), recording only the memory writes (step, address, old, new) and the accumulator every
 * `checkpointInterval` steps. State commitments and step proofs are then derived on demand:
 * - the memory root after w writes comes from one mutable Merkle tree that is moved forward or
 *   backward through the write log (memoryDepth hashes per write crossed, memoized per w);
 * - acc at step k is replayed from the checkpoint below k (< checkpointInterval instructions, no
 *   hashing), reading memory words from the per-address write history.
 * A bisection queries O(log n) states whose write versions halve each time, so a whole dispute
 * costs about 2·writes·memoryDepth hashes plus one tree build, never a hash per step.
 *
 * A run that traps (executeInstruction's `trap`: a value out of range, an int256 overflow) stops
 * there: the state after the trapping step and every later one is the trapped state
 * (trappedStateOf), the one-step proofs from those states carry no memory, and the result is the
 * error result (proveOutput: the empty output). The trap names the layer, tensor and element.
 */
import type { Hex } from 'viem';
import { OverflowError, ShapeError, UsageError } from '../errors.ts';
import { instructionAt, layerOfStep, type VmProgram } from './compileProgram.ts';
import { encodeStepProof } from './encodeStepProof.ts';
import { executeInstruction, operandsOf, type VmTrapCause } from './executeInstruction.ts';
import { buildMerkleTree, hashLeaf, hashNode, rootOf, siblingsOf, toHex, updateLeaf, type MerkleTree } from './merkle.ts';
import { checkInputRange, encodeOutputProof, hashVmState, trappedPreimageOf, type VmState } from './vmState.ts';

export interface CreateTraceParameters {
  program: VmProgram;
  /** Quantized inputs (integers at scale 2^s) by input name, as runEngine takes them, or all
   * inputs flattened in graph order. */
  input: Record<string, ArrayLike<number>> | readonly (number | bigint)[];
  /** A dishonest trace (for actors and tests): add `delta` to the result of step `step` (the
   * word it writes, or acc when it writes none) and run on from the wrong state. */
  fault?: { step: number; delta: bigint };
  /** Steps between accumulator checkpoints (default 1024). */
  checkpointInterval?: number;
}

/** Calldata for IStepper.step. */
export interface VmStepProof {
  step: number;
  preState: Hex;
  postState: Hex;
  /** abi.encode(VmModelHeader, VmState, Instruction, bytes32[], MemoryProof ×3). */
  proof: Hex;
}

export interface VmOutputProof {
  finalState: Hex;
  finalPreimage: VmState;
  /** The output region, flattened (outputs in graph order). */
  output: bigint[];
  outputSiblings: Hex[];
  /** abi.encode(VmState, bytes32[]): the `proof` of verifyOutput. */
  proof: Hex;
}

/** Where and why a run trapped (the engine rejects the same input with an OverflowError whose
 * layer, tensor, index and value these match). */
export interface VmTrap extends VmTrapCause {
  /** The trapping step: the state after it (stateAt(step + 1)) and every later one is trapped. */
  step: number;
  layer: string;
  op: string;
  tensor: string;
  /** The element of the layer's output tensor the step computes. */
  index: number;
}

export interface VmTrace {
  program: VmProgram;
  /** Set when the run traps; the result is then the error result (empty output). */
  trap?: VmTrap;
  totalSteps: number;
  /** All inputs flattened in graph order. */
  input: bigint[];
  /** Number of memory writes in the whole run. */
  writeCount: number;
  /** The state commitment before step `step` (stateAt(totalSteps) is the final state). */
  stateAt(step: number): Hex;
  preimageAt(step: number): VmState;
  proveStep(step: number): VmStepProof;
  /** Outputs by name, row-major integers (what runEngine returns); empty arrays when trapped. */
  outputs: Record<string, number[]>;
  proveOutput(): VmOutputProof;
  /** Siblings of the output subtree in the memory after the last write (for forged results). */
  memoryOutputSiblings(): Hex[];
  /** Keccak hashes spent on memory-tree moves so far (initial build excluded). */
  hashCount(): number;
}

export type CreateTraceResult = VmTrace;

function flattenInput(program: VmProgram, input: CreateTraceParameters['input']): bigint[] {
  const total = program.layout.inputLength;
  if (Array.isArray(input)) {
    if (input.length !== total)
      throw new ShapeError(`opml trace of '${program.modelName}': ${input.length} input values, the model takes ${total}`, {
        hint: 'pass the quantized inputs flattened in graph order',
        details: { expected: total, actual: input.length },
      });
    return input.map((value, index) => {
      if (typeof value === 'number' && !Number.isSafeInteger(value))
        throw new ShapeError(`opml trace of '${program.modelName}': input element ${index} = ${value} is not an integer`, {
          hint: 'quantize the input first (quantizeInputs)',
          details: { index, value },
        });
      return BigInt(value);
    });
  }
  const byName = input as Record<string, ArrayLike<number>>;
  const flat: bigint[] = [];
  for (const region of program.inputs) {
    const values = byName[region.name];
    if (!values)
      throw new UsageError(`opml trace of '${program.modelName}': no value for input '${region.name}'`, {
        hint: `the model's inputs are ${program.inputs.map((r) => `'${r.name}' [${r.dims}]`).join(', ')}`,
        details: { input: region.name },
      });
    if (values.length !== region.length)
      throw new ShapeError(`opml trace of '${program.modelName}': input '${region.name}' has ${values.length} values, expected ${region.length}`, {
        hint: `dims [${region.dims}]`,
        details: { input: region.name, expected: region.length, actual: values.length },
      });
    for (let i = 0; i < values.length; i++) {
      if (!Number.isSafeInteger(values[i]))
        throw new ShapeError(`opml trace: input '${region.name}' element ${i} = ${values[i]} is not an integer`, { hint: 'quantize the input first (quantizeInputs)', details: { input: region.name, index: i } });
      flat.push(BigInt(values[i]));
    }
  }
  return flat;
}

/** The program's memory tree (input words zero) copied, with the input subtree and its path rehashed. */
function withInput(program: VmProgram, input: readonly bigint[]): MerkleTree {
  const { layout, memoryTree } = program;
  const tree: MerkleTree = { depth: memoryTree.depth, levels: memoryTree.levels.map((level) => level.slice()) };
  const inputTree = buildMerkleTree({ depth: layout.inputDepth, usedLength: input.length, leafHash: (i) => hashLeaf(input[i]) });
  const first = layout.inputOffset;
  for (let level = 0; level <= layout.inputDepth; level++)
    tree.levels[level].set(inputTree.levels[level], (first / 2 ** level) * 32);
  let position = first / 2 ** layout.inputDepth;
  for (let level = layout.inputDepth + 1; level <= tree.depth; level++) {
    const below = tree.levels[level - 1];
    const left = (position & ~1) * 32;
    position = Math.floor(position / 2);
    tree.levels[level].set(hashNode(below, below, left, left + 32), position * 32);
  }
  return tree;
}

export function createTrace(parameters: CreateTraceParameters): CreateTraceResult {
  const { program, fault, checkpointInterval = 1024 } = parameters;
  const { layout, totalSteps, scaleBits, valueBits, memoryDepth } = program;
  const input = flattenInput(program, parameters.input);
  try {
    checkInputRange(layout, input);
  } catch (error) {
    const details = (error as OverflowError).details;
    const index = details.index as number;
    const region = program.inputs.find((r) => index >= r.offset && index < r.offset + r.length)!;
    throw new OverflowError(`opml trace of '${program.modelName}': input '${region.name}' element ${index - region.offset} = ${input[index]} is outside the ${valueBits}-bit value range`, {
      hint: 'the engine rejects this input too; quantize it with the model\'s scaleBits or raise --value-bits',
      details: { layer: 'input', tensor: region.name, index: index - region.offset, value: input[index].toString() },
    });
  }

  // Memory before step 0.
  const initial = program.initialMemory.slice();
  for (let i = 0; i < input.length; i++) initial[layout.inputOffset + i] = Number(input[i]);
  const memory = initial.slice();

  // The run: writes and acc checkpoints only.
  const writeStep: number[] = [];
  const writeAddr: number[] = [];
  const writeOld: number[] = [];
  const writeNew: number[] = [];
  const history = new Map<number, number[]>();
  const checkpoints: bigint[] = [];
  let acc = 0n;
  let trap: VmTrap | undefined;
  const read = (addr: number) => BigInt(memory[addr] ?? 0);
  for (let step = 0; step < totalSteps; step++) {
    if (step % checkpointInterval === 0) checkpoints.push(acc);
    const instruction = instructionAt(program, step);
    const result = executeInstruction({ instruction, acc, read, scaleBits, valueBits, memoryDepth });
    if (result.trap) {
      const layer = layerOfStep(program, step);
      trap = { ...result.trap, step, layer: layer.name, op: layer.op, tensor: layer.tensor, index: instruction.dst - layer.outBase };
      break;
    }
    acc = result.acc;
    let write = result.write;
    if (fault && fault.step === step) {
      if (write) write = { addr: write.addr, value: write.value + fault.delta };
      else acc += fault.delta;
    }
    if (write) {
      const value = Number(write.value);
      if (!Number.isSafeInteger(value))
        throw new OverflowError(`opml trace: step ${step} writes ${write.value}, beyond 2^53`, { hint: 'only a fault this large can do that', details: { step } });
      const list = history.get(write.addr);
      if (list) list.push(writeStep.length);
      else history.set(write.addr, [writeStep.length]);
      writeStep.push(step);
      writeAddr.push(write.addr);
      writeOld.push(memory[write.addr]);
      writeNew.push(value);
      memory[write.addr] = value;
    }
  }
  const finalAcc = acc;
  const writeCount = writeStep.length;
  /** Steps after which the state is trapped: states at k > trappedAfter are trapped. */
  const trappedAfter = trap ? trap.step : Infinity;

  /** Number of writes made by steps before `step`. */
  const versionAt = (step: number): number => {
    let low = 0;
    let high = writeCount;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (writeStep[middle] < step) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  /** Memory word `addr` before step `step`. */
  const valueAt = (addr: number, step: number): bigint => {
    const writes = history.get(addr);
    let value = initial[addr] ?? 0;
    if (writes) for (const w of writes) { if (writeStep[w] < step) value = writeNew[w]; else break; }
    return BigInt(value);
  };

  const accAt = (step: number): bigint => {
    if (step === totalSteps) return finalAcc;
    const checkpoint = Math.floor(step / checkpointInterval);
    let value = checkpoints[checkpoint];
    for (let j = checkpoint * checkpointInterval; j < step; j++) {
      const result = executeInstruction({ instruction: instructionAt(program, j), acc: value, read: (addr) => valueAt(addr, j), scaleBits, valueBits, memoryDepth });
      value = result.acc;
      if (fault && fault.step === j && !result.write) value += fault.delta;
    }
    return value;
  };

  // The memory tree, at version `cursor` (number of writes applied).
  const tree = withInput(program, input);
  let cursor = 0;
  let hashes = 0;
  const roots = new Map<number, Hex>();
  const moveTo = (version: number) => {
    while (cursor < version) { updateLeaf(tree, writeAddr[cursor], hashLeaf(writeNew[cursor])); cursor++; hashes += memoryDepth + 1; }
    while (cursor > version) { cursor--; updateLeaf(tree, writeAddr[cursor], hashLeaf(writeOld[cursor])); hashes += memoryDepth + 1; }
  };
  const rootAt = (version: number): Hex => {
    let root = roots.get(version);
    if (!root) {
      moveTo(version);
      root = toHex(rootOf(tree));
      roots.set(version, root);
    }
    return root;
  };

  const checkStep = (step: number, last: number) => {
    if (!Number.isInteger(step) || step < 0 || step > last)
      throw new UsageError(`opml trace of '${program.modelName}': step ${step} is outside [0, ${last}]`, { hint: `the program has ${totalSteps} steps`, details: { step } });
  };
  const preimageAt = (step: number): VmState => {
    checkStep(step, totalSteps);
    if (step > trappedAfter) return trappedPreimageOf(step);
    return { pc: step, acc: accAt(step), memRoot: rootAt(versionAt(step)) };
  };
  const states = new Map<number, Hex>();
  const stateAt = (step: number): Hex => {
    let state = states.get(step);
    if (!state) {
      state = hashVmState(preimageAt(step));
      states.set(step, state);
    }
    return state;
  };

  const proveStep = (step: number): VmStepProof => {
    checkStep(step, totalSteps - 1);
    const pre = preimageAt(step);
    const instruction = instructionAt(program, step);
    // From a trapped state the verifier reads no memory: the memory proofs stay empty.
    const operands = step > trappedAfter ? {} : operandsOf(instruction, pre.acc);
    moveTo(versionAt(step));
    const memoryProof = (addr: number | undefined) =>
      addr === undefined || addr >= 2 ** memoryDepth ? undefined : { value: valueAt(addr, step), siblings: siblingsOf(tree, addr).map(toHex) };
    const proof = encodeStepProof({
      header: program.header,
      pre,
      instruction,
      instructionSiblings: siblingsOf(program.programTree, step).map(toHex),
      readA: memoryProof(operands.readA),
      readB: memoryProof(operands.readB),
      write: memoryProof(operands.write),
    });
    return { step, preState: hashVmState(pre), postState: stateAt(step + 1), proof };
  };

  const outputs: Record<string, number[]> = {};
  for (const region of program.outputs)
    outputs[region.name] = trap ? [] : Array.from(memory.subarray(region.offset, region.offset + region.length));

  const memoryOutputSiblings = (): Hex[] => {
    moveTo(writeCount);
    return siblingsOf(tree, layout.outputOffset, layout.outputDepth).map(toHex);
  };

  const proveOutput = (): VmOutputProof => {
    const finalPreimage = preimageAt(totalSteps);
    if (trap) {
      // The error result: the trapped final state, the empty output, no siblings.
      return { finalState: hashVmState(finalPreimage), finalPreimage, output: [], outputSiblings: [], proof: encodeOutputProof({ finalState: finalPreimage, outputSiblings: [] }) };
    }
    moveTo(writeCount);
    const outputSiblings = siblingsOf(tree, layout.outputOffset, layout.outputDepth).map(toHex);
    const output = Array.from(memory.subarray(layout.outputOffset, layout.outputOffset + layout.outputLength), (v) => BigInt(v));
    return { finalState: hashVmState(finalPreimage), finalPreimage, output, outputSiblings, proof: encodeOutputProof({ finalState: finalPreimage, outputSiblings }) };
  };

  return { program, trap, totalSteps, input, writeCount, stateAt, preimageAt, proveStep, outputs, proveOutput, memoryOutputSiblings, hashCount: () => hashes };
}
