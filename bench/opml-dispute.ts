/**
 * The README's opML dispute-game figures (not a test): runs `opzk dispute <model> --cheat
 * step:K --arity k --json` for each arity in a child process (its own anvil) and writes the
 * one-object outputs, the child's wall time and the machine to results/opml-dispute/results.json
 * atomically. Gas, calldata, storage and rounds are deterministic; wall times are as noisy as the
 * machine (the load average is recorded).
 *
 * Run: `npx tsx bench/opml-dispute.ts [--model mnist-mlp-784-56-10] [--cheat step:22000] [--arities 2,4,8,16] [--out FILE]`
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectEnvironment } from '../src/bench/collectEnvironment.ts';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'mnist-mlp-784-56-10' },
    cheat: { type: 'string', default: 'step:22000' },
    arities: { type: 'string', default: '2,4,8,16' },
    out: { type: 'string', default: 'results/opml-dispute/results.json' },
  },
});

const runs: Array<{ arity: number; processWallMs: number; loadAverage1m: { start: number; end: number }; dispute: Record<string, unknown> }> = [];
for (const arity of values.arities!.split(',').filter(Boolean).map(Number)) {
  const loadStart = loadavg()[0]!;
  const start = performance.now();
  const stdout = execFileSync(process.execPath, ['bin/opzk.js', 'dispute', values.model!, '--cheat', values.cheat!, '--arity', String(arity), '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const processWallMs = performance.now() - start;
  const dispute = JSON.parse(stdout) as Record<string, unknown> & { gas: Record<string, number> };
  runs.push({ arity, processWallMs, loadAverage1m: { start: loadStart, end: loadavg()[0]! }, dispute });
  process.stderr.write(`opml-dispute: k=${arity}: rounds ${String(dispute.rounds)}, total gas ${dispute.gas.total}, wall ${Math.round(processWallMs)} ms\n`);
}

writeFileAtomic({
  file: path.resolve(values.out!),
  content: `${JSON.stringify({ schema: 'opzk-bench/opml-dispute@1', createdAt: new Date().toISOString(), command: `npx opzk dispute ${values.model} --cheat ${values.cheat} --arity <k> --json`, environment: collectEnvironment(), runs }, null, 2)}\n`,
});
