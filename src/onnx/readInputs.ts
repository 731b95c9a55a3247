/**
 * Reads model inputs (floats) from files: JSON (`{"input": [...]}`, ezkl's
 * `{"input_data": [[...]]}`, named `{"<name>": {"dims", "data"}}`, nested or flat arrays), ONNX
 * TensorProto `.pb` files, or a directory of `input_<i>.pb` (the ONNX test-data layout). Several
 * files fill the graph inputs in order. Checks element counts against the graph's dims and
 * refuses NaN/±Infinity, naming the file, the input and the element.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { InputFileError, ShapeError, UsageError } from '../errors.ts';
import { decodeTensor } from './decodeTensor.ts';
import { sizeOf } from './types.ts';

export interface InputTensor {
  dims: number[];
  data: number[];
}

export interface ReadInputsParameters {
  files: string[];
  /** The model's (non-initializer) inputs, in graph order. */
  graphInputs: { name: string; dims: number[] }[];
}

export type ReadInputsResult = Record<string, InputTensor>;

interface Loaded {
  /** The graph input it names, if it names one. */
  name?: string;
  /** Dims as written in the file, if any (a TensorProto or a `{dims, data}` object). */
  dims?: number[];
  values: unknown[];
  source: string;
}

function flattenNested(value: unknown, out: unknown[]): unknown[] {
  if (Array.isArray(value)) for (const v of value) flattenNested(v, out);
  else out.push(value);
  return out;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Python's json.dump writes bare NaN/Infinity: read them so that the element can be named.
    try {
      return JSON.parse(text.replace(/(-?)\b(NaN|Infinity)\b/g, '"$1$2"'));
    } catch {
      throw new InputFileError(`${file}: not valid JSON`, { cause: error, details: { file } });
    }
  }
}

function loadJson(file: string, graphNames: Set<string>): Loaded[] {
  const parsed = parseJson(file, readFileSync(file, 'utf8'));
  if (Array.isArray(parsed)) return [{ values: flattenNested(parsed, []), source: file }];
  if (!parsed || typeof parsed !== 'object') throw new InputFileError(`${file}: expected a JSON object or array of numbers`, { details: { file } });
  const entries = Object.entries(parsed as Record<string, unknown>);
  const loaded: Loaded[] = [];
  const asTensor = (key: string, value: unknown, name?: string): Loaded => {
    if (value && typeof value === 'object' && !Array.isArray(value) && 'data' in value) {
      const t = value as { dims?: unknown; shape?: unknown; data: unknown };
      const dims = Array.isArray(t.dims) ? (t.dims as number[]) : Array.isArray(t.shape) ? (t.shape as number[]) : undefined;
      return { name, dims, values: flattenNested(t.data, []), source: `${file} (${key})` };
    }
    return { name, values: flattenNested(value, []), source: `${file} (${key})` };
  };
  for (const [key, value] of entries) {
    if (graphNames.has(key)) loaded.push(asTensor(key, value, key));
    else if (key === 'input_data' && Array.isArray(value)) {
      // ezkl: one entry per graph input.
      value.forEach((tensor, i) => loaded.push({ values: flattenNested(tensor, []), source: `${file} (input_data[${i}])` }));
    } else if (key === 'input' || key === 'inputs' || key === 'data') loaded.push(asTensor(key, value));
    else if (value && typeof value === 'object' && !Array.isArray(value) && 'data' in value) loaded.push(asTensor(key, value));
  }
  if (loaded.length === 0)
    throw new InputFileError(`${file}: no input tensor found`, {
      hint: `write {"input": [...]}, {"input_data": [[...]]} or {"<input name>": {"dims": [...], "data": [...]}}; the model's inputs are ${[...graphNames].join(', ')}`,
      details: { file },
    });
  return loaded;
}

function loadPb(file: string, graphNames: Set<string>): Loaded {
  let proto: onnxProto.onnx.TensorProto;
  try {
    proto = onnxProto.onnx.TensorProto.decode(readFileSync(file));
  } catch (error) {
    throw new InputFileError(`${file}: not a valid ONNX TensorProto`, { cause: error, details: { file } });
  }
  const tensor = decodeTensor({ tensor: proto, file });
  return { name: graphNames.has(proto.name) ? proto.name : undefined, dims: tensor.dims, values: Array.from(tensor.data), source: file };
}

function loadFile(file: string, graphNames: Set<string>): Loaded[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch (error) {
    throw new InputFileError(`${file}: cannot read the input file`, { cause: error, details: { file }, hint: 'check the path' });
  }
  if (isDirectory) {
    const entries = readdirSync(file)
      .map((entry) => ({ entry, index: /^input_(\d+)\.pb$/.exec(entry)?.[1] }))
      .filter((e) => e.index !== undefined)
      .sort((a, b) => Number(a.index) - Number(b.index));
    if (entries.length === 0)
      throw new InputFileError(`${file}: directory holds no input_<i>.pb files`, { details: { file }, hint: 'use the ONNX test-data layout (input_0.pb, input_1.pb, …)' });
    return entries.map((e) => loadPb(join(file, e.entry), graphNames));
  }
  if (file.toLowerCase().endsWith('.json')) return loadJson(file, graphNames);
  if (file.toLowerCase().endsWith('.pb')) return [loadPb(file, graphNames)];
  throw new InputFileError(`${file}: unknown input format (expected .json, .pb or a directory of input_<i>.pb)`, { details: { file } });
}

function sameDims(a: number[], b: number[]): boolean {
  const strip = (d: number[]) => d.slice(d.findIndex((x) => x !== 1) === -1 ? d.length : d.findIndex((x) => x !== 1));
  return strip(a).join(',') === strip(b).join(',');
}

export function readInputs({ files, graphInputs }: ReadInputsParameters): ReadInputsResult {
  const graphNames = new Set(graphInputs.map((i) => i.name));
  const loaded = files.flatMap((file) => loadFile(file, graphNames));
  const result: ReadInputsResult = {};
  const pending = graphInputs.filter((i) => !loaded.some((l) => l.name === i.name));
  for (const item of loaded) {
    const input = item.name ? graphInputs.find((i) => i.name === item.name)! : pending.shift();
    if (!input)
      throw new UsageError(`${item.source}: more input tensors than the model has inputs (${graphInputs.map((i) => `'${i.name}'`).join(', ')})`, {
        details: { file: item.source },
      });
    const expected = sizeOf(input.dims);
    if (item.values.length !== expected || (item.dims && !sameDims(item.dims, input.dims)))
      throw new ShapeError(
        `${item.source}: input '${input.name}' has ${item.values.length} elements${item.dims ? ` (dims [${item.dims}])` : ''}, the model expects dims [${input.dims}] (${expected} elements)`,
        { details: { file: item.source, input: input.name, expectedDims: input.dims, got: item.values.length }, hint: 'check the input file against the model' },
      );
    const data = new Array<number>(expected);
    for (let i = 0; i < expected; i++) {
      const v = item.values[i];
      const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(x))
        throw new InputFileError(`${item.source}: input '${input.name}' element ${i} is ${JSON.stringify(v) ?? String(v)}, not a finite number`, {
          hint: 'inputs must be finite numbers (no NaN, Infinity or null)',
          details: { file: item.source, input: input.name, index: i, value: String(v) },
        });
      data[i] = x;
    }
    result[input.name] = { dims: [...input.dims], data };
  }
  const missing = graphInputs.filter((i) => !result[i.name]);
  if (missing.length > 0)
    throw new UsageError(`no value for input ${missing.map((i) => `'${i.name}' [${i.dims}]`).join(', ')} in ${files.join(', ') || '(no files)'}`, {
      hint: 'pass one --input per model input, in graph order',
      details: { missing: missing.map((i) => i.name) },
    });
  return result;
}
