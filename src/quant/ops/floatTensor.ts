/** A float constant made by a lowering (BatchNorm's factors, Div's reciprocals), to quantize with addConstant. */
import { DataType, type OnnxTensor } from '../../onnx/types.ts';

export function floatTensor(name: string, dims: number[], data: ArrayLike<number>): OnnxTensor {
  return { name, dataType: DataType.FLOAT, dims, data: Float64Array.from(data) };
}
