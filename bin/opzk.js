#!/usr/bin/env node
// `npx opzk …`: runs the TypeScript CLI through tsx, so no build step is needed after `npm ci`.
//
// The CLI runs in its own process group so that a signal to this process (kill, a CI timeout,
// Ctrl-C) reaches every process the command started — tsx, the CLI, anvil, circom, bench
// workers — not only the direct child. SIGINT/SIGTERM/SIGHUP are forwarded to the group; what is
// still running 3 s later is killed. The exit status is the child's, or 128 + the signal number.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const GRACE_MS = 3000;

const child = spawn(process.execPath, [tsxCli, join(root, 'src/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  detached: true,
});

function signalGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

let received;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (received) return;
    received = signal;
    signalGroup(signal);
    setTimeout(() => signalGroup('SIGKILL'), GRACE_MS).unref();
  });
}
// If this process exits for any other reason, take the group with it.
process.on('exit', () => {
  if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
});

child.on('error', (error) => {
  console.error(`opzk: cannot start the CLI: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  // The CLI is gone; stragglers in its group (e.g. an esbuild service) get the same signal.
  if (received) signalGroup('SIGKILL');
  const number = signal ?? received;
  process.exit(code ?? (number ? 128 + constants.signals[number] : 1));
});
