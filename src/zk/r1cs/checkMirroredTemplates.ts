/**
 * The direct builder's gadgets mirror circuits/ (and circomlib's Num2Bits and Poseidon) as they were when
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
export const MIRRORED_TEMPLATES = ['Add', 'AvgPool', 'Conv2D', 'Gemm', 'InputCommitment', 'MaxPool', 'PoseidonChain', 'RangeCheck', 'Relu', 'Rescale', 'ScalarMul', 'Smooth'] as const;
/** circomlib files the gadgets mirror (Num2Bits in gadgets.ts; Poseidon in poseidon.ts). */
export const MIRRORED_CIRCOMLIB = ['bitify', 'poseidon'] as const;
/** SHA-256 over those files and circomlib's, as checked against circom. */
export const MIRRORED_TEMPLATES_SHA256 = '498ca2f3a058d9c8680d5cf8b4de5467b33495cb3da8c5eeb4d2eff589bb6694';

let digest: string | undefined;

export function mirroredTemplatesHash(): string {
  if (digest) return digest;
  const hash = createHash('sha256');
  for (const name of MIRRORED_TEMPLATES) hash.update(`${name}\n`).update(readFileSync(path.join(circuitsDir, `${name}.circom`)));
  for (const name of MIRRORED_CIRCOMLIB) hash.update(`${name}\n`).update(readFileSync(require.resolve(`circomlib/circuits/${name}.circom`)));
  digest = hash.digest('hex');
  return digest;
}

export function checkMirroredTemplates(): void {
  const actual = mirroredTemplatesHash();
  if (actual !== MIRRORED_TEMPLATES_SHA256)
    throw new UnsupportedModelError(`the direct R1CS builder mirrors circuits/{${MIRRORED_TEMPLATES.join(',')}}.circom and circomlib's {${MIRRORED_CIRCOMLIB.join(',')}}.circom as they were; one of them changed (sha256 ${actual.slice(0, 12)}…, expected ${MIRRORED_TEMPLATES_SHA256.slice(0, 12)}…)`, {
      hint: 'circom builds the circuit meanwhile; update src/zk/r1cs/gadgets.ts or poseidon.ts to the template, run test/zk-direct-r1cs.test.ts, then MIRRORED_TEMPLATES_SHA256',
    });
}
