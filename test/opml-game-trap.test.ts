/**
 * The attacker's tests of issue 9 §2–3 on anvil. An input that `requestInference` accepts but on
 * which the trace VM traps (mnist-mlp-196-24-10 with every input 127.99: fc1's first RESCALE leaves
 * the 16-bit range at step 196) used to have no provable post-state, so a cheater's made-up
 * output became final. Now a trap is a state: every step of such a run has a one-step proof, the
 * result is the error result (empty output), and the honest party wins against every cheat, from
 * either side, whichever step the lie starts at around the trap. Also: a registration whose step
 * count or layer starts disagree with the model's layout is refused, and a false "the input
 * traps" on an input that runs through loses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Address } from 'viem';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { sendTransaction } from '../src/chain/sendTransaction.ts';
import { loadCliInputs, resolveModelSettings } from '../src/cli/commands/infer.ts';
import { createActor } from '../src/opml/actors/createActor.ts';
import { createVmDisputeTrace, type CreateVmDisputeTraceResult } from '../src/opml/game/createVmDisputeTrace.ts';
import { playDispute, type PlayDisputeResult } from '../src/opml/game/playDispute.ts';
import { trappedStateOf } from '../src/opml/vmState.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { BOND_WEI, createGameFixture, type GameFixture } from './opml-game-setup.ts';

const NAME = 'mnist-mlp-196-24-10';
/** In range at scale 2^8, 16-bit values (127.99 · 256 = 32765 < 32768), and it traps. */
const TRAPPING_VALUE = 127.99;

let fixture: GameFixture;
let machine: Address;
let trapping: CreateVmDisputeTraceResult;
let runsThrough: CreateVmDisputeTraceResult;

beforeAll(async () => {
  fixture = await createGameFixture();
  const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
  machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;
  const settings = resolveModelSettings(NAME);
  const model = quantizeModel({ file: settings.resolved.file, name: NAME, scaleBits: settings.scaleBits, valueBits: settings.valueBits });
  trapping = createVmDisputeTrace({ model, input: quantizeInputs({ model, inputs: { input: new Array(196).fill(TRAPPING_VALUE) } }) });
  runsThrough = createVmDisputeTrace({ model, program: trapping.program, input: quantizeInputs({ model, inputs: loadCliInputs(settings, []) }) });
});
afterAll(async () => {
  await fixture?.stop();
});

async function play(trace: CreateVmDisputeTraceResult, arity: number, submitter: string, challenger: string): Promise<PlayDisputeResult> {
  return playDispute({
    clients: fixture.clients, registry: fixture.registries[arity], machine, trace, measureStorage: false,
    submitter: createActor({ role: 'submitter', strategy: submitter, trace }),
    challenger: createActor({ role: 'challenger', strategy: challenger, trace }),
  });
}

function expectHonestWin(result: PlayDisputeResult, label: string, trueOutput: string[]) {
  expect(result.honestWon, label).toBe(true);
  expect(result.outputs.final, label).toEqual(trueOutput);
  const loser = result.winner === 'submitter' ? 'challenger' : 'submitter';
  if (result.challenged) {
    expect(result.bondsWei[result.winner], label).toBe(String(2n * BOND_WEI));
    expect(result.bondsWei[loser], label).toBe('0');
  }
}

test('the trapping input: accepted on-chain, traps at step 196, its result is the error result', async () => {
  expect(trapping.input.every((value) => value === 32765n)).toBe(true);
  expect(trapping.vmTrace.trap).toMatchObject({ step: 196, kind: 'range', layer: 'fc1', tensor: 'fc1.out', index: 0, value: 552269n });
  expect({ steps: trapping.totalSteps, layerStarts: trapping.layerStarts }).toEqual({ steps: 5002, layerStarts: [0, 4728, 4752] });
  expect(trapping.outputs).toEqual([]);
  expect(trapping.stateAt(196)).not.toBe(trappedStateOf(196));
  for (const step of [197, 4728, 5002]) expect(trapping.stateAt(step)).toBe(trappedStateOf(step));
  // An honest submitter posts the error result and, unchallenged, it becomes final: outputOf = [].
  const result = await play(trapping, 2, 'honest', 'honest');
  expect(result).toMatchObject({ challenged: false, winner: 'submitter', honestWon: true, outputs: { true: [], posted: [], final: [] } });
});

test('every step of the trapping run around the trap has a one-step proof the verifier accepts', async () => {
  const { publicClient } = fixture.clients;
  const verifierAbi = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier').abi;
  const steps = [0, 1, 194, 195, 196, 197, 198, 199, 1000, 4727, 4728, 4751, 4752, 5001];
  for (const step of steps) {
    const { preState, postState, proof } = trapping.proveStep(step);
    const post = await publicClient.readContract({ address: machine, abi: verifierAbi, functionName: 'step', args: [trapping.modelRoot, preState, proof] });
    expect(post, `step ${step}`).toBe(postState);
  }
});

test('a cheater\'s made-up output on the trapping input loses, at k = 2 and 16', async () => {
  for (const arity of [2, 16]) {
    const result = await play(trapping, arity, 'output', 'honest');
    expectHonestWin(result, `output k=${arity}`, []);
    expect(result).toMatchObject({ winner: 'challenger', resolvedBy: 'step', outputs: { posted: ['1', ...new Array(9).fill('0')] } });
  }
}, 300_000);

test('step:K around the trap: the honest challenger wins wherever the lie starts', async () => {
  // K = 196: the one step proven is step 195 (running → running); 197: the trap step itself
  // (running → trapped); 198: step 197 (trapped → trapped); 1 and 5002: the ends.
  const oneStepAt: Record<string, number | undefined> = {};
  const oneStepGas: Record<number, number | null> = {};
  for (const [arity, lies] of [[2, [1, 196, 197, 198, 5002]], [16, [196, 197, 198]]] as const) {
    for (const lieAt of lies) {
      const result = await play(trapping, arity, `step:${lieAt}`, 'honest');
      expectHonestWin(result, `step:${lieAt} k=${arity}`, []);
      expect(result.resolvedBy, `step:${lieAt} k=${arity}`).toBe('step');
      oneStepAt[`${lieAt} k=${arity}`] = result.oneStepAt;
      if (arity === 2) oneStepGas[lieAt] = result.gas.oneStep;
    }
  }
  // The first false claim is the state after step K - 1: that step is the one proven.
  for (const [key, at] of Object.entries(oneStepAt)) expect(at, key).toBe(Number(key.split(' ')[0]) - 1);
  // The one-step transaction at k = 2 (exact): a MAC before the trap (steps 0 and 195), the
  // trapping RESCALE (step 196: it proves the trap, no write), and steps from a trapped state
  // (197, 5001: no memory proof, cheapest). Step 5001 cost 68,087 before ReLU wrote over its
  // input (allocateOver): the program's layout, and so its proofs' bytes, changed.
  expect(oneStepGas).toEqual({ 1: 78_193, 196: 78_165, 197: 76_265, 198: 65_705, 5002: 68_111 });
}, 600_000);

test('a challenger lying about the trapping run loses against the honest error result', async () => {
  for (const [arity, strategy] of [[2, 'false-challenge'], [2, 'false-midpoints:196'], [16, 'false-midpoints:197'], [4, 'false-midpoints:198']] as const) {
    const result = await play(trapping, arity, 'honest', strategy);
    expectHonestWin(result, `${strategy} k=${arity}`, []);
    expect(result.winner).toBe('submitter');
  }
}, 400_000);

test('a false "the input traps" (the error result on an input that runs through) loses', async () => {
  expect(runsThrough.vmTrace.trap).toBeUndefined();
  for (const [arity, strategy] of [[2, 'error'], [16, 'error'], [2, 'error:197'], [4, 'error:1']] as const) {
    const result = await play(runsThrough, arity, strategy, 'honest');
    expectHonestWin(result, `${strategy} k=${arity}`, runsThrough.outputs.map(String));
    expect(result).toMatchObject({ winner: 'challenger', resolvedBy: 'step', outputs: { posted: [] } });
  }
  expect(() => createActor({ role: 'submitter', strategy: 'error', trace: trapping })).toThrow(/truly traps \(step 196\)/);
}, 400_000);

test('registerModel refuses step counts and layer starts that disagree with the model layout', async () => {
  const { clients } = fixture;
  const registry = fixture.registries[2];
  const register = (totalSteps: number, layerStarts: number[]) => sendTransaction({
    clients, wallet: clients.wallets[0], to: registry.address, abi: registry.abi, functionName: 'registerModel',
    args: [trapping.modelRoot, machine, totalSteps, layerStarts, trapping.memoryLayout], gas: 5_000_000n, allowRevert: true,
  });
  // The lie that let a challenger beat an honest submitter: one step fewer (the game's last
  // step would end at pc 5001, the honest final state has pc 5002).
  expect((await register(5001, [0, 4728, 4752])).revertErrorName).toBe('StepCountMismatch');
  expect((await register(5003, [0, 4728, 4752])).revertErrorName).toBe('StepCountMismatch');
  expect((await register(5002, [0, 4727, 4752])).revertErrorName).toBe('LayerStartsMismatch');
  expect((await register(5002, [0, 4728])).revertErrorName).toBe('LayerStartsMismatch');
  expect((await register(5002, [0, 4728, 4752])).status).toBe('success');
});

test('opzk dispute on the trapping input: the cheater loses; --bond 0 and --arity 1000 are named errors', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'opzk-trap-'));
  const file = join(folder, 'all-127.99.json');
  writeFileSync(file, JSON.stringify({ input: new Array(196).fill(TRAPPING_VALUE) }));
  const run = promisify(execFile);
  const env = { ...process.env, NODE_NO_WARNINGS: '1' };
  const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', 'dispute', NAME, '--input', file, '--cheat', 'step:197', '--json'], { env });
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(report).toMatchObject({ winner: 'challenger', honestWon: true, resolvedBy: 'step', oneStepAt: 196, outputs: { true: [], final: [] } });
  for (const [flags, message] of [
    [['--bond', '0'], 'dispute: --bond 0 must be at least 1 wei: a zero bond makes cheating free (e.g. --bond 1000000000000000000)'],
    [['--arity', '1000'], 'dispute: --arity 1000 is not an integer in [2, 255] (e.g. --arity 2)'],
  ] as const) {
    const failure = await run('npx', ['tsx', 'src/cli/main.ts', 'dispute', 'linreg', ...flags], { env }).then(() => undefined, (error) => error);
    expect(failure?.code, flags.join(' ')).toBe(2); // a usage error
    expect(failure.stderr.trim().split('\n').filter((line: string) => !line.startsWith('npm warn')), flags.join(' ')).toEqual([`opzk: ${message}`]);
  }
}, 300_000);
