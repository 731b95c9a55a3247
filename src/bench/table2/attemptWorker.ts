/**
 * The child-process entry of runAttempt.ts: runs one measurement (the opML or the zkML side of
 * one model) and reports on stdout with line prefixes the parent parses — `@@phase <name>` when
 * a phase starts, `@@result <json>` once at the end. Run as
 * `node --import tsx attemptWorker.ts '<AttemptRequest as JSON>'`; the parent owns the limits.
 */
import { loadBenchModel } from './loadBenchModel.ts';
import { measureOpmlModel } from './measureOpmlModel.ts';
import { measureZkmlModel } from './measureZkmlModel.ts';
import { measureGkrModel } from './measureGkrModel.ts';
import type { AttemptRequest, AttemptReport } from './runAttempt.ts';

export const PHASE_PREFIX = '@@phase ';
export const RESULT_PREFIX = '@@result ';

export async function runAttemptRequest(request: AttemptRequest, onPhase: (phase: string) => void): Promise<AttemptReport> {
  onPhase('load and quantize the model');
  const loaded = loadBenchModel({ model: request.model, scaleBits: request.scaleBits, valueBits: request.valueBits });
  if (request.path === 'opML' || request.path === 'cheats') {
    const result = await measureOpmlModel({
      loaded, onPhase, inferenceSamples: request.inferenceSamples, cheatsOnly: request.path === 'cheats', rpcUrl: request.rpcUrl,
      game: { ...request.game, bondWei: BigInt(request.game.bondWei) },
    });
    return { measurements: result.measurements };
  }
  if (request.path === 'gkr') return { measurements: (await measureGkrModel({ loaded, onPhase })).measurements };
  const result = await measureZkmlModel({
    loaded, onPhase, system: request.system, circuit: request.circuit, ptauFile: request.ptauFile, rpcUrl: request.rpcUrl,
    inputsLabel: request.inputsLabel, codeSizeLimit: request.codeSizeLimit,
  });
  return { measurements: result.measurements };
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as AttemptRequest;
  const report = await runAttemptRequest(request, (phase) => process.stdout.write(`${PHASE_PREFIX}${phase}\n`));
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
