/**
 * `opzk bench --suite <name>`: runs a benchmark suite and writes results.json, results.csv,
 * report.md and charts; with --baseline it is the CI regression check (exit 1 on regression).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { SUITE_NAMES, loadSuite } from '../../bench/loadSuite.ts';
import { runSuite } from '../../bench/runSuite.ts';
import { writeResults } from '../../bench/writeResults.ts';
import { readResults } from '../../bench/readResults.ts';
import { compareBaseline } from '../../bench/compareBaseline.ts';
import { writeFileAtomic } from '../../bench/writeFileAtomic.ts';
import { resolveOutDir } from '../../bench/resolveOutDir.ts';
import { parseShard } from '../../bench/selectShard.ts';
import { describeChain, redactEndpoint } from '../../chain/describeChain.ts';

const COMMON_OPTIONS = {
  suite: { type: 'string' },
  out: { type: 'string' },
  reference: { type: 'boolean' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  threshold: { type: 'string' },
  'noise-sigmas': { type: 'string' },
  shard: { type: 'string' },
  'rpc-url': { type: 'string' },
  'cache-dir': { type: 'string' },
  'skip-charts': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The suite name, read before the full parse because the suite adds its own options. */
function suiteName(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite') return argv[i + 1] ?? '';
    if (argv[i]!.startsWith('--suite=')) return argv[i]!.slice('--suite='.length);
  }
  return 'quick';
}

const BASE_HELP = `Usage: opzk bench [--suite quick] [options]

Runs a benchmark suite and writes results.json (the source of truth, atomically), results.csv,
report.md and charts/*.svg|png rendered from it, to results/local/<suite>/ (untracked, so a run
leaves the checkout clean); --reference writes the committed reference run results/<suite>/.

Options:
  --suite NAME          ${SUITE_NAMES.join(' | ')} (default quick)
  --out DIR             output folder (default results/local/<suite>/, untracked; with --shard
                        results/local/<suite>/shard-i-of-n/)
  --reference           write the committed reference run instead: results/<suite>/ (and its shards)
  --shard i/n           run only the i-th of n balanced parts of the suite's work items (CI matrix);
                        join the parts with 'opzk merge'
  --baseline FILE       compare with a committed results.json: deterministic metrics exactly (a worse
                        value fails), timings as time / calibration time; exit 1 on regression; the
                        Markdown summary goes to stdout and to $GITHUB_STEP_SUMMARY when set
  --threshold PCT       allowed worsening of a timing, percent (default 25)
  --noise-sigmas K      a timing change must also exceed K standard errors of the difference (default 3)
  --update-baseline     write this run's results.json over the --baseline file instead of comparing
  --rpc-url URL         run the on-chain parts (table2, scaling, quick) on this EVM JSON-RPC endpoint
                        instead of local anvils; keys from OPZK_PRIVATE_KEY (three funded accounts,
                        comma-separated: requester, submitter, challenger); windows and clocks
                        pass in real time there, so shorten them (--window, --clock); the ci suite
                        stays on anvil (its baseline is anvil's gas)
  --cache-dir DIR       generated circuits and build artefacts (default .cache/bench/<suite>)
  --skip-charts         do not render the SVG/PNG charts
  --json                print one JSON object (files written, comparison) on stdout`;

export const command: CliCommand = {
  summary: 'run a benchmark suite (results, report, charts; --baseline for CI regression checks)',
  async help() {
    // Each suite adds its own options: load them all so --help lists every one.
    const parts = [BASE_HELP];
    for (const name of SUITE_NAMES) {
      const suite = await loadSuite({ name });
      const options = suite.optionsHelp.length ? suite.optionsHelp.map((line) => `  ${line}`).join('\n') : '  (no options of its own)';
      parts.push(`Suite '${name}' (${suite.summary}):\n${options}`);
    }
    return parts.join('\n\n');
  },
  async run(argv) {
    const name = suiteName(argv);
    const suite = await loadSuite({ name });
    const { values } = parseCommandArgs('bench', argv, { ...COMMON_OPTIONS, ...suite.options }, false);
    const thresholdPercent = values.threshold === undefined ? 25 : Number(values.threshold);
    if (!Number.isFinite(thresholdPercent) || thresholdPercent < 0)
      throw new UsageError(`bench: --threshold '${values.threshold}' is not a non-negative number of percent`, { hint: 'e.g. --threshold 25' });
    const noiseSigmas = values['noise-sigmas'] === undefined ? 3 : Number(values['noise-sigmas']);
    if (!Number.isFinite(noiseSigmas) || noiseSigmas < 0)
      throw new UsageError(`bench: --noise-sigmas '${values['noise-sigmas']}' is not a non-negative number`, { hint: 'e.g. --noise-sigmas 3 (0 compares by the threshold alone)' });
    if (values['update-baseline'] && !values.baseline)
      throw new UsageError('bench: --update-baseline needs --baseline FILE', { hint: 'name the baseline file to write' });
    const shard = values.shard === undefined ? undefined : parseShard(String(values.shard));
    const rpcUrl = values['rpc-url'] as string | undefined;
    let privateKeys: Array<`0x${string}`> | undefined;
    if (rpcUrl) {
      const keys = (process.env.OPZK_PRIVATE_KEY ?? '').split(',').map((key) => key.trim()).filter(Boolean);
      if (keys.length === 0 || keys.some((key) => !/^0x[0-9a-fA-F]{64}$/.test(key)))
        throw new UsageError('bench: --rpc-url needs private keys in OPZK_PRIVATE_KEY (0x + 64 hex digits; several separated by commas, one per actor)', { hint: 'export OPZK_PRIVATE_KEY=0x… (never pass keys on the command line)' });
      privateKeys = keys as Array<`0x${string}`>;
    }
    const settings = suite.resolveSettings(values as Record<string, unknown>);
    if (rpcUrl) {
      // The chain is a setting of the run: recorded (endpoint without credentials, chain id,
      // client) so that the figures are never mistaken for the local anvil's.
      settings.chain = await describeChain({ rpcUrl });
      const window = Number(settings.challengeWindowSeconds ?? 0);
      const clock = Number(settings.clockSeconds ?? 0);
      if (window > 600 || clock > 600)
        console.error(`bench --rpc-url: windows and clocks pass in real time on ${redactEndpoint(rpcUrl)}: every game waits its window (${window} s), a timeout its clock (${clock} s); shorten them with --window/--clock`);
    }
    const results = await runSuite({
      suite, settings, shard, rpcUrl, privateKeys,
      cacheDir: (values['cache-dir'] as string | undefined) ?? join('.cache', 'bench', suite.name),
    });
    const outDir = resolveOutDir({ suite: suite.name, shard, out: values.out as string | undefined, reference: values.reference as boolean | undefined });
    const { files } = await writeResults({ results, outDir, charts: !values['skip-charts'] });

    let exitCode = 0;
    let comparison: ReturnType<typeof compareBaseline> | undefined;
    const baselineFile = values.baseline as string | undefined;
    if (baselineFile && values['update-baseline']) {
      writeFileAtomic({ file: baselineFile, content: JSON.stringify(results, null, 2) + '\n' });
      if (!values.json) console.log(`baseline updated: ${baselineFile}`);
    } else if (baselineFile) {
      comparison = compareBaseline({ baseline: readResults({ file: baselineFile }), current: results, thresholdPercent, noiseSigmas, baselineFile });
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, comparison.markdown + '\n');
      if (!values.json) console.log(comparison.markdown);
      if (!comparison.passed) exitCode = 1;
    }
    if (values.json) {
      console.log(JSON.stringify({
        suite: suite.name, outDir, files, measurements: results.measurements.length, verdicts: results.verdicts,
        ...(comparison ? { comparison: { passed: comparison.passed, rows: comparison.rows.filter((r) => r.status !== 'unchanged'), missing: comparison.missing, added: comparison.added, settingsDiffer: comparison.settingsDiffer } } : {}),
      }));
    } else {
      console.log(`wrote ${files.length} file(s) to ${outDir}/ (report: ${join(outDir, 'report.md')})`);
    }
    return exitCode;
  },
};
