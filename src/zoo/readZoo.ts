/**
 * Reads `models/zoo.json` (the zoo's metadata) from the repository root, whatever the cwd.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { InputFileError } from '../errors.ts';
import { ZOO_FORMAT, type ZooFile } from './types.ts';

/** The repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ZOO_FILE = join(REPO_ROOT, 'models', 'zoo.json');

export interface ReadZooParameters {
  /** Default: `<repo>/models/zoo.json`. */
  file?: string;
}

export type ReadZooResult = ZooFile;

export function readZoo(parameters: ReadZooParameters = {}): ReadZooResult {
  const file = parameters.file ?? ZOO_FILE;
  let zoo: ZooFile;
  try {
    zoo = JSON.parse(readFileSync(file, 'utf8')) as ZooFile;
  } catch (error) {
    throw new InputFileError(`${file}: cannot read the model zoo metadata`, {
      hint: "run 'npm run models' to build the zoo",
      details: { file },
      cause: error,
    });
  }
  if (zoo.format !== ZOO_FORMAT || !Array.isArray(zoo.models))
    throw new InputFileError(`${file}: not a zoo file (format ${JSON.stringify(zoo.format)}, expected ${ZOO_FORMAT})`, {
      hint: "run 'npm run models' to rebuild it",
      details: { file, format: zoo.format },
    });
  return zoo;
}
