/**
 * Finds a suite by name: `src/bench/suites/<name>.ts` exporting `suite: Suite`. The suites the
 * project plans are listed so that one not wired yet gets a plain error instead of "unknown".
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import type { Suite } from './suite.ts';

/** Every suite name `opzk bench --suite` accepts, in the order `--help` lists them. */
export const SUITE_NAMES = ['micro', 'table2', 'scaling', 'quick', 'ci'] as const;

export interface LoadSuiteParameters {
  name: string;
}

export type LoadSuiteResult = Suite<Record<string, unknown>>;

export async function loadSuite({ name }: LoadSuiteParameters): Promise<LoadSuiteResult> {
  if (!(SUITE_NAMES as readonly string[]).includes(name))
    throw new UsageError(`unknown suite '${name}'`, { hint: `choose one of: ${SUITE_NAMES.join(', ')}`, details: { suite: name } });
  const file = join(dirname(fileURLToPath(import.meta.url)), 'suites', `${name}.ts`);
  if (!existsSync(file))
    throw new UsageError(`suite '${name}' is not wired yet: src/bench/suites/${name}.ts does not exist`, {
      hint: 'add that file exporting `suite: Suite` (see src/bench/suite.ts and suites/micro.ts), or run --suite micro',
      details: { suite: name },
    });
  const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { suite?: LoadSuiteResult };
  if (!module.suite)
    throw new UsageError(`src/bench/suites/${name}.ts does not export \`suite\``, { hint: 'export const suite: Suite = { … }', details: { suite: name } });
  return module.suite;
}
