/**
 * Ordinary least-squares fit y = intercept + slope·x, with the standard errors of both. The
 * micro suite reports the marginal cost per operation as the slope of cost over N operations, so
 * fixed costs (setup, FFT domain padding up to a point, process overhead) fall into the intercept.
 */
import { UsageError } from '../errors.ts';

export interface FitSlopeParameters {
  /** What is fitted, for error messages. */
  name: string;
  points: Array<{ x: number; y: number }>;
}

export interface FitSlopeResult {
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN-free: 0 with exactly two points, where it is undetermined). */
  slopeStandardError: number;
  interceptStandardError: number;
  /** Coefficient of determination (1 when all points lie on the line). */
  rSquared: number;
  /** Distinct x values used. */
  points: number;
}

export function fitSlope({ name, points }: FitSlopeParameters): FitSlopeResult {
  const n = points.length;
  const distinct = new Set(points.map((p) => p.x)).size;
  if (distinct < 2)
    throw new UsageError(`fit '${name}': needs at least two distinct N, got ${distinct}`, {
      hint: 'give a ladder with two or more sizes (e.g. --ladder 16,64,256)',
      details: { name, points: n },
    });
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
    syy += (p.y - meanY) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residualSumOfSquares = points.reduce((sum, p) => sum + (p.y - intercept - slope * p.x) ** 2, 0);
  // Residual variance with n - 2 degrees of freedom; undetermined (reported as 0) with two points.
  const residualVariance = n > 2 ? residualSumOfSquares / (n - 2) : 0;
  const slopeStandardError = Math.sqrt(residualVariance / sxx);
  const interceptStandardError = Math.sqrt(residualVariance * (1 / n + (meanX * meanX) / sxx));
  const rSquared = syy === 0 ? 1 : 1 - residualSumOfSquares / syy;
  return { slope, intercept, slopeStandardError, interceptStandardError, rSquared, points: distinct };
}
