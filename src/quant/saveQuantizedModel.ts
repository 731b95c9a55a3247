/** Writes a QuantizedModel artifact as JSON (atomic: temp file, then rename). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QuantizedModel } from './types.ts';

export interface SaveQuantizedModelParameters {
  model: QuantizedModel;
  file: string;
}

export function saveQuantizedModel({ model, file }: SaveQuantizedModelParameters): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(model));
  renameSync(temporary, file);
}
