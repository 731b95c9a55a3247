/**
 * Owns finding an input that `requestInference` accepts (every value in the value range) but on
 * which the trace VM traps, for the Security row's trap cheats: a few extreme inputs are tried in
 * order — every value at the top of the range, at the bottom, alternating — and the first whose
 * run traps is returned. A model on which none traps gets none (the trap cheats are then skipped).
 */
import { createTrace } from './createTrace.ts';
import type { VmProgram } from './compileProgram.ts';

export interface FindTrappingInputParameters {
  program: VmProgram;
}

export interface FindTrappingInputResult {
  /** The input by name (integers at scale 2^s, all in range). */
  input: Record<string, number[]>;
  /** Which candidate it is ('max', 'min', 'alternating'). */
  candidate: string;
  /** The step that traps. */
  trapStep: number;
}

export function findTrappingInput({ program }: FindTrappingInputParameters): FindTrappingInputResult | undefined {
  const high = 2 ** (program.valueBits - 1) - 1;
  const low = -(2 ** (program.valueBits - 1));
  const candidates: Array<[string, (index: number) => number]> = [
    ['max', () => high],
    ['min', () => low],
    ['alternating', (index) => (index % 2 === 0 ? high : low)],
  ];
  for (const [candidate, valueAt] of candidates) {
    const input = Object.fromEntries(program.inputs.map((region) => [region.name, Array.from({ length: region.length }, (_, i) => valueAt(i))]));
    const trace = createTrace({ program, input });
    if (trace.trap) return { input, candidate, trapStep: trace.trap.step };
  }
  return undefined;
}
