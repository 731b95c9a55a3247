// A scripted stand-in for attemptWorker.ts (bench-budgets.test.ts): it speaks the same line
// protocol — phases with their budget, charges for cached artefacts, a result — and sleeps where
// the script says, so runAttempt's budget accounting is tested without proving anything.
import { CHARGE_PREFIX, PHASE_PREFIX, RESULT_PREFIX } from '../src/bench/table2/attemptBudgets.ts';

export interface ScriptStep {
  phase?: string;
  budget?: 'setup' | 'inference' | 'repeat';
  /** A cached artefact's recorded build time, ms. */
  charge?: number;
  sleepMs?: number;
  /** End here as attemptWorker does on an error: this line on stderr, exit 1. */
  fail?: string;
}

const request = JSON.parse(process.argv[2] ?? '{}') as { script: ScriptStep[] };
for (const step of request.script) {
  if (step.phase) process.stdout.write(`${PHASE_PREFIX}${step.budget ?? 'inference'} ${step.phase}\n`);
  if (step.charge !== undefined) process.stdout.write(`${CHARGE_PREFIX}${step.charge}\n`);
  if (step.sleepMs) await new Promise((done) => setTimeout(done, step.sleepMs));
  if (step.fail) {
    process.stderr.write(`${step.fail}\n`);
    process.exit(1);
  }
}
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ measurements: [] })}\n`);
process.exit(0);
