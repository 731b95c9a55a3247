/**
 * A model's R1CS from one of two builders, for everything downstream (ptau sizing, setup, prove):
 *   circom  generateCircuit + compileCircuit: the .circom main compiled by circom2 (WebAssembly,
 *           4 GiB heap: mlp-w1024 does not compile), witness by circom's witness calculator.
 *   direct  buildDirectCircuit: the same templates' constraints written by src/zk/r1cs/ in
 *           TypeScript, witness by the same gadgets (computeDirectWitness): no compiler, no wasm.
 *   auto    (default) direct when it supports the model and settings, else circom — with the
 *           reason in `builderNote` (`--relu full`, an op without a direct emitter). Hashed
 *           inputs and weights (src/zk/r1cs/poseidon.ts), sigmoid, tanh, softmax (smooth.ts) are direct.
 * Both give the same constraint count and layout (test/zk-direct-r1cs.test.ts checks them against
 * each other on every circuit both build).
 */
import { BaseError, UnsupportedModelError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';
import { calculateWitness, type CircuitInput } from './calculateWitness.ts';
import { compileCircuit, type CircuitStats } from './compileCircuit.ts';
import { generateCircuit, type CircuitLayout, type CircuitSettings } from './generateCircuit.ts';
import { buildDirectCircuit } from './r1cs/buildDirectCircuit.ts';
import { computeDirectWitness } from './r1cs/computeDirectWitness.ts';
import { checkDirectSupport } from './r1cs/emitModelR1cs.ts';

export type CircuitBuilder = 'circom' | 'direct';
export type CircuitBuilderChoice = CircuitBuilder | 'auto';
export const CIRCUIT_BUILDER_CHOICES: readonly CircuitBuilderChoice[] = ['auto', 'circom', 'direct'];

export interface BuildCircuitParameters {
  model: QuantizedModel;
  settings: CircuitSettings;
  /** Default 'auto'. */
  builder?: CircuitBuilderChoice;
}

export interface BuiltCircuit extends CircuitStats {
  builder: CircuitBuilder;
  /** Why 'auto' chose circom (absent when it chose direct or the builder was named). */
  builderNote?: string;
  dir: string;
  r1csFile: string;
  /** circom: the witness calculator. */
  wasmFile?: string;
  /** direct: the wire map the witness needs. */
  wireMapFile?: string;
  layout: CircuitLayout;
  /** circom compile or direct build, ms (0 when cached). */
  compileMs: number;
  /** Its time when it was built (this run's, or the cache marker's), ms. */
  builtMs: number;
  cached: boolean;
  r1csBytes: number;
}

export async function buildCircuit({ model, settings, builder = 'auto' }: BuildCircuitParameters): Promise<BuiltCircuit> {
  let builderNote: string | undefined;
  if (builder !== 'circom') {
    try {
      checkDirectSupport({ model, settings });
      const direct = await buildDirectCircuit({ model, settings });
      return {
        builder: 'direct',
        dir: direct.dir,
        r1csFile: direct.r1csFile,
        wireMapFile: direct.wireMapFile,
        layout: direct.layout,
        compileMs: direct.buildMs,
        builtMs: direct.builtMs,
        cached: direct.cached,
        r1csBytes: direct.r1csBytes,
        constraints: direct.constraints,
        linearConstraints: direct.linearConstraints,
        nonLinearConstraints: direct.nonLinearConstraints,
        wires: direct.wires,
        publicInputs: direct.publicInputs,
        publicOutputs: direct.publicOutputs,
        privateInputs: direct.privateInputs,
        labels: direct.labels,
      };
    } catch (error) {
      if (builder === 'direct' || !(error instanceof UnsupportedModelError)) throw error;
      builderNote = `built by circom: ${(error as BaseError).message}`;
    }
  }
  const generated = await generateCircuit({ model, settings });
  const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
  const { dir, r1csFile, wasmFile, symFile: _symFile, compileMs, builtMs, cached, r1csBytes, ...stats } = compiled;
  return { builder: 'circom', builderNote, dir, r1csFile, wasmFile, layout: generated.layout, compileMs, builtMs, cached, r1csBytes, ...stats };
}

export interface ComputeWitnessParameters {
  circuit: BuiltCircuit;
  model: QuantizedModel;
  settings: CircuitSettings;
  input: CircuitInput;
}

export interface ComputeWitnessResult {
  witness: bigint[];
  wtns: Uint8Array;
  witnessMs: number;
}

/** The witness by the circuit's own builder: circom's wasm or the direct gadgets. */
export async function computeWitness({ circuit, model, settings, input }: ComputeWitnessParameters): Promise<ComputeWitnessResult> {
  if (circuit.builder === 'circom') return calculateWitness({ wasmFile: circuit.wasmFile!, input });
  return computeDirectWitness({ model, settings, input, wireMapFile: circuit.wireMapFile! });
}
