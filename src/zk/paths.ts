/**
 * Where the zk backend finds its Circom templates and circomlib, and where it caches build
 * artefacts (generated mains, r1cs, wasm, zkeys): `.cache/zk/` under the repository root,
 * overridable with OPZK_CACHE_DIR. Nothing is ever written into `circuits/`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The repository root (two levels above src/zk/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The project's templates, one per ONNX operator. */
export const circuitsDir = path.join(repoRoot, 'circuits');
/** circomlib's circuits (Num2Bits, Sign, Poseidon). */
export const circomlibCircuitsDir = path.join(path.dirname(require.resolve('circomlib/package.json')), 'circuits');
/** circom 2 compiled to WebAssembly (the circom2 npm package). */
export const circomCliFile = path.join(path.dirname(require.resolve('circom2/package.json')), 'cli.js');

/** The root of the zk build cache. */
export function zkCacheDir(): string {
  return process.env.OPZK_CACHE_DIR ? path.join(process.env.OPZK_CACHE_DIR, 'zk') : path.join(repoRoot, '.cache', 'zk');
}
