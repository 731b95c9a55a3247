/**
 * The Groth16 forgery from the verification key alone (src/zk/attacks/forgeGroth16Proof.ts),
 * against the keys the project makes (setupCircuit via proveInference, tiny MLP): a proof for
 * public signals the circuit never computed (outputs 1234 and -5 for an input it was not run on).
 * The project's keys carry a phase-2 contribution (γ ≠ δ) and reject it; a key without one
 * (snarkjs `zkey new` alone) accepts it in snarkjs, and is refused wherever the project loads it.
 * Also: a killed setup's partial files are cleaned (removeStalePartials).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError, VerificationError } from '../src/errors.ts';
import { forgeGroth16Proof } from '../src/zk/attacks/forgeGroth16Proof.ts';
import { BN254_PRIME } from '../src/zk/calculateWitness.ts';
import { exportVerifier } from '../src/zk/onchain/exportVerifier.ts';
import { repoRoot } from '../src/zk/paths.ts';
import { proveInference, type ProveInferenceResult } from '../src/zk/proveInference.ts';
import { removeStalePartials } from '../src/zk/removeStalePartials.ts';
import { contributionName, setupCircuit } from '../src/zk/setupCircuit.ts';
import { terminateCurve } from '../src/zk/types.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { tinyMlp } from './zk-fixtures.ts';

const field = (v: number) => ((BigInt(v) + BN254_PRIME) % BN254_PRIME).toString();
/** Outputs 1234 and -5 for the input [7, 7, 7, 7]: nothing the model computes. */
const FORGED_SIGNALS = [1234, -5, 7, 7, 7, 7].map(field);

mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
const scratch = mkdtempSync(path.join(repoRoot, '.cache', 'forge-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a Groth16 proof forged from the verification key', () => {
  let result: ProveInferenceResult;
  /** The same circuit's key as `zkey new` alone writes it: γ = δ. */
  const uncontributed = path.join(scratch, 'uncontributed.zkey');
  let uncontributedKey: Record<string, unknown>;

  beforeAll(async () => {
    result = await proveInference({ model: tinyMlp(), inputs: { x: [1, -2, 300, -32768] }, settings: { weights: 'constant', relu: 'bounded' }, system: 'groth16' });
    await snarkjs.zKey.newZKey(result.circuit.r1csFile, result.ptau.file, uncontributed);
    uncontributedKey = await snarkjs.zKey.exportVerificationKey(uncontributed);
  }, 120_000);
  afterAll(() => terminateCurve());

  it('the project\'s key has a contribution (γ ≠ δ), and the forgery fails snarkjs verify and verifyProof', async () => {
    const vk = result.verificationKey as { vk_gamma_2: unknown; vk_delta_2: unknown };
    expect(vk.vk_gamma_2).not.toEqual(vk.vk_delta_2);
    const forged = await forgeGroth16Proof({ verificationKey: result.verificationKey, publicSignals: FORGED_SIGNALS });
    expect(await snarkjs.groth16.verify(result.verificationKey, forged.publicSignals, forged.proof)).toBe(false);
    await expect(verifyProof({ system: 'groth16', verificationKey: result.verificationKey, proof: forged.proof, publicSignals: forged.publicSignals, layout: result.layout })).rejects.toThrow(VerificationError);
    // The contribution is recorded in the zkey under its name.
    const contributions = (await snarkjs.zKey.verifyFromR1cs(result.circuit.r1csFile, result.ptau.file, result.zkeyFile)) as boolean;
    expect(contributions).toBe(true);
    expect(readFileSync(result.zkeyFile).includes(Buffer.from(contributionName))).toBe(true);
  });

  it('a key without a contribution: snarkjs accepts the forgery, verifyProof and exportVerifier refuse the key', async () => {
    const forged = await forgeGroth16Proof({ verificationKey: uncontributedKey, publicSignals: FORGED_SIGNALS });
    expect(await snarkjs.groth16.verify(uncontributedKey, forged.publicSignals, forged.proof)).toBe(true);
    const refused = verifyProof({ system: 'groth16', verificationKey: uncontributedKey, proof: forged.proof, publicSignals: forged.publicSignals });
    await expect(refused).rejects.toThrow(ToolError);
    await expect(refused).rejects.toThrow('vk_gamma_2 == vk_delta_2');
    await expect(exportVerifier({ zkeyFile: uncontributed })).rejects.toThrow(`${uncontributed}: a Groth16 key without a phase-2 contribution`);
  });

  it('setupCircuit refuses a cached key with γ = δ, naming the file', async () => {
    const r1csFile = path.join(scratch, 'tiny.r1cs');
    copyFileSync(result.circuit.r1csFile, r1csFile);
    // A killed setup's leftover (its pid is gone): the next setup of the folder removes it.
    const leftover = path.join(scratch, `tiny.groth16.0123456789abcdef.zkey.${spawnSync(process.execPath, ['-e', '0']).pid}.${Date.now()}.partial`);
    writeFileSync(leftover, 'half a key');
    const made = await setupCircuit({ system: 'groth16', r1csFile, ptauFile: result.ptau.file });
    expect(made).toMatchObject({ cached: false });
    expect(made.contributeMs).toBeGreaterThan(0);
    expect(existsSync(leftover)).toBe(false);
    // Two keys made from the same circuit and ptau differ: the entropy is fresh each time.
    expect(made.verificationKey.vk_delta_2).not.toEqual(result.verificationKey.vk_delta_2);
    writeFileSync(made.vkeyFile, JSON.stringify(uncontributedKey));
    await expect(setupCircuit({ system: 'groth16', r1csFile, ptauFile: result.ptau.file })).rejects.toThrow(`${made.vkeyFile}: a Groth16 key without a phase-2 contribution`);
  });
});

describe('removeStalePartials', () => {
  it('removes the partials of a dead process and those untouched for an hour, keeps a live one\'s', async () => {
    const dir = mkdtempSync(path.join(scratch, 'partials-'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const now = Date.now();
    const files = {
      dead: path.join(dir, `main.groth16.abc.zkey.${dead}.${now}.partial`),
      deadZero: path.join(dir, `main.groth16.abc.zkey.${dead}.${now}.partial.0`),
      live: path.join(dir, `main.groth16.abc.zkey.${process.pid}.${now}.partial`),
      oldLive: path.join(dir, `main.plonk.abc.zkey.${process.pid}.${now - 7_200_000}.partial`),
      other: path.join(dir, 'main.groth16.abc.zkey'),
    };
    for (const file of Object.values(files)) writeFileSync(file, 'x');
    const twoHoursAgo = (now - 7_200_000) / 1000;
    utimesSync(files.oldLive, twoHoursAgo, twoHoursAgo);
    const { removed } = await removeStalePartials({ dir });
    expect(removed.sort()).toEqual([files.dead, files.deadZero, files.oldLive].sort());
    expect(existsSync(files.live) && existsSync(files.other)).toBe(true);
  });
});
