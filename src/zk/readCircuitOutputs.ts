/**
 * Reads a generated circuit's outputs as signed integers (field elements above (p-1)/2 are
 * negative), from a full witness (outputs start at wire 1) or from snarkjs's public signals
 * (outputs come first), in the model's output order.
 */
import { BN254_PRIME } from './calculateWitness.ts';
import type { CircuitLayout } from './generateCircuit.ts';

export interface ReadCircuitOutputsParameters {
  layout: CircuitLayout;
  /** A full witness (wire 0 = 1) … */
  witness?: bigint[];
  /** … or the public signals of a proof. */
  publicSignals?: string[];
}

export interface CircuitOutput {
  name: string;
  dims: number[];
  /** Integers at scale 2^scaleBits. */
  data: number[];
}

export type ReadCircuitOutputsResult = CircuitOutput[];

/** A field element as a signed integer. */
export function toSigned(value: bigint): bigint {
  return value > (BN254_PRIME - 1n) / 2n ? value - BN254_PRIME : value;
}

export function readCircuitOutputs({ layout, witness, publicSignals }: ReadCircuitOutputsParameters): ReadCircuitOutputsResult {
  const values = witness ? witness.slice(1) : (publicSignals ?? []).map((signal) => BigInt(signal));
  let offset = 0;
  return layout.outputs.map((output) => {
    const data = values.slice(offset, offset + output.size).map((value) => Number(toSigned(value)));
    offset += output.size;
    return { name: output.name, dims: output.dims, data };
  });
}
