/**
 * ONNX Div by a constant → a product by its reciprocal, quantized once: round(2^s / c) for each
 * element c (then `scalarMul` or `mul`, so out = rescale(x · round(2^s / c))). Division by an
 * activation has no fixed-point lowering here and is refused, as is a zero divisor.
 */
import { InputFileError, UnsupportedModelError } from '../../errors.ts';
import { scaleByConstant } from './elementwiseHelpers.ts';
import { floatTensor } from './floatTensor.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeDiv: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const [aName, bName] = node.inputs;
  const file = context.graph.file;
  if (!context.isConstant(bName))
    throw new UnsupportedModelError(`${file}: ${where} divides by the activation '${bName}', which is not supported`, {
      hint: 'only division by a constant (input normalisation) is supported',
      details: { file, node: node.name, tensor: bName },
    });
  const divisor = context.graph.constants.get(bName)!;
  const zero = divisor.data.findIndex((value) => value === 0);
  if (zero >= 0)
    throw new InputFileError(`${file}: ${where} divides by constant '${bName}' whose element ${zero} is 0`, { details: { file, node: node.name, tensor: bName, index: zero } });
  const reciprocal = floatTensor(`${bName}:reciprocal`, divisor.dims, Array.from(divisor.data, (value) => 1 / value));
  scaleByConstant({ context, name: node.name, out, outDims, input: aName, factor: reciprocal, where });
};
