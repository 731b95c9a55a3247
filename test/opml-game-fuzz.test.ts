/**
 * Randomized games: 100 on the toy machine for breadth (random toy model, arity, cheat and step,
 * one anvil and one registry per arity shared by all), then a few on the trace VM with small zoo
 * models (linreg, mnist-mlp-196-24-10, and mnist-mlp-196-24-10 on an input that traps at step 196,
 * whose true result is the error result). In every game the honest party wins, the bonds go to it,
 * the final on-chain output is the true one, and each phase stays within ⌈log_k(width)⌉ rounds.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { strategiesFor } from '../src/cli/commands/dispute.ts';
import { loadCliInputs, resolveModelSettings } from '../src/cli/commands/infer.ts';
import { createActor } from '../src/opml/actors/createActor.ts';
import { createVmDisputeTrace } from '../src/opml/game/createVmDisputeTrace.ts';
import { playDispute, type PlayDisputeResult } from '../src/opml/game/playDispute.ts';
import type { DisputeTrace } from '../src/opml/game/types.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { createPrng } from '../src/zoo/createPrng.ts';
import { createToyTrace } from './opml-game-toyMachine.ts';
import { ARITIES, BOND_WEI, createGameFixture, type GameFixture } from './opml-game-setup.ts';

let fixture: GameFixture;
beforeAll(async () => {
  fixture = await createGameFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

const CHEATS = ['none', 'output', 'step', 'final-state', 'inconsistent', 'silent', 'false-challenge', 'false-midpoints', 'random'];

const toyModels: DisputeTrace[] = [
  createToyTrace({ name: 'toy-1', modelRoot: `0x${'01'.repeat(32)}`, totalSteps: 1, layerStarts: [0], input: [5n] }),
  createToyTrace({ name: 'toy-17', modelRoot: `0x${'02'.repeat(32)}`, totalSteps: 17, layerStarts: [0, 1, 9, 16], input: [-3n, 8n] }),
  createToyTrace({ name: 'toy-1000', modelRoot: `0x${'03'.repeat(32)}`, totalSteps: 1000, layerStarts: [0, 300, 700, 900], input: [1n] }),
  createToyTrace({ name: 'toy-44620', modelRoot: `0x${'04'.repeat(32)}`, totalSteps: 44_620, layerStarts: [0, 43_904, 43_960, 44_520], input: [2n, 2n] }),
  createToyTrace({ name: 'toy-5x7', modelRoot: `0x${'05'.repeat(32)}`, totalSteps: 35, layerStarts: [0, 7, 14, 21, 28], input: [] }),
];

function checkGame(result: PlayDisputeResult, label: string) {
  expect(result.honestWon, label).toBe(true);
  expect(result.outputs.final, label).toEqual(result.outputs.true);
  for (const phase of result.phaseRounds) expect(phase.rounds, label).toBeLessThanOrEqual(phase.bound);
  if (result.arity === 2 && result.gas.perMoveMax !== null) expect(result.gas.perMoveMax, label).toBeLessThanOrEqual(60_000);
  if (result.challenged) {
    const loser = result.winner === 'submitter' ? 'challenger' : 'submitter';
    expect(result.bondsWei[result.winner], label).toBe(String(2n * BOND_WEI));
    expect(result.bondsWei[loser], label).toBe('0');
  } else {
    expect(result.strategies, label).toEqual({ submitter: 'honest', challenger: 'honest' });
    expect(result.bondsWei.submitter, label).toBe(String(BOND_WEI));
  }
}

test('100 randomized games on the toy machine: the honest party always wins', async () => {
  const prng = createPrng({ seed: 20_261_125 });
  const tally: Record<string, number> = {};
  for (let game = 0; game < 100; game++) {
    const trace = toyModels[prng.int(toyModels.length)];
    const arity = ARITIES[prng.int(ARITIES.length)];
    const cheat = CHEATS[prng.int(CHEATS.length)];
    const concrete = cheat === 'step' ? `step:${1 + prng.int(trace.totalSteps)}` : cheat;
    const strategies = strategiesFor(concrete, trace.totalSteps, game);
    const result = await playDispute({
      clients: fixture.clients,
      registry: fixture.registries[arity],
      machine: fixture.toyMachine,
      trace,
      submitter: createActor({ role: 'submitter', strategy: strategies.submitter, trace, seed: 2 * game }),
      challenger: createActor({ role: 'challenger', strategy: strategies.challenger, trace, seed: 2 * game + 1 }),
      measureStorage: game % 10 === 0,
    });
    checkGame(result, `game ${game}: ${trace.modelName} k=${arity} ${strategies.cheat}`);
    const kind = strategies.cheat.split(':')[0];
    tally[kind] = (tally[kind] ?? 0) + 1;
  }
  // Every strategy was played.
  expect(Object.keys(tally).sort()).toEqual(['false-challenge', 'false-midpoints', 'final-state', 'inconsistent', 'none', 'output', 'silent', 'step']);
  // ~70 s on an idle 2-core machine; 120 s (the default) was exceeded under load.
}, 300_000);

test('randomized games on the trace VM with small zoo models: the honest party always wins', async () => {
  const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
  const machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;
  const prng = createPrng({ seed: 7 });
  const trapping = { input: new Array(196).fill(127.99) };
  for (const [name, raw, games] of [['linreg', undefined, 4], ['mnist-mlp-196-24-10', undefined, 4], ['mnist-mlp-196-24-10', trapping, 3]] as const) {
    const settings = resolveModelSettings(name);
    const model = quantizeModel({ file: settings.resolved.file, name, scaleBits: settings.scaleBits, valueBits: settings.valueBits });
    const trace = createVmDisputeTrace({ model, input: quantizeInputs({ model, inputs: raw ?? loadCliInputs(settings, []) }) });
    expect(trace.trapStep).toBe(raw ? 196 : undefined);
    for (let game = 0; game < games; game++) {
      const arity = ARITIES[prng.int(ARITIES.length)];
      const strategies = strategiesFor('random', trace.totalSteps, prng.int(1_000_000));
      const result = await playDispute({
        clients: fixture.clients,
        registry: fixture.registries[arity],
        machine,
        trace,
        submitter: createActor({ role: 'submitter', strategy: strategies.submitter, trace, seed: game }),
        challenger: createActor({ role: 'challenger', strategy: strategies.challenger, trace, seed: game + 100 }),
        measureStorage: false,
      });
      checkGame(result, `${name}${raw ? ' (trapping input)' : ''} k=${arity} ${strategies.cheat}`);
      expect(result.challenged).toBe(true);
    }
  }
}, 400_000);
