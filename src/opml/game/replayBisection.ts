/**
 * Owns the honest party's off-chain side of one dispute, played without a chain: the states the
 * bisection game asks for. The game (OpmlDisputeGame, phase 1 over layer boundaries, phase 2 over
 * steps, k-ary) has both parties post k + 1 claims per round; the honest party needs its own state
 * at every claim point to post its dissections and to find the part the opponent got wrong, and
 * the one-step proof at the end. Here the opponent's claims are wrong from `disputedStep + 1` on
 * (a lie at step `disputedStep`, as the `step:K` cheat with K = disputedStep + 1), so the part
 * picked each round is the one holding that step — the same parts the game on chain narrows to.
 * Used to measure the dispute-time cost of a trace (time, and hashes via VmTrace.hashCount)
 * apart from the submitter's per-inference cost.
 */
import { computeDissection, describePart, pointToStep, PHASE_LAYERS } from './computeDissection.ts';
import type { DisputeTrace } from './types.ts';

export interface ReplayBisectionParameters {
  trace: Pick<DisputeTrace, 'stateAt' | 'proveStep' | 'totalSteps' | 'layerStarts'>;
  arity: number;
  /** The step whose result the opponent lies about (0 ≤ disputedStep < totalSteps). */
  disputedStep: number;
}

export interface ReplayBisectionResult {
  /** Dissections posted (rounds of the game). */
  rounds: number;
  /** Distinct steps whose state was asked for. */
  statesAsked: number;
  /** The step the one-step proof covers (= disputedStep). */
  provedStep: number;
}

export function replayBisection(parameters: ReplayBisectionParameters): ReplayBisectionResult {
  const { trace, arity, disputedStep } = parameters;
  const { totalSteps, layerStarts } = trace;
  if (!Number.isInteger(disputedStep) || disputedStep < 0 || disputedStep >= totalSteps)
    throw new RangeError(`replayBisection: disputed step ${disputedStep} is outside [0, ${totalSteps - 1}]`);
  const asked = new Set<number>();
  const stateAt = (step: number) => {
    asked.add(step);
    return trace.stateAt(step);
  };
  // The submitter's claim: [initial, final] over the layer boundaries.
  stateAt(0);
  stateAt(totalSteps);
  let game = { start: 0, end: layerStarts.length, phase: PHASE_LAYERS };
  let rounds = 0;
  for (;;) {
    const { points } = computeDissection({ start: game.start, end: game.end, arity });
    for (const point of points) stateAt(pointToStep(game.phase, point, layerStarts, totalSteps));
    rounds++;
    let part = 0;
    while (pointToStep(game.phase, points[part + 1], layerStarts, totalSteps) <= disputedStep) part++;
    const picked = describePart({ game, claimCount: points.length, part, layerStarts, totalSteps });
    if (picked.endStep - picked.startStep === 1) {
      trace.proveStep(picked.startStep);
      return { rounds, statesAsked: asked.size, provedStep: picked.startStep };
    }
    game = { start: picked.start, end: picked.end, phase: picked.phase };
  }
}
