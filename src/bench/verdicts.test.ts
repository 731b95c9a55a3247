import { describe, expect, it } from 'vitest';
import type { Table2Data, Table2ModelRow } from './table2Data.ts';
import { table2Verdicts } from './verdicts.ts';

const row = (model: string, parameters: number, zkml: Table2ModelRow['zkml']): Table2ModelRow => ({
  model,
  parameters,
  opml: { executeMs: 2, compileMs: 1500 },
  zkml,
});
const modelSize = (models: Table2ModelRow[]) => table2Verdicts({ data: { models, gas: [], storage: [] } as Table2Data })[0]!;

describe('Model Size verdict', () => {
  it('does not hold when every model tried was proved, and names what grew instead', () => {
    const verdict = modelSize([
      row('w8', 6_370, { status: 'proved', setupMs: 4_000, proveMs: 300 }),
      row('w1024', 814_090, { status: 'proved', setupMs: 377_000, proveMs: 22_300 }),
    ]);
    expect(verdict.status).toBe('does-not-hold');
    expect(verdict.measured).toContain('Largest model proved (zkML): w1024, 814,090 parameters');
    expect(verdict.reading).toContain("Every model tried was proved, so within the sizes tried zkML showed no limit and the claim's \"limited\" is not shown by these runs; what grows is the cost: w1024's one-time Groth16 setup took 377 s (opML's compile to the VM: 1.5 s) and each proof 22.3 s.");
  });

  it('depends when a model that opML ran could not be proved', () => {
    const verdict = modelSize([
      row('w8', 6_370, { status: 'proved', setupMs: 4_000, proveMs: 300 }),
      row('w1024', 814_090, { status: 'failed', failure: 'over the setup time limit of 600 s' }),
    ]);
    expect(verdict.status).toBe('depends');
    expect(verdict.measured).toContain('Smallest model that could not be proved: w1024 (814,090 parameters): over the setup time limit of 600 s.');
    expect(verdict.reading).toContain('zkML is limited on this machine');
  });
});
