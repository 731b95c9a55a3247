/**
 * The zk build cache shared by processes: two `opzk prove` of one model at once from an empty
 * cache (OPZK_CACHE_DIR) both succeed with proofs that verify (they used to compile into the same
 * folder at once and one died with a circom panic, or write and read different random keys).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/zk/paths.ts';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');

// Below the repository root: circom2's WASI sandbox sees paths below its working directory only.
mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
const cacheDir = mkdtempSync(path.join(repoRoot, '.cache', 'race-test-'));

function prove(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, 'src/cli/main.ts', 'prove', 'linreg', '--json'], {
      cwd: repoRoot, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', OPZK_CACHE_DIR: cacheDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the zk cache across processes', () => {
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it.runIf(existsSync(path.join(repoRoot, 'models/linreg.onnx')))('two opzk prove of one model at once from an empty cache both prove and verify', async () => {
    const results = await Promise.all([prove(), prove()]);
    for (const result of results) {
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { verified: boolean; constraints: number };
      expect(report).toMatchObject({ verified: true, constraints: 24 });
    }
  }, 300_000);
});
