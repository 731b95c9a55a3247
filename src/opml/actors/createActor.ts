/**
 * The dispute actors: an honest submitter and challenger, and the cheating ones. Every actor
 * plays the same protocol against the contract; they differ only in the trace they claim and
 * how they pick parts.
 *
 * - honest: claims the true state at every step; faced with a dissection, picks the first part
 *   whose end claim is false, and at one step proves it with the VM's one-step proof.
 * - output (submitter): a wrong output (a forged final state holding it); its claims are false
 *   from the first step of the last layer on. On an input whose run traps, any output is made up:
 *   the true result is the error result.
 * - step:K (submitter): the correct output but a false state at step K and after (the final state
 *   is forged with the true output).
 * - error[:K] (submitter): on an input whose run does not trap, the error result (the trapped final
 *   state, empty output), claiming trapped states from step K on (default: the last layer's
 *   second step) — a false "this input traps".
 * - final-state (submitter): the true trace up to the last step, then a forged final state with the
 *   true output.
 * - inconsistent (submitter): a wrong output; answers each dissection with fresh random claims
 *   (so the same step gets different answers), picks parts at random, and first tries a move
 *   that contradicts the agreed claim (the contract must reject it).
 * - silent (submitter): a wrong output; plays like step:K, then stops answering after a few moves.
 * - false-challenge (challenger): disputes an honest result, claiming a different final state
 *   (true claims everywhere else).
 * - false-midpoints:K (challenger): disputes an honest result with false claims from step K on.
 *
 * A consistent liar plays its false trace as if it were true — that is the strongest play against
 * an honest opponent — and still loses, because at one step the VM decides.
 */
import { keccak256, stringToHex, type Hex } from 'viem';
import { createPrng, type Prng } from '../../zoo/createPrng.ts';
import { UsageError } from '../../errors.ts';
import { claimSteps, computeDissection, describePart, pointToStep } from '../game/computeDissection.ts';
import type { Actor, ActorAction, DisputeTrace, DisputeView, ForgedFinalState, Role } from '../game/types.ts';

export const SUBMITTER_CHEATS = ['output', 'step', 'error', 'final-state', 'inconsistent', 'silent'] as const;
export const CHALLENGER_CHEATS = ['false-challenge', 'false-midpoints'] as const;
/** Every --cheat value (step and false-midpoints take `:K`). */
export const CHEATS = ['none', ...SUBMITTER_CHEATS, ...CHALLENGER_CHEATS, 'random'] as const;

export interface CreateActorParameters {
  role: Role;
  /** 'honest' or a cheat: output | step:K | error[:K] | final-state | inconsistent | silent[:M] | false-challenge | false-midpoints:K. */
  strategy: string;
  trace: DisputeTrace;
  /** Seed of the actor's randomness (inconsistent claims, silent's move count). */
  seed?: number;
}

export type CreateActorResult = Actor;

/** Parses `name[:K]`; K must be an integer step in [1, totalSteps]. */
function parseStrategy(strategy: string, totalSteps: number): { name: string; step?: number } {
  const [name, argument] = strategy.split(':');
  if (argument === undefined) return { name };
  const step = Number(argument);
  if (!Number.isInteger(step) || step < 1 || step > totalSteps)
    throw new UsageError(`dispute: strategy '${strategy}' names step ${argument}, which is not an integer in [1, ${totalSteps}]`, {
      hint: `the model runs ${totalSteps} steps; pick K between 1 and ${totalSteps}`,
      details: { strategy, totalSteps },
    });
  return { name, step };
}

/** Another output than the true one; for the error result (empty), a made-up output. */
function wrongOutputs(outputs: bigint[], outputLength: number): bigint[] {
  if (outputs.length === 0) return Array.from({ length: outputLength }, (_, index) => (index === 0 ? 1n : 0n));
  return outputs.map((value, index) => (index === 0 ? value + 1n : value));
}

export function createActor(parameters: CreateActorParameters): CreateActorResult {
  const { role, strategy, trace } = parameters;
  const prng: Prng = createPrng({ seed: parameters.seed ?? 1 });
  const { totalSteps, layerStarts } = trace;
  const parsed = parseStrategy(strategy, totalSteps);
  const lie = (step: number): Hex => keccak256(stringToHex(`opzk-lie/${strategy}/${step}`));
  let randomCounter = 0;
  const randomClaim = (): Hex => keccak256(stringToHex(`opzk-random/${parameters.seed ?? 1}/${randomCounter++}/${prng.int(2 ** 31)}`));

  const truthful: ForgedFinalState = { finalState: trace.stateAt(totalSteps), outputs: trace.outputs, outputProof: trace.outputProof };
  let claimed = truthful;
  let lieFrom = Infinity;
  let silentAfterMoves = Infinity;
  let inconsistent = false;
  const lastLayerStart = layerStarts[layerStarts.length - 1];

  const allowed = role === 'submitter' ? [...SUBMITTER_CHEATS, 'honest'] : [...CHALLENGER_CHEATS, 'honest'];
  if (!allowed.includes(parsed.name as never))
    throw new UsageError(`dispute: '${strategy}' is not a ${role} strategy`, { hint: `${role} strategies: ${allowed.join(', ')}` });

  switch (parsed.name) {
    case 'honest':
      break;
    case 'output':
      claimed = trace.forgeFinalState(wrongOutputs(trace.outputs, trace.outputLength));
      lieFrom = Math.min(lastLayerStart + 1, totalSteps);
      break;
    case 'step':
      if (parsed.step === undefined) throw new UsageError(`dispute: strategy 'step' needs a step, e.g. step:${Math.ceil(totalSteps / 2)}`);
      claimed = trace.forgeFinalState(trace.outputs);
      lieFrom = parsed.step;
      break;
    case 'error':
      break; // set below, once the trace's trap support is checked
    case 'final-state':
      claimed = trace.forgeFinalState(trace.outputs);
      lieFrom = totalSteps;
      break;
    case 'inconsistent':
      claimed = trace.forgeFinalState(wrongOutputs(trace.outputs, trace.outputLength));
      lieFrom = totalSteps;
      inconsistent = true;
      break;
    case 'silent':
      claimed = trace.forgeFinalState(wrongOutputs(trace.outputs, trace.outputLength));
      lieFrom = parsed.step ?? 1 + prng.int(totalSteps);
      silentAfterMoves = prng.int(3);
      break;
    case 'false-challenge':
      claimed = trace.forgeFinalState(trace.outputs);
      lieFrom = totalSteps;
      break;
    case 'false-midpoints':
      claimed = trace.forgeFinalState(trace.outputs);
      lieFrom = parsed.step ?? 1 + prng.int(totalSteps);
      break;
  }

  let lieWith = lie;
  if (parsed.name === 'error') {
    if (!trace.errorResult || !trace.trappedStateAt)
      throw new UsageError(`dispute: the cheat 'error' needs a VM with traps; '${trace.modelName}' runs on one without`, { hint: 'use it with the trace VM (opzk dispute)' });
    if (trace.trapStep !== undefined)
      throw new UsageError(`dispute: the cheat 'error' claims a trap, but this input truly traps (step ${trace.trapStep}): the error result is the true one`, {
        hint: 'use --cheat output or step:K on a trapping input, error on one that runs through',
      });
    claimed = trace.errorResult();
    lieFrom = parsed.step ?? Math.min(lastLayerStart + 1, totalSteps);
    lieWith = trace.trappedStateAt;
  }

  const claimAt = (step: number): Hex => {
    if (step < lieFrom) return trace.stateAt(step);
    return step === totalSteps ? claimed.finalState : lieWith(step);
  };

  let movesMade = 0;
  let triedInvalid = false;

  const decideConsistent = (view: DisputeView): ActorAction => {
    const { game, previous } = view;
    const steps = claimSteps(game, previous.length, layerStarts, totalSteps);
    // The first part whose end claim this actor disputes; its start claim is one it agrees with.
    let part = -1;
    for (let i = 0; i + 1 < previous.length; i++) {
      if (previous[i + 1] !== claimAt(steps[i + 1])) {
        part = i;
        break;
      }
    }
    if (part < 0) return { kind: 'silent' }; // agrees with everything: nothing to dispute
    return playPart(view, part, claimAt);
  };

  const playPart = (view: DisputeView, part: number, claim: (step: number) => Hex, randomize = false): ActorAction => {
    const { game, previous, arity } = view;
    const range = describePart({ game, claimCount: previous.length, part, layerStarts, totalSteps });
    if (range.endStep - range.startStep === 1) {
      // One step: the VM decides. Only a true start state can be proven.
      if (previous[part] !== trace.stateAt(range.startStep)) return { kind: 'silent' };
      return { kind: 'step', part, proof: trace.proveStep(range.startStep).proof };
    }
    const { points } = computeDissection({ start: range.start, end: range.end, arity });
    const next = points.map((point, index) => {
      if (index === 0) return previous[part];
      const step = pointToStep(range.phase, point, layerStarts, totalSteps);
      if (!randomize) return claim(step);
      return prng.next() < 0.5 ? trace.stateAt(step) : randomClaim();
    });
    if (next[next.length - 1] === previous[part + 1]) next[next.length - 1] = randomClaim();
    return { kind: 'move', part, next };
  };

  return {
    role,
    strategy,
    honest: parsed.name === 'honest',
    finalClaim: () => claimed,
    disputes: (posted) => role === 'challenger' && posted !== claimed.finalState,
    decide(view) {
      if (movesMade >= silentAfterMoves) return { kind: 'silent' };
      movesMade++;
      if (!inconsistent) return decideConsistent(view);
      return playPart(view, prng.int(view.previous.length - 1), claimAt, true);
    },
    tryInvalid(view) {
      if (!inconsistent || triedInvalid) return undefined;
      triedInvalid = true;
      const action = playPart(view, 0, claimAt, true);
      if (action.kind !== 'move') return undefined;
      // Contradict the agreed start claim: the contract must answer StartClaimMismatch.
      return { ...action, next: [randomClaim(), ...action.next.slice(1)] };
    },
  };
}
