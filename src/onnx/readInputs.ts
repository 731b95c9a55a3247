/**
 * Reads model inputs (floats) from files: JSON (`{"input": [...]}`, ezkl's
 * `{"input_data": [[...]]}`, named `{"<name>": [...]}` or `{"<name>": {"dims", "data"}}`, nested or
 * flat arrays), ONNX TensorProto `.pb` files, or a directory of `input_<i>.pb` (the ONNX test-data
 * layout). Several files fill the graph inputs in order.
 *
 * Strict, because a value read wrongly is an inference on data nobody sent: every element must be
 * a JSON number and finite (no strings — `Number("")` is 0, `Number("0x10")` is 16 — no null, no
 * NaN, no 1e999); nested arrays must be rectangular and have the declared shape (or differ from it
 * only in leading 1s), flat arrays the declared element count; keys other than the model's input
 * names and the known layout keys are refused, and so is an input given twice or a tensor more than
 * the model has inputs. Each error names the file, the key/index path and the value.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { InputFileError, ShapeError, UsageError } from '../errors.ts';
import { checkTensorDims } from './checkTensorDims.ts';
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

/** Keys a JSON input file may hold besides the model's input names. */
export const INPUT_LAYOUT_KEYS = ['input', 'inputs', 'data', 'input_data', 'input_shapes', 'output_data'] as const;

interface Loaded {
  /** The graph input it names, if it names one. */
  name?: string;
  /** Dims as written in the file, if any (a TensorProto, `{dims, data}`, ezkl's input_shapes). */
  dims?: number[];
  /** The shape of the nested JSON array (undefined for a TensorProto). */
  shape?: number[];
  values: number[];
  source: string;
}

/** Python's json.dump writes bare NaN/Infinity; they are read as this marker so the element can be named. */
const BARE = 'opzk-bare-literal:';

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    try {
      return JSON.parse(text.replace(/(-?)\b(NaN|Infinity)\b/g, `"${BARE}$1$2"`));
    } catch {
      throw new InputFileError(`${file}: not valid JSON`, { cause: error, details: { file } });
    }
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(BARE)) return value.slice(BARE.length);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * A nested JSON array as its shape and its row-major values, refusing anything that is not a
 * finite number and any ragged level; `path` (e.g. `x.data[0][2]`) names the element at fault.
 */
function readArray(file: string, value: unknown, path: string): { shape: number[]; values: number[] } {
  const fail = (message: string, hint?: string): never => {
    throw new InputFileError(`${file}: ${message}`, { hint, details: { file, path, value: describeValue(value) } });
  };
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return { shape: [], values: [value] };
    return fail(`${path} is ${value} (a number too large for float64, e.g. 1e999), not a finite number`, 'inputs must be finite numbers');
  }
  if (typeof value === 'string' && value.startsWith(BARE))
    return fail(`${path} is ${describeValue(value)}, not a finite number`, 'inputs must be finite numbers (no NaN or Infinity)');
  if (!Array.isArray(value))
    return fail(`${path} is ${describeValue(value)}, not a number`, 'write every element as a JSON number (no strings, null or objects)');
  if (value.length === 0) return { shape: [0], values: [] };
  const children = value.map((child, i) => readArray(file, child, `${path}[${i}]`));
  const first = children[0]!;
  for (let i = 1; i < children.length; i++) {
    const child = children[i]!;
    if (child.shape.length === first.shape.length && child.shape.every((d, k) => d === first.shape[k])) continue;
    const at = `${path}[${i}]`;
    if (first.shape.length === 0) throw new InputFileError(`${file}: ${at} is ${describeValue(value[i])}, expected a number like ${path}[0]`, { details: { file, path: at } });
    if (child.shape.length === 0) throw new InputFileError(`${file}: ${at} is ${describeValue(value[i])}, expected an array like ${path}[0]`, { details: { file, path: at } });
    throw new InputFileError(`${file}: ${at} has shape [${child.shape}], ${path}[0] has [${first.shape}] (a ragged array)`, {
      hint: 'every row of a nested array must have the same length',
      details: { file, path: at },
    });
  }
  return { shape: [children.length, ...first.shape], values: children.flatMap((c) => c.values) };
}

function readDims(file: string, value: unknown, path: string): number[] {
  if (!Array.isArray(value)) throw new InputFileError(`${file}: ${path} is ${describeValue(value)}, expected an array of dims`, { details: { file, path } });
  value.forEach((d, i) => {
    if (typeof d !== 'number') throw new InputFileError(`${file}: ${path}[${i}] is ${describeValue(d)}, not a number`, { details: { file, path: `${path}[${i}]` } });
  });
  return checkTensorDims({ dims: value, where: `${file}: ${path}`, details: { file, path } });
}

function loadJson(file: string, graphNames: Set<string>): Loaded[] {
  const parsed = parseJson(file, readFileSync(file, 'utf8'));
  if (Array.isArray(parsed)) return [{ ...readArray(file, parsed, ''), source: file }];
  if (!parsed || typeof parsed !== 'object') throw new InputFileError(`${file}: expected a JSON object or array of numbers, got ${describeValue(parsed)}`, { details: { file } });
  const object = parsed as Record<string, unknown>;
  const loaded: Loaded[] = [];
  const asTensor = (key: string, value: unknown, name?: string): Loaded => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const t = value as Record<string, unknown>;
      const extra = Object.keys(t).filter((k) => k !== 'dims' && k !== 'shape' && k !== 'data');
      if (!('data' in t) || extra.length > 0)
        throw new InputFileError(`${file}: ${key} has ${extra.length > 0 ? `unknown key '${extra[0]}'` : 'no data'}, expected {"dims": [...], "data": [...]} or an array`, {
          details: { file, path: key },
        });
      const dimsKey = 'dims' in t ? 'dims' : 'shape' in t ? 'shape' : undefined;
      const dims = dimsKey ? readDims(file, t[dimsKey], `${key}.${dimsKey}`) : undefined;
      return { name, dims, ...readArray(file, t.data, `${key}.data`), source: `${file} (${key})` };
    }
    return { name, ...readArray(file, value, key), source: `${file} (${key})` };
  };
  const shapes = 'input_shapes' in object ? object.input_shapes : undefined;
  if (shapes !== undefined && !Array.isArray(shapes))
    throw new InputFileError(`${file}: input_shapes is ${describeValue(shapes)}, expected one array of dims per input`, { details: { file, path: 'input_shapes' } });
  for (const [key, value] of Object.entries(object)) {
    if (graphNames.has(key)) loaded.push(asTensor(key, value, key));
    else if (key === 'input_data') {
      // ezkl: one entry per graph input, their dims (optionally) in input_shapes.
      if (!Array.isArray(value)) throw new InputFileError(`${file}: input_data is ${describeValue(value)}, expected one array per input`, { details: { file, path: key } });
      value.forEach((tensor, i) =>
        loaded.push({
          dims: shapes?.[i] === undefined ? undefined : readDims(file, shapes[i], `input_shapes[${i}]`),
          ...readArray(file, tensor, `input_data[${i}]`),
          source: `${file} (input_data[${i}])`,
        }),
      );
    } else if (key === 'input' || key === 'inputs' || key === 'data') loaded.push(asTensor(key, value));
    else if (key === 'input_shapes' || key === 'output_data') continue; // ezkl: read with input_data / expected outputs, not an input
    else
      throw new InputFileError(
        `${file}: unknown key '${key}' (the model's inputs are ${[...graphNames].map((n) => `'${n}'`).join(', ')}; other keys: ${INPUT_LAYOUT_KEYS.join(', ')})`,
        { hint: 'a misspelled input name would otherwise be ignored: rename or remove the key', details: { file, key } },
      );
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

/** Why `item` does not fit `input`'s declared dims, or undefined when it does. */
function misfit(item: Loaded, input: { name: string; dims: number[] }): string | undefined {
  const expected = sizeOf(input.dims);
  if (item.dims) {
    if (!sameDims(item.dims, input.dims)) return `input '${input.name}' has dims [${item.dims}], the model expects [${input.dims}]`;
    if (item.values.length !== expected) return `input '${input.name}' has ${item.values.length} elements, its dims [${item.dims}] need ${expected}`;
  }
  if (item.shape && item.shape.length > 1 && !sameDims(item.shape, input.dims))
    return `input '${input.name}' has shape [${item.shape}], the model expects [${input.dims}]`;
  if (item.values.length !== expected)
    return `input '${input.name}' has ${item.values.length} elements, the model expects dims [${input.dims}] (${expected} elements)`;
  return undefined;
}

export function readInputs({ files, graphInputs }: ReadInputsParameters): ReadInputsResult {
  const graphNames = new Set(graphInputs.map((i) => i.name));
  const loaded = files.flatMap((file) => loadFile(file, graphNames));
  const inputNames = graphInputs.map((i) => `'${i.name}'`).join(', ');
  // Named tensors first, then the unnamed ones fill the remaining inputs in graph order.
  const assigned = new Map<string, Loaded>();
  for (const item of loaded.filter((l) => l.name)) {
    const earlier = assigned.get(item.name!);
    if (earlier)
      throw new UsageError(`${item.source}: input '${item.name}' is given twice (also in ${earlier.source})`, {
        hint: 'give each model input once',
        details: { file: item.source, input: item.name },
      });
    assigned.set(item.name!, item);
  }
  const pending = graphInputs.filter((i) => !assigned.has(i.name));
  for (const item of loaded.filter((l) => !l.name)) {
    const input = pending.shift();
    if (!input)
      throw new UsageError(`${item.source}: one input tensor more than the model has inputs (${inputNames})`, {
        hint: `pass one tensor per model input (${graphInputs.length}); remove the surplus --input or key`,
        details: { file: item.source },
      });
    assigned.set(input.name, item);
  }
  const result: ReadInputsResult = {};
  for (const input of graphInputs) {
    const item = assigned.get(input.name);
    if (!item) continue;
    const problem = misfit(item, input);
    if (problem)
      throw new ShapeError(`${item.source}: ${problem}`, {
        details: { file: item.source, input: input.name, expectedDims: input.dims, got: item.values.length, dims: item.dims, shape: item.shape },
        hint: 'check the input file against the model',
      });
    // JSON values are checked while reading; a TensorProto may still hold NaN or Infinity.
    const bad = item.values.findIndex((v) => !Number.isFinite(v));
    if (bad !== -1)
      throw new InputFileError(`${item.source}: input '${input.name}' element ${bad} is ${item.values[bad]}, not a finite number`, {
        hint: 'inputs must be finite numbers (no NaN or Infinity)',
        details: { file: item.source, input: input.name, index: bad, value: String(item.values[bad]) },
      });
    result[input.name] = { dims: [...input.dims], data: item.values };
  }
  const missing = graphInputs.filter((i) => !result[i.name]);
  if (missing.length > 0)
    throw new UsageError(`no value for input ${missing.map((i) => `'${i.name}' [${i.dims}]`).join(', ')} in ${files.join(', ') || '(no files)'}`, {
      hint: 'pass one --input per model input, in graph order',
      details: { missing: missing.map((i) => i.name) },
    });
  return result;
}
