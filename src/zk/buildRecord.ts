/**
 * Owns the build record kept beside a cached one-time artefact (a proving key, a powers-of-tau
 * file): `<artefact>.build.json` with what building it took. A later run that takes the artefact
 * from the cache reads the record, so the one-time cost of a model is the same figure whether its
 * artefacts were built in this run or an earlier one (issue 14: the setup budget charges it
 * either way). Written atomically (temporary file, then rename); an unreadable or missing record
 * reads as "not recorded", never as zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

export interface BuildRecord {
  /** Wall time of the build, milliseconds. */
  builtMs: number;
}

export function buildRecordFile(artefact: string): string {
  return `${artefact}.build.json`;
}

export function readBuildRecord(artefact: string): BuildRecord | undefined {
  const file = buildRecordFile(artefact);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildRecord>;
    return typeof record.builtMs === 'number' && Number.isFinite(record.builtMs) && record.builtMs >= 0 ? { builtMs: record.builtMs } : undefined;
  } catch {
    return undefined;
  }
}

export async function writeBuildRecord(artefact: string, record: BuildRecord): Promise<void> {
  const file = buildRecordFile(artefact);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record)}\n`);
  await rename(temporary, file);
}
