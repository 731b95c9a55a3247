/**
 * The TypeScript twin of LibDissection.sol and OpmlDisputeGame._pickPart: the points of a k-ary
 * dissection and the step range of a picked part (phase 1 over layer boundaries, phase 2 over
 * instructions). Actors use it to know which steps their claims are about.
 */
import type { GameRecord } from './types.ts';

export const PHASE_LAYERS = 1;
export const PHASE_INSTRUCTIONS = 2;

export interface ComputeDissectionParameters {
  start: number;
  end: number;
  arity: number;
}

export interface ComputeDissectionResult {
  /** start + floor(i · (end − start) / n) for i = 0..n, n = min(arity, end − start). */
  points: number[];
}

export function computeDissection(parameters: ComputeDissectionParameters): ComputeDissectionResult {
  const { start, end, arity } = parameters;
  const width = end - start;
  const n = Math.min(arity, width);
  const points: number[] = [];
  for (let i = 0; i <= n; i++) points.push(start + Math.floor((i * width) / n));
  return { points };
}

/** The step at which the state of a dissection point is claimed. */
export function pointToStep(phase: number, point: number, layerStarts: number[], totalSteps: number): number {
  if (phase === PHASE_INSTRUCTIONS) return point;
  return point < layerStarts.length ? layerStarts[point] : totalSteps;
}

export interface DescribePartParameters {
  game: Pick<GameRecord, 'start' | 'end' | 'phase'>;
  /** Number of claims in the dissection (parts + 1). */
  claimCount: number;
  part: number;
  layerStarts: number[];
  totalSteps: number;
}

export interface DescribePartResult {
  /** The phase the part is dissected in (a one-layer phase-1 part becomes phase 2). */
  phase: number;
  /** The part's range in that phase's units. */
  start: number;
  end: number;
  /** The part's first and last step. */
  startStep: number;
  endStep: number;
}

export function describePart(parameters: DescribePartParameters): DescribePartResult {
  const { game, claimCount, part, layerStarts, totalSteps } = parameters;
  const n = claimCount - 1;
  const width = game.end - game.start;
  let start = game.start + Math.floor((part * width) / n);
  let end = game.start + Math.floor(((part + 1) * width) / n);
  let phase = game.phase;
  if (phase === PHASE_LAYERS && end - start === 1) {
    phase = PHASE_INSTRUCTIONS;
    const layer = start;
    start = layerStarts[layer];
    end = layer + 1 < layerStarts.length ? layerStarts[layer + 1] : totalSteps;
  }
  return {
    phase,
    start,
    end,
    startStep: pointToStep(phase, start, layerStarts, totalSteps),
    endStep: pointToStep(phase, end, layerStarts, totalSteps),
  };
}

/** The steps of every claim of the last dissection of `game`. */
export function claimSteps(game: Pick<GameRecord, 'start' | 'end' | 'phase'>, claimCount: number, layerStarts: number[], totalSteps: number): number[] {
  const n = claimCount - 1;
  const width = game.end - game.start;
  const steps: number[] = [];
  for (let i = 0; i <= n; i++) steps.push(pointToStep(game.phase, game.start + Math.floor((i * width) / n), layerStarts, totalSteps));
  return steps;
}

/** ⌈log_k(width)⌉: the most dissections a phase of `width` positions needs (0 for width ≤ 1). */
export function maxRounds(width: number, arity: number): number {
  let rounds = 0;
  let reach = 1;
  while (reach < width) {
    reach *= arity;
    rounds++;
  }
  return rounds;
}
