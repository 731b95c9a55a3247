/**
 * Reads circom's .sym file (one line per signal: label index, wire index or -1 when the
 * simplifier removed the signal, component index, full name such as `main.l0[0].out[0][1]`),
 * so tests and debugging can find a named signal's wire in a witness.
 */
import { readFile } from 'node:fs/promises';
import { InputFileError } from '../errors.ts';

export interface ReadSymParameters {
  file: string;
}

/** Signal name → wire index (signals removed by the simplifier are left out). */
export type ReadSymResult = Map<string, number>;

export async function readSym({ file }: ReadSymParameters): Promise<ReadSymResult> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new InputFileError(`${file}: cannot read the sym file`, { cause, details: { file }, hint: 'compile the circuit first (compileCircuit writes it)' });
  });
  const wires: ReadSymResult = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const parts = line.split(',');
    const wire = Number(parts[1]);
    if (wire >= 0) wires.set(parts.slice(3).join(','), wire);
  }
  return wires;
}
