/**
 * What a result file records about where it was measured: CPU, cores, memory, Node, the
 * versions of the proving/chain tools (read from their package.json files or their binaries,
 * never assumed) and the git commit with a dirty flag.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, arch, release, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentInfo } from './types.ts';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(repositoryRoot, 'package.json'));

/** npm packages whose version matters for the numbers. */
const PACKAGES = ['snarkjs', 'circom2', 'circomlib', 'ffjavascript', 'solc', 'onnxruntime-node', 'viem', 'tinybench', 'vega', 'vega-lite', '@resvg/resvg-js'];

export interface CollectEnvironmentParameters {
  /** Where to look for package.json files and the git repository (default: this repository). */
  root?: string;
}

export type CollectEnvironmentResult = EnvironmentInfo;

function packageVersion(name: string, root: string): string {
  const direct = join(root, 'node_modules', name, 'package.json');
  try {
    const file = existsSync(direct) ? direct : require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function binaryVersion(file: string, args: string[]): string {
  try {
    const output = execFileSync(file, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const first = output.split('\n')[0]?.trim() ?? '';
    const match = /(\d+\.\d+\.\d+[\w.+-]*)/.exec(first);
    return match ? match[1]! : first || 'unknown';
  } catch {
    return 'not found';
  }
}

function gitState(root: string): EnvironmentInfo['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch (error) {
    return { commit: 'unknown', dirty: false, reason: (error as Error).message.split('\n')[0] ?? 'git failed' };
  }
}

export function collectEnvironment({ root = repositoryRoot }: CollectEnvironmentParameters = {}): CollectEnvironmentResult {
  const cpuList = cpus();
  const tools: Record<string, string> = {};
  for (const name of PACKAGES) tools[name] = packageVersion(name, root);
  tools['anvil'] = binaryVersion(join(root, 'node_modules', '.bin', 'anvil'), ['--version']);
  // A native circom on PATH is optional (circom2 is the WASM build the project uses by default).
  // Recorded only when present: "circom not found" read as if circuits were not compiled at all.
  const nativeCircom = binaryVersion('circom', ['--version']);
  if (nativeCircom !== 'not found') tools['circom (native, on PATH; not used by default)'] = nativeCircom;
  return {
    machine: {
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      cores: cpuList.length,
      memoryBytes: totalmem(),
      platform: platform(),
      arch: arch(),
      osRelease: release(),
      loadAverage1m: loadavg()[0]!,
    },
    nodeVersion: process.version,
    tools,
    git: gitState(root),
  };
}

/** One line naming the machine, for chart subtitles and report headers. */
export function describeMachine(environment: EnvironmentInfo): string {
  const { machine } = environment;
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(0);
  return `${machine.cpuModel}, ${machine.cores} cores, ${gib} GiB, Node ${environment.nodeVersion}`;
}
