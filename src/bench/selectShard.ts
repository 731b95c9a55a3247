/**
 * `--shard i/n`: splits a suite's work items over the jobs of a CI matrix. Items are assigned
 * greedily by their weight (heaviest first, each to the least-loaded shard, ties to the lower
 * shard), so shards take about the same time and every item lands in exactly one shard. The
 * assignment depends only on the item list, so every job computes the same split.
 */
import { UsageError } from '../errors.ts';
import type { ShardInfo } from './types.ts';

export interface ShardableItem {
  id: string;
  /** Relative cost (any unit, the same for all items of a suite). */
  weight: number;
}

export interface SelectShardParameters<T extends ShardableItem> {
  items: T[];
  shard: ShardInfo;
}

export type SelectShardResult<T> = T[];

/** Parses `i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): ShardInfo {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard '${text}' is not of the form i/n with 1 ≤ i ≤ n`, { hint: 'e.g. --shard 2/4 runs the second of four parts', details: { shard: text } });
  return { index, count };
}

export function selectShard<T extends ShardableItem>({ items, shard }: SelectShardParameters<T>): SelectShardResult<T> {
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new UsageError(`work item id '${item.id}' appears twice`, { hint: 'a suite must give each work item a unique id', details: { id: item.id } });
    ids.add(item.id);
  }
  const order = items.map((item, position) => ({ item, position }));
  order.sort((a, b) => b.item.weight - a.item.weight || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  const load = new Array<number>(shard.count).fill(0);
  const assigned = new Map<T, number>();
  for (const { item } of order) {
    let best = 0;
    for (let s = 1; s < shard.count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += Math.max(item.weight, 0);
    assigned.set(item, best + 1);
  }
  // Keep the suite's own order within a shard (cheap items first is often deliberate).
  return items.filter((item) => assigned.get(item) === shard.index);
}
