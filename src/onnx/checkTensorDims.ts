/**
 * The import's size limit. Every dim read from a file (graph inputs, initializers, `.pb` inputs)
 * or computed from one (each node's output shape, each folded constant) passes through here
 * before anything is allocated: a dim must be a non-negative integer — int64 dims arrive as Long
 * objects and are converted exactly, never truncated to 32 bits (a `| 0` read 2^32 + 8 as 8) —
 * and a tensor may hold at most MAX_TENSOR_ELEMENTS elements, so a file that declares a
 * 2e9-element input ends in an error naming it instead of V8 running out of memory.
 */
import { InputFileError, UnsupportedModelError } from '../errors.ts';
import { toNumber } from './decodeTensor.ts';

/**
 * The largest tensor the import accepts: 2^24 = 16,777,216 elements (128 MiB as float64). The
 * largest zoo tensor (mlp-w1024's first weight, [1024, 784]) has 802,816 — 20× below; a circuit
 * over a tensor at the limit would be far beyond what the provers here can handle.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 24;

export interface CheckTensorDimsParameters {
  /** Dims as read from the file (numbers or protobufjs Longs) or as computed. */
  dims: readonly unknown[];
  /** Names the tensor for errors, e.g. "models/x.onnx: input 'x'". */
  where: string;
  /** Structured details for the error (file, tensor, node). */
  details?: Record<string, unknown>;
}

/** The dims as numbers, each checked; throws if one is negative or the tensor is too large. */
export type CheckTensorDimsResult = number[];

export function checkTensorDims({ dims, where, details = {} }: CheckTensorDimsParameters): CheckTensorDimsResult {
  const checked = dims.map((raw, index) => {
    const value = toNumber(raw);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new InputFileError(`${where} dim ${index} is ${String(raw)}, a dim must be a non-negative integer`, {
        hint: 'the file is malformed: ONNX dims count elements along an axis',
        details: { ...details, dim: index, value: String(raw) },
      });
    return value;
  });
  const limit = `the limit of ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`;
  const hint = `the import refuses tensors of more than ${MAX_TENSOR_ELEMENTS} elements (MAX_TENSOR_ELEMENTS in src/onnx/checkTensorDims.ts) before allocating them`;
  let elements = 1;
  for (const d of checked) elements *= d;
  if (elements > MAX_TENSOR_ELEMENTS)
    throw new UnsupportedModelError(`${where} has dims [${checked}] = ${elements} elements, more than ${limit}`, {
      hint,
      details: { ...details, dims: checked, elements },
    });
  // An empty tensor with one huge dim is still refused: shapes derived from it would not be empty.
  const huge = checked.findIndex((d) => d > MAX_TENSOR_ELEMENTS);
  if (huge !== -1)
    throw new UnsupportedModelError(`${where} dim ${huge} is ${checked[huge]}, larger than ${limit}`, {
      hint,
      details: { ...details, dim: huge, value: checked[huge] },
    });
  return checked;
}
