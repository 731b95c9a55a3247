/**
 * The dispute game with the real trace VM (OneStepVerifier) on mnist-mlp-784-56-10 — the model
 * the figures are about — and the `opzk dispute --json` command end to end.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { loadCliInputs, resolveModelSettings } from '../src/cli/commands/infer.ts';
import { createActor } from '../src/opml/actors/createActor.ts';
import { createVmDisputeTrace } from '../src/opml/game/createVmDisputeTrace.ts';
import { playDispute } from '../src/opml/game/playDispute.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { BOND_WEI, createGameFixture, type GameFixture } from './opml-game-setup.ts';

let fixture: GameFixture;
beforeAll(async () => {
  fixture = await createGameFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

test('mnist-mlp-784-56-10: a wrong intermediate state is found in ⌈log2⌉ rounds per phase and loses', async () => {
  const name = 'mnist-mlp-784-56-10';
  const settings = resolveModelSettings(name);
  const model = quantizeModel({ file: settings.resolved.file, name, scaleBits: settings.scaleBits, valueBits: settings.valueBits });
  const input = quantizeInputs({ model, inputs: loadCliInputs(settings, []) });
  const trace = createVmDisputeTrace({ model, input });
  const engine = runEngine({ model, inputs: input });
  expect(trace.outputs.map(Number)).toEqual(engine.outputs.flatMap((o) => o.data));

  const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
  const machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;
  const lieAt = trace.layerStarts[1] + 7;
  const result = await playDispute({
    clients: fixture.clients,
    registry: fixture.registries[2],
    machine,
    trace,
    submitter: createActor({ role: 'submitter', strategy: `step:${lieAt}`, trace }),
    challenger: createActor({ role: 'challenger', strategy: 'honest', trace }),
  });
  expect(result).toMatchObject({ winner: 'challenger', honestWon: true, resolvedBy: 'step', oneStepAt: lieAt - 1, phases: 2 });
  expect(result.phaseRounds.map((p) => [p.phase, p.width, p.bound])).toEqual([
    [1, trace.layerStarts.length, Math.ceil(Math.log2(trace.layerStarts.length))],
    [2, trace.layerStarts[2] - trace.layerStarts[1], Math.ceil(Math.log2(trace.layerStarts[2] - trace.layerStarts[1]))],
  ]);
  for (const phase of result.phaseRounds) expect(phase.rounds).toBeLessThanOrEqual(phase.bound);
  expect(result.gas.perMoveMax!).toBeLessThanOrEqual(60_000);
  expect(result.gas.oneStep).toBeGreaterThan(0);
  expect(result.storageBytes).toBeGreaterThan(0);
  expect(result.bondsWei).toEqual({ submitter: '0', challenger: String(2n * BOND_WEI) });
  expect(result.outputs.final).toEqual(trace.outputs.map(String));
});

test('opzk dispute --json prints one object with the measurements', async () => {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'dispute', 'linreg', '--cheat', 'final-state', '--arity', '4', '--window', '100', '--clock', '50', '--json'], {
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(report).toMatchObject({
    model: 'linreg', arity: 4, cheat: 'final-state', winner: 'challenger', honestWon: true, resolvedBy: 'step', phases: 1,
    finalitySeconds: { unchallenged: 100, disputedWorstCase: 200, mainnetLike: { unchallenged: 604_800, disputedWorstCase: 1_209_600 } },
  });
  expect(report.oneStepAt).toBe(report.steps - 1);
  for (const key of ['steps', 'rounds', 'transactions', 'calldataBytes', 'storageBytes', 'wallMs'])
    expect(typeof report[key], key).toBe('number');
  for (const key of ['submit', 'perMoveMedian', 'perMoveMax', 'oneStep', 'total']) expect(report.gas[key], key).toBeGreaterThan(0);
  expect(report.outputs.final).toEqual(report.outputs.true);
});
