/**
 * Circuit-specific setup with snarkjs: r1cs + prepared powers of tau → proving key (.zkey) and
 * verification key (JSON), cached beside the r1cs, keyed by the system and the ptau file (path,
 * size, mtime). Groth16 gets one phase-2 contribution with fresh entropy (crypto.randomBytes,
 * which snarkjs mixes with its own), discarded after use: `zkey new` alone leaves δ = γ, and then
 * anyone holding the verification key can forge proofs (src/zk/attacks/forgeGroth16Proof.ts).
 * The contribution does not make a key sound on its own: with the local ptau, τ is known (see
 * describeTrustedSetup.ts). PLONK and FFLONK need no phase 2.
 *
 * Safe across processes: the build runs under a lock file (withFileLock), so two processes never
 * write two different random keys under one name, and a killed setup's partial files are removed
 * (removeStalePartials). A cached or given Groth16 key with γ = δ is refused (checkVerificationKey).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { ToolError } from '../errors.ts';
import { readBuildRecord, writeBuildRecord } from './buildRecord.ts';
import { checkVerificationKey } from './checkVerificationKey.ts';
import { removeStalePartials } from './removeStalePartials.ts';
import { peakRssBytes, terminateCurve, type ProofSystem } from './types.ts';
import { withFileLock } from './withFileLock.ts';

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
  /** Setup wall time in milliseconds, the Groth16 contribution included (0 when cached). */
  setupMs: number;
  /** Of setupMs, the Groth16 phase-2 contribution, ms (0 for PLONK/FFLONK and when cached). */
  contributeMs: number;
  /**
   * What building this key took, ms: setupMs when built now; when cached, the time recorded beside
   * the key when it was built (`<zkey>.build.json`), undefined for a key cached before such records
   * existed (one-time cost accounting, issue 14).
   */
  builtMs?: number;
  zkeyBytes: number;
  cached: boolean;
  /** RSS high-water mark after the setup, bytes (see peakRssBytes). */
  peakRssBytes: number;
}

/**
 * Part of the cache key: Groth16 keys made before the contribution existed (δ = γ, forgeable) have
 * another name and are never picked up again; a file under this name with δ = γ is refused.
 */
const GROTH16_KEY_FORMAT = 'groth16 phase 2 with one fresh-entropy contribution';
/** Names the contribution in the zkey (visible in `snarkjs zkey verify`). */
export const contributionName = 'opzk-bench setup (fresh entropy, discarded)';

export async function setupCircuit({ system, r1csFile, ptauFile, force = false }: SetupCircuitParameters): Promise<SetupCircuitResult> {
  const ptauStat = await stat(ptauFile).catch((cause: unknown) => {
    throw new ToolError(`${ptauFile}: cannot read the powers of tau`, { cause, details: { file: ptauFile }, hint: 'pass --ptau FILE or let ensurePtau make a local one' });
  });
  const format = system === 'groth16' ? `${GROTH16_KEY_FORMAT}\n` : '';
  const key = createHash('sha256').update(`${format}${path.resolve(ptauFile)}\n${ptauStat.size}\n${ptauStat.mtimeMs}`).digest('hex').slice(0, 16);
  const base = r1csFile.replace(/\.r1cs$/, '');
  const zkeyFile = `${base}.${system}.${key}.zkey`;
  const vkeyFile = `${base}.${system}.${key}.vkey.json`;
  return withFileLock({
    lockFile: `${zkeyFile}.lock`,
    run: async () => {
      await removeStalePartials({ dir: path.dirname(zkeyFile) });
      if (!force && existsSync(zkeyFile) && existsSync(vkeyFile)) {
        const verificationKey = JSON.parse(await readFile(vkeyFile, 'utf8')) as Record<string, unknown>;
        checkVerificationKey({ verificationKey, file: vkeyFile });
        const builtMs = readBuildRecord(zkeyFile)?.builtMs;
        return { system, zkeyFile, vkeyFile, verificationKey, setupMs: 0, contributeMs: 0, ...(builtMs !== undefined ? { builtMs } : {}), zkeyBytes: (await stat(zkeyFile)).size, cached: true, peakRssBytes: peakRssBytes() };
      }
      return build({ system, r1csFile, ptauFile, zkeyFile, vkeyFile });
    },
  });
}

async function build({ system, r1csFile, ptauFile, zkeyFile, vkeyFile }: { system: ProofSystem; r1csFile: string; ptauFile: string; zkeyFile: string; vkeyFile: string }): Promise<SetupCircuitResult> {
  // The pid in the name lets removeStalePartials tell a killed setup's files from a live one's.
  const partial = `${zkeyFile}.${process.pid}.${Date.now()}.partial`;
  const start = performance.now();
  let verificationKey: Record<string, unknown>;
  let setupMs: number;
  let contributeMs = 0;
  try {
    if (system === 'groth16') {
      await snarkjs.zKey.newZKey(r1csFile, ptauFile, `${partial}.0`);
      const contributeStart = performance.now();
      // snarkjs hashes this with 64 bytes of its own randomness into the secret δ-multiplier; it
      // lives only inside this call.
      await snarkjs.zKey.contribute(`${partial}.0`, partial, contributionName, randomBytes(32).toString('hex'));
      contributeMs = performance.now() - contributeStart;
    } else if (system === 'plonk') await snarkjs.plonk.setup(r1csFile, ptauFile, partial);
    else await snarkjs.fflonk.setup(r1csFile, ptauFile, partial);
    verificationKey = (await snarkjs.zKey.exportVerificationKey(partial)) as Record<string, unknown>;
    // Timed before the curve's worker threads are terminated (that takes a few hundred ms).
    setupMs = performance.now() - start;
  } catch (cause) {
    await rm(partial, { force: true });
    throw new ToolError(`snarkjs ${system} setup failed for ${r1csFile}`, {
      cause,
      details: { system, r1csFile, ptauFile },
      hint: 'the powers of tau may be too small for this circuit (Groth16 needs 2^power ≥ constraints + public inputs; PLONK needs the gate count incl. public inputs; FFLONK about 9× more)',
    });
  } finally {
    await rm(`${partial}.0`, { force: true });
    await terminateCurve();
  }
  // snarkjs returns a -1 / false on some failures instead of throwing: check the file.
  if (!existsSync(partial)) throw new ToolError(`snarkjs ${system} setup wrote no zkey for ${r1csFile}`, { details: { system, r1csFile, ptauFile }, hint: 'a larger powers of tau' });
  checkVerificationKey({ verificationKey, file: partial });
  // The verification key first, atomically: a reader that sees the zkey must find a whole vkey.
  await writeFile(`${partial}.vkey`, JSON.stringify(verificationKey));
  await rename(`${partial}.vkey`, vkeyFile);
  // The build record before the key: a reader that finds the key finds its record (or an older key's).
  await writeBuildRecord(zkeyFile, { builtMs: setupMs });
  await rename(partial, zkeyFile);
  return { system, zkeyFile, vkeyFile, verificationKey, setupMs, contributeMs, builtMs: setupMs, zkeyBytes: (await stat(zkeyFile)).size, cached: false, peakRssBytes: peakRssBytes() };
}
