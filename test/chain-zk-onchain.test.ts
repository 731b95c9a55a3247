/**
 * zkML on-chain, end to end on anvil, for Groth16, PLONK and FFLONK: a tiny circuit of our own
 * (circom2), a deterministic powers-of-tau (snarkjs's ceremony at power 8 with a beacon as the
 * only contribution, so the keys — and with them the verifier code and deploy gas — are the same
 * on every machine), real proofs, the exported verifier and the InferenceRegistry. A valid proof
 * is accepted and recorded; a tampered proof, a changed public input and a changed output, and
 * a Groth16 proof forged from the verification key are rejected (mined, reverted: InvalidProof);
 * a Groth16 key without a phase-2 contribution (γ = δ) is refused before deploying; an input outside the signed range the registry
 * checks (InputOutOfRange) is rejected before the verifier runs.
 *
 * Exact figures: deploy gas is deterministic (fixed keys). Proofs are randomized (Groth16's r, s;
 * PLONK/FFLONK blinding), so calldata zero-byte counts — and with them calldata gas — vary; gas
 * used minus calldata gas (intrinsic + execution) is deterministic and asserted exactly.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../src/chain/compileSolidity.ts';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { deployInferenceRegistry, type InferenceRegistryDeployment, type InputSignalRange } from '../src/zk/onchain/deployInferenceRegistry.ts';
import type { OnChainProofSystem } from '../src/zk/onchain/exportVerifier.ts';
import { submitInference } from '../src/zk/onchain/submitInference.ts';
import { forgeGroth16Proof } from '../src/zk/attacks/forgeGroth16Proof.ts';
import { verifyOnChain } from '../src/zk/onchain/verifyOnChain.ts';

const CIRCUIT = `pragma circom 2.1.0;
// y = w·x² + 3 with x public (the inference input), w private (a weight), y public (the output).
template TinyInference() {
    signal input x;
    signal input w;
    signal output y;
    signal wx;
    wx <== w * x;
    y <== wx * x + 3;
}
component main {public [x]} = TinyInference();
`;
const PTAU_POWER = 8;
const SYSTEMS: OnChainProofSystem[] = ['groth16', 'plonk', 'fflonk'];
const INPUT = { x: 5, w: 7 };
const EXPECTED_SIGNALS = ['178', '5']; // y = 7·5² + 3, then x
/** x is public signal 1 (after the output y); treated as a signed 16-bit value: [-2^15, 2^15). */
const INPUT_RANGE: InputSignalRange = { inputSignalStart: 1, inputSignalCount: 1, inputBound: 2n ** 15n };
const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * Measured on anvil 1.7.1 (prague), solc 0.8.37 (optimizer 200 runs, no metadata hash), snarkjs
 * 0.7.6 templates, for this circuit and ptau. `submitWithoutCalldata` = gasUsed − calldata gas of
 * submitInference. PLONK's verifier inverts with an extended-Euclid loop whose iteration count
 * depends on the proof's challenges, so its execution gas varies by a few thousand gas between
 * proofs: a range is asserted there (observed 312,138–314,120).
 */
const REGISTRY_DEPLOY_GAS = 617_387n; // with the constructor args of a full run (the verifier address depends on the deployer nonce)
const REGISTRY_CODE_BYTES = 2568;
const EXPECTED_GAS: Record<OnChainProofSystem, {
  verifierDeploy: bigint; verifierCodeBytes: number; calldataBytes: number; submitWithoutCalldata: bigint | [bigint, bigint];
}> = {
  groth16: { verifierDeploy: 352_282n, verifierCodeBytes: 1383, calldataBytes: 452, submitWithoutCalldata: 247_049n },
  plonk: { verifierDeploy: 1_246_385n, verifierCodeBytes: 5518, calldataBytes: 964, submitWithoutCalldata: [305_000n, 320_000n] },
  fflonk: { verifierDeploy: 3_069_826n, verifierCodeBytes: 13_949, calldataBytes: 964, submitWithoutCalldata: 233_602n },
};

const buildDir = join(REPOSITORY_ROOT, '.cache', 'chain-zk-test', createHash('sha256').update(CIRCUIT).update(String(PTAU_POWER)).digest('hex').slice(0, 16));
const r1csFile = join(buildDir, 'tiny.r1cs');
const wasmFile = join(buildDir, 'tiny_js', 'tiny.wasm');
const ptauFile = join(buildDir, `pot${PTAU_POWER}_final.ptau`);
const zkeyFile = (system: OnChainProofSystem) => join(buildDir, `tiny_${system}_v2.zkey`);
/** `zkey new` alone: γ = δ, forgeable from its verification key. */
const uncontributedGroth16 = join(buildDir, 'tiny_groth16_uncontributed.zkey');

/** Runs `make(temporary)` and moves the result into place, so an interrupted run leaves no half file. */
async function atomically(file: string, make: (temporary: string) => Promise<unknown>): Promise<void> {
  if (existsSync(file)) return;
  const temporary = `${file}.${process.pid}.tmp`;
  await make(temporary);
  renameSync(temporary, file);
}

async function buildArtifacts(): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  if (!existsSync(r1csFile) || !existsSync(wasmFile)) {
    writeFileSync(join(buildDir, 'tiny.circom'), CIRCUIT);
    // circom2 (WASI) sees paths below its working directory only: run it from the repository root.
    execFileSync(process.execPath, [
      join(REPOSITORY_ROOT, 'node_modules', 'circom2', 'cli.js'),
      relative(REPOSITORY_ROOT, join(buildDir, 'tiny.circom')), '--r1cs', '--wasm', '-o', relative(REPOSITORY_ROOT, buildDir),
    ], { cwd: REPOSITORY_ROOT, stdio: 'pipe' });
    writeFileSync(join(buildDir, 'tiny_js', 'package.json'), '{"type":"commonjs"}\n');
  }
  await atomically(ptauFile, async (temporary) => {
    const curve = await (await import('ffjavascript')).buildBn128();
    try {
      await snarkjs.powersOfTau.newAccumulator(curve, PTAU_POWER, `${temporary}.0`);
      // A beacon contribution is deterministic: everyone gets the same, (publicly known, insecure) ptau.
      await snarkjs.powersOfTau.beacon(`${temporary}.0`, `${temporary}.1`, 'opzk test beacon', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 10);
      await snarkjs.powersOfTau.preparePhase2(`${temporary}.1`, temporary);
    } finally {
      await curve.terminate();
    }
  });
  await atomically(uncontributedGroth16, (temporary) => snarkjs.zKey.newZKey(r1csFile, ptauFile, temporary));
  // A deterministic (beacon) phase-2 contribution keeps γ ≠ δ and the gas figures fixed; the
  // project's own keys take fresh entropy instead (setupCircuit.ts).
  await atomically(zkeyFile('groth16'), (temporary) => snarkjs.zKey.beacon(uncontributedGroth16, temporary, 'opzk test beacon', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 10));
  await atomically(zkeyFile('plonk'), (temporary) => snarkjs.plonk.setup(r1csFile, ptauFile, temporary));
  await atomically(zkeyFile('fflonk'), (temporary) => snarkjs.fflonk.setup(r1csFile, ptauFile, temporary));
}

type Proven = { proof: Record<string, unknown>; publicSignals: string[] };
async function prove(system: OnChainProofSystem): Promise<Proven> {
  return (await snarkjs[system].fullProve(INPUT, wasmFile, zkeyFile(system))) as Proven;
}

/** A proof that is well-formed but wrong for these signals. */
function tamper(system: OnChainProofSystem, proof: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(proof) as Record<string, any>;
  if (system === 'groth16') [copy.pi_a, copy.pi_c] = [copy.pi_c, copy.pi_a];
  else if (system === 'plonk') copy.eval_a = (BigInt(copy.eval_a) + 1n).toString();
  else copy.evaluations.a = (BigInt(copy.evaluations.a) + 1n).toString();
  return copy;
}

describe('zk verifiers on-chain', () => {
  let anvil: StartAnvilResult;
  let clients: ChainClients;
  const proofs = {} as Record<OnChainProofSystem, Proven>;

  beforeAll(async () => {
    await buildArtifacts();
    for (const system of SYSTEMS) proofs[system] = await prove(system);
    anvil = await startAnvil();
    clients = await createChainClients({ rpcUrl: anvil.rpcUrl, accountCount: 2 });
  }, 300_000);
  afterAll(async () => {
    await anvil?.stop();
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
  });

  for (const system of SYSTEMS) {
    describe(system, () => {
      let deployment: InferenceRegistryDeployment;

      it(`${system}_proof_is_valid_off_chain`, async () => {
        expect(proofs[system].publicSignals).toEqual(EXPECTED_SIGNALS);
        const verificationKey = await snarkjs.zKey.exportVerificationKey(zkeyFile(system));
        expect(await snarkjs[system].verify(verificationKey, proofs[system].publicSignals, proofs[system].proof)).toBe(true);
      });

      it(`${system}_verifier_and_registry_deploy`, async () => {
        deployment = await deployInferenceRegistry({ clients, zkeyFile: zkeyFile(system), system, inputs: INPUT_RANGE });
        expect(deployment.publicSignalCount).toBe(2);
        expect(deployment.proofWords).toBe(system === 'groth16' ? 8 : 24);
      });

      it(`${system}_tampered_proof_is_rejected`, async () => {
        const rejected = await submitInference({ clients, deployment, proof: tamper(system, proofs[system].proof), publicSignals: proofs[system].publicSignals });
        expect(rejected).toMatchObject({ accepted: false, rejectedWith: 'InvalidProof', status: 'reverted', storageBytes: 0 });
      });

      if (system === 'groth16') {
        it('groth16_proof_forged_from_the_verification_key_is_rejected', async () => {
          // y = 999 for x = 5 (the circuit computes 178), made from the verification key alone.
          const verificationKey = await snarkjs.zKey.exportVerificationKey(zkeyFile(system));
          const forged = await forgeGroth16Proof({ verificationKey, publicSignals: ['999', '5'] });
          const submitted = await submitInference({ clients, deployment, ...forged });
          expect(submitted).toMatchObject({ accepted: false, rejectedWith: 'InvalidProof', status: 'reverted', storageBytes: 0 });
        });

        it('groth16_key_without_contribution_is_refused_before_deploying', async () => {
          // Its verifier would accept the forgery (snarkjs does): it never reaches the chain.
          const verificationKey = await snarkjs.zKey.exportVerificationKey(uncontributedGroth16);
          const forged = await forgeGroth16Proof({ verificationKey, publicSignals: ['999', '5'] });
          expect(await snarkjs.groth16.verify(verificationKey, forged.publicSignals, forged.proof)).toBe(true);
          await expect(deployInferenceRegistry({ clients, zkeyFile: uncontributedGroth16, system, inputs: INPUT_RANGE }))
            .rejects.toThrow(`${uncontributedGroth16}: a Groth16 key without a phase-2 contribution (vk_gamma_2 == vk_delta_2)`);
        });
      }

      it(`${system}_valid_proof_with_changed_input_or_output_is_rejected`, async () => {
        const changedInput = await submitInference({ clients, deployment, proof: proofs[system].proof, publicSignals: ['178', '6'] });
        expect(changedInput).toMatchObject({ accepted: false, rejectedWith: 'InvalidProof', storageBytes: 0 });
        const changedOutput = await submitInference({ clients, deployment, proof: proofs[system].proof, publicSignals: ['179', '5'] });
        expect(changedOutput).toMatchObject({ accepted: false, rejectedWith: 'InvalidProof', storageBytes: 0 });
      });

      it(`${system}_input_outside_the_signed_range_is_rejected`, async () => {
        // The registry checks before the verifier runs (no proof exists for such an input: this
        // only shows the check is wired with the right positions and bound).
        for (const input of [2n ** 15n, FIELD_MODULUS - 2n ** 40n]) {
          const rejected = await submitInference({ clients, deployment, proof: proofs[system].proof, publicSignals: [178n, input] });
          expect(rejected).toMatchObject({ accepted: false, rejectedWith: 'InputOutOfRange', storageBytes: 0 });
        }
      });

      it(`${system}_valid_proof_is_accepted_and_recorded`, async () => {
        const submitted = await submitInference({ clients, deployment, ...proofs[system], wallet: clients.wallets[1] });
        expect(submitted.accepted).toBe(true);
        expect(submitted.storageBytes).toBe(32);
        const recordedAt = await clients.publicClient.readContract({
          address: deployment.registryAddress, abi: deployment.registryAbi, functionName: 'recordedAtBlock', args: [submitted.inferenceId],
        });
        expect(recordedAt).toBe(submitted.blockNumber);
        // Selector + two array offsets + two lengths + proof words + 2 signals, 32 bytes each.
        expect(submitted.calldataBytes).toBe(4 + 32 * (4 + deployment.proofWords + 2));
        const again = await submitInference({ clients, deployment, ...proofs[system] });
        expect(again).toMatchObject({ accepted: false, rejectedWith: 'InferenceAlreadyRecorded', storageBytes: 0 });
      });

      it(`${system}_verifyOnChain_reports_exact_figures`, async () => {
        const result = await verifyOnChain({ clients, zkeyFile: zkeyFile(system), system, inputs: INPUT_RANGE, ...proofs[system] });
        expect(result).toMatchObject({ system, accepted: true, verifierReturned: true, storageBytes: 32, publicSignalCount: 2 });
        const expected = EXPECTED_GAS[system];
        expect(result.deployGas).toEqual({ verifier: expected.verifierDeploy, registry: REGISTRY_DEPLOY_GAS });
        expect(result.codeBytes).toEqual({ verifier: expected.verifierCodeBytes, registry: REGISTRY_CODE_BYTES });
        expect(result.calldataBytes).toBe(expected.calldataBytes);
        // Intrinsic 21,000 + execution: everything but the proof-dependent calldata gas.
        const execution = result.verifyGas - result.calldataGas;
        if (typeof expected.submitWithoutCalldata === 'bigint') expect(execution).toBe(expected.submitWithoutCalldata);
        else {
          expect(execution).toBeGreaterThanOrEqual(expected.submitWithoutCalldata[0]);
          expect(execution).toBeLessThanOrEqual(expected.submitWithoutCalldata[1]);
        }
        // The registry's own overhead over the bare verifier call: its checks, one new slot, the event, the longer calldata.
        expect(result.verifyGas - result.verifierGas).toBeGreaterThan(22_100n);
        expect(result.verifyGas - result.verifierGas).toBeLessThan(40_000n);
      });
    });
  }

  it('verifyOnChain_starts_and_stops_its_own_anvil', async () => {
    const result = await verifyOnChain({ zkeyFile: zkeyFile('groth16'), inputs: INPUT_RANGE, ...proofs.groth16 });
    expect(result).toMatchObject({ system: 'groth16', accepted: true, chain: 'anvil (started here)' });
  });
});
