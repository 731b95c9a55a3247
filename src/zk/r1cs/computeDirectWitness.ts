/**
 * The witness of one inference for a directly built R1CS (buildDirectCircuit): the model's
 * circuit run through a ConcreteCs (the same gadgets that wrote the constraints, so the same wires
 * in the same order), the values put in R1CS order with the build's wire map, and the `.wtns`
 * snarkjs proves from. No circom, no WebAssembly: the cost is the engine's arithmetic plus one
 * bit decomposition per range check (and, for hashed inputs or weights, the Poseidon S-boxes mod p).
 *
 * `witnessMs` is the computation from the inputs to the `.wtns` bytes; reading the wire map file
 * is outside it, as reading the wasm file is outside calculateWitness's. A value out of range is a
 * VerificationError naming the component, as circom's witness calculator fails on it.
 */
import { readFile } from 'node:fs/promises';
import { ToolError } from '../../errors.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { encodeWtns } from '../calculateWitness.ts';
import type { CircuitInput } from '../calculateWitness.ts';
import type { CircuitSettings } from '../generateCircuit.ts';
import { ConcreteCs, FIELD_PRIME } from './constraintSystem.ts';
import { emitModelR1cs } from './emitModelR1cs.ts';

export interface ComputeDirectWitnessParameters {
  model: QuantizedModel;
  settings: CircuitSettings;
  /** The circuit input (buildCircuitInput: x0…, p0… by signal name). */
  input: CircuitInput;
  /** buildDirectCircuit's wire map file, or the map itself. */
  wireMapFile?: string;
  wireMap?: Int32Array;
}

export interface ComputeDirectWitnessResult {
  /** Field elements in R1CS wire order (wire 0 = 1, outputs from wire 1). */
  witness: bigint[];
  wtns: Uint8Array;
  witnessMs: number;
}

export async function readWireMap(file: string): Promise<Int32Array> {
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new ToolError(`${file}: cannot read the wire map`, { cause, hint: 'build the circuit first (buildDirectCircuit)' });
  });
  return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function flatten(value: unknown, into: Array<number | bigint>): Array<number | bigint> {
  if (Array.isArray(value)) for (const element of value) flatten(element, into);
  else if (ArrayBuffer.isView(value)) {
    const view = value as unknown as ArrayLike<number>;
    for (let i = 0; i < view.length; i++) into.push(view[i]!);
  }
  else if (typeof value === 'number' || typeof value === 'bigint') into.push(value);
  else if (typeof value === 'string') into.push(BigInt(value));
  return into;
}

export async function computeDirectWitness({ model, settings, input, wireMapFile, wireMap }: ComputeDirectWitnessParameters): Promise<ComputeDirectWitnessResult> {
  const map = wireMap ?? (await readWireMap(wireMapFile!));
  const start = performance.now();
  const inputs: Record<string, Array<number | bigint>> = {};
  for (const [signal, value] of Object.entries(input)) inputs[signal] = flatten(value, []);
  const cs = new ConcreteCs({ inputs });
  emitModelR1cs({ cs, model, settings });
  if (cs.values.length !== map.length)
    throw new ToolError(`direct witness for model '${model.name}': ${cs.values.length} wires computed, the R1CS build made ${map.length}`, {
      hint: 'the wire map belongs to another build of this circuit: rebuild it (buildDirectCircuit force)',
    });
  let wires = 0;
  for (const index of map) if (index >= 0) wires++;
  const witness = new Array<bigint>(wires);
  for (let wire = 0; wire < map.length; wire++) {
    const index = map[wire]!;
    if (index >= 0) witness[index] = cs.values[wire]!;
  }
  const wtns = encodeWtns({ witness });
  const reduced = witness.map((value) => (value < 0n ? value + FIELD_PRIME : value));
  const witnessMs = performance.now() - start;
  return { witness: reduced, wtns, witnessMs };
}
