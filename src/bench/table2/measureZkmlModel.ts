/**
 * Owns the zkML side of one Table II row: one proof of the model's inference (proveInference:
 * circuit, witness checked against the engine, powers of tau, setup, prove, native verify), then
 * on a fresh local anvil the verifier and registry deployed, the proof submitted (gas, calldata,
 * storage), and fault injection: tampered proofs, wrong public signals and (Groth16) a proof forged
 * from the verification key alone, submitted on-chain and verified natively, each of which must be
 * rejected.
 *
 * Input modes (circuit.inputs): `public` — every input element is a public signal, checked by
 * InferenceRegistry; `hashed` — a Poseidon commitment is the one public input, and on-chain the
 * input is first posted (CommittedInputRegistry.requestInference: zkRequestGas, its calldata and
 * storage), then the proof submitted against it. The local anvil keeps mainnet's EIP-170/EIP-3860
 * limits unless `codeSizeLimit: false`: a verifier over them is recorded as refused
 * (zkDeployRefused = 1, its size in zkVerifierCodeBytes) and nothing on-chain is measured for it;
 * `codeSizeLimitLifted` says when the limit was off.
 */
import { openChain } from '../../chain/openChain.ts';
import { probeDebugTrace } from '../../chain/probeDebugTrace.ts';
import { forgeGroth16Proof } from '../../zk/attacks/forgeGroth16Proof.ts';
import { deployInferenceRegistry } from '../../zk/onchain/deployInferenceRegistry.ts';
import { submitInference } from '../../zk/onchain/submitInference.ts';
import { buildCircuit, computeWitness, type CircuitBuilderChoice } from '../../zk/buildCircuit.ts';
import { requestInference } from '../../zk/onchain/requestInference.ts';
import { isCodeSizeLimitError } from '../../chain/deployContract.ts';
import type { CircuitSettings } from '../../zk/generateCircuit.ts';
import { proveInference } from '../../zk/proveInference.ts';
import { choosePower } from '../../zk/setup/choosePower.ts';
import { ensurePtau } from '../../zk/setup/ensurePtau.ts';
import { setupCircuit } from '../../zk/setupCircuit.ts';
import { terminateCurve, type ProofSystem, type SnarkProof } from '../../zk/types.ts';
import { verifyProof } from '../../zk/verifyProof.ts';
import { buildCircuitInput } from '../../zk/buildCircuitInput.ts';
import { proveFflonk } from '../../zk/proveFflonk.ts';
import { proveGroth16 } from '../../zk/proveGroth16.ts';
import { provePlonk } from '../../zk/provePlonk.ts';
import { repeatInference, repeatedTiming, runOneTimeStep, type OnAttemptPhase, type OnOneTimeStep } from './attemptBudgets.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { LoadBenchModelResult } from './loadBenchModel.ts';

export interface MeasureZkmlModelParameters {
  loaded: LoadBenchModelResult;
  system: ProofSystem;
  circuit: CircuitSettings;
  /** Who writes the R1CS and the witness (zk/buildCircuit.ts); default 'auto': direct unless the settings need circom. */
  builder?: CircuitBuilderChoice;
  /** Submit the proof on-chain and run the tampering checks there (default true). */
  onChain?: boolean;
  /** A prepared ceremony file (default: a local insecure one, see ensurePtau). */
  ptauFile?: string;
  /** A phase starts, and the budget it counts against (attemptBudgets.ts). */
  onPhase?: OnAttemptPhase;
  /** A one-time step (circuit, ptau, key) finished: built now or taken from the cache. */
  onOneTimeStep?: OnOneTimeStep;
  /** Timed runs of witness + prove + verify, the first included, and the wall time the extra runs may take (default one run). */
  repeat?: { repetitions: number; budgetMs: number };
  /** Deploy and submit on this EVM endpoint (key: OPZK_PRIVATE_KEY) instead of a fresh local
   * anvil; EIP-170 then applies as the chain has it. */
  rpcUrl?: string;
  /** Add `inputs=<this>` to every measurement's labels (measureAttempt decides when). */
  inputsLabel?: string;
  /** Enforce EIP-170/EIP-3860 on the local anvil (default true, as mainnet). */
  codeSizeLimit?: boolean;
}

export interface MeasureZkmlModelResult {
  measurements: Measurement[];
  /** Where the powers of tau came from. */
  ptau: { source: string; power: number; insecure: boolean };
}

interface Tampering {
  tamper: string;
  description: string;
  proof: SnarkProof;
  publicSignals: string[];
}

/** The forgeries every verifier must reject: proof points changed, and true proofs with wrong public signals. */
export function tamperings(proof: SnarkProof, publicSignals: string[], outputCount: number): Tampering[] {
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const list: Tampering[] = [];
  if (Array.isArray(proof.pi_a) && Array.isArray(proof.pi_c)) {
    const swapped = copy(proof);
    [swapped.pi_a, swapped.pi_c] = [swapped.pi_c, swapped.pi_a];
    list.push({ tamper: 'proof-points-swapped', description: 'A and C of the Groth16 proof swapped (both valid curve points)', proof: swapped, publicSignals });
    const offCurve = copy(proof);
    const a = offCurve.pi_a as string[];
    a[0] = (BigInt(a[0]!) + 1n).toString();
    list.push({ tamper: 'proof-point-off-curve', description: 'A.x + 1 (not a curve point)', proof: offCurve, publicSignals });
  } else {
    // PLONK/FFLONK: change the first evaluation or commitment the proof object carries.
    const changed = copy(proof);
    const key = Object.keys(changed).find((k) => typeof changed[k] === 'string' && /^\d+$/.test(changed[k] as string));
    if (key) {
      changed[key] = (BigInt(changed[key] as string) + 1n).toString();
      list.push({ tamper: 'proof-evaluation-changed', description: `proof field ${key} + 1`, proof: changed, publicSignals });
    }
  }
  const bump = (index: number) => publicSignals.map((s, i) => (i === index ? (BigInt(s) + 1n).toString() : s));
  list.push({ tamper: 'wrong-output', description: 'the true proof with output 0 + 1', proof, publicSignals: bump(0) });
  if (publicSignals.length > outputCount)
    list.push({ tamper: 'wrong-input', description: 'the true proof with the last public input + 1', proof, publicSignals: bump(publicSignals.length - 1) });
  return list;
}

export async function measureZkmlModel(parameters: MeasureZkmlModelParameters): Promise<MeasureZkmlModelResult> {
  const { loaded, system, circuit, onPhase } = parameters;
  const labels: Record<string, string> = { model: loaded.name, ...(parameters.inputsLabel ? { inputs: parameters.inputsLabel } : {}) };
  const codeSizeLimit = parameters.codeSizeLimit ?? true;
  const out: Measurement[] = [];
  const count = (metric: string, value: number, unit: string, extra: Record<string, string | number> = {}, higherIsWorse = true, note?: string) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'deterministic', value, higherIsWorse, note }));
  const timing = (metric: string, value: number, extra: Record<string, string | number> = {}, note?: string) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit: 'ms', kind: 'timing', samples: [value], note }));
  const info = (metric: string, value: number, unit: string, extra: Record<string, string | number> = {}, note?: string) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'info', value, note }));

  try {
    // The one-time steps first, each its own phase (proveInference then finds them cached), so a
    // limit that ends the attempt names the step it ended in; they count against the setup budget.
    const onStep: OnOneTimeStep = (step) => parameters.onOneTimeStep?.(step);
    onPhase?.(`zkML: build the circuit's R1CS (builder ${parameters.builder ?? 'auto'})`, 'setup');
    const compiled = await runOneTimeStep({
      step: 'circuit', onStep, cacheState: (c) => ({ cached: c.cached, builtMs: c.builtMs }),
      run: () => buildCircuit({ model: loaded.model, settings: circuit, builder: parameters.builder }),
    });
    const generated = { layout: compiled.layout };
    const needed = await choosePower({ system, r1csFile: compiled.r1csFile });
    onPhase?.(`zkML: powers of tau (power ${needed.power}, ${compiled.constraints} constraints)`, 'setup');
    const ptau = await runOneTimeStep({ step: 'ptau', onStep, run: () => ensurePtau({ power: needed.power, ptauFile: parameters.ptauFile }), cacheState: (p) => ({ cached: p.cached, builtMs: p.builtMs }) });
    onPhase?.(`zkML: ${system} setup (${compiled.constraints} constraints)`, 'setup');
    const setup = await runOneTimeStep({ step: 'key', onStep, run: () => setupCircuit({ system, r1csFile: compiled.r1csFile, ptauFile: ptau.file }), cacheState: (k) => ({ cached: k.cached, builtMs: k.builtMs }) });
    onPhase?.(`zkML: witness and prove (${compiled.constraints} constraints)`, 'inference');
    const proved = await proveInference({ model: loaded.model, inputs: loaded.inputs, settings: circuit, system, ptauFile: parameters.ptauFile, builder: compiled.builder });
    // More runs of the per-inference steps for their spread (issue 14): the same witness, proof and
    // verification on the warm process, outside both budgets.
    onPhase?.('zkML: timing repetitions (witness, prove, verify)', 'repeat');
    const { input } = await buildCircuitInput({ model: loaded.model, layout: generated.layout, inputs: loaded.inputs });
    const prover = system === 'groth16' ? proveGroth16 : system === 'plonk' ? provePlonk : proveFflonk;
    const repeated = await repeatInference({
      repetitions: parameters.repeat?.repetitions ?? 1, budgetMs: parameters.repeat?.budgetMs ?? 0,
      first: { witness: proved.witnessMs, prove: proved.proveMs, verify: proved.verifyMs ?? 0 },
      run: async () => {
        const witness = await computeWitness({ circuit: compiled, model: loaded.model, settings: circuit, input });
        const again = await prover({ zkeyFile: setup.zkeyFile, wtns: witness.wtns });
        const verified = await verifyProof({ system, verificationKey: setup.verificationKey, proof: again.proof, publicSignals: again.publicSignals, layout: generated.layout });
        return { witness: witness.witnessMs, prove: again.proveMs, verify: verified.verifyMs };
      },
    });
    const sys = { system };
    count('constraints', proved.circuit.constraints, 'constraints');
    count('publicSignals', proved.publicSignals.length, 'signals');
    if (proved.layout.inputCommitment)
      count('inputCommitmentConstraints', proved.layout.inputCommitment.constraints, 'constraints', {}, true,
        `of the constraints: ${proved.layout.inputCommitment.elements} input elements range-checked (${proved.layout.valueBits} each), packed into ${proved.layout.inputCommitment.words} word${proved.layout.inputCommitment.words === 1 ? '' : 's'}, ${proved.layout.inputCommitment.chunks} × Poseidon(16)`);
    count('ptauPower', proved.ptau.neededPower, 'log2 rows', sys, true, `the power the circuit needs; used a file of power ${proved.ptau.power}, ${proved.ptau.source}; setup: ${proved.trustedSetup}`);
    // The engine comparison is inside proveInference: reaching this line means every output matched.
    count('engineCircuitMismatches', 0, 'elements', {}, true, 'circuit outputs that differ from the engine (proveInference throws on any)');
    const spread = (metric: string, samples: number[], note?: string) =>
      out.push(repeatedTiming({ metric, labels: { ...labels, ...sys }, samples, note, repeat: repeated }));
    info('r1csBuilder', 1, 'circuit', { builder: proved.builder }, proved.builder === 'direct'
      ? 'R1CS and witness by the direct TypeScript builder (src/zk/r1cs: the templates\' constraints, no circom)'
      : `R1CS by circom, witness by its wasm${proved.builderNote ? ` — ${proved.builderNote}` : ''}`);
    spread('witnessTime', repeated.samples.witness, `the first sample is the first witness in this process (cold: ${proved.builder === 'circom' ? 'V8 compiling circom\'s witness wasm included' : 'the direct gadgets\' first, unoptimised run'})`);
    timing('witnessWarmTime', proved.witnessWarmMs, sys, 'a second witness of the same input right after the first, in the same process (warm)');
    // One-time figures: measured now when built, else recorded when the cached artefact was built (oneTimeBuilt says which).
    if (setup.builtMs !== undefined) info('setupTime', setup.builtMs, 'ms', sys, setup.cached ? 'one-time per circuit: the key came from the cache; the time recorded when it was built' : 'one-time per circuit: built in this run');
    const built = compiled.builder === 'circom' ? 'circom compile' : 'direct R1CS build';
    info('compileTime', compiled.builtMs, 'ms', {}, compiled.cached ? `${built}, one-time per circuit: from the cache; the time recorded when it was built` : `${built}, one-time per circuit: built in this run`);
    spread('proveTime', repeated.samples.prove);
    if (proved.verifyMs !== undefined) spread('verifyTime', repeated.samples.verify, 'native snarkjs verification');
    spread('zkComputeTime', repeated.samples.witness.map((w, i) => w + repeated.samples.prove[i]!), 'off-chain work per inference: witness + prove');
    count('provingKeyBytes', proved.zkeyBytes, 'bytes', sys);
    count('proofBytes', proved.proofBytes, 'bytes', sys);
    info('peakMemory', proved.peakRssBytes, 'bytes', { path: 'zkML' }, 'process RSS high-water mark after proving (getrusage)');

    const outputCount = proved.outputs.reduce((total, o) => total + o.data.length, 0);
    const forged = tamperings(proved.proof, proved.publicSignals, outputCount);
    const hashedInputs = proved.inputCommitment;
    if (hashedInputs) {
      // The last public input is the weights' or the input commitment; name what wrong-input changes.
      const wrongInput = forged.find((t) => t.tamper === 'wrong-input');
      if (wrongInput) wrongInput.description = 'the true proof claiming another input: its commitment + 1 (requested on-chain first, so the verifier decides)';
    }
    if (system === 'groth16') {
      // The attack on a key without a phase-2 contribution (γ = δ): no witness, only the verification key.
      const claimed = proved.publicSignals.map((s, i) => (i === 0 ? (BigInt(s) + 1n).toString() : s));
      const forgery = await forgeGroth16Proof({ verificationKey: proved.verificationKey, publicSignals: claimed });
      forged.push({ tamper: 'forged-from-vkey', description: 'a proof made from the verification key alone (A = α, B = β, C = −(IC₀ + Σ sᵢ·ICᵢ)) claiming output 0 + 1; accepted by any key with γ = δ', ...forgery });
    }
    onPhase?.('zkML: tampered proofs, natively');
    for (const t of forged) {
      let rejected = true;
      try {
        await verifyProof({ system, verificationKey: proved.verificationKey, proof: t.proof, publicSignals: t.publicSignals });
        rejected = false;
      } catch { /* rejected (or not even parseable): what we want */ }
      count('tamperRejected', rejected ? 1 : 0, 'rejected', { tamper: t.tamper, where: 'native' }, false, t.description);
    }

    if (parameters.onChain ?? true) {
      onPhase?.(parameters.rpcUrl ? 'zkML on-chain: the --rpc-url chain' : 'zkML on-chain: anvil');
      // Public inputs make the generated verifier grow ~100 bytes per signal: a 784-pixel input is
      // past EIP-170's 24,576-byte limit, which the local chain enforces as mainnet does unless lifted.
      const lifted = !parameters.rpcUrl && !codeSizeLimit;
      const chain = await openChain({ rpcUrl: parameters.rpcUrl, accountCount: 1, anvil: { disableCodeSizeLimit: lifted } });
      try {
        const { clients } = chain;
        if (!parameters.rpcUrl)
          info('codeSizeLimitLifted', lifted ? 1 : 0, 'lifted', sys, lifted ? 'EIP-170/EIP-3860 OFF on the local anvil (--no-code-size-limit): a verifier mainnet refuses is measured anyway' : 'EIP-170/EIP-3860 enforced on the local anvil, as on mainnet');
        let deployment: Awaited<ReturnType<typeof deployInferenceRegistry>>;
        try {
          deployment = await deployInferenceRegistry({ clients, zkeyFile: proved.zkeyFile, system: system as never, inputs: proved.layout });
        } catch (error) {
          if (!isCodeSizeLimitError(error)) throw error;
          // Mainnet would refuse this verifier: record that (and its size), not a failed attempt.
          const refused = error.details as { codeBytes: number };
          count('zkVerifierCodeBytes', refused.codeBytes, 'bytes', sys, true, `over the EIP-170 limit of 24,576 bytes: refused by the local chain as by mainnet (${error.message})`);
          count('zkDeployRefused', 1, 'refused', sys, true, `${error.message}; nothing on-chain measured for this mode (--no-code-size-limit measures it anyway)`);
          return { measurements: out, ptau: { source: proved.ptau.source, power: proved.ptau.power, insecure: proved.ptau.insecure } };
        }
        const codeBytes = Number(deployment.verifierDeployment.deployedCodeBytes);
        // A Groth16 key's δ is random (setupCircuit): a coordinate of it starting with a zero byte
        // (~8% of keys) makes solc push it in fewer bytes, so these two can come out a few bytes/gas lower.
        const randomDelta = system === 'groth16' ? '; 1–4 bytes less for the ~8% of keys whose random δ has a coordinate starting with a zero byte' : '';
        count('zkVerifierCodeBytes', codeBytes, 'bytes', sys, true, `${codeBytes > 24576 ? 'over the EIP-170 limit of 24,576 bytes: deployable on mainnet only split up or with the input hashed' : 'within the EIP-170 limit of 24,576 bytes'}${randomDelta}`);
        const deployGas = deployment.verifierDeployment.gasUsed + deployment.registryDeployment.gasUsed;
        const deployCalldataGas = deployment.verifierDeployment.calldataGas + deployment.registryDeployment.calldataGas;
        info('zkDeployGas', Number(deployGas), 'gas', sys, 'verifier + registry deployments (once per circuit); the init code carries the key, so the calldata part varies by 12 gas per zero byte of the random δ (zkDeployExecutionGas does not)');
        count('zkDeployExecutionGas', Number(deployGas - deployCalldataGas), 'gas', sys, true, `zkDeployGas minus its calldata gas: independent of the key's random bytes${randomDelta}`);
        if (hashedInputs) {
          onPhase?.('zkML: post the input (requestInference)');
          const traced = chain.kind === 'anvil' || (await probeDebugTrace({ publicClient: clients.publicClient }));
          const posted = await requestInference({ clients, deployment, inputCommitment: hashedInputs.commitment, words: hashedInputs.words, measureStorageBytes: traced });
          count('zkRequestGas', Number(posted.gasUsed), 'gas', sys, true, `requestInference: the input posted as calldata (${hashedInputs.words.length} packed words) with its Poseidon commitment, one new slot; deterministic (the calldata is a function of the input)`);
          count('zkRequestCalldataBytes', posted.calldataBytes, 'bytes', sys);
          if (posted.storageBytes !== undefined) count('zkRequestStorageBytes', posted.storageBytes, 'bytes', sys, true, 'slots newly written × 32 (the request\'s block)');
          const wrongInput = forged.find((t) => t.tamper === 'wrong-input');
          if (wrongInput) {
            const claimed = wrongInput.publicSignals[wrongInput.publicSignals.length - 1]!;
            await requestInference({ clients, deployment, inputCommitment: claimed, words: hashedInputs.words, measureStorageBytes: false });
          }
        }
        onPhase?.('zkML: tampered proofs, on-chain');
        for (const t of forged) {
          const forgedSubmit = await submitInference({ clients, deployment, proof: t.proof, publicSignals: t.publicSignals, measureStorageBytes: false });
          // Rejected means the verifier said no: the forgeries go first, so no duplicate-record check can be the reason.
          const rejected = !forgedSubmit.accepted && forgedSubmit.rejectedWith !== 'InferenceAlreadyRecorded';
          count('tamperRejected', rejected ? 1 : 0, 'rejected', { tamper: t.tamper, where: 'on-chain' }, false, `${t.description}; ${forgedSubmit.rejectedWith ?? 'ACCEPTED'}`);
        }
        onPhase?.('zkML: the true proof, on-chain');
        // Storage bytes come from debug_traceTransaction: anvil has it, a remote node may not.
        const traced = chain.kind === 'anvil' || (await probeDebugTrace({ publicClient: clients.publicClient }));
        const submitted = await submitInference({ clients, deployment, proof: proved.proof, publicSignals: proved.publicSignals, measureStorageBytes: traced });
        if (!submitted.accepted) throw new Error(`zkML: the registry rejected the true proof of '${loaded.name}' (${submitted.rejectedWith})`);
        info('zkVerifyGas', Number(submitted.gasUsed), 'gas', sys, 'submitInference: 21,000 + calldata + verifier + registry storage and event (the calldata part varies by a few hundred gas with the zero bytes of the randomised proof; zkExecutionGas does not)');
        count('zkCalldataBytes', submitted.calldataBytes, 'bytes', sys);
        info('zkCalldataGas', Number(submitted.calldataGas), 'gas', sys, 'EIP-2028 calldata gas: varies with the zero bytes of the randomised proof');
        count('zkExecutionGas', Number(submitted.gasUsed) - Number(submitted.calldataGas), 'gas', sys, true, 'submitInference gas minus its calldata gas: independent of the proof\'s random bytes');
        if (submitted.storageBytes !== undefined) count('zkStorageBytes', submitted.storageBytes, 'bytes', sys, true, 'slots newly written × 32');
      } finally {
        await chain.stop();
      }
    }
    return { measurements: out, ptau: { source: proved.ptau.source, power: proved.ptau.power, insecure: proved.ptau.insecure } };
  } finally {
    await terminateCurve();
  }
}
