/**
 * Writes a generated main `.circom` into the build cache, `.cache/zk/<content-hash>/main.circom`,
 * where the hash covers the source, every template in circuits/ and the circom2 version, so a
 * change to any of them gives a fresh folder and an unchanged circuit reuses its build. Files are
 * written to a temporary name and renamed, so another process compiling the same circuit at once
 * never reads a truncated source.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { circuitsDir, zkCacheDir } from './paths.ts';

const require = createRequire(import.meta.url);

export interface WriteCircuitSourceParameters {
  /** The main circuit's Circom source (with `component main`). */
  source: string;
  /** Extra files to write beside it (e.g. layout.json), by name. */
  extraFiles?: Record<string, string>;
  cacheDir?: string;
}

export interface WriteCircuitSourceResult {
  circuitFile: string;
  dir: string;
  /** SHA-256 (hex) of source + templates + compiler version. */
  hash: string;
}

let templatesDigest: string | undefined;

/** SHA-256 over circuits/*.circom and the circom2 version: part of every build key. */
export function templatesHash(): string {
  if (templatesDigest) return templatesDigest;
  const hash = createHash('sha256');
  hash.update(`circom2@${(require('circom2/package.json') as { version: string }).version}\n`);
  for (const name of readdirSync(circuitsDir).filter((file) => file.endsWith('.circom')).sort())
    hash.update(`${name}\n`).update(readFileSync(path.join(circuitsDir, name)));
  templatesDigest = hash.digest('hex');
  return templatesDigest;
}

export async function writeCircuitSource({ source, extraFiles = {}, cacheDir = zkCacheDir() }: WriteCircuitSourceParameters): Promise<WriteCircuitSourceResult> {
  const hash = createHash('sha256').update(templatesHash()).update('\n').update(source).digest('hex');
  const dir = path.join(cacheDir, hash.slice(0, 24));
  const circuitFile = path.join(dir, 'main.circom');
  await mkdir(dir, { recursive: true });
  const writeWhole = async (file: string, content: string) => {
    const temporary = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
  };
  if (!existsSync(circuitFile) || readFileSync(circuitFile, 'utf8') !== source) await writeWhole(circuitFile, source);
  for (const [name, content] of Object.entries(extraFiles))
    if (!existsSync(path.join(dir, name)) || readFileSync(path.join(dir, name), 'utf8') !== content) await writeWhole(path.join(dir, name), content);
  return { circuitFile, dir, hash };
}
