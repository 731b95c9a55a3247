/**
 * Decodes an onnx.TensorProto (initializer, Constant attribute or a `.pb` input file) into an
 * OnnxTensor with float64 values. Owns the ONNX storage quirks: raw little-endian bytes vs typed
 * fields, int64 values that protobufjs hands out as Long objects, float16/bfloat16 bit patterns.
 */
import onnxProto from 'onnx-proto';
import { InputFileError } from '../errors.ts';
import { checkTensorDims } from './checkTensorDims.ts';
import { DataType, dataTypeName, sizeOf, type OnnxTensor } from './types.ts';

export const onnx = onnxProto.onnx;

export interface DecodeTensorParameters {
  tensor: onnxProto.onnx.ITensorProto;
  /** The file it came from, for error messages. */
  file: string;
  /** Name to use when the proto has none. */
  name?: string;
}

/** protobufjs decodes int64 fields as Long when the `long` package is present. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16);
  return view.getFloat32(0);
}

function decodeRaw(raw: Uint8Array, dataType: number, count: number, where: string): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  const width: Record<number, number> = {
    [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.FLOAT16]: 2, [DataType.BFLOAT16]: 2,
    [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.BOOL]: 1, [DataType.INT16]: 2, [DataType.UINT16]: 2,
    [DataType.INT32]: 4, [DataType.UINT32]: 4, [DataType.INT64]: 8, [DataType.UINT64]: 8,
  };
  const bytes = width[dataType];
  if (!bytes) throw new InputFileError(`${where}: tensor element type ${dataTypeName(dataType)} is not supported`);
  if (raw.byteLength !== bytes * count)
    throw new InputFileError(`${where}: raw data has ${raw.byteLength} bytes, expected ${bytes * count} for ${count} elements of ${dataTypeName(dataType)}`);
  for (let i = 0; i < count; i++) {
    const at = i * bytes;
    switch (dataType) {
      case DataType.FLOAT: out[i] = view.getFloat32(at, true); break;
      case DataType.DOUBLE: out[i] = view.getFloat64(at, true); break;
      case DataType.FLOAT16: out[i] = halfToFloat(view.getUint16(at, true)); break;
      case DataType.BFLOAT16: out[i] = bfloat16ToFloat(view.getUint16(at, true)); break;
      case DataType.INT8: out[i] = view.getInt8(at); break;
      case DataType.UINT8: case DataType.BOOL: out[i] = view.getUint8(at); break;
      case DataType.INT16: out[i] = view.getInt16(at, true); break;
      case DataType.UINT16: out[i] = view.getUint16(at, true); break;
      case DataType.INT32: out[i] = view.getInt32(at, true); break;
      case DataType.UINT32: out[i] = view.getUint32(at, true); break;
      case DataType.INT64: out[i] = Number(view.getBigInt64(at, true)); break;
      case DataType.UINT64: out[i] = Number(view.getBigUint64(at, true)); break;
    }
  }
  return out;
}

export function decodeTensor({ tensor, file, name }: DecodeTensorParameters): OnnxTensor {
  const tensorName = tensor.name || name || '(unnamed)';
  const where = `${file}: tensor '${tensorName}'`;
  const dataType = tensor.dataType ?? DataType.FLOAT;
  // Checked before anything is allocated: no wrapped or negative dims, no oversized tensor.
  const dims = checkTensorDims({ dims: tensor.dims ?? [], where, details: { file, tensor: tensorName } });
  const count = sizeOf(dims);
  if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0)
    throw new InputFileError(`${where} stores its data in an external file, which is not supported`, {
      hint: 'save the model with all tensors inside the .onnx file (onnx.save(model, save_as_external_data=False))',
      details: { file, tensor: tensorName },
    });
  if (dataType === DataType.STRING)
    throw new InputFileError(`${where} holds strings, a numeric tensor is needed`, { details: { file, tensor: tensorName } });
  let data: Float64Array;
  if (tensor.rawData && tensor.rawData.length > 0) {
    data = decodeRaw(tensor.rawData, dataType, count, where);
  } else {
    let values: ArrayLike<unknown>;
    switch (dataType) {
      case DataType.FLOAT: values = tensor.floatData ?? []; break;
      case DataType.DOUBLE: values = tensor.doubleData ?? []; break;
      case DataType.INT64: values = tensor.int64Data ?? []; break;
      case DataType.UINT32: case DataType.UINT64: values = tensor.uint64Data ?? []; break;
      default: values = tensor.int32Data ?? [];
    }
    data = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = toNumber(values[i]);
    if (dataType === DataType.FLOAT16) data = data.map(halfToFloat);
    if (dataType === DataType.BFLOAT16) data = data.map(bfloat16ToFloat);
    if (data.length !== count)
      throw new InputFileError(`${where} has ${data.length} values, its dims [${dims}] need ${count}`, { details: { file, tensor: tensorName } });
  }
  return { name: tensorName, dataType, dims, data };
}
