/**
 * Compiles a main `.circom` with circom 2.2 in WebAssembly (the circom2 npm package, run as a
 * child process through its cli.js so that its WASI `exit` cannot end our process) into r1cs,
 * wasm and sym beside the source, with full constraint simplification (--O2: linear
 * constraints are substituted away, so constant weights cost nothing). A `compile.json` marker
 * keyed by the source hash makes an unchanged circuit reuse its build. Counts come from the
 * r1cs header (readR1cs), never from the compiler's log.
 *
 * Safe across processes: the build runs under a lock file (withFileLock), so a second process
 * waits and then finds the build cached, and circom writes into a private temporary folder whose
 * outputs are renamed into place, so a killed compile leaves no half-written r1cs or wasm.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../errors.ts';
import { circomCliFile, circomlibCircuitsDir, circuitsDir } from './paths.ts';
import { readR1cs } from './readR1cs.ts';
import { withFileLock } from './withFileLock.ts';
import { templatesHash } from './writeCircuitSource.ts';

const execFileAsync = promisify(execFile);

export interface CompileCircuitParameters {
  /** The main `.circom` (normally from writeCircuitSource / generateCircuit). */
  circuitFile: string;
  /** Constraint simplification level; default 'O2'. */
  optimization?: 'O0' | 'O1' | 'O2';
  /** Ignore a cached build. */
  force?: boolean;
}

export interface CircuitStats {
  /** Total R1CS constraints (after simplification). */
  constraints: number;
  /** Constraints with an empty A or B side. */
  linearConstraints: number;
  nonLinearConstraints: number;
  /** Wires including the constant-one wire. */
  wires: number;
  publicInputs: number;
  publicOutputs: number;
  privateInputs: number;
  labels: number;
}

export interface CompileCircuitResult extends CircuitStats {
  dir: string;
  r1csFile: string;
  wasmFile: string;
  symFile: string;
  /** Compile wall time in milliseconds (0 when cached). */
  compileMs: number;
  cached: boolean;
  /** What building this artefact took, ms: compileMs when built now, the time recorded with the build when cached (one-time cost accounting, issue 14). */
  builtMs: number;
  r1csBytes: number;
}

interface CompileMarker {
  key: string;
  stats: CircuitStats;
  compileMs: number;
}

/** The deepest folder that contains every path given. */
function commonRoot(paths: string[]): string {
  const split = paths.map((p) => path.resolve(p).split(path.sep));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => parts[i] !== undefined && parts[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join(path.sep) || path.sep;
}

export async function compileCircuit({ circuitFile, optimization = 'O2', force = false }: CompileCircuitParameters): Promise<CompileCircuitResult> {
  const dir = path.dirname(circuitFile);
  const base = path.basename(circuitFile, '.circom');
  const r1csFile = path.join(dir, `${base}.r1cs`);
  const wasmFile = path.join(dir, `${base}_js`, `${base}.wasm`);
  const symFile = path.join(dir, `${base}.sym`);
  const markerFile = path.join(dir, `${base}.compile.json`);
  const source = await readFile(circuitFile, 'utf8').catch((cause: unknown) => {
    throw new ToolError(`${circuitFile}: cannot read the circuit`, { cause, details: { file: circuitFile } });
  });
  const key = createHash('sha256').update(`${templatesHash()}\n${optimization}\n${source}`).digest('hex');

  return withFileLock({
    lockFile: path.join(dir, `${base}.compile.lock`),
    run: async (): Promise<CompileCircuitResult> => {
      if (!force && existsSync(markerFile) && existsSync(r1csFile) && existsSync(wasmFile)) {
        const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as CompileMarker;
        if (marker.key === key)
          return { dir, r1csFile, wasmFile, symFile, ...marker.stats, compileMs: 0, cached: true, builtMs: marker.compileMs, r1csBytes: (await stat(r1csFile)).size };
      }
      // Only the lock holder builds, so any build folder still here is a killed compile's.
      for (const entry of await readdir(dir)) if (entry.startsWith(`.${base}.build-`)) await rm(path.join(dir, entry), { recursive: true, force: true });
      const build = await mkdtemp(path.join(dir, `.${base}.build-`));
      try {
        return await compileInto({ circuitFile, optimization, dir, base, build, key });
      } finally {
        await rm(build, { recursive: true, force: true });
      }
    },
  });
}

async function compileInto({ circuitFile, optimization, dir, base, build, key }: {
  circuitFile: string; optimization: string; dir: string; base: string; build: string; key: string;
}): Promise<CompileCircuitResult> {
  const r1csFile = path.join(dir, `${base}.r1cs`);
  const wasmFile = path.join(dir, `${base}_js`, `${base}.wasm`);
  const symFile = path.join(dir, `${base}.sym`);
  const start = performance.now();
  try {
    await execFileAsync(
      process.execPath,
      // circom2's WASI sandbox resolves paths below its working directory only: run it from the
      // common root of the build folder, the templates and circomlib.
      [circomCliFile, circuitFile, '--r1cs', '--wasm', '--sym', `--${optimization}`, '-l', circuitsDir, '-l', circomlibCircuitsDir, '-o', build],
      { cwd: commonRoot([build, circuitsDir, circomlibCircuitsDir]), maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (cause) {
    const output = `${(cause as { stdout?: string }).stdout ?? ''}${(cause as { stderr?: string }).stderr ?? ''}`;
    throw new ToolError(`circom failed to compile ${circuitFile}`, {
      cause,
      details: { file: circuitFile, output: output.slice(-4000) },
      hint: `circom says: ${output.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-8).join(' | ')}`,
    });
  }
  const compileMs = performance.now() - start;
  // circom's witness_calculator.js is CommonJS; the repository is ESM.
  await writeFile(path.join(dir, 'package.json'), '{"type":"commonjs"}\n');
  await writeFile(path.join(build, `${base}_js`, 'package.json'), '{"type":"commonjs"}\n');

  const r1cs = await readR1cs({ file: path.join(build, `${base}.r1cs`), loadConstraints: true });
  const stats: CircuitStats = {
    constraints: r1cs.nConstraints,
    linearConstraints: r1cs.nLinearConstraints!,
    nonLinearConstraints: r1cs.nConstraints - r1cs.nLinearConstraints!,
    wires: r1cs.nWires,
    publicInputs: r1cs.nPublicInputs,
    publicOutputs: r1cs.nPublicOutputs,
    privateInputs: r1cs.nPrivateInputs,
    labels: r1cs.nLabels,
  };
  // Into place, the marker last: a reader that finds the marker finds whole files.
  await rm(path.join(dir, `${base}.compile.json`), { force: true });
  await rm(path.join(dir, `${base}_js`), { recursive: true, force: true });
  await rename(path.join(build, `${base}_js`), path.join(dir, `${base}_js`));
  await rename(path.join(build, `${base}.r1cs`), r1csFile);
  await rename(path.join(build, `${base}.sym`), symFile);
  await writeFile(path.join(build, 'compile.json'), `${JSON.stringify({ key, stats, compileMs } satisfies CompileMarker, null, 2)}\n`);
  await rename(path.join(build, 'compile.json'), path.join(dir, `${base}.compile.json`));
  return { dir, r1csFile, wasmFile, symFile, ...stats, compileMs, cached: false, builtMs: compileMs, r1csBytes: (await stat(r1csFile)).size };
}
