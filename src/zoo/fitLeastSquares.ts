/**
 * Ordinary least squares with an intercept, in float64: solves the normal equations
 * (XᵀX) β = Xᵀy by Gaussian elimination with partial pivoting. Used to fit the `linreg` zoo model.
 */
import { ShapeError } from '../errors.ts';

export interface FitLeastSquaresParameters {
  /** `rows × features` floats, row-major. */
  inputs: Float64Array;
  targets: Float64Array;
  features: number;
}

export interface FitLeastSquaresResult {
  weights: Float64Array;
  bias: number;
}

export function fitLeastSquares(parameters: FitLeastSquaresParameters): FitLeastSquaresResult {
  const { inputs, targets, features } = parameters;
  const rows = targets.length;
  if (inputs.length !== rows * features || rows <= features)
    throw new ShapeError(`fitLeastSquares: ${inputs.length} inputs for ${rows} targets of ${features} features`, {
      hint: 'give more rows than features, one target per row',
    });
  const n = features + 1; // the last column is the intercept
  const a = Array.from({ length: n }, () => new Float64Array(n + 1));
  for (let row = 0; row < rows; row++) {
    const x = (j: number) => (j === features ? 1 : inputs[row * features + j]!);
    for (let i = 0; i < n; i++) {
      const xi = x(i);
      for (let j = 0; j < n; j++) a[i]![j]! += xi * x(j);
      a[i]![n]! += xi * targets[row]!;
    }
  }
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    if (a[pivot]![column] === 0)
      throw new ShapeError(`fitLeastSquares: the inputs are rank-deficient (feature ${column})`, { hint: 'use data whose features vary independently' });
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const factor = a[row]![column]! / a[column]![column]!;
      for (let j = column; j <= n; j++) a[row]![j]! -= factor * a[column]![j]!;
    }
  }
  const solution = a.map((row, i) => row[n]! / row[i]!);
  return { weights: Float64Array.from(solution.slice(0, features)), bias: solution[features]! };
}
