/**
 * Turns what a user typed (`mnist-cnn`, `./my.onnx`) into a model file: a zoo name resolves to
 * its file under `<repo>/models/` (from models/zoo.json, so it works from any cwd) with its zoo
 * metadata; anything that looks like a path (has a slash or ends in .onnx) passes through; an
 * unknown name is a UsageError listing the zoo.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { readZoo, REPO_ROOT } from './readZoo.ts';
import type { ZooEntry } from './types.ts';

export interface ResolveModelParameters {
  /** A zoo name or a path to an ONNX file. */
  nameOrPath: string;
  /** Default: `<repo>/models/zoo.json`. */
  zooFile?: string;
}

export interface ResolveModelResult {
  /** The zoo name, or the file's stem for a path. */
  name: string;
  /** Absolute path for a zoo model; the path as given otherwise. */
  file: string;
  /** Zoo models only. */
  metadata?: ZooEntry;
}

/** `resolveModel('mnist-cnn')` or `resolveModel({ nameOrPath: 'mnist-cnn' })`. */
export function resolveModel(parameters: string | ResolveModelParameters): ResolveModelResult {
  const { nameOrPath, zooFile } = typeof parameters === 'string' ? { nameOrPath: parameters, zooFile: undefined } : parameters;
  if (typeof nameOrPath !== 'string' || nameOrPath === '')
    throw new UsageError('no model given', { hint: "give a zoo name (see 'opzk models') or a path to an .onnx file" });
  const looksLikePath = /[\\/]/.test(nameOrPath) || extname(nameOrPath).toLowerCase() === '.onnx';
  if (looksLikePath) return { name: basename(nameOrPath, extname(nameOrPath)), file: nameOrPath };
  const zoo = readZoo({ file: zooFile });
  const metadata = zoo.models.find((model) => model.name === nameOrPath);
  if (metadata) return { name: metadata.name, file: join(REPO_ROOT, metadata.file), metadata };
  // A bare file name in the cwd (no slash, no .onnx extension) still works if it exists.
  if (existsSync(nameOrPath)) return { name: basename(nameOrPath, extname(nameOrPath)), file: nameOrPath };
  throw new UsageError(`unknown model '${nameOrPath}': not a zoo name and not a file`, {
    hint: `use a path to an .onnx file or one of the zoo models: ${zoo.models.map((model) => model.name).join(', ')}`,
    details: { model: nameOrPath, cwd: resolve('.'), zoo: zoo.models.map((model) => model.name) },
  });
}
