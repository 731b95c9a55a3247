/**
 * The new operators through opML: dispute games on the normalised CNN (Sub/Div, depthwise conv,
 * ReLU6 clip, reflect pad, GAP) where the submitter lies about the result of a clip step (MAX with
 * MIN) or of a per-channel mul step (RESCALE) and the honest challenger wins by proving that one
 * step on-chain. (In a file of its own: run in one process after a Groth16 proof, both games timed
 * out waiting for transaction receipts on the loaded dev machine, load ~30; alone each finishes in
 * seconds. The cause was not pinned down.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { createActor } from '../src/opml/actors/createActor.ts';
import { VM_OP_NAMES, VmFlag } from '../src/opml/executeInstruction.ts';
import { createVmDisputeTrace } from '../src/opml/game/createVmDisputeTrace.ts';
import { playDispute } from '../src/opml/game/playDispute.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { normalisedCnn } from './linear-ops-fixtures.ts';
import { BOND_WEI, createGameFixture, type GameFixture } from './opml-game-setup.ts';

describe('dispute games on the normalised CNN', () => {
  let fixture: GameFixture;
  beforeAll(async () => {
    fixture = await createGameFixture();
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it.each([
    ['the first clip upper bound (MAX MIN STORE)', 'MAX', VmFlag.MIN | VmFlag.STORE],
    ['the first per-channel mul (RESCALE after a MAC with the reciprocal of std)', 'RESCALE', 0],
  ])('a lie about %s loses at that step', async (_, op, flags) => {
    const c = normalisedCnn();
    const model = quantizeModel({ file: c.file });
    const input = quantizeInputs({ model, inputs: c.inputs });
    const trace = createVmDisputeTrace({ model, input });
    expect(trace.outputs.map(Number)).toEqual(runEngine({ model, inputs: input }).outputs.flatMap((o) => o.data));
    const { columns, totalSteps } = trace.program;
    let at = -1;
    for (let step = 0; step < totalSteps && at < 0; step++) if (VM_OP_NAMES[columns.op[step]!] === op && columns.flags[step] === flags) at = step;
    expect(at).toBeGreaterThanOrEqual(0);
    const verifier = getCompiledContract(compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol'] }), 'OneStepVerifier');
    const machine = (await deployContract({ clients: fixture.clients, contract: verifier })).address;
    const result = await playDispute({
      clients: fixture.clients, registry: fixture.registries[2], machine, trace,
      submitter: createActor({ role: 'submitter', strategy: `step:${at + 1}`, trace }),
      challenger: createActor({ role: 'challenger', strategy: 'honest', trace }),
    });
    expect(result).toMatchObject({ winner: 'challenger', honestWon: true, resolvedBy: 'step', oneStepAt: at });
    expect(result.gas.oneStep!).toBeLessThanOrEqual(100_000);
    expect(result.bondsWei).toEqual({ submitter: '0', challenger: String(2n * BOND_WEI) });
    expect(result.outputs.final).toEqual(trace.outputs.map(String));
  });
});
