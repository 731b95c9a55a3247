/**
 * A dispute over the smooth MLP (Sigmoid, Tanh, Softmax; test/smooth-fixtures.ts) with the real
 * trace VM: a submitter that lies from a LUT step of the tanh layer on, and one that lies from a
 * DIV step of the softmax, are each bisected down to that one step, which OneStepVerifier
 * re-executes on-chain; the honest challenger wins both.
 */
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
import { createTempDir } from './foundation-helpers.ts';
import { createGameFixture, type GameFixture } from './opml-game-setup.ts';
import { writeSmoothMlp } from './smooth-fixtures.ts';

let fixture: GameFixture;
beforeAll(async () => {
  fixture = await createGameFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

test('a lie from a LUT step (tanh) and from a DIV step (softmax) is found and loses', async () => {
  const { file, inputSets } = writeSmoothMlp(createTempDir());
  const model = quantizeModel({ file });
  const input = quantizeInputs({ model, inputs: { x: inputSets[7]! } });
  const trace = createVmDisputeTrace({ model, input });
  expect(trace.outputs.map(Number)).toEqual(runEngine({ model, inputs: input }).outputs.flatMap((o) => o.data));
  const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
  const machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;

  const program = trace.program;
  const tanh = program.layers.filter((layer) => layer.op === 'smooth')[1]!;
  const softmax = program.layers.find((layer) => layer.op === 'softmax')!;
  const lutStep = tanh.firstStep + 5;
  const divStep = softmax.firstStep + softmax.stepCount - 2;
  expect([VM_OP_NAMES[instructionAt(program, lutStep).op], VM_OP_NAMES[instructionAt(program, divStep).op]]).toEqual(['LUT', 'DIV']);
  const oneStepGas: number[] = [];
  for (const step of [lutStep, divStep]) {
    const result = await playDispute({
      clients: fixture.clients,
      registry: fixture.registries[2],
      machine,
      trace,
      submitter: createActor({ role: 'submitter', strategy: `step:${step + 1}`, trace }),
      challenger: createActor({ role: 'challenger', strategy: 'honest', trace }),
    });
    expect(result, `lie after step ${step}`).toMatchObject({ winner: 'challenger', honestWon: true, resolvedBy: 'step', oneStepAt: step });
    // The game's whole step transaction (the proof in calldata, the one-step re-execution, the
    // game's bookkeeping): two memory words per step keep it under 100,000 gas, as for RELU.
    oneStepGas.push(result.gas.oneStep!);
    expect(result.gas.oneStep!).toBeLessThanOrEqual(100_000);
  }
  expect(oneStepGas).toEqual([86921, 87138]);
}, 600_000);
