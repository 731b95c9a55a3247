/**
 * The shape of a benchmark suite. A suite lists its work items and measures one item at a
 * time; the harness (runSuite.ts) does everything else: sharding, progress, calibration, the
 * results file, baselines. Wiring a new suite is one file `src/bench/suites/<name>.ts`
 * exporting `suite: Suite` (see loadSuite.ts).
 */
import type { ParseArgsConfig } from 'node:util';
import type { Measurement, RunResults, Verdict } from './types.ts';
import type { Progress } from './createProgress.ts';

export interface WorkItem {
  /** Unique within the suite and stable across runs (sharding and merging rely on it). */
  id: string;
  /** What the progress line shows, e.g. `relu-full n=16`. */
  label: string;
  /** Relative cost, for balancing shards and estimating the time left. */
  weight: number;
}

export interface SuiteContext<Settings> {
  settings: Settings;
  progress: Progress;
  /** A folder for generated circuits and build artefacts (`.cache/bench/<suite>/`). */
  cacheDir: string;
  /** `--rpc-url`: run on-chain parts against this node instead of a local anvil; pass it with `privateKeys` to createChainClients({ mode: 'remote', rpcUrl, privateKeys }). */
  rpcUrl?: string;
  /** From OPZK_PRIVATE_KEY (one key, or several separated by commas: one per actor), only with --rpc-url. */
  privateKeys?: Array<`0x${string}`>;
}

export interface SuiteSummary {
  /** Derived measurements (fitted slopes, ratios); the harness marks them `derived`. */
  measurements: Measurement[];
  sections?: Record<string, unknown>;
  verdicts?: Verdict[];
}

export interface Suite<Settings extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** One line for `opzk bench --help`. */
  summary: string;
  /** Extra `opzk bench` options this suite reads (node:util parseArgs config). */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Lines describing `options` for `--help`. */
  optionsHelp: string[];
  /** Turns the parsed option values into the settings recorded in the results (every default filled in). */
  resolveSettings(values: Record<string, unknown>): Settings;
  /** The work items, in run order; `cacheDir` as in SuiteContext (e.g. for probe compiles). */
  listWorkItems(settings: Settings, context: { cacheDir: string }): WorkItem[] | Promise<WorkItem[]>;
  runWorkItem(item: WorkItem, context: SuiteContext<Settings>): Promise<Measurement[]>;
  /** Computes derived measurements, sections and verdicts from all raw measurements (also after a merge). */
  summarize?(results: RunResults): SuiteSummary;
}
