/**
 * hashVmState, encoded by hand, against viem's abi.encode of the same (pc, acc, memRoot): the
 * state commitments every game and fixture pins must not move.
 */
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { createIntegerPrng } from '../../test/opml-vm-fixtures.ts';
import { encodeOutputProof, hashVmState, TRAPPED_ROOT, VM_STATE_ABI } from './vmState.ts';

describe('hashVmState', () => {
  it('equals keccak256(abi.encode(uint256 pc, int256 acc, bytes32 memRoot)) at the extremes and on random states', () => {
    const random = createIntegerPrng(21);
    const root = (): Hex => `0x${Array.from({ length: 32 }, () => random(0, 255).toString(16).padStart(2, '0')).join('')}`;
    const states = [
      { pc: 0, acc: 0n, memRoot: TRAPPED_ROOT },
      { pc: Number.MAX_SAFE_INTEGER, acc: (1n << 255n) - 1n, memRoot: root() },
      { pc: 44_586, acc: -(1n << 255n), memRoot: root() },
      { pc: 1, acc: -1n, memRoot: root() },
      // Either side of the safe-integer bound, where the encoding leaves Number for BigInt.
      ...[1n, -1n].flatMap((sign) => [0n, 1n].map((past) => ({ pc: 2, acc: sign * (BigInt(Number.MAX_SAFE_INTEGER) + past), memRoot: root() }))),
      ...Array.from({ length: 50 }, () => ({ pc: random(0, 2 ** 30), acc: BigInt(random(-(2 ** 30), 2 ** 30)) * BigInt(random(1, 2 ** 30)), memRoot: root() })),
    ];
    for (const state of states)
      expect(hashVmState(state)).toBe(keccak256(encodeAbiParameters(VM_STATE_ABI, [BigInt(state.pc), state.acc, state.memRoot])));
  });

  it('refuses a pc that is not a safe non-negative integer and a root that is not 32 bytes', () => {
    expect(() => hashVmState({ pc: -1, acc: 0n, memRoot: TRAPPED_ROOT })).toThrow(RangeError);
    expect(() => hashVmState({ pc: 0, acc: 0n, memRoot: '0x1234' })).toThrow(RangeError);
    expect(() => hashVmState({ pc: 0, acc: 1n << 255n, memRoot: TRAPPED_ROOT })).toThrow(RangeError);
  });
});

describe('encodeOutputProof', () => {
  it('equals abi.encode((uint256 pc, int256 acc, bytes32 memRoot), bytes32[] siblings) at the extremes and on random proofs', () => {
    const random = createIntegerPrng(22);
    const root = (): Hex => `0x${Array.from({ length: 32 }, () => random(0, 255).toString(16).padStart(2, '0')).join('')}`;
    const cases = [
      { finalState: { pc: 0, acc: 0n, memRoot: TRAPPED_ROOT }, outputSiblings: [] },
      { finalState: { pc: Number.MAX_SAFE_INTEGER, acc: (1n << 255n) - 1n, memRoot: root().toUpperCase().replace('0X', '0x') as Hex }, outputSiblings: [root()] },
      { finalState: { pc: 44_586, acc: -(1n << 255n), memRoot: root() }, outputSiblings: Array.from({ length: 7 }, root) },
      ...Array.from({ length: 30 }, () => ({ finalState: { pc: random(0, 2 ** 30), acc: BigInt(random(-(2 ** 30), 2 ** 30)), memRoot: root() }, outputSiblings: Array.from({ length: random(0, 20) }, root) })),
    ];
    for (const { finalState, outputSiblings } of cases)
      expect(encodeOutputProof({ finalState, outputSiblings })).toBe(encodeAbiParameters(
        [{ type: 'tuple', components: VM_STATE_ABI }, { type: 'bytes32[]' }],
        [{ pc: BigInt(finalState.pc), acc: finalState.acc, memRoot: finalState.memRoot }, outputSiblings],
      ));
    expect(() => encodeOutputProof({ finalState: { pc: 0, acc: 0n, memRoot: '0x12' }, outputSiblings: [] })).toThrow(/0x12 is not a 32-byte word/);
    expect(() => encodeOutputProof({ finalState: { pc: -1, acc: 0n, memRoot: TRAPPED_ROOT }, outputSiblings: [] })).toThrow(RangeError);
  });
});
