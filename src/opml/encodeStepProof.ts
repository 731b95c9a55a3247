/**
 * Owns the calldata layout of OneStepVerifier.step's `proof`:
 * abi.encode(VmModelHeader, VmState pre, Instruction, bytes32[] instructionSiblings,
 *            MemoryProof readA, MemoryProof readB, MemoryProof write),
 * MemoryProof = (int256 value, bytes32[] siblings); a slot the instruction does not use is (0, []).
 */
import { encodeAbiParameters, type Hex } from 'viem';
import { INSTRUCTION_ABI, instructionTuple, type VmInstruction } from './executeInstruction.ts';
import { headerTuple, VM_MODEL_HEADER_ABI, VM_STATE_ABI, type VmModelHeader, type VmState } from './vmState.ts';

export interface VmMemoryProof {
  value: bigint;
  /** Levels 0 .. memoryDepth-1. */
  siblings: Hex[];
}

export interface EncodeStepProofParameters {
  header: VmModelHeader;
  pre: VmState;
  instruction: VmInstruction;
  instructionSiblings: Hex[];
  readA?: VmMemoryProof;
  readB?: VmMemoryProof;
  write?: VmMemoryProof;
}

const MEMORY_PROOF_ABI = { type: 'tuple', components: [{ name: 'value', type: 'int256' }, { name: 'siblings', type: 'bytes32[]' }] } as const;
export const STEP_PROOF_ABI = [
  { type: 'tuple', components: VM_MODEL_HEADER_ABI },
  { type: 'tuple', components: VM_STATE_ABI },
  { type: 'tuple', components: INSTRUCTION_ABI },
  { type: 'bytes32[]' },
  MEMORY_PROOF_ABI,
  MEMORY_PROOF_ABI,
  MEMORY_PROOF_ABI,
] as const;

const EMPTY: VmMemoryProof = { value: 0n, siblings: [] };

export function encodeStepProof(parameters: EncodeStepProofParameters): Hex {
  const { header, pre, instruction, instructionSiblings } = parameters;
  return encodeAbiParameters(STEP_PROOF_ABI, [
    headerTuple(header),
    { pc: BigInt(pre.pc), acc: pre.acc, memRoot: pre.memRoot },
    instructionTuple(instruction),
    instructionSiblings,
    parameters.readA ?? EMPTY,
    parameters.readB ?? EMPTY,
    parameters.write ?? EMPTY,
  ]);
}
