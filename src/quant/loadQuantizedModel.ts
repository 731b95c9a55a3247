/**
 * Reads a QuantizedModel artifact (JSON) and checks it: the format tag, the fields every
 * backend relies on, safe-integer constants, and the hash (a stale or edited artifact is refused).
 */
import { readFileSync } from 'node:fs';
import { InputFileError } from '../errors.ts';
import { hashQuantizedModel } from './hashQuantizedModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QuantizedModel } from './types.ts';

export interface LoadQuantizedModelParameters {
  file: string;
}

export type LoadQuantizedModelResult = QuantizedModel;

export function loadQuantizedModel({ file }: LoadQuantizedModelParameters): LoadQuantizedModelResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputFileError(`${file}: cannot read the quantized model (missing file or invalid JSON)`, { cause: error, details: { file } });
  }
  const model = parsed as QuantizedModel;
  if (!model || typeof model !== 'object' || model.format !== QUANTIZED_MODEL_FORMAT)
    throw new InputFileError(`${file}: not a quantized model (format '${(model as { format?: unknown })?.format}', expected '${QUANTIZED_MODEL_FORMAT}')`, {
      hint: 'quantize the ONNX model again (quantizeModel / opzk infer --backend engine)',
      details: { file },
    });
  for (const field of ['inputs', 'outputs', 'layers'] as const)
    if (!Array.isArray(model[field])) throw new InputFileError(`${file}: quantized model has no '${field}' array`, { details: { file } });
  for (const field of ['tensors', 'constants'] as const)
    if (!model[field] || typeof model[field] !== 'object') throw new InputFileError(`${file}: quantized model has no '${field}' object`, { details: { file } });
  for (const [name, constant] of Object.entries(model.constants))
    if (!Array.isArray(constant.data) || !constant.data.every((x) => Number.isSafeInteger(x)))
      throw new InputFileError(`${file}: constant '${name}' holds a value that is not a safe integer`, { details: { file, constant: name } });
  for (const [name, bound] of Object.entries(model.boundInputs ?? {}))
    if (!bound || !Array.isArray(bound.dims) || !Array.isArray(bound.data) || !bound.data.every((x) => Number.isSafeInteger(x)))
      throw new InputFileError(`${file}: bound input '${name}' is not {dims, data} of integers`, { hint: 'quantize the ONNX model again', details: { file, input: name } });
  const hash = hashQuantizedModel({ model });
  if (hash !== model.hash)
    throw new InputFileError(`${file}: hash mismatch (stored ${model.hash}, content ${hash}): the artifact was edited or is corrupt`, {
      hint: 'quantize the ONNX model again',
      details: { file, stored: model.hash, computed: hash },
    });
  return model;
}
