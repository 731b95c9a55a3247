/**
 * Runs a suite: records the environment, times the calibration workload, picks this shard's
 * work items, measures them one by one with progress, normalises the timings by the
 * calibration, then lets the suite summarise (slopes, ratios, verdicts). Returns the results;
 * writing them is writeResults.ts's job, so a run that throws midway writes nothing.
 */
import { collectEnvironment } from './collectEnvironment.ts';
import { createProgress, type Progress } from './createProgress.ts';
import { runCalibration } from './runCalibration.ts';
import { selectShard } from './selectShard.ts';
import { applySummary } from './applySummary.ts';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type CalibrationInfo, type RunResults, type ShardInfo } from './types.ts';
import type { Suite } from './suite.ts';

export interface RunSuiteParameters {
  suite: Suite<Record<string, unknown>>;
  settings: Record<string, unknown>;
  shard?: ShardInfo;
  cacheDir: string;
  rpcUrl?: string;
  privateKeys?: Array<`0x${string}`>;
  /** Defaults to a stderr progress line (see createProgress.ts). */
  progress?: (parameters: { suite: string; totalWeight: number; itemCount: number }) => Progress;
  /** Injected in tests to skip the ~0.5 s calibration. */
  calibration?: CalibrationInfo;
}

export type RunSuiteResult = RunResults;

export async function runSuite(parameters: RunSuiteParameters): Promise<RunSuiteResult> {
  const { suite, settings, shard } = parameters;
  const startedAt = new Date().toISOString();
  const startWall = performance.now();
  const startCpu = process.cpuUsage();
  const environment = collectEnvironment();
  const calibration = parameters.calibration ?? (await runCalibration());
  const allItems = await suite.listWorkItems(settings, { cacheDir: parameters.cacheDir });
  const items = shard ? selectShard({ items: allItems, shard }) : allItems;
  const progress = (parameters.progress ?? createProgress)({
    suite: suite.name,
    totalWeight: items.reduce((sum, item) => sum + item.weight, 0),
    itemCount: items.length,
  });
  const measurements = [];
  try {
    for (const item of items) {
      progress.startItem(item);
      const itemMeasurements = await suite.runWorkItem(item, {
        settings, progress, cacheDir: parameters.cacheDir, rpcUrl: parameters.rpcUrl, privateKeys: parameters.privateKeys,
      });
      for (const m of itemMeasurements) if (m.kind === 'timing') m.calibrated = m.value / calibration.meanMs;
      measurements.push(...itemMeasurements);
    }
  } finally {
    progress.finish();
  }
  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    suite: suite.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment,
    settings,
    ...(shard ? { shards: [shard] } : {}),
    calibration,
    resources: {
      wallSeconds: (performance.now() - startWall) / 1000,
      cpuSeconds: (process.cpuUsage(startCpu).user + process.cpuUsage(startCpu).system) / 1e6,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    measurements,
    sections: {},
    verdicts: [],
  };
  return applySummary({ results, suite });
}
