/**
 * The direct builder's gadgets mirror circuits/ (and circomlib's Num2Bits) as they were when
 * test/zk-direct-r1cs.test.ts last matched them against circom. If one of those templates changes,
 * the gadgets may no longer be the same circuit: the direct builder then refuses (and builder
 * 'auto' uses circom) until someone re-runs that test and updates MIRRORED_TEMPLATES_SHA256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UnsupportedModelError } from '../../errors.ts';
import { circuitsDir } from '../paths.ts';

const require = createRequire(import.meta.url);

/** circuits/ files the gadgets mirror (gadgets.ts says which gadget is which). */
export const MIRRORED_TEMPLATES = ['Add', 'AvgPool', 'Conv2D', 'Gemm', 'MaxPool', 'RangeCheck', 'Relu', 'Rescale', 'ScalarMul'] as const;
/** SHA-256 over those files and circomlib's bitify.circom, as checked against circom. */
export const MIRRORED_TEMPLATES_SHA256 = '3b624404c21072f4c9cc06dfc532bdbfb57015861c291b09be9fb72d1124fabb';

let digest: string | undefined;

export function mirroredTemplatesHash(): string {
  if (digest) return digest;
  const hash = createHash('sha256');
  for (const name of MIRRORED_TEMPLATES) hash.update(`${name}\n`).update(readFileSync(path.join(circuitsDir, `${name}.circom`)));
  hash.update('bitify\n').update(readFileSync(require.resolve('circomlib/circuits/bitify.circom')));
  digest = hash.digest('hex');
  return digest;
}

export function checkMirroredTemplates(): void {
  const actual = mirroredTemplatesHash();
  if (actual !== MIRRORED_TEMPLATES_SHA256)
    throw new UnsupportedModelError(`the direct R1CS builder mirrors circuits/{${MIRRORED_TEMPLATES.join(',')}}.circom as they were; one of them changed (sha256 ${actual.slice(0, 12)}…, expected ${MIRRORED_TEMPLATES_SHA256.slice(0, 12)}…)`, {
      hint: 'circom builds the circuit meanwhile; update src/zk/r1cs/gadgets.ts to the template, run test/zk-direct-r1cs.test.ts, then MIRRORED_TEMPLATES_SHA256',
    });
}
