/**
 * Owns cleaning the half-written keys a killed setup leaves in the zk cache. setupCircuit writes
 * a key to `<zkey>.<pid>.<ms>.partial` (plus `.0` / `.vkey` beside it) and renames it into place;
 * a process killed meanwhile leaves those files forever. A partial is stale when the process that
 * wrote it is gone, or (pids get reused) when nothing touched it for an hour.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from './withFileLock.ts';

export interface RemoveStalePartialsParameters {
  /** The folder to clean (a circuit's build folder). */
  dir: string;
  /** Untouched this long, a partial is stale even if its pid is alive (default one hour). */
  maxAgeMs?: number;
}

export interface RemoveStalePartialsResult {
  /** The files removed (absolute paths). */
  removed: string[];
}

const PARTIAL = /\.(\d+)\.(\d+)\.partial(?:\.[a-z0-9]+)?$/;
const HOUR_MS = 60 * 60 * 1000;

export async function removeStalePartials({ dir, maxAgeMs = HOUR_MS }: RemoveStalePartialsParameters): Promise<RemoveStalePartialsResult> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = PARTIAL.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    const pid = Number(match[1]);
    const stale = !isProcessAlive(pid) || Date.now() - info.mtimeMs > maxAgeMs;
    if (!stale) continue;
    await rm(file, { force: true });
    removed.push(file);
  }
  return { removed };
}
