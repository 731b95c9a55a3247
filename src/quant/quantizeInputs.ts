/**
 * Float model inputs → integers at scale 2^s: round(x · 2^s) (ties toward +∞), then the same
 * range check as an activation. NaN/±Infinity and out-of-range values name the input and element.
 */
import { OverflowError, ShapeError, UsageError } from '../errors.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { roundHalfUp } from './roundHalfUp.ts';
import type { QuantizedModel } from './types.ts';

export interface QuantizeInputsParameters {
  model: Pick<QuantizedModel, 'inputs' | 'scaleBits' | 'valueBits' | 'name' | 'boundInputs'>;
  /** Float values by input name: a flat array or a `{ dims, data }` tensor. */
  inputs: Record<string, ArrayLike<number> | { data: ArrayLike<number> }>;
}

export type QuantizeInputsResult = Record<string, number[]>;

export function quantizeInputs({ model, inputs }: QuantizeInputsParameters): QuantizeInputsResult {
  const scale = 2 ** model.scaleBits;
  const minValue = -(2 ** (model.valueBits - 1));
  const maxValue = 2 ** (model.valueBits - 1) - 1;
  const result: QuantizeInputsResult = {};
  // An input fixed at quantization (a Reshape shape) must not be given another value now: the
  // model's shapes were worked out from the old one.
  for (const [name, fixed] of Object.entries(model.boundInputs ?? {})) {
    const given = inputs[name];
    if (!given) continue;
    const data = Array.from('data' in given && typeof given.data === 'object' ? given.data : (given as ArrayLike<number>));
    if (data.length !== fixed.data.length || data.some((x, i) => x !== fixed.data[i]))
      throw new UsageError(`model '${model.name}': input '${name}' is [${data}], but the model was quantized with '${name}' = [${fixed.data}]`, {
        hint: `shapes are static: quantize the model again with this value (it is fixed in the quantized model)`,
        details: { input: name, given: data, fixed: fixed.data },
      });
  }
  for (const input of model.inputs) {
    const given = inputs[input.name];
    if (!given)
      throw new UsageError(`model '${model.name}': no value for input '${input.name}'`, {
        hint: `the model's inputs are ${model.inputs.map((i) => `'${i.name}' [${i.dims}]`).join(', ')}`,
        details: { input: input.name },
      });
    const data = 'data' in given && typeof given.data === 'object' ? given.data : (given as ArrayLike<number>);
    const expected = sizeOf(input.dims);
    if (data.length !== expected)
      throw new ShapeError(`model '${model.name}': input '${input.name}' has ${data.length} elements, dims [${input.dims}] need ${expected}`, {
        details: { input: input.name, expectedDims: input.dims, got: data.length },
      });
    const out = new Array<number>(expected);
    for (let i = 0; i < expected; i++) {
      const x = data[i];
      if (!Number.isFinite(x))
        throw new UsageError(`model '${model.name}': input '${input.name}' element ${i} is ${x}, not a finite number`, {
          details: { input: input.name, index: i, value: String(x) },
        });
      const q = roundHalfUp(x * scale);
      if (q < minValue || q > maxValue)
        throw new OverflowError(
          `model '${model.name}': input '${input.name}' element ${i} = ${x} quantizes to ${q}, outside the ${model.valueBits}-bit range [${minValue}, ${maxValue}]`,
          {
            hint: `inputs must lie in [${minValue / scale}, ${maxValue / scale}] at scaleBits=${model.scaleBits}: use a larger --value-bits or a smaller --scale-bits`,
            details: { input: input.name, index: i, value: x, quantized: q, min: minValue, max: maxValue },
          },
        );
      out[i] = q;
    }
    result[input.name] = out;
  }
  return result;
}
