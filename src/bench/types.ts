/**
 * The result types of the benchmark harness: one `RunResults` object per run is the source of
 * truth (written as `results.json`); CSV, Markdown, charts and the baseline comparison are all
 * rendered from it. Every number carries its unit (in the field name or the `unit` field),
 * following tinybench's `types.ts`.
 */

/** Bumped whenever a field changes meaning or is removed; readers refuse other versions. */
export const RESULTS_SCHEMA_VERSION = 1;
export const RESULTS_SCHEMA = 'opzk-bench/results';

/**
 * How a measurement is compared against a baseline (src/bench/compareBaseline.ts):
 * - `deterministic`: a count that must not move (constraints, gas, rounds, bytes): compared
 *   exactly; any change is listed, a change in the worse direction fails.
 * - `timing`: a duration; compared through `calibrated` (value / calibration time), failing
 *   beyond the threshold.
 * - `ratio`: a dimensionless quotient of two timings measured in the same process (already
 *   machine-independent); compared directly against the threshold.
 * - `info`: reported, never compared (e.g. a standard error, a tool version count).
 */
export type MeasurementKind = 'deterministic' | 'timing' | 'ratio' | 'info';

export interface Measurement {
  /**
   * Stable identity within a suite, used to match a baseline and to merge shards:
   * `<metric>` plus the labels, e.g. `proveTime{op=mul,n=64,system=groth16}`. Built by
   * `measurementName` (src/bench/createMeasurement.ts).
   */
  name: string;
  /** What is measured, e.g. `constraints`, `proveTime`, `marginalProveTime`. */
  metric: string;
  /** Which item it belongs to, e.g. `{ op: 'mul', n: 64, system: 'groth16' }`. */
  labels: Record<string, string | number>;
  /** The measured value, in `unit`. For timings: the mean over `samples`. */
  value: number;
  /** `ms`, `ns/op`, `constraints`, `constraints/op`, `gas`, `bytes`, `rounds`, `s`, `x` (ratio), … */
  unit: string;
  kind: MeasurementKind;
  /** True when a larger value is a regression (time, gas); false for throughput-like values. */
  higherIsWorse: boolean;
  /** How many samples `value` summarises (1 for a deterministic count). */
  samples: number;
  /** Sample standard deviation, in `unit` (timings with more than one sample). */
  stddev?: number;
  /** Smallest and largest sample, in `unit`. */
  min?: number;
  max?: number;
  /** Median of the samples, in `unit`, where a suite records it (the micro suite fits its slopes on it). */
  median?: number;
  /** Standard error of `value` (of a mean, or of a fitted slope), in `unit`. */
  standardError?: number;
  /** For `timing`: value divided by the calibration workload's time in the same process (dimensionless). */
  calibrated?: number;
  /**
   * True for values computed from other measurements by the suite's `summarize` (fitted slopes,
   * ratios). Merging drops them and summarises the merged raw data again.
   */
  derived?: boolean;
  /** How it was obtained, when the name does not say (fit range, baseline used). */
  note?: string;
}

export interface MachineInfo {
  cpuModel: string;
  /** Logical cores the OS reports. */
  cores: number;
  memoryBytes: number;
  platform: string;
  arch: string;
  osRelease: string;
  /** 1-minute load average when the run started (other processes competing for the cores make timings noisy). */
  loadAverage1m?: number;
}

export interface EnvironmentInfo {
  machine: MachineInfo;
  nodeVersion: string;
  /** Tool name → version (`unknown` when it could not be read, never guessed). */
  tools: Record<string, string>;
  git: { commit: string; dirty: boolean } | { commit: 'unknown'; dirty: false; reason: string };
}

/** The calibration workload run in the same process, to normalise timings across machines. */
export interface CalibrationInfo {
  /** Which workload, e.g. `js-integer-loop-2^20`. */
  name: string;
  /** Mean time of one run of the workload, in milliseconds. */
  meanMs: number;
  stddevMs: number;
  samples: number;
}

/** One shard of a CI matrix: this process ran the items with `index` (1-based) out of `count`. */
export interface ShardInfo {
  index: number;
  count: number;
}

/** One item of the verdicts section: a survey claim checked against what was measured. */
export interface Verdict {
  /** The claim as the survey states it, e.g. `ReLU: up to 200× overhead`. */
  claim: string;
  /** Where the claim comes from (section, table, reference). */
  source: string;
  /** `holds`, `does-not-hold`, `depends` (holds under one unit/baseline, not another), `untestable`, `no-data`. */
  status: 'holds' | 'does-not-hold' | 'depends' | 'untestable' | 'no-data';
  /** What was measured, with figures and units (Markdown). */
  measured: string;
  /** Under which unit/baseline the claim holds, and under which it does not (Markdown). */
  reading: string;
}

export interface RunResults {
  schema: typeof RESULTS_SCHEMA;
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  suite: string;
  /** ISO 8601 times of the run (of the earliest/latest shard after a merge). */
  startedAt: string;
  finishedAt: string;
  environment: EnvironmentInfo;
  /** Every setting the suite ran with (ladders, bit widths, thresholds, seeds). Shards must agree. */
  settings: Record<string, unknown>;
  /** The shards this file holds: one for a sharded run, several after a merge, absent for a whole run. */
  shards?: ShardInfo[];
  calibration?: CalibrationInfo;
  /** What the run cost this process: wall and CPU seconds (user + system, worker threads included), peak resident memory. */
  resources?: { wallSeconds: number; cpuSeconds: number; peakRssBytes: number };
  /** The environments of the other shards after a merge (their calibrations are in their timings' `calibrated`). */
  mergedFrom?: Array<{ shard?: ShardInfo; environment: EnvironmentInfo; calibration?: CalibrationInfo }>;
  measurements: Measurement[];
  /** Suite-specific structured data rendered by the suite's report parts (e.g. `table2`, see table2Data.ts). */
  sections: Record<string, unknown>;
  verdicts: Verdict[];
}
