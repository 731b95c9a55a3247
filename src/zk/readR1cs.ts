/**
 * A small reader for circom's .r1cs binary format (iden3 r1cs v1): the header (wires, public
 * outputs/inputs, private inputs, labels, constraints) and, on request, the constraints
 * themselves, so that constraint counts come from the file and never from compiler logs, and so
 * that a witness can be checked against A·B = C independently of snarkjs.
 * Format: "r1cs", version u32, nSections u32, then sections (type u32, size u64); section 1 is
 * the header, section 2 the constraints (3 linear combinations each: nTerms u32, then
 * wireId u32 + little-endian coefficient of fieldSize bytes, in normal (not Montgomery) form).
 */
import { readFile } from 'node:fs/promises';
import { InputFileError } from '../errors.ts';

/** One linear combination: wire id → coefficient (a field element in [0, p)). */
export type LinearCombination = Array<[wire: number, coefficient: bigint]>;

export interface R1csConstraint {
  a: LinearCombination;
  b: LinearCombination;
  c: LinearCombination;
}

export interface ReadR1csParameters {
  file: string;
  /** Also decode the constraints (needed for linear counts and witness checks). */
  loadConstraints?: boolean;
}

export interface ReadR1csResult {
  prime: bigint;
  /** Wires including the constant-one wire 0. */
  nWires: number;
  nPublicOutputs: number;
  nPublicInputs: number;
  nPrivateInputs: number;
  nLabels: number;
  nConstraints: number;
  /** Present when loadConstraints. */
  constraints?: R1csConstraint[];
  /** Constraints with an empty A or B (after --O2 normally 0): present when loadConstraints. */
  nLinearConstraints?: number;
}

function readLittleEndian(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i]!);
  return value;
}

export async function readR1cs({ file, loadConstraints = false }: ReadR1csParameters): Promise<ReadR1csResult> {
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new InputFileError(`${file}: cannot read the r1cs file`, { cause, details: { file }, hint: 'compile the circuit first (compileCircuit)' });
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.subarray(0, 4).toString() !== 'r1cs')
    throw new InputFileError(`${file}: not an r1cs file (magic '${bytes.subarray(0, 4).toString()}')`, { details: { file } });
  const sectionCount = view.getUint32(8, true);
  const sections = new Map<number, { offset: number; size: number }>();
  let position = 12;
  for (let i = 0; i < sectionCount; i++) {
    const type = view.getUint32(position, true);
    const size = Number(view.getBigUint64(position + 4, true));
    sections.set(type, { offset: position + 12, size });
    position += 12 + size;
  }
  const header = sections.get(1);
  if (!header) throw new InputFileError(`${file}: r1cs file without a header section`, { details: { file } });
  let h = header.offset;
  const fieldSize = view.getUint32(h, true);
  const prime = readLittleEndian(bytes, h + 4, fieldSize);
  h += 4 + fieldSize;
  const result: ReadR1csResult = {
    prime,
    nWires: view.getUint32(h, true),
    nPublicOutputs: view.getUint32(h + 4, true),
    nPublicInputs: view.getUint32(h + 8, true),
    nPrivateInputs: view.getUint32(h + 12, true),
    nLabels: Number(view.getBigUint64(h + 16, true)),
    nConstraints: view.getUint32(h + 24, true),
  };
  if (!loadConstraints) return result;
  const body = sections.get(2);
  if (!body) throw new InputFileError(`${file}: r1cs file without a constraints section`, { details: { file } });
  let p = body.offset;
  const readCombination = (): LinearCombination => {
    const terms = view.getUint32(p, true);
    p += 4;
    const combination: LinearCombination = [];
    for (let t = 0; t < terms; t++) {
      combination.push([view.getUint32(p, true), readLittleEndian(bytes, p + 4, fieldSize)]);
      p += 4 + fieldSize;
    }
    return combination;
  };
  const constraints: R1csConstraint[] = [];
  let linear = 0;
  for (let i = 0; i < result.nConstraints; i++) {
    const a = readCombination();
    const b = readCombination();
    const c = readCombination();
    if (a.length === 0 || b.length === 0) linear++;
    constraints.push({ a, b, c });
  }
  result.constraints = constraints;
  result.nLinearConstraints = linear;
  return result;
}
