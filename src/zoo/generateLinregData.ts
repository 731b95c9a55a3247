/**
 * The synthetic regression data of the `linreg` zoo model: rows of 8 features uniform in
 * [-2, 2) and a target y = x · w + b + noise, all from seeded PRNGs (the true w, b from one seed,
 * training rows from another, held-out rows from a third), so the data set is the same on every
 * machine and `sampleInputs` can regenerate any row.
 */
import { UsageError } from '../errors.ts';
import { createPrng } from './createPrng.ts';

export const LINREG_FEATURES = 8;
export const LINREG_SEEDS = { truth: 1001, train: 1002, test: 1003 } as const;
/** Standard deviation of the noise added to the targets. */
export const LINREG_NOISE = 0.1;

export interface GenerateLinregDataParameters {
  split: 'train' | 'test';
  count: number;
  /** Skip this many rows of the split first (default 0). */
  offset?: number;
}

export interface GenerateLinregDataResult {
  /** `count` rows of LINREG_FEATURES floats. */
  inputs: Float64Array;
  targets: Float64Array;
  /** The true coefficients and intercept the data was generated from. */
  trueWeights: number[];
  trueBias: number;
}

export function generateLinregData(parameters: GenerateLinregDataParameters): GenerateLinregDataResult {
  const offset = parameters.offset ?? 0;
  if (!Number.isInteger(parameters.count) || parameters.count < 0 || !Number.isInteger(offset) || offset < 0)
    throw new UsageError(`generateLinregData: count ${parameters.count} and offset ${offset} must be integers ≥ 0`, {
      hint: 'ask for a whole number of rows',
    });
  const truth = createPrng({ seed: LINREG_SEEDS.truth });
  const trueWeights = Array.from({ length: LINREG_FEATURES }, () => Math.round(truth.uniform(-3, 3) * 100) / 100);
  const trueBias = Math.round(truth.uniform(-1, 1) * 100) / 100;
  const rows = createPrng({ seed: LINREG_SEEDS[parameters.split] });
  const inputs = new Float64Array(parameters.count * LINREG_FEATURES);
  const targets = new Float64Array(parameters.count);
  for (let row = 0; row < offset + parameters.count; row++) {
    const x = Array.from({ length: LINREG_FEATURES }, () => rows.uniform(-2, 2));
    const noise = rows.normal() * LINREG_NOISE;
    if (row < offset) continue;
    const at = row - offset;
    let y = trueBias + noise;
    x.forEach((value, j) => {
      inputs[at * LINREG_FEATURES + j] = value;
      y += value * trueWeights[j]!;
    });
    targets[at] = y;
  }
  return { inputs, targets, trueWeights, trueBias };
}
