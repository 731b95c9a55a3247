/**
 * `opzk merge`: joins the results files of a suite's shards (or of separate runs of disjoint
 * items) into one. All parts must have the same suite, schema and settings; a measurement may
 * come from one part only. Derived measurements are dropped here; the caller re-applies the
 * suite's summary (applySummary.ts) over the merged raw data.
 */
import { UsageError } from '../errors.ts';
import type { RunResults } from './types.ts';

export interface MergeResultsParameters {
  parts: Array<{ file: string; results: RunResults }>;
}

export type MergeResultsResult = RunResults;

export function mergeResults({ parts }: MergeResultsParameters): MergeResultsResult {
  if (parts.length === 0) throw new UsageError('merge: no results files given', { hint: 'opzk merge a.json b.json … --out dir' });
  const [first, ...rest] = parts;
  const settingsText = JSON.stringify(first!.results.settings);
  for (const part of rest) {
    if (part.results.suite !== first!.results.suite)
      throw new UsageError(`merge: ${part.file} is suite '${part.results.suite}', ${first!.file} is '${first!.results.suite}'`, { hint: 'merge only the shards of one suite', details: { file: part.file } });
    if (JSON.stringify(part.results.settings) !== settingsText)
      throw new UsageError(`merge: ${part.file} was run with other settings than ${first!.file}`, {
        hint: 'every shard must run with the same options (only --shard may differ)',
        details: { file: part.file, settings: part.results.settings, expected: first!.results.settings },
      });
  }
  const shards = parts.flatMap((part) => part.results.shards ?? []);
  const seenShards = new Set<string>();
  for (const shard of shards) {
    const key = `${shard.index}/${shard.count}`;
    if (seenShards.has(key)) throw new UsageError(`merge: shard ${key} is given twice`, { hint: 'give each shard file once', details: { shard: key } });
    seenShards.add(key);
  }
  const owner = new Map<string, string>();
  const measurements = [];
  for (const part of parts) {
    for (const m of part.results.measurements) {
      if (m.derived) continue;
      const previous = owner.get(m.name);
      if (previous)
        throw new UsageError(`merge: measurement '${m.name}' is in both ${previous} and ${part.file}`, { hint: 'the files overlap: were they run with the same --shard?', details: { name: m.name } });
      owner.set(m.name, part.file);
      measurements.push(m);
    }
  }
  const times = parts.map((part) => part.results);
  return {
    ...first!.results,
    startedAt: times.map((r) => r.startedAt).sort()[0]!,
    finishedAt: times.map((r) => r.finishedAt).sort().at(-1)!,
    ...(shards.length > 0 ? { shards: shards.sort((a, b) => a.index - b.index) } : {}),
    mergedFrom: rest.map((part) => ({
      ...(part.results.shards?.[0] ? { shard: part.results.shards[0] } : {}),
      environment: part.results.environment,
      ...(part.results.calibration ? { calibration: part.results.calibration } : {}),
    })),
    measurements,
    sections: {},
    verdicts: [],
  };
}
