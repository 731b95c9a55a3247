/**
 * Owns the default input mode of a zkML proof (`--inputs` not given): whether the model input is
 * public signals (the verifier sees it) or committed (`hashed`: one Poseidon commitment among the
 * public signals, the data posted beside it). Real deployments commit once the input is more than
 * a handful of numbers; here:
 *
 *   hashed  when the all-public Groth16 verifier would be over EIP-170's 24,576 bytes (mainnet
 *           would refuse to deploy it), estimated at 1,185 + 99 bytes per public signal
 *           (measured: 2 signals 1,383 bytes, 794 signals 79,788; docs/zkml.md), or when the
 *           input has more than MANY_INPUT_ELEMENTS elements: each public input costs the
 *           on-chain verification ~6,800 gas (an ecMul + ecAdd in Groth16, 32 calldata bytes,
 *           the registry's range check), so past ~8 elements the hashed mode's fixed ~50,000
 *           (a request transaction and its slot) is already cheaper, and past 64 (~435,000 gas)
 *           the difference dominates a Groth16 verification (~220,000);
 *   public  otherwise (the input is small: committing costs the prover v + ~40 constraints per
 *           element and the chain a second transaction, for little).
 *
 * The reason is part of the result, so `opzk prove` and the benchmark reports can say why.
 */
import type { QuantizedModel } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import { MAX_CODE_BYTES } from '../chain/deployContract.ts';
import type { WeightMode } from './generateCircuit.ts';

/** Above this many input elements the default is hashed (see the module header). */
export const MANY_INPUT_ELEMENTS = 64;

/** Estimated runtime code bytes of a snarkjs Groth16 verifier with n public signals (fit of two measured verifiers). */
export function estimateGroth16VerifierBytes(publicSignals: number): number {
  return 1_185 + 99 * publicSignals;
}

export interface ChooseInputModeParameters {
  model: QuantizedModel;
  /** The weight mode (public weights are public signals too). */
  weights: WeightMode;
}

export interface ChooseInputModeResult {
  mode: 'public' | 'hashed';
  /** One sentence: which rule decided, with the figures. */
  reason: string;
  inputElements: number;
  /** Public signals the all-public circuit would have. */
  publicSignalsIfPublic: number;
  /** Its Groth16 verifier's estimated runtime code size, bytes. */
  estimatedVerifierBytesIfPublic: number;
}

export function chooseInputMode({ model, weights }: ChooseInputModeParameters): ChooseInputModeResult {
  const inputElements = model.inputs.reduce((sum, input) => sum + sizeOf(input.dims), 0);
  const outputElements = model.outputs.reduce((sum, output) => sum + sizeOf(output.dims), 0);
  const weightSignals = weights === 'public' ? Object.values(model.constants).reduce((sum, constant) => sum + constant.data.length, 0) : weights === 'hashed' ? 1 : 0;
  const publicSignalsIfPublic = outputElements + inputElements + weightSignals;
  const estimated = estimateGroth16VerifierBytes(publicSignalsIfPublic);
  const figures = `${inputElements.toLocaleString('en-US')} input elements, ${publicSignalsIfPublic.toLocaleString('en-US')} public signals if public, a Groth16 verifier of ~${estimated.toLocaleString('en-US')} bytes`;
  const result = { inputElements, publicSignalsIfPublic, estimatedVerifierBytesIfPublic: estimated };
  if (estimated > MAX_CODE_BYTES)
    return { mode: 'hashed', reason: `${figures}: over EIP-170's ${MAX_CODE_BYTES.toLocaleString('en-US')} bytes, so mainnet would refuse the all-public verifier`, ...result };
  if (inputElements > MANY_INPUT_ELEMENTS)
    return { mode: 'hashed', reason: `${figures}: more than ${MANY_INPUT_ELEMENTS} inputs, where ~6,800 gas per public input outweighs posting a commitment`, ...result };
  return { mode: 'public', reason: `${figures}: a small input, cheaper public than committed`, ...result };
}
