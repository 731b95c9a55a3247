/**
 * Reads a `results.json` and checks its schema (name, version, required fields and the shape of
 * every measurement), so `report`, `merge` and `--baseline` fail with the file and the field at
 * fault rather than deep inside a renderer.
 */
import { readFileSync } from 'node:fs';
import { InputFileError } from '../errors.ts';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type RunResults } from './types.ts';

export interface ReadResultsParameters {
  file: string;
}

export type ReadResultsResult = RunResults;

const KINDS = new Set(['deterministic', 'timing', 'ratio', 'info']);

/** Throws InputFileError naming `source` and the first field that does not fit the schema. */
export function validateResults(value: unknown, source: string): RunResults {
  const fail = (field: string, problem: string): never => {
    throw new InputFileError(`${source}: ${field} ${problem}`, {
      hint: `the file must be a results.json written by 'opzk bench' (schema ${RESULTS_SCHEMA} v${RESULTS_SCHEMA_VERSION})`,
      details: { file: source, field },
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('(top level)', 'is not a JSON object');
  const results = value as Record<string, unknown>;
  if (results.schema !== RESULTS_SCHEMA) fail('schema', `is ${JSON.stringify(results.schema)}, expected "${RESULTS_SCHEMA}"`);
  if (results.schemaVersion !== RESULTS_SCHEMA_VERSION)
    fail('schemaVersion', `is ${JSON.stringify(results.schemaVersion)}; this version of opzk reads version ${RESULTS_SCHEMA_VERSION} only`);
  if (typeof results.suite !== 'string' || results.suite === '') fail('suite', 'is missing');
  for (const field of ['startedAt', 'finishedAt'])
    if (typeof results[field] !== 'string') fail(field, 'is missing');
  const environment = results.environment as Record<string, unknown> | undefined;
  if (!environment || typeof environment.machine !== 'object' || typeof environment.nodeVersion !== 'string')
    fail('environment', 'is missing its machine or nodeVersion');
  if (typeof results.settings !== 'object' || results.settings === null) fail('settings', 'is missing');
  if (typeof results.sections !== 'object' || results.sections === null) fail('sections', 'is missing');
  if (!Array.isArray(results.verdicts)) fail('verdicts', 'is not an array');
  if (!Array.isArray(results.measurements)) return fail('measurements', 'is not an array');
  const names = new Set<string>();
  results.measurements.forEach((m: Record<string, unknown>, index: number) => {
    const at = `measurements[${index}]`;
    if (typeof m !== 'object' || m === null) fail(at, 'is not an object');
    if (typeof m.name !== 'string') fail(`${at}.name`, 'is missing');
    if (names.has(m.name as string)) fail(`${at}.name`, `repeats ${JSON.stringify(m.name)}`);
    names.add(m.name as string);
    if (typeof m.metric !== 'string') fail(`${at}.metric`, 'is missing');
    if (typeof m.value !== 'number' || !Number.isFinite(m.value)) fail(`${at}.value`, `is ${JSON.stringify(m.value)}, not a finite number`);
    if (typeof m.unit !== 'string' || m.unit === '') fail(`${at}.unit`, 'is missing');
    if (!KINDS.has(m.kind as string)) fail(`${at}.kind`, `is ${JSON.stringify(m.kind)}; expected one of ${[...KINDS].join(', ')}`);
    if (typeof m.higherIsWorse !== 'boolean') fail(`${at}.higherIsWorse`, 'is missing');
    if (typeof m.samples !== 'number' || m.samples < 1) fail(`${at}.samples`, 'is missing or below 1');
    if (typeof m.labels !== 'object' || m.labels === null) fail(`${at}.labels`, 'is missing');
  });
  return results as unknown as RunResults;
}

export function readResults({ file }: ReadResultsParameters): ReadResultsResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(`${file}: cannot read the results file`, { hint: 'give the path of a results.json written by opzk bench', details: { file }, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputFileError(`${file}: is not valid JSON`, { hint: 'was the run interrupted? results files are written atomically, so check you gave the right file', details: { file }, cause: error });
  }
  return validateResults(value, file);
}
