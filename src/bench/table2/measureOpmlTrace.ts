/**
 * Owns the two off-chain costs of an opML trace, measured apart (issue 13 §3):
 * - the submitter's, paid on every inference: make the claim the registry takes (the final state
 *   and the output's Merkle proof) from one engine inference (createTrace's `engine`, as
 *   createVmDisputeTrace does; the VM run is deferred to a dispute) — `submitterMs`, and
 *   `claimHashes` keccak hashes; `runMs` is the VM run a dispute then needs, measured alone;
 * - the dispute's, paid only when a result is challenged: the states a k-ary bisection asks the
 *   honest party for and the one-step proof (replayBisection, the lie at the middle step) on a
 *   trace that has already made its claim — `disputeMs` and `disputeHashes`.
 * Timings are warm (after one untimed run) with the compiled program given, beside the engine's
 * inference compiled once and warm (the yardstick of issue 13: the submitter within 10× of it);
 * hash counts are exact. The submitter starts from the request: the input subtree root the
 * registry hashes on-chain and emits (InferenceRequested), computed here once outside the timings,
 * which the trace checks against the initial state and never hashes below.
 */
import { performance } from 'node:perf_hooks';
import { createEngine } from '../../engine/createEngine.ts';
import type { VmProgram } from '../../opml/compileProgram.ts';
import { createTrace, type VmTrace } from '../../opml/createTrace.ts';
import { replayBisection } from '../../opml/game/replayBisection.ts';
import { requestCommitmentOf } from '../../opml/vmState.ts';
import type { QuantizedModel } from '../../quant/types.ts';

export interface MeasureOpmlTraceParameters {
  program: VmProgram;
  /** The model the program was compiled from: its engine inference is the yardstick. */
  model: QuantizedModel;
  /** Quantized inputs by name, as runEngine takes them. */
  input: Record<string, ArrayLike<number>>;
  /** Timed repetitions of each cost. */
  samples: number;
  /** The dispute game's arity. */
  arity: number;
}

export interface MeasureOpmlTraceResult {
  /** The claim (final state, output proof) from the engine, ms per sample. */
  submitterMs: number[];
  /** The VM run alone (no hashing: what a dispute runs first), ms per sample. */
  runMs: number[];
  /** The engine's inference, compiled once (createEngine) and warm, ms per sample: the yardstick. */
  engineMs: number[];
  claimHashes: number;
  /** The step the replayed dispute proves (the middle step). */
  disputedStep: number;
  disputeRounds: number;
  /** Distinct states the bisection asked for. */
  disputeStates: number;
  /** The bisection's states + the one-step proof, ms per sample. */
  disputeMs: number[];
  disputeHashes: number;
  /** Set when the input traps: the dispute is then not replayed (its states are trapped ones). */
  trapStep?: number;
  /** Where the claim came from (createTrace's claimFrom: the VM when planClaim refuses the program). */
  claimFrom: VmTrace['claimFrom'];
}

export function measureOpmlTrace(parameters: MeasureOpmlTraceParameters): MeasureOpmlTraceResult {
  const { program, model, input, samples, arity } = parameters;
  const engine = createEngine({ model });
  engine.run(input);
  // What the request emits: the registry's on-chain hashing, not the submitter's.
  const request = requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input }).input });
  const claimOnce = () => {
    const trace = createTrace({ program, input, request, engine });
    trace.proveOutput();
    return trace;
  };
  claimOnce();
  const submitterMs: number[] = [];
  const runMs: number[] = [];
  const engineMs: number[] = [];
  // Interleaved, so a change in the machine's load hits all three alike.
  for (let i = 0; i < samples; i++) {
    let started = performance.now();
    engine.run(input);
    engineMs.push(performance.now() - started);
    started = performance.now();
    createTrace({ program, input, request });
    runMs.push(performance.now() - started);
    started = performance.now();
    claimOnce();
    submitterMs.push(performance.now() - started);
  }
  const first = claimOnce();
  const claimHashes = first.hashCount();
  // The Security row's `step` cheat lies from the middle step ⌈n/2⌉ on: the step proven is the one before.
  const disputedStep = Math.max(0, Math.ceil(program.totalSteps / 2) - 1);
  const result: MeasureOpmlTraceResult = { submitterMs, runMs, engineMs, claimHashes, disputedStep, disputeRounds: 0, disputeStates: 0, disputeMs: [], disputeHashes: 0, claimFrom: first.claimFrom };
  if (first.trap) return { ...result, trapStep: first.trap.step };
  const replay = (trace: ReturnType<typeof claimOnce>) => replayBisection({
    trace: { stateAt: trace.stateAt, proveStep: trace.proveStep, totalSteps: program.totalSteps, layerStarts: program.layout.layerBoundaries },
    arity,
    disputedStep,
  });
  const played = replay(first);
  result.disputeRounds = played.rounds;
  result.disputeStates = played.statesAsked;
  result.disputeHashes = first.hashCount() - claimHashes;
  for (let i = 0; i < samples; i++) {
    const trace = claimOnce();
    const started = performance.now();
    replay(trace);
    result.disputeMs.push(performance.now() - started);
  }
  return result;
}
