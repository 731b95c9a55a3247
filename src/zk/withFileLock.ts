/**
 * A lock file shared by processes, for the zk build cache: two `opzk prove` of one model at once
 * must not compile into the same folder or write two different (randomly contributed) keys under
 * one name. The lock is a file created exclusively ('wx') holding its owner's pid; a waiter polls
 * until it is gone. A lock whose pid is no longer alive (a killed process) is stale and taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WithFileLockParameters<T> {
  /** The lock file (created beside what it protects). */
  lockFile: string;
  /** Runs while the lock is held; the lock is released when it settles. */
  run: () => Promise<T>;
  /** How often a waiter looks again, ms (default 100). */
  pollMs?: number;
}

/** Whether a process with this pid exists (signal 0 probes without signalling; EPERM means it exists). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(lockFile: string): Promise<boolean> {
  try {
    const handle = await open(lockFile, 'wx');
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export async function withFileLock<T>({ lockFile, run, pollMs = 100 }: WithFileLockParameters<T>): Promise<T> {
  while (!(await tryAcquire(lockFile))) {
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    // An empty file is an owner between its 'wx' create and its write: wait for it.
    if (Number.isInteger(owner) && !isProcessAlive(owner)) {
      // Stale: its owner died holding it. Re-read right before removing, so a lock another
      // waiter has just taken over is left alone.
      const again = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (again === owner) await rm(lockFile, { force: true });
      continue;
    }
    await sleep(pollMs);
  }
  try {
    return await run();
  } finally {
    await rm(lockFile, { force: true });
  }
}
