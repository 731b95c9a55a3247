/**
 * Where `opzk bench` writes a run. A user's run goes to results/local/<suite>/ (git-ignored), so a
 * fresh clone stays clean after the README's first command; the committed reference runs under
 * results/<suite>/ change only with --reference (or an explicit --out).
 */
import { join } from 'node:path';
import { UsageError } from '../errors.ts';

export interface ResolveOutDirParameters {
  suite: string;
  shard?: { index: number; count: number };
  /** --out DIR, when given. */
  out?: string;
  /** --reference: write the committed reference run. */
  reference?: boolean;
}

export function resolveOutDir({ suite, shard, out, reference = false }: ResolveOutDirParameters): string {
  if (out !== undefined && reference) throw new UsageError('bench: --out and --reference both name the output folder', { details: { out }, hint: 'use one of them' });
  if (out !== undefined) return out;
  const root = reference ? 'results' : join('results', 'local');
  return join(root, suite, ...(shard ? [`shard-${shard.index}-of-${shard.count}`] : []));
}
