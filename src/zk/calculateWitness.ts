/**
 * Computes a witness with the witness calculator that circom emits (`<name>_js/`, WebAssembly +
 * CommonJS witness_calculator.js). Returns the full witness as field elements and the `.wtns`
 * binary that snarkjs's provers read. A witness-time failure (an `assert` or `===` that does not
 * hold, e.g. a value out of the fixed-point range) becomes a VerificationError.
 *
 * `witnessMs` is the cost of a witness from scratch, compiling circom's wasm included. V8 compiles
 * the module lazily: `calculateWitness` returns after Liftoff's baseline code ran it, and the main
 * thread then stays blocked while the hot functions are tiered up to TurboFan — 1–4 s for
 * mnist-mlp-784-56-10's 1.7 MB of straight-line wasm, against ~0.1 s for the call itself (with
 * `node --no-liftoff` the same time shows inside the call instead). So the timer stops only after
 * one turn of the event loop (`setImmediate`), which runs once that compilation has let go of
 * the thread.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ToolError, VerificationError } from '../errors.ts';

const require = createRequire(import.meta.url);

/** Circuit inputs: signal name → integer, or nested arrays of integers (negative allowed). */
export type CircuitInput = Record<string, unknown>;

export interface CalculateWitnessParameters {
  wasmFile: string;
  input: CircuitInput;
}

export interface CalculateWitnessResult {
  /** Field elements, wire 0 = 1, outputs from wire 1. */
  witness: bigint[];
  /** The `.wtns` file contents. */
  wtns: Uint8Array;
  /**
   * Wall time in milliseconds of a witness from scratch: instantiating (and V8 compiling) the
   * witness wasm, computing the witness, and the TurboFan tier-up stall that follows it.
   */
  witnessMs: number;
}

interface WitnessCalculator {
  calculateWitness(input: CircuitInput, sanityCheck: boolean): Promise<bigint[]>;
}

type WitnessCalculatorBuilder = (code: Uint8Array, options?: object) => Promise<WitnessCalculator>;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function toCircomInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCircomInput);
  if (typeof value === 'number' || typeof value === 'bigint') return BigInt(value).toString();
  return value;
}

export async function calculateWitness({ wasmFile, input }: CalculateWitnessParameters): Promise<CalculateWitnessResult> {
  const builder = require(path.join(path.dirname(wasmFile), 'witness_calculator.js')) as WitnessCalculatorBuilder;
  const code = await readFile(wasmFile).catch((cause: unknown) => {
    throw new ToolError(`${wasmFile}: cannot read the witness wasm`, { cause, hint: 'compile the circuit first (compileCircuit)' });
  });
  const normalized = Object.fromEntries(Object.entries(input).map(([name, value]) => [name, toCircomInput(value)]));
  const start = performance.now();
  let witness: bigint[];
  try {
    const calculator = await builder(code);
    witness = await calculator.calculateWitness(normalized, true);
  } catch (cause) {
    throw new VerificationError(`${wasmFile}: the circuit has no witness for this input`, {
      cause,
      details: { wasmFile },
      hint: 'an input or intermediate value is outside the fixed-point range (see docs/fixed-point.md), or an input signal is missing',
    });
  }
  // The tier-up compile V8 started while running the wasm blocks the main thread after the call
  // returns: one event-loop turn later it has finished, so the time includes it.
  await yieldToEventLoop();
  const witnessMs = performance.now() - start;
  return { witness, wtns: encodeWtns({ witness }), witnessMs };
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The BN254 scalar field. */
export const BN254_PRIME = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * Serializes a witness as iden3's `.wtns` (version 2): "wtns", version, 2 sections; section 1 =
 * field size (32), prime, witness count; section 2 = the values, 32-byte little-endian each.
 */
export function encodeWtns({ witness, prime = BN254_PRIME }: { witness: bigint[]; prime?: bigint }): Uint8Array {
  const n8 = 32;
  const headerSize = 4 + n8 + 4;
  const dataSize = witness.length * n8;
  const bytes = new Uint8Array(12 + 12 + headerSize + 12 + dataSize);
  const view = new DataView(bytes.buffer);
  bytes.set([0x77, 0x74, 0x6e, 0x73], 0); // "wtns"
  view.setUint32(4, 2, true);
  view.setUint32(8, 2, true);
  let position = 12;
  // Witness values are mostly small integers (bits, activations): write those with Number
  // arithmetic — a negative v as p − |v| by byte-wise subtraction from p — and only the rest
  // with BigInt (32 BigInt shifts per value made this the witness's largest cost).
  const primeBytes = new Uint8Array(n8);
  for (let i = 0, rest = prime; i < n8; i++, rest >>= 8n) primeBytes[i] = Number(rest & 0xffn);
  const writeField = (value: bigint, reduce = true) => {
    if (reduce && value >= -SAFE && value <= SAFE) {
      let magnitude = Number(value < 0n ? -value : value);
      if (value >= 0n) {
        for (let i = 0; magnitude > 0; i++) {
          bytes[position + i] = magnitude % 256;
          magnitude = Math.floor(magnitude / 256);
        }
      } else {
        let borrow = 0;
        for (let i = 0; i < n8; i++) {
          let digit = primeBytes[i]! - (magnitude % 256) - borrow;
          magnitude = Math.floor(magnitude / 256);
          borrow = digit < 0 ? 1 : 0;
          if (digit < 0) digit += 256;
          bytes[position + i] = digit;
        }
      }
      position += n8;
      return;
    }
    // Field-sized values (Poseidon's S-boxes): one hex conversion instead of n8 BigInt shifts.
    const rest = reduce ? ((value % prime) + prime) % prime : value;
    const hex = rest.toString(16);
    for (let i = 0, end = hex.length; i < n8; i++, end -= 2) bytes[position + i] = end <= 0 ? 0 : parseInt(hex.slice(Math.max(0, end - 2), end), 16);
    position += n8;
  };
  view.setUint32(position, 1, true);
  view.setBigUint64(position + 4, BigInt(headerSize), true);
  position += 12;
  view.setUint32(position, n8, true);
  position += 4;
  writeField(prime, false);
  view.setUint32(position, witness.length, true);
  position += 4;
  view.setUint32(position, 2, true);
  view.setBigUint64(position + 4, BigInt(dataSize), true);
  position += 12;
  for (const value of witness) writeField(value);
  return bytes;
}
