/**
 * Finds a suite by name: `src/bench/suites/<name>.ts` exporting `suite: Suite`. The suites the
 * project plans are listed so that one not wired yet gets a plain error instead of "unknown".
 */
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
  try {
    const module = (await import(`./suites/${name}.ts`)) as { suite: LoadSuiteResult };
    return module.suite;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`suites/${name}.ts`))
      throw new UsageError(`suite '${name}' is not wired yet: src/bench/suites/${name}.ts does not exist`, {
        hint: 'add that file exporting `suite: Suite` (see src/bench/suite.ts and suites/micro.ts), or run --suite micro',
        details: { suite: name },
        cause: error,
      });
    throw error;
  }
}

/** The suites that exist now (for --help). */
export async function listAvailableSuites(): Promise<LoadSuiteResult[]> {
  const found: LoadSuiteResult[] = [];
  for (const name of SUITE_NAMES) {
    try {
      found.push(await loadSuite({ name }));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return found;
}
