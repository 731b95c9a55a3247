/**
 * Owns the trace VM's commitments in TypeScript, the twin of contracts/src/opml/vm/LibVmState.sol:
 * the state preimage (pc, acc, memRoot) and its commitment, the model header / layout and the
 * modelRoot, the initial state from an input, and the output binding. Encodings are exactly
 * Solidity's abi.encode (viem), so every hash here equals the contract's.
 */
import { decodeAbiParameters, encodeAbiParameters, keccak256, type Hex } from 'viem';
import { OverflowError, ShapeError, VerificationError } from '../errors.ts';
import { encodeInt256, encodeSafeInteger, fromHex, hashLeaf, keccakBytes, rootFromPath, subtreeRoot, toHex } from './merkle.ts';

/** The VM state preimage. */
export interface VmState {
  /** Index of the next instruction = number of steps executed. */
  pc: number;
  /** The accumulator register. */
  acc: bigint;
  /** Root of the memory Merkle tree. */
  memRoot: Hex;
}

/** What a step needs of the model; keccak256(abi.encode(header)) is the modelRoot. */
export interface VmModelHeader {
  programRoot: Hex;
  programDepth: number;
  memoryDepth: number;
  scaleBits: number;
  valueBits: number;
  /** keccak256 of the layout fields the header does not carry (see layoutHashOf). */
  layoutHash: Hex;
}

/** A registered model (Solidity `VmLayout`; IOpmlMachine's `layout` bytes are encodeVmLayout). */
export interface VmLayout {
  programRoot: Hex;
  programDepth: number;
  memoryDepth: number;
  scaleBits: number;
  valueBits: number;
  totalSteps: number;
  inputOffset: number;
  inputLength: number;
  inputDepth: number;
  /** Siblings of the input subtree, levels inputDepth .. memoryDepth-1, in the initial memory. */
  inputSiblings: Hex[];
  outputOffset: number;
  outputLength: number;
  outputDepth: number;
  /** Step index at which each layer with at least one step starts (strictly increasing). */
  layerBoundaries: number[];
}

export const VM_STATE_ABI = [
  { name: 'pc', type: 'uint256' },
  { name: 'acc', type: 'int256' },
  { name: 'memRoot', type: 'bytes32' },
] as const;

export const VM_MODEL_HEADER_ABI = [
  { name: 'programRoot', type: 'bytes32' },
  { name: 'programDepth', type: 'uint256' },
  { name: 'memoryDepth', type: 'uint256' },
  { name: 'scaleBits', type: 'uint256' },
  { name: 'valueBits', type: 'uint256' },
  { name: 'layoutHash', type: 'bytes32' },
] as const;

export const VM_LAYOUT_ABI = [
  { name: 'programRoot', type: 'bytes32' },
  { name: 'programDepth', type: 'uint256' },
  { name: 'memoryDepth', type: 'uint256' },
  { name: 'scaleBits', type: 'uint256' },
  { name: 'valueBits', type: 'uint256' },
  { name: 'totalSteps', type: 'uint256' },
  { name: 'inputOffset', type: 'uint256' },
  { name: 'inputLength', type: 'uint256' },
  { name: 'inputDepth', type: 'uint256' },
  { name: 'inputSiblings', type: 'bytes32[]' },
  { name: 'outputOffset', type: 'uint256' },
  { name: 'outputLength', type: 'uint256' },
  { name: 'outputDepth', type: 'uint256' },
  { name: 'layerBoundaries', type: 'uint256[]' },
] as const;

/** The memory root of a trapped state: the sticky error flag (twin of LibVmState.TRAPPED). No
 * memory hashes to zero, so a trapped state (pc, 0, TRAPPED_ROOT) is never a running state. */
export const TRAPPED_ROOT: Hex = `0x${'00'.repeat(32)}`;

/** The trapped state's preimage at `pc` (every step from it only counts pc). */
export function trappedPreimageOf(pc: number): VmState {
  return { pc, acc: 0n, memRoot: TRAPPED_ROOT };
}

/** The trapped state at `pc` (twin of LibVmState.trappedState). */
export function trappedStateOf(pc: number): Hex {
  return hashVmState(trappedPreimageOf(pc));
}

const stateScratch = new Uint8Array(96);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** keccak256(abi.encode(pc, acc, memRoot)), encoded by hand (three words; viem's encoder cost a
 * dispute more than its Merkle hashes): pc and acc as 32-byte big-endian two's complement. */
export function hashVmState(state: VmState): Hex {
  if (!Number.isSafeInteger(state.pc) || state.pc < 0) throw new RangeError(`opml state: pc ${state.pc} is not a uint256 the VM reaches`);
  const root = fromHex(state.memRoot);
  if (root.length !== 32) throw new RangeError(`opml state: memRoot ${state.memRoot} is not 32 bytes`);
  return stateHashOf(state.pc, state.acc, root);
}

/** hashVmState's encoding and hash, the memory root as bytes (acc without BigInt arithmetic
 * where it is a safe integer). */
function stateHashOf(pc: number, acc: bigint, memRoot: Uint8Array): Hex {
  encodeSafeInteger(pc, stateScratch, 0);
  if (acc >= MIN_SAFE && acc <= MAX_SAFE) encodeSafeInteger(Number(acc), stateScratch, 32);
  else encodeInt256(acc, stateScratch, 32);
  stateScratch.set(memRoot, 64);
  return toHex(keccakBytes(stateScratch));
}

export function encodeVmState(state: VmState): Hex {
  return encodeAbiParameters(VM_STATE_ABI, [BigInt(state.pc), state.acc, state.memRoot]);
}

/** keccak256(abi.encode(totalSteps, inputOffset, inputLength, inputDepth, inputSiblings,
 * outputOffset, outputLength, outputDepth, layerBoundaries)). */
export function layoutHashOf(layout: VmLayout): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes32[]' },
        { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256[]' },
      ],
      [
        BigInt(layout.totalSteps), BigInt(layout.inputOffset), BigInt(layout.inputLength), BigInt(layout.inputDepth),
        layout.inputSiblings, BigInt(layout.outputOffset), BigInt(layout.outputLength), BigInt(layout.outputDepth),
        layout.layerBoundaries.map(BigInt),
      ],
    ),
  );
}

export function headerOf(layout: VmLayout): VmModelHeader {
  return {
    programRoot: layout.programRoot,
    programDepth: layout.programDepth,
    memoryDepth: layout.memoryDepth,
    scaleBits: layout.scaleBits,
    valueBits: layout.valueBits,
    layoutHash: layoutHashOf(layout),
  };
}

export function headerTuple(header: VmModelHeader) {
  return {
    programRoot: header.programRoot,
    programDepth: BigInt(header.programDepth),
    memoryDepth: BigInt(header.memoryDepth),
    scaleBits: BigInt(header.scaleBits),
    valueBits: BigInt(header.valueBits),
    layoutHash: header.layoutHash,
  };
}

/** modelRoot = keccak256(abi.encode(VmModelHeader)). */
export function modelRootOf(model: VmLayout | VmModelHeader): Hex {
  const header = 'layoutHash' in model ? model : headerOf(model);
  return keccak256(encodeAbiParameters([{ type: 'tuple', components: VM_MODEL_HEADER_ABI }], [headerTuple(header)]));
}

/** abi.encode(VmLayout): the `layout` bytes of IOpmlMachine / OneStepVerifier.initialState. */
export function encodeVmLayout(layout: VmLayout): Hex {
  return encodeAbiParameters(
    [{ type: 'tuple', components: VM_LAYOUT_ABI }],
    [
      {
        ...layout,
        programDepth: BigInt(layout.programDepth), memoryDepth: BigInt(layout.memoryDepth),
        scaleBits: BigInt(layout.scaleBits), valueBits: BigInt(layout.valueBits), totalSteps: BigInt(layout.totalSteps),
        inputOffset: BigInt(layout.inputOffset), inputLength: BigInt(layout.inputLength), inputDepth: BigInt(layout.inputDepth),
        outputOffset: BigInt(layout.outputOffset), outputLength: BigInt(layout.outputLength), outputDepth: BigInt(layout.outputDepth),
        layerBoundaries: layout.layerBoundaries.map(BigInt),
      },
    ],
  );
}

export function decodeVmLayout(encoded: Hex): VmLayout {
  const [tuple] = decodeAbiParameters([{ type: 'tuple', components: VM_LAYOUT_ABI }], encoded);
  return {
    programRoot: tuple.programRoot, programDepth: Number(tuple.programDepth), memoryDepth: Number(tuple.memoryDepth),
    scaleBits: Number(tuple.scaleBits), valueBits: Number(tuple.valueBits), totalSteps: Number(tuple.totalSteps),
    inputOffset: Number(tuple.inputOffset), inputLength: Number(tuple.inputLength), inputDepth: Number(tuple.inputDepth),
    inputSiblings: [...tuple.inputSiblings], outputOffset: Number(tuple.outputOffset),
    outputLength: Number(tuple.outputLength), outputDepth: Number(tuple.outputDepth),
    layerBoundaries: tuple.layerBoundaries.map(Number),
  };
}

/** Throws an OverflowError unless value ∈ [-2^(v-1), 2^(v-1) - 1]. */
export function checkInputRange(layout: Pick<VmLayout, 'valueBits'>, input: readonly bigint[]): void {
  const high = 1n << BigInt(layout.valueBits - 1);
  input.forEach((value, index) => {
    if (value >= high || value < -high)
      throw new OverflowError(`opml input: element ${index} = ${value} is outside the ${layout.valueBits}-bit value range`, {
        hint: 'quantize the input with the model\'s scaleBits, or raise --value-bits',
        details: { tensor: 'input', index, value },
      });
  });
}

/** What a request commits to (twin of LibVmState.initialState, emitted by OpmlRegistry's
 * InferenceRequested): the input subtree's root, and the initial state — pc 0, acc 0, and the
 * memory root from the input subtree root and the registered siblings. */
export interface RequestCommitment {
  initialState: Hex;
  inputRoot: Hex;
}

/** The initial state commitment (twin of LibVmState.initialState): pc 0, acc 0, and the memory
 * root from the input subtree and the registered siblings. */
export function initialStateOf(parameters: { layout: VmLayout; input: readonly bigint[] }): Hex {
  return requestCommitmentOf(parameters).initialState;
}

/** The initial state and the input subtree root (LibVmState.initialState's two results). */
export function requestCommitmentOf(parameters: { layout: VmLayout; input: readonly bigint[] }): RequestCommitment {
  const { layout, input } = parameters;
  if (input.length !== layout.inputLength)
    throw new ShapeError(`opml input: ${input.length} values, the model takes ${layout.inputLength}`, {
      hint: 'pass the quantized input tensors in graph order, flattened',
      details: { expected: layout.inputLength, actual: input.length },
    });
  checkInputRange(layout, input);
  const inputRoot = subtreeRoot(input, layout.inputDepth);
  return { initialState: initialStateFromInputRoot({ layout, inputRoot: toHex(inputRoot) }), inputRoot: toHex(inputRoot) };
}

/** The initial state a request's input subtree root makes with the registered siblings: what a
 * submitter checks an InferenceRequested event's inputRoot against (memoryDepth − inputDepth
 * node hashes and the state hash). */
export function initialStateFromInputRoot(parameters: { layout: VmLayout; inputRoot: Hex | Uint8Array }): Hex {
  const { layout, inputRoot } = parameters;
  let siblings = inputSiblingBytes.get(layout.inputSiblings);
  if (!siblings) {
    siblings = layout.inputSiblings.map(fromHex);
    inputSiblingBytes.set(layout.inputSiblings, siblings);
  }
  const root = rootFromPath(typeof inputRoot === 'string' ? fromHex(inputRoot) : inputRoot, layout.inputOffset / 2 ** layout.inputDepth, siblings);
  return stateHashOf(0, 0n, root);
}
/** A layout's inputSiblings as bytes, by the array (a submitter checks every request against them). */
const inputSiblingBytes = new WeakMap<readonly Hex[], Uint8Array[]>();

/** The output proof bytes of verifyOutput: abi.encode(VmState finalPreimage, bytes32[] outputSiblings),
 * encoded by hand (viem's encoder cost a claim about as much as ten of its node hashes): the
 * static tuple's three words, the array's offset (0x80), its length, its words (hex digits as given, as viem). */
export function encodeOutputProof(parameters: { finalState: VmState; outputSiblings: Hex[] }): Hex {
  const { finalState, outputSiblings } = parameters;
  if (!Number.isSafeInteger(finalState.pc) || finalState.pc < 0) throw new RangeError(`opml output proof: pc ${finalState.pc} is not a uint256 the VM reaches`);
  // 32-byte words by their length (a regular expression per word cost the claim 4%).
  const isWord = (hex: string) => hex.length === 66 && hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) | 32) === 120;
  if (!isWord(finalState.memRoot)) throw new RangeError(`opml output proof: ${finalState.memRoot} is not a 32-byte word`);
  for (const hex of outputSiblings) if (!isWord(hex)) throw new RangeError(`opml output proof: ${hex} is not a 32-byte word`);
  const bytes = new Uint8Array(32 * (5 + outputSiblings.length));
  encodeSafeInteger(finalState.pc, bytes, 0);
  encodeInt256(finalState.acc, bytes, 32);
  let hex = toHex(bytes.subarray(0, 64)) + finalState.memRoot.slice(2);
  encodeSafeInteger(0x80, bytes, 96);
  encodeSafeInteger(outputSiblings.length, bytes, 128);
  hex += toHex(bytes.subarray(96, 160)).slice(2);
  for (const sibling of outputSiblings) hex += sibling.slice(2);
  return hex as Hex;
}

/** Twin of LibVmState.verifyOutput: throws a VerificationError unless `output` is the output
 * region of the final state's memory, or the error result (empty, no siblings) of the trapped
 * final state. */
export function verifyOutputOf(parameters: {
  layout: VmLayout;
  finalState: Hex;
  finalPreimage: VmState;
  output: readonly bigint[];
  outputSiblings: Hex[];
}): void {
  const { layout, finalState, finalPreimage, output, outputSiblings } = parameters;
  const fail = (why: string) => {
    throw new VerificationError(`opml output binding: ${why}`, { details: { finalState } });
  };
  if (hashVmState(finalPreimage) !== finalState) fail('the preimage does not hash to the final state');
  if (finalPreimage.pc !== layout.totalSteps) fail(`pc ${finalPreimage.pc} is not the final step ${layout.totalSteps}`);
  if (finalPreimage.memRoot === TRAPPED_ROOT) {
    if (output.length !== 0 || outputSiblings.length !== 0 || finalPreimage.acc !== 0n)
      fail('a trapped run has only the error result (the empty output)');
    return;
  }
  if (output.length !== layout.outputLength) fail(`${output.length} values, the model has ${layout.outputLength}`);
  if (outputSiblings.length !== layout.memoryDepth - layout.outputDepth) fail('wrong number of siblings');
  const root = rootFromPath(
    subtreeRoot(output, layout.outputDepth),
    layout.outputOffset / 2 ** layout.outputDepth,
    outputSiblings.map(fromHex),
  );
  if (toHex(root) !== finalPreimage.memRoot) fail('the output is not in the final memory');
}

export { hashLeaf };
