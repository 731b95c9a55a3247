/**
 * Quantized model inputs (integers at scale 2^s, by input name) → the input object of a
 * generated circuit: the model inputs, the weight tensors in every mode but constant, and the
 * Poseidon commitments of the hashed modes (weights: commitWeights; inputs: commitInput). Checks the public-input range that the circuit leaves
 * to the verifier (see generateCircuit.ts) and the shapes, naming the input and element.
 */
import { OverflowError, ShapeError, UsageError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';
import type { CircuitInput } from './calculateWitness.ts';
import { commitInput } from './commitInput.ts';
import { commitWeights } from './commitWeights.ts';
import type { CircuitLayout } from './generateCircuit.ts';

export interface BuildCircuitInputParameters {
  model: QuantizedModel;
  layout: CircuitLayout;
  /** Quantized inputs by model input name. */
  inputs: Record<string, ArrayLike<number>>;
}

export interface BuildCircuitInputResult {
  input: CircuitInput;
  /** Hashed mode: the commitment fed as `weightsCommitment`. */
  commitment?: bigint;
  /** Hashed inputs: the commitment fed as `inputCommitment`, and its preimage, the packed words (commitInput.ts). */
  inputCommitment?: { commitment: bigint; words: bigint[] };
}

export async function buildCircuitInput({ model, layout, inputs }: BuildCircuitInputParameters): Promise<BuildCircuitInputResult> {
  const input: CircuitInput = {};
  const minValue = -(2 ** (layout.valueBits - 1));
  const maxValue = 2 ** (layout.valueBits - 1) - 1;
  for (const tensor of layout.inputs) {
    const data = inputs[tensor.name];
    if (!data) throw new UsageError(`model '${model.name}': no value for input '${tensor.name}'`, { details: { input: tensor.name }, hint: `inputs: ${layout.inputs.map((i) => i.name).join(', ')}` });
    if (data.length !== tensor.size)
      throw new ShapeError(`model '${model.name}': input '${tensor.name}' has ${data.length} elements, dims [${tensor.dims}] need ${tensor.size}`, { details: { input: tensor.name } });
    const values = Array.from(data);
    values.forEach((value, index) => {
      if (!Number.isSafeInteger(value) || value < minValue || value > maxValue)
        throw new OverflowError(`model '${model.name}': input '${tensor.name}' element ${index} is ${value}, outside [${minValue}, ${maxValue}] (valueBits ${layout.valueBits})`, {
          details: { input: tensor.name, index, value },
          hint: 'inputs are integers at scale 2^scaleBits; quantize them first (quantizeInputs)',
        });
    });
    input[tensor.signal] = values;
  }
  let inputCommitment: BuildCircuitInputResult['inputCommitment'];
  if (layout.inputCommitment) {
    const values = layout.inputs.flatMap((tensor) => input[tensor.signal] as number[]);
    const { commitment, words } = await commitInput({ values, valueBits: layout.valueBits });
    input[layout.inputCommitment.signal] = commitment;
    inputCommitment = { commitment, words };
  }
  const weights: number[] = [];
  for (const parameter of layout.parameters) {
    const data = model.constants[parameter.name]?.data;
    if (!data || data.length !== parameter.size)
      throw new ShapeError(`model '${model.name}': weight tensor '${parameter.name}' does not match the circuit (expected ${parameter.size} elements)`, { details: { tensor: parameter.name } });
    input[parameter.signal] = data;
    if (layout.commitment) for (const value of data) weights.push(value);
  }
  if (!layout.commitment) return { input, inputCommitment };
  const { commitment } = await commitWeights({ elements: weights });
  input[layout.commitment.signal] = commitment;
  return { input, commitment, inputCommitment };
}
