/**
 * Circuit-specific setup with snarkjs: r1cs + prepared powers of tau → proving key (.zkey) and
 * verification key (JSON), cached beside the r1cs, keyed by the system and the ptau file (path,
 * size, mtime). Groth16 uses the phase-2 key as `zkey new` writes it, with no phase-2
 * contribution: fine for measuring, as insecure as the local ptau (say so in results). PLONK and
 * FFLONK need no phase 2.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { ToolError } from '../errors.ts';
import { peakRssBytes, terminateCurve, type ProofSystem } from './types.ts';

export interface SetupCircuitParameters {
  system: ProofSystem;
  r1csFile: string;
  ptauFile: string;
  force?: boolean;
}

export interface SetupCircuitResult {
  system: ProofSystem;
  zkeyFile: string;
  vkeyFile: string;
  verificationKey: Record<string, unknown>;
  /** Setup wall time in milliseconds (0 when cached). */
  setupMs: number;
  zkeyBytes: number;
  cached: boolean;
  /** RSS high-water mark after the setup, bytes (see peakRssBytes). */
  peakRssBytes: number;
}

export async function setupCircuit({ system, r1csFile, ptauFile, force = false }: SetupCircuitParameters): Promise<SetupCircuitResult> {
  const ptauStat = await stat(ptauFile).catch((cause: unknown) => {
    throw new ToolError(`${ptauFile}: cannot read the powers of tau`, { cause, details: { file: ptauFile }, hint: 'pass --ptau FILE or let ensurePtau make a local one' });
  });
  const key = createHash('sha256').update(`${path.resolve(ptauFile)}\n${ptauStat.size}\n${ptauStat.mtimeMs}`).digest('hex').slice(0, 16);
  const base = r1csFile.replace(/\.r1cs$/, '');
  const zkeyFile = `${base}.${system}.${key}.zkey`;
  const vkeyFile = `${base}.${system}.${key}.vkey.json`;
  if (!force && existsSync(zkeyFile) && existsSync(vkeyFile)) {
    return {
      system, zkeyFile, vkeyFile,
      verificationKey: JSON.parse(await readFile(vkeyFile, 'utf8')) as Record<string, unknown>,
      setupMs: 0, zkeyBytes: (await stat(zkeyFile)).size, cached: true, peakRssBytes: peakRssBytes(),
    };
  }
  // Unique per process: concurrent setups of the same circuit (parallel bench attempts) must not
  // write into each other's file; the last complete rename wins, and both files are identical in use.
  const partial = `${zkeyFile}.${process.pid}.${Date.now()}.partial`;
  const start = performance.now();
  let verificationKey: Record<string, unknown>;
  let setupMs: number;
  try {
    if (system === 'groth16') await snarkjs.zKey.newZKey(r1csFile, ptauFile, partial);
    else if (system === 'plonk') await snarkjs.plonk.setup(r1csFile, ptauFile, partial);
    else await snarkjs.fflonk.setup(r1csFile, ptauFile, partial);
    verificationKey = (await snarkjs.zKey.exportVerificationKey(partial)) as Record<string, unknown>;
    // Timed before the curve's worker threads are terminated (that takes a few hundred ms).
    setupMs = performance.now() - start;
  } catch (cause) {
    throw new ToolError(`snarkjs ${system} setup failed for ${r1csFile}`, {
      cause,
      details: { system, r1csFile, ptauFile },
      hint: 'the powers of tau may be too small for this circuit (Groth16 needs 2^power ≥ constraints + public inputs; PLONK needs the gate count incl. public inputs; FFLONK about 9× more)',
    });
  } finally {
    await terminateCurve();
  }
  // snarkjs returns a -1 / false on some failures instead of throwing: check the file.
  if (!existsSync(partial)) throw new ToolError(`snarkjs ${system} setup wrote no zkey for ${r1csFile}`, { details: { system, r1csFile, ptauFile }, hint: 'a larger powers of tau' });
  // The verification key first, atomically: a reader that sees the zkey must find a whole vkey.
  await writeFile(`${partial}.vkey`, JSON.stringify(verificationKey));
  await rename(`${partial}.vkey`, vkeyFile);
  await rename(partial, zkeyFile);
  return { system, zkeyFile, vkeyFile, verificationKey, setupMs, zkeyBytes: (await stat(zkeyFile)).size, cached: false, peakRssBytes: peakRssBytes() };
}
