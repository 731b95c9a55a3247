/**
 * The child-process entry of runAttempt.ts: runs one measurement (the opML or the zkML side of
 * one model) and reports on stdout with line prefixes the parent parses — `@@phase <budget> <name>`
 * when a phase starts (budget: setup | inference | repeat, attemptBudgets.ts), `@@charge <ms>` when
 * a one-time artefact came from the cache (its recorded build time, charged to the setup budget),
 * `@@result <json>` once at the end. Run as
 * `node --import tsx attemptWorker.ts '<AttemptRequest as JSON>'`; the parent owns the limits.
 */
import { performance } from 'node:perf_hooks';
import { loadBenchModel } from './loadBenchModel.ts';
import { measureOpmlModel } from './measureOpmlModel.ts';
import { measureZkmlModel } from './measureZkmlModel.ts';
import { measureGkrModel } from './measureGkrModel.ts';
import type { AttemptRequest, AttemptReport } from './runAttempt.ts';
import { CHARGE_PREFIX, PHASE_PREFIX, RESULT_PREFIX, oneTimeStepMeasurements, type OnAttemptPhase, type OneTimeStep } from './attemptBudgets.ts';
import type { Measurement } from '../types.ts';

export { CHARGE_PREFIX, PHASE_PREFIX, RESULT_PREFIX } from './attemptBudgets.ts';

export async function runAttemptRequest(request: AttemptRequest, onPhase: OnAttemptPhase, onCachedBuild?: (builtMs: number) => void): Promise<AttemptReport> {
  const oneTime: Measurement[] = [];
  const path = request.path === 'cheats' ? 'opML' : request.path;
  onPhase('load and quantize the model', 'setup');
  const loadStarted = performance.now();
  const loaded = loadBenchModel({ model: request.model, scaleBits: request.scaleBits, valueBits: request.valueBits });
  const onOneTimeStep = (step: OneTimeStep) => {
    // A zkML attempt in the other input mode (inputs label) builds its own circuit and key.
    // The cheats attempt replays what the opML attempt of the same model already records.
    if (request.path !== 'cheats') oneTime.push(...oneTimeStepMeasurements({ model: loaded.name, path, ...(request.inputsLabel ? { inputs: request.inputsLabel } : {}) }, step));
    if (!step.built && step.builtMs !== undefined) onCachedBuild?.(step.builtMs);
  };
  const loadMs = performance.now() - loadStarted;
  onOneTimeStep({ step: 'model', built: true, builtMs: loadMs, wallMs: loadMs });
  const repeat = { repetitions: request.repetitions ?? 1, budgetMs: request.repeatBudgetMs ?? 30_000 };
  let measurements: Measurement[];
  if (request.path === 'opML' || request.path === 'cheats') {
    const result = await measureOpmlModel({
      loaded, onPhase, onOneTimeStep, repeat, inferenceSamples: request.inferenceSamples, cheatsOnly: request.path === 'cheats', rpcUrl: request.rpcUrl,
      game: { ...request.game, bondWei: BigInt(request.game.bondWei) },
    });
    measurements = result.measurements;
  } else if (request.path === 'gkr') measurements = (await measureGkrModel({ loaded, onPhase, onOneTimeStep, repeat })).measurements;
  else measurements = (await measureZkmlModel({ loaded, onPhase, onOneTimeStep, repeat, system: request.system, circuit: request.circuit, ptauFile: request.ptauFile, rpcUrl: request.rpcUrl,
    inputsLabel: request.inputsLabel, codeSizeLimit: request.codeSizeLimit,
  })).measurements;
  return { measurements: [...oneTime, ...measurements] };
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as AttemptRequest;
  const report = await runAttemptRequest(
    request,
    (phase, budget = 'inference') => process.stdout.write(`${PHASE_PREFIX}${budget} ${phase}\n`),
    (builtMs) => process.stdout.write(`${CHARGE_PREFIX}${builtMs}\n`),
  );
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(report)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      // One line, bounded: some tool errors carry whole bytecodes or witnesses in their message.
      const text = error instanceof Error ? `${error.name}: ${(error as { shortMessage?: string }).shortMessage ?? error.message}` : String(error);
      process.stderr.write(`${text.replace(/\s+/g, ' ').replace(/0x?[0-9a-f]{64,}/gi, (hex) => `${hex.slice(0, 18)}…(${hex.length} hex digits)`).slice(0, 400)}\n`);
      process.exit(1);
    },
  );
}
