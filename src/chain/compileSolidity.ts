/**
 * Owns Solidity compilation: solc-js (the npm `solc` package, offline, no compiler download) in
 * standard-JSON mode. Imports are resolved before compiling — relative to the importing file, then
 * from contracts/, contracts/src/, node_modules/ and the repository root — so the complete input
 * (every source text + settings + compiler version) is known up front and hashed: the output is
 * cached in `.cache/solc/<sha256>.json` and reused when nothing changed.
 *
 * Source unit names follow Foundry's: files under contracts/ are named relative to it
 * (`src/zk/InferenceRegistry.sol`), so forge and this module compile the same units.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';
import { InputFileError, ToolError } from '../errors.ts';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONTRACTS_ROOT = join(REPOSITORY_ROOT, 'contracts');
export const DEFAULT_EVM_VERSION = 'prague';
export const DEFAULT_OPTIMIZER = { enabled: true, runs: 200 } as const;

export interface CompileSolidityParameters {
  /** .sol files to compile (absolute or relative to the repository root). */
  files?: string[];
  /** In-memory sources, unit name → Solidity text (e.g. a generated verifier). */
  sources?: Record<string, string>;
  /** Optimizer settings (default enabled, 200 runs — foundry.toml uses the same). */
  optimizer?: { enabled: boolean; runs: number };
  /** EVM version (default 'prague', the hardfork startAnvil pins). */
  evmVersion?: string;
  /** Compile through the IR pipeline (default false). */
  viaIR?: boolean;
  /** Cache folder (default <repo>/.cache/solc); `false` disables the cache. */
  cacheDir?: string | false;
}

export interface CompiledContract {
  /** Contract name (`InferenceRegistry`). */
  name: string;
  /** Source unit that defines it (`src/zk/InferenceRegistry.sol`). */
  sourceName: string;
  abi: Abi;
  /** Creation code (constructor + runtime), 0x-hex. */
  bytecode: Hex;
  /** Runtime code as deployed, 0x-hex. */
  deployedBytecode: Hex;
}

export interface CompileSolidityResult {
  /** Contracts by name; a name defined in two units is also stored as `unit:Name` (and only there). */
  contracts: Record<string, CompiledContract>;
  /** solc's long version string. */
  solcVersion: string;
  /** The settings passed to solc (optimizer, evmVersion, viaIR; metadata hash always off), for result files. */
  settings: { optimizer: { enabled: boolean; runs: number }; evmVersion: string; viaIR: boolean };
  /** The sha256 of the standard-JSON input and compiler version: the cache key. */
  inputHash: string;
  /** Whether the output came from the cache. */
  cacheHit: boolean;
  /** solc warnings, formatted. */
  warnings: string[];
}

interface Solc {
  version(): string;
  compile(input: string, options?: { import?: (path: string) => { contents: string } | { error: string } }): string;
}

const require = createRequire(import.meta.url);
let solcInstance: Solc | undefined;
function loadSolc(): Solc {
  solcInstance ??= require('solc') as Solc;
  return solcInstance;
}

/** Foundry-style unit name for a file on disk. */
export function sourceUnitName(file: string): string {
  const absolute = isAbsolute(file) ? file : resolve(REPOSITORY_ROOT, file);
  const fromContracts = relative(CONTRACTS_ROOT, absolute);
  if (!fromContracts.startsWith('..') && !isAbsolute(fromContracts)) return fromContracts.split('\\').join('/');
  const fromRoot = relative(REPOSITORY_ROOT, absolute);
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) return fromRoot.split('\\').join('/');
  return absolute;
}

/** Where a unit name may live on disk, most specific first. */
function candidatePaths(unitName: string): string[] {
  if (isAbsolute(unitName)) return [unitName];
  return [
    join(CONTRACTS_ROOT, unitName),
    join(CONTRACTS_ROOT, 'src', unitName),
    join(REPOSITORY_ROOT, 'node_modules', unitName),
    join(REPOSITORY_ROOT, unitName),
  ];
}

const IMPORT_PATTERN = /\bimport\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/g;

/** Strips comments so commented-out imports are not followed. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function resolveImportName(importer: string, path: string): string {
  if (path.startsWith('./') || path.startsWith('../')) return posix.normalize(posix.join(posix.dirname(importer), path));
  return path;
}

/** Collects every source reachable by imports, unit name → text. */
function collectSources(roots: Record<string, string>): Record<string, string> {
  const collected: Record<string, string> = { ...roots };
  const pending = Object.keys(roots);
  while (pending.length > 0) {
    const unit = pending.pop()!;
    for (const match of stripComments(collected[unit]).matchAll(IMPORT_PATTERN)) {
      const imported = resolveImportName(unit, match[1]);
      if (imported in collected) continue;
      const found = candidatePaths(imported).find((candidate) => existsSync(candidate));
      if (!found)
        throw new InputFileError(`${unit}: import "${match[1]}" not found`, {
          hint: `looked in ${candidatePaths(imported).map((p) => relative(REPOSITORY_ROOT, p)).join(', ')}`,
          details: { file: unit, import: match[1] },
        });
      collected[imported] = readFileSync(found, 'utf8');
      pending.push(imported);
    }
  }
  return collected;
}

export function compileSolidity(parameters: CompileSolidityParameters): CompileSolidityResult {
  const {
    files = [],
    optimizer = DEFAULT_OPTIMIZER,
    evmVersion = DEFAULT_EVM_VERSION,
    viaIR = false,
    cacheDir = join(REPOSITORY_ROOT, '.cache', 'solc'),
  } = parameters;
  const roots: Record<string, string> = { ...(parameters.sources ?? {}) };
  for (const file of files) {
    const absolute = isAbsolute(file) ? file : resolve(REPOSITORY_ROOT, file);
    try {
      roots[sourceUnitName(absolute)] = readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new InputFileError(`${file}: cannot read the Solidity source`, { hint: 'check the path', cause: error });
    }
  }
  if (Object.keys(roots).length === 0)
    throw new InputFileError('compileSolidity: no sources given', { hint: 'pass files or sources' });

  const allSources = collectSources(roots);
  const settings = { optimizer: { enabled: optimizer.enabled, runs: optimizer.runs }, evmVersion, viaIR };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.keys(allSources).sort().map((unit) => [unit, { content: allSources[unit] }])),
    settings: {
      ...settings,
      // No metadata hash appended (foundry.toml: bytecode_hash = "none", cbor_metadata = false): deploy
      // gas then depends on the code only, not on comments or paths, and equals forge's figure.
      metadata: { appendCBOR: false, bytecodeHash: 'none' },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const inputJson = JSON.stringify(input);
  const solc = loadSolc();
  const solcVersion = solc.version();
  const inputHash = createHash('sha256').update(solcVersion).update('\0').update(inputJson).digest('hex');
  const cacheFile = cacheDir === false ? undefined : join(cacheDir, `${inputHash}.json`);

  let output: SolcOutput | undefined;
  let cacheHit = false;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      output = JSON.parse(readFileSync(cacheFile, 'utf8')) as SolcOutput;
      cacheHit = true;
    } catch { /* a broken cache entry is recompiled */ }
  }
  if (!output) {
    output = JSON.parse(solc.compile(inputJson)) as SolcOutput;
    const errors = (output.errors ?? []).filter((entry) => entry.severity === 'error');
    if (errors.length > 0)
      throw new ToolError(`solc ${solcVersion}: ${errors.length} error(s) compiling ${Object.keys(roots).join(', ')}`, {
        hint: errors.map((entry) => entry.formattedMessage ?? entry.message).join('\n').slice(0, 4000),
        details: { errors, sources: Object.keys(allSources) },
      });
    if (cacheFile) {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(output));
      renameSync(temporary, cacheFile);
    }
  }

  const contracts: Record<string, CompiledContract> = {};
  const seen = new Map<string, number>();
  for (const byName of Object.values(output.contracts ?? {}))
    for (const name of Object.keys(byName)) seen.set(name, (seen.get(name) ?? 0) + 1);
  for (const [sourceName, byName] of Object.entries(output.contracts ?? {})) {
    for (const [name, entry] of Object.entries(byName)) {
      const compiled: CompiledContract = {
        name,
        sourceName,
        abi: entry.abi as Abi,
        bytecode: `0x${entry.evm.bytecode.object}`,
        deployedBytecode: `0x${entry.evm.deployedBytecode.object}`,
      };
      contracts[`${sourceName}:${name}`] = compiled;
      if (seen.get(name) === 1) contracts[name] = compiled;
    }
  }
  const warnings = (output.errors ?? []).filter((entry) => entry.severity !== 'error').map((entry) => entry.formattedMessage ?? entry.message);
  return { contracts, solcVersion, settings, inputHash, cacheHit, warnings };
}

interface SolcOutput {
  errors?: { severity: string; message: string; formattedMessage?: string }[];
  contracts?: Record<string, Record<string, { abi: unknown; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

/** Picks one contract from a compile result, with a helpful error when it is missing. */
export function getCompiledContract(result: CompileSolidityResult, name: string): CompiledContract {
  const contract = result.contracts[name];
  if (!contract)
    throw new InputFileError(`compiled output has no contract '${name}'`, {
      hint: `available: ${Object.keys(result.contracts).join(', ')}`,
    });
  return contract;
}
