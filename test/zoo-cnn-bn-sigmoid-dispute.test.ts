/**
 * An opML dispute over the zoo's smooth-operator CNN (mnist-cnn-bn-sigmoid) with the real trace
 * VM and OneStepVerifier: a submitter that lies from a LUT step of the Sigmoid layer on is
 * bisected down to that one step, which the verifier re-executes on-chain; the honest
 * challenger wins. (The BatchNormalization is folded into the Conv by the importer, so its
 * multiplications are the Conv's MAC steps.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { createActor } from '../src/opml/actors/createActor.ts';
import { instructionAt } from '../src/opml/compileProgram.ts';
import { VM_OP_NAMES } from '../src/opml/executeInstruction.ts';
import { createVmDisputeTrace } from '../src/opml/game/createVmDisputeTrace.ts';
import { playDispute } from '../src/opml/game/playDispute.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { REPO_ROOT } from '../src/zoo/readZoo.ts';
import { createGameFixture, type GameFixture } from './opml-game-setup.ts';

const NAME = 'mnist-cnn-bn-sigmoid';
/** The game's whole step transaction for that LUT step (calldata proof, re-execution, bookkeeping). */
const ONE_STEP_GAS = 94_171;

let fixture: GameFixture;
beforeAll(async () => {
  fixture = await createGameFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

test(`${NAME}: a lie from a LUT step of the Sigmoid is found and loses`, async () => {
  const model = quantizeModel({ file: join(REPO_ROOT, 'models', `${NAME}.onnx`) });
  const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'inputs', `${NAME}.json`), 'utf8')) as { input: number[] };
  const input = quantizeInputs({ model, inputs: { input: sample.input } });
  const trace = createVmDisputeTrace({ model, input });
  expect(trace.outputs.map(Number)).toEqual(runEngine({ model, inputs: input }).outputs.flatMap((o) => o.data));
  const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
  const machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;

  const sigmoid = trace.program.layers.find((layer) => layer.op === 'smooth')!;
  // Element 37 of 50: its MAX FIRST (load x) at 2·37, its LUT one step later.
  const lutStep = sigmoid.firstStep + 2 * 37 + 1;
  expect(VM_OP_NAMES[instructionAt(trace.program, lutStep).op]).toBe('LUT');
  const result = await playDispute({
    clients: fixture.clients,
    registry: fixture.registries[2],
    machine,
    trace,
    submitter: createActor({ role: 'submitter', strategy: `step:${lutStep + 1}`, trace }),
    challenger: createActor({ role: 'challenger', strategy: 'honest', trace }),
  });
  expect(result).toMatchObject({ winner: 'challenger', honestWon: true, resolvedBy: 'step', oneStepAt: lutStep });
  expect(result.gas.oneStep!).toBe(ONE_STEP_GAS);
}, 600_000);
