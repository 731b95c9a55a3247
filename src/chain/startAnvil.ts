/**
 * Owns the local EVM: spawns the anvil binary shipped by `@foundry-rs/anvil-linux-amd64` on a free
 * port, reads the port it prints, and guarantees that no anvil outlives this process — `stop()`
 * kills it by pid and waits for the exit, process 'exit'/SIGINT/SIGTERM handlers kill any that are
 * still running, and a tiny `sh` watchdog kills it if this process dies without running handlers
 * (SIGKILL, a crashed test worker).
 *
 * Chain settings, chosen so gas figures are deterministic and large verifiers/games fit:
 * - block gas limit 1,000,000,000 (`--gas-limit`): one transaction may use far more than a
 *   mainnet block; the figures we report are gas *used*, which does not depend on the limit.
 * - hardfork pinned to `prague` (the same `evmVersion` compileSolidity and foundry.toml use), so a
 *   new anvil default does not move gas figures.
 * - EIP-170 code size limit kept ON by default (24,576 bytes): every verifier we deploy fits;
 *   `disableCodeSizeLimit: true` exists for experiments and is reported in the result.
 * - `--steps-tracing` on, so `debug_traceTransaction` returns geth-style struct logs
 *   (measureStorage reads SSTOREs from them).
 * - automine (a block per transaction) unless `blockTimeSeconds` is given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { ToolError } from '../errors.ts';

export interface StartAnvilParameters {
  /** Seconds between blocks; undefined = automine (one block per transaction, the default). */
  blockTimeSeconds?: number;
  /** Block gas limit in gas units (default 1,000,000,000). */
  blockGasLimit?: bigint;
  /** Turn EIP-170 (24,576-byte contract code limit) off. Default false. */
  disableCodeSizeLimit?: boolean;
  /** EVM hardfork (default 'prague'; keep it equal to the solc evmVersion). */
  hardfork?: string;
  /** Number of funded dev accounts (default 10, each with 10,000 ETH). */
  accountCount?: number;
  /** Chain id (default 31337). */
  chainId?: number;
  /** Extra command-line arguments passed to anvil verbatim. */
  extraArgs?: string[];
  /** How long to wait for anvil to print its port, in milliseconds (default 15,000). */
  startupTimeoutMs?: number;
}

export interface StartAnvilResult {
  /** http://127.0.0.1:<port> */
  rpcUrl: string;
  port: number;
  pid: number;
  /** The exact command line used, for result files. */
  args: string[];
  /** Kills anvil (SIGTERM, then SIGKILL after 2 s) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_BLOCK_GAS_LIMIT = 1_000_000_000n;
export const DEFAULT_HARDFORK = 'prague';

const require = createRequire(import.meta.url);

/** Path of the anvil binary from the npm package (throws a ToolError with a hint if missing). */
export function resolveAnvilBinary(): string {
  try {
    const packageJson = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
    const binary = join(dirname(packageJson), 'bin', 'anvil');
    if (existsSync(binary)) return binary;
    throw new Error(`${binary} does not exist`);
  } catch (error) {
    throw new ToolError('anvil: the binary from @foundry-rs/anvil-linux-amd64 was not found', {
      hint: 'run `ONNXRUNTIME_NODE_INSTALL=skip npm ci` on Linux x86-64 (the package is an optional dependency of @foundry-rs/anvil)',
      cause: error,
    });
  }
}

/** Every anvil this process started and has not yet seen exit. */
const liveAnvils = new Map<number, { child: ChildProcess; watchdog?: ChildProcess }>();
let handlersInstalled = false;

function killAllNow(): void {
  for (const [pid, { watchdog }] of liveAnvils) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    if (watchdog?.pid) try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  liveAnvils.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    const onSignal = () => {
      killAllNow();
      // Adding a listener disables Node's default "exit on signal"; restore it when we are the only one.
      if (process.listenerCount(signal) === 1) process.exit(128 + number);
    };
    process.on(signal, onSignal);
  }
}

/** A `sh` loop that kills anvil once this process is gone (covers SIGKILL, where no handler runs). */
function spawnWatchdog(anvilPid: number): ChildProcess | undefined {
  try {
    const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${anvilPid} 2>/dev/null; do sleep 1; done; kill -9 ${anvilPid} 2>/dev/null; exit 0`;
    const watchdog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
    watchdog.unref();
    watchdog.on('error', () => {});
    return watchdog;
  } catch {
    return undefined;
  }
}

export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilResult> {
  const {
    blockTimeSeconds,
    blockGasLimit = DEFAULT_BLOCK_GAS_LIMIT,
    disableCodeSizeLimit = false,
    hardfork = DEFAULT_HARDFORK,
    accountCount = 10,
    chainId = 31337,
    extraArgs = [],
    startupTimeoutMs = 15_000,
  } = parameters;
  const binary = resolveAnvilBinary();
  const args = [
    '--port', '0',
    '--host', '127.0.0.1',
    '--gas-limit', blockGasLimit.toString(),
    '--hardfork', hardfork,
    '--accounts', String(accountCount),
    '--chain-id', String(chainId),
    '--steps-tracing',
    ...(blockTimeSeconds === undefined ? [] : ['--block-time', String(blockTimeSeconds)]),
    ...(disableCodeSizeLimit ? ['--disable-code-size-limit'] : []),
    ...extraArgs,
  ];
  installExitHandlers();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<unknown>((resolve) => child.once('error', resolve));
    throw new ToolError(`anvil: could not start ${binary}`, { hint: 'check that the file is executable', cause: error });
  }
  const watchdog = spawnWatchdog(pid);
  liveAnvils.set(pid, { child, watchdog });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
  child.once('exit', () => {
    liveAnvils.delete(pid);
    if (watchdog?.pid) try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ }
  });

  // Keep the last output for error messages, and keep draining the pipes so anvil never blocks on a full pipe.
  let recentOutput = '';
  const remember = (chunk: Buffer) => { recentOutput = (recentOutput + chunk.toString('utf8')).slice(-4000); };
  child.stderr!.on('data', remember);

  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 2000);
        await exited;
        clearTimeout(timer);
      }
    }
    await exited;
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      const onData = (chunk: Buffer) => {
        remember(chunk);
        buffered += chunk.toString('utf8');
        const match = /Listening on [^\s:]+:(\d+)/.exec(buffered);
        if (match) { cleanup(); resolve(Number(match[1])); }
        else if (buffered.length > 100_000) buffered = buffered.slice(-1000);
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new ToolError(`anvil exited before listening (code ${code}, signal ${signal})`, {
          hint: `check the arguments: anvil ${args.join(' ')}`,
          details: { args, output: recentOutput },
        }));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new ToolError(`anvil did not print its port within ${startupTimeoutMs} ms`, {
          hint: 'the machine may be overloaded; raise startupTimeoutMs',
          details: { args, output: recentOutput },
        }));
      }, startupTimeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.on('data', remember);
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return { rpcUrl: `http://127.0.0.1:${port}`, port, pid, args: [binary, ...args], stop };
}
