/**
 * Owns the opML side of one Table II row, measured end to end on a fresh local anvil (or the
 * `--rpc-url` chain, where windows and clocks pass in real time): the
 * native and engine inference (baselines), the submitter's off-chain work (compile the model
 * to the trace VM once, then per inference run the trace and commit to its states), the
 * challenger's re-execution (the same inference run again by the other party), an unchallenged result (request, submit, finalize:
 * gas, calldata, storage) and one dispute against a cheating submitter (rounds, gas, bytes, wall
 * time, finality). With `cheatsOnly` it plays every cheat strategy of the actors instead, on its
 * own fresh chain (the Security row's fault injection), plus the trap cheats: on an input the
 * registry accepts but on which the VM traps (findTrappingInput), a made-up output, a lie from the
 * trap on, and a false challenge of the honest error result; and on the sample input a false
 * "this input traps" (the error result).
 */
import { performance } from 'node:perf_hooks';
import { compileSolidity, getCompiledContract } from '../../chain/compileSolidity.ts';
import { deployContract } from '../../chain/deployContract.ts';
import { openChain } from '../../chain/openChain.ts';
import { runEngine } from '../../engine/runEngine.ts';
import { createNativeSession } from '../../native/createNativeSession.ts';
import { createActor } from '../../opml/actors/createActor.ts';
import { createVmDisputeTrace, type CreateVmDisputeTraceResult } from '../../opml/game/createVmDisputeTrace.ts';
import { deployOpmlRegistry } from '../../opml/game/deployOpmlRegistry.ts';
import { playDispute, type DisputeTx, type PlayDisputeResult } from '../../opml/game/playDispute.ts';
import { findTrappingInput } from '../../opml/findTrappingInput.ts';
import { peakRssBytes } from '../../zk/types.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { LoadBenchModelResult } from './loadBenchModel.ts';
import { compileProgram } from '../../opml/compileProgram.ts';
import { repeatInference, repeatedTiming, type OnAttemptPhase, type OnOneTimeStep } from './attemptBudgets.ts';
import { measureOpmlTrace } from './measureOpmlTrace.ts';

const ONE_STEP_VERIFIER_SOURCE = 'contracts/src/opml/vm/OneStepVerifier.sol';
/** Accounts a game needs on a remote chain: requester (and deployer), submitter, challenger. */
const ACTORS = 3;

/** A cheat of the Security row: who cheats, how, and on which input ('sample', or 'trapping':
 * an input in range on which the VM traps, whose true result is the error result). */
export interface CheatStrategy {
  cheat: string;
  role: 'submitter' | 'challenger';
  strategy: string;
  input?: 'sample' | 'trapping';
}

/** Every cheat strategy of src/opml/actors/createActor.ts, with the step cheats pinned to the
 * middle step; `trapStep` (the step at which the trapping input traps, if the model has one) adds
 * the trap cheats, and `sampleTraps` drops 'error' (a sample that traps makes it the truth). */
export function cheatStrategies(totalSteps: number, trapStep?: number, sampleTraps = false): CheatStrategy[] {
  const middle = Math.max(1, Math.ceil(totalSteps / 2));
  const trapCheats: CheatStrategy[] = trapStep === undefined ? [] : [
    { cheat: 'trap:output', role: 'submitter', strategy: 'output', input: 'trapping' },
    // The lie starts at the state after the trapping step: the step proven is the trap itself.
    { cheat: 'trap:step', role: 'submitter', strategy: `step:${trapStep + 1}`, input: 'trapping' },
    { cheat: 'trap:false-challenge', role: 'challenger', strategy: 'false-challenge', input: 'trapping' },
  ];
  return [
    { cheat: 'output', role: 'submitter', strategy: 'output' },
    { cheat: 'step', role: 'submitter', strategy: `step:${middle}` },
    { cheat: 'final-state', role: 'submitter', strategy: 'final-state' },
    { cheat: 'inconsistent', role: 'submitter', strategy: 'inconsistent' },
    { cheat: 'silent', role: 'submitter', strategy: 'silent' },
    { cheat: 'false-challenge', role: 'challenger', strategy: 'false-challenge' },
    { cheat: 'false-midpoints', role: 'challenger', strategy: `false-midpoints:${middle}` },
    ...(sampleTraps ? [] : [{ cheat: 'error', role: 'submitter', strategy: 'error' } as const]),
    ...trapCheats,
  ];
}

export interface OpmlGameSettings {
  arity: number;
  challengeWindowSeconds: number;
  clockSeconds: number;
  bondWei: bigint;
}

export interface MeasureOpmlModelParameters {
  loaded: LoadBenchModelResult;
  game: OpmlGameSettings;
  /** Timed repetitions of the native and engine inference (default 5). */
  inferenceSamples?: number;
  /** Only the trace, the chain and every cheat strategy (a separate attempt, so the row's figures survive its limits). */
  cheatsOnly?: boolean;
  /** Skip the onnxruntime baseline (models onnxruntime cannot load). Default false. */
  skipNative?: boolean;
  /** Called when a phase starts (for progress and for naming the phase a limit hit), with the budget it counts against (attemptBudgets.ts). */
  onPhase?: OnAttemptPhase;
  /** A one-time step finished (the VM programs: always built, nothing of opML is cached). */
  onOneTimeStep?: OnOneTimeStep;
  /** Timed runs of the submitter's trace and the challenger's re-execution, the first included, and the wall time the extra runs may take (default one run). */
  repeat?: { repetitions: number; budgetMs: number };
  /** Play on this EVM endpoint (keys: OPZK_PRIVATE_KEY, three actors) instead of a fresh local
   * anvil; windows and clocks then pass in real time. */
  rpcUrl?: string;
}

export interface MeasureOpmlModelResult {
  measurements: Measurement[];
  steps: number;
}

function sum(txs: DisputeTx[], pick: (tx: DisputeTx) => number): number {
  return txs.reduce((total, tx) => total + pick(tx), 0);
}

interface CheatContext extends MeasureOpmlModelParameters {
  trace: CreateVmDisputeTraceResult;
  out: Measurement[];
}

/** Every cheat strategy on its own fresh chain: was the cheater caught (the honest party won), in how many rounds. */
async function playCheats({ loaded, game, trace, out, onPhase, rpcUrl }: CheatContext): Promise<MeasureOpmlModelResult> {
  const chain = await openChain({ rpcUrl, accountCount: rpcUrl ? ACTORS : undefined });
  try {
    const { clients } = chain;
    const verifier = getCompiledContract(compileSolidity({ files: [ONE_STEP_VERIFIER_SOURCE] }), 'OneStepVerifier');
    const machine = await deployContract({ clients, contract: verifier });
    const registry = await deployOpmlRegistry({ clients, ...game });
    let modelId: number | undefined;
    const trapping = findTrappingInput({ program: trace.program });
    const trappingTrace = trapping && createVmDisputeTrace({ model: loaded.model, input: trapping.input, program: trace.program });
    for (const { cheat, role, strategy, input } of cheatStrategies(trace.totalSteps, trapping?.trapStep, trace.trapStep !== undefined)) {
      onPhase?.(`opML cheat: ${cheat}`);
      const played = input === 'trapping' ? trappingTrace! : trace;
      const result = await playDispute({
        clients, registry, machine: machine.address, trace: played, modelId, measureStorage: false,
        submitter: createActor({ role: 'submitter', strategy: role === 'submitter' ? strategy : 'honest', trace: played, seed: 3 }),
        challenger: createActor({ role: 'challenger', strategy: role === 'challenger' ? strategy : 'honest', trace: played, seed: 4 }),
      });
      modelId = result.modelId;
      const labels = { model: loaded.name, cheat };
      const where = input === 'trapping' ? ` on the all-'${trapping!.candidate}' input, which traps at step ${trapping!.trapStep} (true result: the error result)` : '';
      out.push(
        createMeasurement({ metric: 'cheatCaught', labels, unit: 'caught', kind: 'deterministic', value: result.honestWon ? 1 : 0, higherIsWorse: false, note: `${role} plays '${strategy}'${where}; resolved by ${result.resolvedBy}` }),
        createMeasurement({ metric: 'cheatRounds', labels, unit: 'rounds', kind: 'deterministic', value: result.rounds }),
      );
    }
  } finally {
    await chain.stop();
  }
  return { measurements: out, steps: trace.totalSteps };
}

export async function measureOpmlModel(parameters: MeasureOpmlModelParameters): Promise<MeasureOpmlModelResult> {
  const { loaded, game, onPhase } = parameters;
  const samples = parameters.inferenceSamples ?? 5;
  const model = loaded.name;
  const labels = { model };
  const out: Measurement[] = [];
  const count = (metric: string, value: number, unit: string, extra: Record<string, string | number> = {}, higherIsWorse = true, note?: string) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'deterministic', value, higherIsWorse, note }));
  const timing = (metric: string, values: number[], extra: Record<string, string | number> = {}, note?: string) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit: 'ms', kind: 'timing', samples: values, note }));

  const cheatsOnly = parameters.cheatsOnly ?? false;
  if (!cheatsOnly) {
    count('parameters', loaded.parameters, 'parameters');
    count('macs', loaded.macs, 'MACs');
  }

  if (!parameters.skipNative && !cheatsOnly) {
    onPhase?.('native inference');
    const session = await createNativeSession({ file: loaded.file });
    try {
      await session.run(loaded.floatInputs);
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        await session.run(loaded.floatInputs);
        times.push(performance.now() - started);
      }
      timing('nativeInferenceTime', times, {}, 'onnxruntime-node, one thread, batch 1, float');
    } finally {
      await session.close();
    }
  }

  if (!cheatsOnly) {
    onPhase?.('engine inference');
    runEngine({ model: loaded.model, inputs: loaded.inputs });
    const engineTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      runEngine({ model: loaded.model, inputs: loaded.inputs });
      engineTimes.push(performance.now() - started);
    }
    timing('engineInferenceTime', engineTimes, {}, 'the fixed-point engine (integer semantics of docs/fixed-point.md)');
  }

  // The one-time compile to the VM (setup budget), then the per-inference trace (time budget).
  const compileVm = (party: string) => {
    const started = performance.now();
    const program = compileProgram({ model: loaded.model });
    const ms = performance.now() - started;
    parameters.onOneTimeStep?.({ step: `vm-program (${party})`, built: true, builtMs: ms, wallMs: ms });
    return { program, ms };
  };
  onPhase?.('opML submitter: compile the model to the VM', 'setup');
  const submitterVm = compileVm('submitter');
  onPhase?.('opML submitter: engine inference + state commitments', 'inference');
  const trace: CreateVmDisputeTraceResult = Object.assign(createVmDisputeTrace({ model: loaded.model, input: loaded.inputs, program: submitterVm.program }), { compileMs: submitterVm.ms });
  if (cheatsOnly) return playCheats({ ...parameters, trace, out });
  timing('opmlCompileTime', [trace.compileMs], {}, 'one-time per model: compile the model to the trace VM (program + Merkle root of its memory)');
  // The submitter's cost per inference apart from the dispute's (issue 13 §3), warm like the engine's.
  const costs = measureOpmlTrace({ program: trace.program, model: loaded.model, input: loaded.inputs, samples, arity: game.arity });
  timing('opmlExecuteTime', costs.submitterMs, {}, "the submitter's work per inference (warm): one engine inference and the commitment to the output state (final state + output proof) made from it — the VM run is deferred to a dispute (opmlRunTime); the one-time compile is opmlCompileTime, a dispute's states opmlDisputeStatesTime");
  timing('opmlRunTime', costs.runMs, {}, 'the trace VM run alone (no hashing): not part of the claim, which comes from the engine; a dispute runs it first');
  timing('engineWarmInferenceTime', costs.engineMs, {}, 'the engine compiled once (createEngine), warm, interleaved with opmlExecuteTime\'s samples: its yardstick (engineInferenceTime compiles every time)');
  count('opmlClaimFromEngine', costs.claimFrom.source === 'engine' ? 1 : 0, 'boolean', {}, false, costs.claimFrom.source === 'engine' ? '1: the submitter made its claim from one engine inference (planClaim), the VM run deferred to a dispute' : `0: the submitter ran the VM to make its claim (${costs.claimFrom.why})`);
  count('opmlClaimHashes', costs.claimHashes, 'hashes', {}, true, 'keccak256 hashes of the claim, in the submitter\'s steady state: the check of the request\'s input root, each node above the words the program writes once (the claim schedule), and the leaves of values the program\'s leaf memo has not seen (none after the timed runs of the same input)');
  if (costs.trapStep === undefined) {
    timing('opmlDisputeStatesTime', costs.disputeMs, {}, `only when challenged: the states a k = ${game.arity} bisection asks the honest party for (${costs.disputeStates} states, ${costs.disputeRounds} rounds) and the one-step proof of step ${costs.disputedStep}, after the claim`);
    count('opmlDisputeHashes', costs.disputeHashes, 'hashes', {}, true, `keccak256 hashes of those states and the proof (memory-tree moves along the write log; k = ${game.arity})`);
  }
  count('traceSteps', trace.totalSteps, 'steps');
  count('traceLayers', trace.layerStarts.length, 'layers');

  // The challenger compiles the model once too (its own program), then re-executes the inference.
  onPhase?.('opML challenger: compile its own program', 'setup');
  const challengerProgram = compileVm('challenger').program;
  onPhase?.('opML challenger: re-execution', 'inference');
  const again = createVmDisputeTrace({ model: loaded.model, input: loaded.inputs, program: challengerProgram });
  if (again.stateAt(again.totalSteps) !== trace.stateAt(trace.totalSteps))
    throw new Error(`opML re-execution of '${model}' reached a different final state: the trace VM is not deterministic`);
  // More runs of both for their spread (issue 14), outside both budgets.
  onPhase?.('opML: timing repetitions (trace, re-execution)', 'repeat');
  const repeated = await repeatInference({
    repetitions: parameters.repeat?.repetitions ?? 1, budgetMs: parameters.repeat?.budgetMs ?? 0,
    first: { trace: trace.traceMs, reexecute: again.traceMs },
    run: async () => ({
      trace: createVmDisputeTrace({ model: loaded.model, input: loaded.inputs, program: submitterVm.program }).traceMs,
      reexecute: createVmDisputeTrace({ model: loaded.model, input: loaded.inputs, program: challengerProgram }).traceMs,
    }),
  });
  const spread = (metric: string, samples: number[], note: string) => out.push(repeatedTiming({ metric, labels, samples, note, repeat: repeated }));
  spread('opmlTraceTime', repeated.samples.trace, 'the whole dispute-ready trace: run the trace VM and make the claim (final state + output proof); the first sample is the cold run in this process (JIT warm-up included)');
  spread('opmlReexecuteTime', repeated.samples.reexecute, "the challenger's re-execution of the inference (its claim from its own engine and compiled program, as the submitter's) to compare with the result posted");

  onPhase?.(parameters.rpcUrl ? 'opML on-chain: the --rpc-url chain' : 'opML on-chain: anvil', 'inference');
  const chain = await openChain({ rpcUrl: parameters.rpcUrl, accountCount: parameters.rpcUrl ? ACTORS : undefined });
  try {
    const { clients } = chain;
    const verifier = getCompiledContract(compileSolidity({ files: [ONE_STEP_VERIFIER_SOURCE] }), 'OneStepVerifier');
    const machine = await deployContract({ clients, contract: verifier });
    const registry = await deployOpmlRegistry({ clients, ...game });
    count('opmlDeployGas', Number(registry.deployGas) + Number(machine.gasUsed), 'gas', {}, true, 'OpmlRegistry + OneStepVerifier deployments (once per chain)');
    let modelId: number | undefined;
    const play = async (submitterStrategy: string, challengerStrategy: string, seed: number): Promise<PlayDisputeResult> => {
      const result = await playDispute({
        clients, registry, machine: machine.address, trace, modelId,
        submitter: createActor({ role: 'submitter', strategy: submitterStrategy, trace, seed }),
        challenger: createActor({ role: 'challenger', strategy: challengerStrategy, trace, seed: seed + 1 }),
        honestPreparationMs: trace.compileMs + trace.traceMs,
      });
      modelId = result.modelId;
      return result;
    };

    onPhase?.('opML unchallenged result');
    const honest = await play('honest', 'honest', 1);
    const byKind = (txs: DisputeTx[], kind: DisputeTx['kind']) => txs.filter((tx) => tx.kind === kind);
    const register = byKind(honest.txs, 'register');
    const request = byKind(honest.txs, 'request');
    const submit = byKind(honest.txs, 'submit');
    const finalize = byKind(honest.txs, 'finalize');
    count('opmlGas', sum(register, (tx) => tx.gasUsed), 'gas', { phase: 'register' }, true, 'registerModel (once per model)');
    count('opmlGas', sum(request, (tx) => tx.gasUsed), 'gas', { phase: 'request' }, true, 'requestInference: the input on-chain and its initial state computed by the contract');
    count('opmlGas', sum(submit, (tx) => tx.gasUsed), 'gas', { phase: 'submit' }, true, 'submitResult with the bond');
    count('opmlGas', sum(finalize, (tx) => tx.gasUsed), 'gas', { phase: 'finalize' }, true, 'finalize after the window');
    count('opmlCalldataBytes', sum([...request, ...submit, ...finalize], (tx) => tx.calldataBytes), 'bytes', {}, true, 'request + submit + finalize of an unchallenged inference');
    if (honest.storageBytes !== null) count('opmlStorageBytes', sum([...submit, ...finalize], (tx) => tx.storageBytesWritten ?? 0), 'bytes', {}, true,
      'storage slots written nonzero × 32 by submit + finalize (the request is not traced: its trace is too large for big inputs)');
    count('finalitySeconds', honest.finalitySeconds.unchallenged, 's', { case: 'unchallenged' });
    count('finalitySeconds', honest.finalitySeconds.disputedWorstCase, 's', { case: 'disputed-worst-case' });
    count('finalitySeconds', honest.finalitySeconds.mainnetLike.unchallenged, 's', { case: 'mainnet-unchallenged' }, true, '7-day window');
    count('finalitySeconds', honest.finalitySeconds.mainnetLike.disputedWorstCase, 's', { case: 'mainnet-disputed-worst-case' }, true, '7-day window + both 3.5-day clocks');

    onPhase?.('opML dispute (output cheat)');
    const dispute = await play('output', 'honest', 1);
    const disputeTxs = dispute.txs.filter((tx) => !['register', 'request', 'finalize', 'resubmit'].includes(tx.kind));
    count('disputeRounds', dispute.rounds, 'rounds');
    count('disputeTransactions', dispute.transactions, 'transactions');
    count('disputeGas', dispute.gas.total, 'gas', {}, true, 'submit + challenge + moves + one-step + settle (gas units)');
    count('opmlGas', sum(byKind(disputeTxs, 'challenge'), (tx) => tx.gasUsed), 'gas', { phase: 'challenge' });
    count('opmlGas', sum(byKind(disputeTxs, 'move'), (tx) => tx.gasUsed), 'gas', { phase: 'bisection' }, true, 'all moves of the dispute');
    count('opmlGas', sum(byKind(disputeTxs, 'step'), (tx) => tx.gasUsed), 'gas', { phase: 'one-step' });
    count('opmlGas', sum(byKind(disputeTxs, 'settle'), (tx) => tx.gasUsed), 'gas', { phase: 'settle' }, true, 'settle the ended game: bonds credited, result rejected');
    count('disputeCalldataBytes', dispute.calldataBytes, 'bytes');
    if (dispute.storageBytes !== null) count('disputeStorageBytes', dispute.storageBytes, 'bytes', {}, true, 'slots written nonzero × 32 by the dispute transactions');
    timing('disputeWallTime', [dispute.wallMs], {}, dispute.time.mode === 'fast-forwarded'
      ? 'local wall time from the request to the final result on anvil (automine; windows and clocks fast-forwarded)'
      : `wall time from the request to the final result on the --rpc-url chain, ${dispute.time.waitedSeconds.toFixed(0)} s of it waiting out windows and clocks in real time`);
    timing('challengerDecisionTime', [dispute.honestDecisionMs], {}, "the honest challenger's time choosing moves and building the one-step proof");
    count('disputeHonestWon', dispute.honestWon ? 1 : 0, 'won', {}, false, `the honest challenger against a submitter posting a wrong output; resolved by ${dispute.resolvedBy}`);
  } finally {
    await chain.stop();
  }
  out.push(createMeasurement({ metric: 'peakMemory', labels: { ...labels, path: 'opML' }, unit: 'bytes', kind: 'info', value: peakRssBytes(), note: 'process RSS high-water mark after the opML measurements (getrusage)' }));
  return { measurements: out, steps: trace.totalSteps };
}
