/**
 * Owns the width-ladder models beyond the zoo's largest (mlp-w1024), for the gkr path's
 * model-size limit (issue 10: the sumcheck/GKR prover should go beyond what Circom compiles
 * here): `mlp-w<width>`, 784 → width → 10 with random He-uniform weights, built exactly like the
 * zoo's ladder (buildZooNetwork, the next seeds of the ladder) and written to ONNX once, in a
 * cache folder keyed by the width (never into models/). Outside the zoo, so loadBenchModel feeds
 * it a seeded uniform input.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildZooNetwork } from '../../zoo/buildZooNetwork.ts';
import { writeOnnx } from '../../zoo/writeOnnx.ts';
import { LADDER_WIDTHS, type ZooSpec } from '../../zoo/zooSpecs.ts';

export interface WriteWideMlpParameters {
  width: number;
  /** Folder for the .onnx (default .cache/models-beyond-zoo). */
  cacheDir?: string;
}

export interface WriteWideMlpResult {
  name: string;
  file: string;
}

export const BEYOND_ZOO_CACHE = '.cache/models-beyond-zoo';

export function writeWideMlp({ width, cacheDir = BEYOND_ZOO_CACHE }: WriteWideMlpParameters): WriteWideMlpResult {
  const name = `mlp-w${width}`;
  const dir = resolve(cacheDir);
  const file = join(dir, `${name}.onnx`);
  if (existsSync(file)) return { name, file };
  // The zoo's ladder seeds are 100 + index; continue them (2048 → 108, 4096 → 109, …).
  const index = LADDER_WIDTHS.length + Math.log2(width / LADDER_WIDTHS[LADDER_WIDTHS.length - 1]!) - 1;
  const spec: ZooSpec = {
    name,
    description: `Width-ladder MLP 784→${width}→10 with random weights, beyond the zoo (src/bench/table2/writeWideMlp.ts)`,
    architecture: `Gemm 784→${width}, Relu, Gemm ${width}→10`,
    inputData: 'mnist-28',
    inputDims: [784],
    layers: [{ kind: 'dense', name: 'fc1', outputs: width }, { kind: 'relu' }, { kind: 'dense', name: 'fc2', outputs: 10 }],
    weights: 'random',
    seed: 100 + Math.round(index),
  };
  const { network } = buildZooNetwork({ spec });
  const { bytes } = writeOnnx({ network, name, description: spec.description });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, bytes);
  return { name, file };
}
