/**
 * Builds a model's R1CS directly (emitModelR1cs over a SymbolicCs) and writes it into the build
 * cache beside what circom would have made: `.cache/zk/direct-<hash>/main.r1cs` (snarkjs reads it
 * as it reads circom's), `main.wiremap` (internal wire → R1CS wire, Int32 little-endian: what the
 * per-inference witness needs to put its values in R1CS order), `layout.json` and a
 * `main.build.json` marker written last. The hash covers the model's integers, the settings and
 * the builder's own source (src/zk/r1cs/), so a change to any of them rebuilds. Under a lock
 * (withFileLock) like compileCircuit; files go to temporary names and are renamed into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { UnsupportedModelError } from '../../errors.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { generateCircuitSource, type CircuitLayout, type CircuitSettings } from '../generateCircuit.ts';
import { zkCacheDir } from '../paths.ts';
import { withFileLock } from '../withFileLock.ts';
import { SymbolicCs } from './constraintSystem.ts';
import { checkDirectSupport, emitModelR1cs } from './emitModelR1cs.ts';
import { writeR1csFile, type R1csFileStats } from './writeR1csFile.ts';

export interface BuildDirectCircuitParameters {
  model: QuantizedModel;
  settings: CircuitSettings;
  cacheDir?: string;
  force?: boolean;
}

export interface BuildDirectCircuitResult extends R1csFileStats {
  dir: string;
  r1csFile: string;
  wireMapFile: string;
  layout: CircuitLayout;
  /** Wall time of the symbolic build and the file, ms (0 when cached). */
  buildMs: number;
  /** The build's time when it was made (this run's, or the cached marker's), ms. */
  builtMs: number;
  cached: boolean;
  r1csBytes: number;
}

interface BuildMarker {
  key: string;
  stats: R1csFileStats;
  buildMs: number;
}

const builderDir = path.dirname(fileURLToPath(import.meta.url));
let builderDigest: string | undefined;

/** SHA-256 over src/zk/r1cs/**.ts: part of every direct build key. */
export function directBuilderHash(): string {
  if (builderDigest) return builderDigest;
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) hash.update(`${path.relative(builderDir, file)}\n`).update(readFileSync(file));
    }
  };
  visit(builderDir);
  builderDigest = hash.digest('hex');
  return builderDigest;
}

/** The build key: the model's integers (not its file path), the settings, the builder. */
export function directCircuitKey({ model, settings }: { model: QuantizedModel; settings: CircuitSettings }): string {
  const full = { inputs: 'public', rangeCheckInputs: false, ...settings };
  const hash = createHash('sha256').update(directBuilderHash()).update(JSON.stringify(full));
  hash.update(JSON.stringify({ s: model.scaleBits, v: model.valueBits, inputs: model.inputs, outputs: model.outputs, tensors: model.tensors, layers: model.layers }));
  for (const name of Object.keys(model.constants).sort()) {
    const constant = model.constants[name]!;
    hash.update(`${name}:${constant.dims.join('x')}:`).update(new Uint8Array(Int32Array.from(constant.data).buffer));
    if (constant.data.some((value) => value !== (value | 0))) hash.update(JSON.stringify(constant.data));
  }
  return hash.digest('hex');
}

export async function buildDirectCircuit({ model, settings, cacheDir = zkCacheDir(), force = false }: BuildDirectCircuitParameters): Promise<BuildDirectCircuitResult> {
  checkDirectSupport({ model, settings });
  const key = directCircuitKey({ model, settings });
  const dir = path.join(cacheDir, `direct-${key.slice(0, 24)}`);
  const r1csFile = path.join(dir, 'main.r1cs');
  const wireMapFile = path.join(dir, 'main.wiremap');
  const layoutFile = path.join(dir, 'layout.json');
  const markerFile = path.join(dir, 'main.build.json');
  await mkdir(dir, { recursive: true });
  return withFileLock({
    lockFile: path.join(dir, 'main.build.lock'),
    run: async () => {
      if (!force && existsSync(markerFile) && existsSync(r1csFile) && existsSync(wireMapFile) && existsSync(layoutFile)) {
        const marker = JSON.parse(await readFile(markerFile, 'utf8')) as BuildMarker;
        if (marker.key === key) {
          const layout = JSON.parse(await readFile(layoutFile, 'utf8')) as CircuitLayout;
          return { dir, r1csFile, wireMapFile, layout, ...marker.stats, buildMs: 0, builtMs: marker.buildMs, cached: true, r1csBytes: (await stat(r1csFile)).size };
        }
      }
      const start = performance.now();
      const cs = new SymbolicCs();
      const { layout } = emitModelR1cs({ cs, model, settings });
      // The circom generator's layout must be this one (a signal added to the generated main —
      // a commitment, an input mode — that the direct builder does not know would show here).
      const expected = generateCircuitSource({ model, settings }).layout;
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(expected)), JSON.parse(JSON.stringify(layout))))
        throw new UnsupportedModelError(`model '${model.name}': the direct R1CS builder's layout differs from the circom generator's (${JSON.stringify(settings)})`, {
          details: { expected: expected.publicSignalCount, direct: layout.publicSignalCount },
          hint: 'circom builds it (builder auto or circom); src/zk/r1cs/emitModelR1cs.ts has to learn what generateCircuitSource emits',
        });
      const wireMap = cs.wireMap();
      const { bytes, stats } = writeR1csFile({ cs, wireMap });
      const buildMs = performance.now() - start;
      const writeWhole = async (file: string, content: string | Uint8Array) => {
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, content);
        await rename(temporary, file);
      };
      await rm(markerFile, { force: true });
      await writeWhole(r1csFile, bytes);
      await writeWhole(wireMapFile, new Uint8Array(wireMap.buffer, wireMap.byteOffset, wireMap.byteLength));
      await writeWhole(layoutFile, `${JSON.stringify(layout, null, 2)}\n`);
      await writeWhole(markerFile, `${JSON.stringify({ key, stats, buildMs } satisfies BuildMarker, null, 2)}\n`);
      return { dir, r1csFile, wireMapFile, layout, ...stats, buildMs, builtMs: buildMs, cached: false, r1csBytes: bytes.length };
    },
  });
}
