/**
 * One-shot engine run: compile the model and run it once. For repeated runs (benchmarks,
 * datasets) use createEngine, which compiles once and reuses its buffers.
 */
import type { QuantizedModel } from '../quant/types.ts';
import { createEngine, type EngineRunResult } from './createEngine.ts';

export interface RunEngineParameters {
  model: QuantizedModel;
  /** Quantized inputs (integers at scale 2^s) by input name. */
  inputs: Record<string, ArrayLike<number>>;
  /** Also return every intermediate tensor (for traces, witnesses, debugging). */
  keepIntermediates?: boolean;
}

export type RunEngineResult = EngineRunResult;

export function runEngine({ model, inputs, keepIntermediates = false }: RunEngineParameters): RunEngineResult {
  return createEngine({ model }).run(inputs, { keepIntermediates });
}
