import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { withFileLock } from './withFileLock.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'opzk-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs holders one at a time and removes the lock afterwards', async () => {
  const lockFile = path.join(dir, 'serial.lock');
  const events: string[] = [];
  const hold = (name: string) => withFileLock({ lockFile, pollMs: 5, run: async () => {
    events.push(`${name} in`);
    await sleep(30);
    events.push(`${name} out`);
    return name;
  } });
  expect(await Promise.all([hold('a'), hold('b')])).toEqual(['a', 'b']);
  expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  expect(existsSync(lockFile)).toBe(false);
});

it('takes over a lock whose owner is dead, and releases it when run throws', async () => {
  const lockFile = path.join(dir, 'stale.lock');
  writeFileSync(lockFile, `${spawnSync(process.execPath, ['-e', '0']).pid}\n`);
  await expect(withFileLock({ lockFile, run: async () => { throw new Error('boom'); } })).rejects.toThrow('boom');
  expect(existsSync(lockFile)).toBe(false);
});
