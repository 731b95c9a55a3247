/**
 * The dispute game against the toy machine: every cheating strategy loses to the honest party,
 * the one-step proof lands on the step where the lie starts, the bonds move to the winner, the
 * rounds per phase stay within ⌈log_k(width)⌉, and the TypeScript dissection twin agrees with
 * the contract.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createActor } from '../src/opml/actors/createActor.ts';
import { computeDissection, maxRounds } from '../src/opml/game/computeDissection.ts';
import { playDispute, type PlayDisputeResult } from '../src/opml/game/playDispute.ts';
import { createToyTrace } from './opml-game-toyMachine.ts';
import { ARITIES, BOND_WEI, createGameFixture, type GameFixture } from './opml-game-setup.ts';

let fixture: GameFixture;
beforeAll(async () => {
  fixture = await createGameFixture();
});
afterAll(async () => {
  await fixture?.stop();
  // No anvil outlives the tests: signal 0 to a dead pid throws ESRCH.
  if (fixture) expect(() => process.kill(fixture.anvilPid, 0)).toThrow();
});

// 1000 steps in 4 layers: [0,300) [300,700) [700,900) [900,1000).
const trace = createToyTrace({
  name: 'toy-1000',
  modelRoot: `0x${'11'.repeat(32)}`,
  totalSteps: 1000,
  layerStarts: [0, 300, 700, 900],
  input: [3n, 4n],
});
const TRUE_OUTPUT = String(7n + 1000n * ((BigInt(trace.modelRoot) % 7n) + 1n));

async function play(submitter: string, challenger: string, arity = 2, seed = 1): Promise<PlayDisputeResult> {
  return playDispute({
    clients: fixture.clients,
    registry: fixture.registries[arity],
    machine: fixture.toyMachine,
    trace,
    submitter: createActor({ role: 'submitter', strategy: submitter, trace, seed }),
    challenger: createActor({ role: 'challenger', strategy: challenger, trace, seed: seed + 1 }),
  });
}

function expectWithinBounds(result: PlayDisputeResult) {
  for (const phase of result.phaseRounds) expect(phase.rounds).toBeLessThanOrEqual(phase.bound);
  if (result.arity === 2 && result.gas.perMoveMax !== null) expect(result.gas.perMoveMax).toBeLessThanOrEqual(60_000);
}

describe('dissection arithmetic', () => {
  test('computeDissection cuts [start, end] into min(k, width) parts at floor points', () => {
    expect(computeDissection({ start: 0, end: 4, arity: 2 }).points).toEqual([0, 2, 4]);
    expect(computeDissection({ start: 300, end: 700, arity: 16 }).points).toEqual([
      300, 325, 350, 375, 400, 425, 450, 475, 500, 525, 550, 575, 600, 625, 650, 675, 700,
    ]);
    expect(computeDissection({ start: 5, end: 8, arity: 4 }).points).toEqual([5, 6, 7, 8]);
    expect(computeDissection({ start: 0, end: 10, arity: 4 }).points).toEqual([0, 2, 5, 7, 10]);
  });

  test('maxRounds is ⌈log_k(width)⌉', () => {
    expect([1, 2, 3, 4, 5, 400, 44_620].map((width) => maxRounds(width, 2))).toEqual([0, 1, 2, 2, 3, 9, 16]);
    expect([1, 16, 17, 256, 257].map((width) => maxRounds(width, 16))).toEqual([0, 1, 2, 2, 3]);
  });

  test('the contract computes the same points as the TypeScript twin', async () => {
    for (const arity of ARITIES) {
      const registry = fixture.registries[arity];
      for (const [start, end] of [[0, 1], [0, 10], [300, 700], [7, 44_627]]) {
        const onChain = (await fixture.clients.publicClient.readContract({
          address: registry.address, abi: registry.abi, functionName: 'dissectionPoints', args: [BigInt(start), BigInt(end)],
        })) as bigint[];
        expect(onChain.map(Number)).toEqual(computeDissection({ start, end, arity }).points);
      }
    }
  });
});

describe('honest parties', () => {
  test('an unchallenged honest result is final after the window, with its output on-chain', async () => {
    const result = await play('honest', 'honest');
    expect(result).toMatchObject({
      challenged: false, resolvedBy: 'unchallenged', winner: 'submitter', honestWon: true, rounds: 0, phases: 0, transactions: 1,
      outputs: { true: [TRUE_OUTPUT], posted: [TRUE_OUTPUT], final: [TRUE_OUTPUT] },
      bondsWei: { submitter: String(BOND_WEI), challenger: '0' },
      finalitySeconds: { unchallenged: 600, disputedWorstCase: 600 + 2 * 3600, mainnetLike: { unchallenged: 604_800, disputedWorstCase: 1_209_600 } },
    });
    expect(result.gas.perMoveMedian).toBeNull();
    expect(result.storageBytes).toBeGreaterThan(0);
  });
});

describe('every cheating strategy loses', () => {
  const lastLayerStart = 900;
  const cases: { submitter: string; challenger: string; winner: 'submitter' | 'challenger'; resolvedBy: string; oneStepAt?: number }[] = [
    { submitter: 'output', challenger: 'honest', winner: 'challenger', resolvedBy: 'step', oneStepAt: lastLayerStart },
    { submitter: 'step:500', challenger: 'honest', winner: 'challenger', resolvedBy: 'step', oneStepAt: 499 },
    { submitter: 'step:1', challenger: 'honest', winner: 'challenger', resolvedBy: 'step', oneStepAt: 0 },
    { submitter: 'step:300', challenger: 'honest', winner: 'challenger', resolvedBy: 'step', oneStepAt: 299 },
    { submitter: 'final-state', challenger: 'honest', winner: 'challenger', resolvedBy: 'step', oneStepAt: 999 },
    { submitter: 'inconsistent', challenger: 'honest', winner: 'challenger', resolvedBy: 'step' },
    { submitter: 'silent:400', challenger: 'honest', winner: 'challenger', resolvedBy: 'timeout' },
    { submitter: 'honest', challenger: 'false-challenge', winner: 'submitter', resolvedBy: 'step', oneStepAt: 999 },
    { submitter: 'honest', challenger: 'false-midpoints:37', winner: 'submitter', resolvedBy: 'step', oneStepAt: 36 },
  ];
  for (const arity of ARITIES)
    for (const { submitter, challenger, winner, resolvedBy, oneStepAt } of cases)
      test(`k=${arity}: submitter ${submitter} vs challenger ${challenger} → ${winner} wins`, async () => {
        const result = await play(submitter, challenger, arity);
        expect(result).toMatchObject({ challenged: true, winner, honestWon: true, resolvedBy, phases: 2 });
        if (oneStepAt !== undefined) expect(result.oneStepAt).toBe(oneStepAt);
        const loser = winner === 'submitter' ? 'challenger' : 'submitter';
        expect(result.bondsWei[winner]).toBe(String(2n * BOND_WEI));
        expect(result.bondsWei[loser]).toBe('0');
        expect(result.outputs.final).toEqual([TRUE_OUTPUT]);
        expect(result.phaseRounds[0]).toMatchObject({ phase: 1, width: 4, bound: maxRounds(4, arity) });
        expectWithinBounds(result);
        // A move stores only the new segment/clocks/turn slot and the hash of its claims.
        for (const tx of result.txs.filter((t) => t.kind === 'move')) expect([tx.storageBytesWritten, tx.storageBytesNew]).toEqual([64, 0]);
        if (submitter === 'inconsistent') {
          expect(result.rejectedTransactions).toBe(1);
          expect(result.txs.find((tx) => tx.kind === 'rejected-move')).toMatchObject({ status: 'reverted', revertErrorName: 'StartClaimMismatch' });
        }
      });
});
