/**
 * The identity of a quantized model: SHA-256 of the canonical JSON (keys sorted at every level,
 * no whitespace) of every field except `hash`. Every backend that caches by model uses this.
 */
import { createHash } from 'node:crypto';
import type { QuantizedModel } from './types.ts';

export interface HashQuantizedModelParameters {
  model: Omit<QuantizedModel, 'hash'> & { hash?: string };
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashQuantizedModel({ model }: HashQuantizedModelParameters): string {
  const { hash: _ignored, ...rest } = model;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
