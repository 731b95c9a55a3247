/**
 * The TypeScript twin of contracts/test/opml/ToyMachine.sol, as a DisputeTrace: a counter VM
 * whose state is keccak256(abi.encode(uint256 pc, int256 value)), starting at (0, Σ input) and
 * adding modelRoot mod 7 + 1 per step; the output is [value]. Its layout is abi.encode(totalSteps,
 * layerStarts), which the registry checks the registration against (ToyMachine.scheduleOf). The game must not care which VM it
 * talks to, so its tests run mostly against this one.
 */
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import type { DisputeTrace } from '../src/opml/game/types.ts';

export interface CreateToyTraceParameters {
  name?: string;
  /** Any 32-byte value; the increment is root mod 7 + 1. */
  modelRoot: Hex;
  totalSteps: number;
  layerStarts: number[];
  input: bigint[];
}

const encodeState = (pc: bigint, value: bigint): Hex => encodeAbiParameters([{ type: 'uint256' }, { type: 'int256' }], [pc, value]);

export function createToyTrace(parameters: CreateToyTraceParameters): DisputeTrace {
  const { modelRoot, totalSteps, layerStarts, input } = parameters;
  const increment = (BigInt(modelRoot) % 7n) + 1n;
  const start = input.reduce((sum, value) => sum + value, 0n);
  const valueAt = (step: number) => start + increment * BigInt(step);
  const stateAt = (step: number): Hex => keccak256(encodeState(BigInt(step), valueAt(step)));
  const finalValue = valueAt(totalSteps);
  return {
    modelName: parameters.name ?? `toy-${totalSteps}`,
    modelRoot,
    memoryLayout: encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256[]' }], [BigInt(totalSteps), layerStarts.map(BigInt)]),
    totalSteps,
    outputLength: 1,
    layerStarts,
    input,
    outputs: [finalValue],
    stateAt,
    proveStep: (step) => ({ preState: stateAt(step), postState: stateAt(step + 1), proof: encodeState(BigInt(step), valueAt(step)) }),
    outputProof: encodeState(BigInt(totalSteps), finalValue),
    forgeFinalState(outputs) {
      // Another pc with the requested value: a different state whose output is `outputs[0]`.
      const pc = BigInt(totalSteps) + 1000n;
      return { finalState: keccak256(encodeState(pc, outputs[0])), outputs: [outputs[0]], outputProof: encodeState(pc, outputs[0]) };
    },
  };
}
