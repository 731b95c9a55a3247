/**
 * One layer's SIMD dot products (kernels.wat) over a memory of its own: the weights are written
 * once, transposed and zero-padded (K to whole vector chunks, the columns to a multiple of 4); a
 * run writes `rows` input rows into `input` (the padding stays zero: nothing writes there), calls
 * `run`, and reads out[r · paddedColumns + j] = Σ_k input[r][k] · w[j][k] from `output`, exactly
 * (chooseDotKernel proved the sums fit).
 */
import { instantiateDotKernels } from './wasm/loadDotKernels.ts';

export interface CreateDotProductParameters {
  kernel: 'i16x8' | 'i32x4';
  /** Column j is weights[j·K … j·K + K - 1]. */
  weights: ArrayLike<number>;
  K: number;
  columns: number;
  /** Input rows per run. */
  rows: number;
}

export interface DotProduct {
  /** rows × paddedK; write row r at r · paddedK. */
  input: Int16Array | Int32Array;
  /** rows × paddedColumns sums (i32 for i16x8, exact f64 for i32x4). */
  output: Int32Array | Float64Array;
  paddedK: number;
  paddedColumns: number;
  run(): void;
}

export type CreateDotProductResult = DotProduct | undefined;

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

export function createDotProduct({ kernel, weights, K, columns, rows }: CreateDotProductParameters): CreateDotProductResult {
  const lanes = kernel === 'i16x8' ? 8 : 4;
  const elementBytes = kernel === 'i16x8' ? 2 : 4;
  const outBytes = kernel === 'i16x8' ? 4 : 8;
  const chunks = Math.ceil(K / lanes);
  const paddedK = chunks * lanes;
  const groups = Math.ceil(columns / 4);
  const paddedColumns = groups * 4;
  const weightsAt = 0;
  const inputAt = align16(paddedColumns * paddedK * elementBytes);
  const outputAt = inputAt + align16(rows * paddedK * elementBytes);
  const kernels = instantiateDotKernels({ bytes: outputAt + rows * paddedColumns * outBytes });
  if (!kernels) return undefined;
  const { buffer } = kernels.memory;
  const View = kernel === 'i16x8' ? Int16Array : Int32Array;
  const transposed = new View(buffer, weightsAt, paddedColumns * paddedK);
  for (let j = 0; j < columns; j++) for (let k = 0; k < K; k++) transposed[j * paddedK + k] = weights[j * K + k]!;
  const input = new View(buffer, inputAt, rows * paddedK);
  const output = kernel === 'i16x8' ? new Int32Array(buffer, outputAt, rows * paddedColumns) : new Float64Array(buffer, outputAt, rows * paddedColumns);
  const dot = kernel === 'i16x8' ? kernels.dotI16x8 : kernels.dotI32x4;
  return { input, output, paddedK, paddedColumns, run: () => dot(inputAt, weightsAt, outputAt, chunks, groups, rows) };
}
