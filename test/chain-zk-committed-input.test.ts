/**
 * The hashed input mode on-chain (issue 12 §1): a circuit that commits to its input
 * (InputCommitment) is deployed with a CommittedInputRegistry on an anvil that enforces mainnet's
 * EIP-170/EIP-3860 limits; the input is posted as calldata with its commitment
 * (requestInference), the proof is submitted against it, and a reader recovers the input from the
 * request's calldata and checks it against the commitment.
 *
 * Attacks: a proof about an input nobody requested (InputNotRequested); the true proof claiming
 * another requested input (InvalidProof: the verifier binds the commitment); posted words that
 * do not hash to the commitment (the reader's check fails); and the all-public verifier of a
 * 300-input circuit, which mainnet refuses: deploying it fails with an error naming its size, and
 * lifting the limit (for exploration) deploys it.
 *
 * Exact figures: constraints; gas of the request (its calldata is a function of the input: fully
 * deterministic), of the registry deployment, and of submitInference minus its calldata gas (the
 * Groth16 proof's random bytes move only the calldata part).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { MAX_CODE_BYTES } from '../src/chain/deployContract.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { ToolError, VerificationError } from '../src/errors.ts';
import { loadBenchModel } from '../src/bench/table2/loadBenchModel.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { commitInput } from '../src/zk/commitInput.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { deployInferenceRegistry, NO_INPUT_SIGNALS } from '../src/zk/onchain/deployInferenceRegistry.ts';
import { readRequestedInput, requestInference } from '../src/zk/onchain/requestInference.ts';
import { submitInference } from '../src/zk/onchain/submitInference.ts';
import { verifyOnChain } from '../src/zk/onchain/verifyOnChain.ts';
import { proveInference, type ProveInferenceResult } from '../src/zk/proveInference.ts';
import { choosePower } from '../src/zk/setup/choosePower.ts';
import { ensurePtau } from '../src/zk/setup/ensurePtau.ts';
import { setupCircuit } from '../src/zk/setupCircuit.ts';
import { writeCircuitSource } from '../src/zk/writeCircuitSource.ts';
import { tinyMlp } from './zk-fixtures.ts';

/** Gas units, measured on anvil 1.7.1 (prague), solc 0.8.37 (optimizer 200 runs, no metadata hash). */
const REQUEST_GAS_TINY = 46_409n; // 21,000 + 1,056 calldata + one new slot (22,100) + the event
const COMMITTED_REGISTRY_DEPLOY_GAS = 640_377n; // 2,687 bytes of code
const SUBMIT_WITHOUT_CALLDATA_TINY = 256_235n;
const REQUEST_GAS_MNIST = 69_170n; // 1,796 bytes of calldata (53 words): 19,268 gas of it
const SUBMIT_WITHOUT_CALLDATA_MNIST = 311_679n; // 11 public signals (all public: 5,976,881 gas in results/table2)

describe('hashed inputs on-chain: the tiny MLP', () => {
  const model = tinyMlp();
  const inputs = { x: [1, -2, 300, -32768] };
  let proved: ProveInferenceResult;
  let anvil: StartAnvilResult;
  let clients: ChainClients;

  beforeAll(async () => {
    proved = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded', inputs: 'hashed' }, system: 'groth16' });
    anvil = await startAnvil({ accountCount: 2 });
    clients = await createChainClients({ rpcUrl: anvil.rpcUrl, accountCount: 2 });
  }, 300_000);
  afterAll(async () => { await anvil?.stop(); });

  it('the circuit: 203 + 628 constraints, public signals = 2 outputs then the commitment', async () => {
    expect(proved.verified).toBe(true);
    expect(proved.circuit.constraints).toBe(203 + 628); // the constant-weight MLP + 4 × 16 range bits + one Poseidon(16) (564)
    expect(proved.layout.inputCommitment).toEqual({ signal: 'inputCommitment', elements: 4, words: 1, chunks: 1, constraints: 628 });
    const { commitment, words } = await commitInput({ values: inputs.x, valueBits: 16 });
    const expected = runEngine({ model, inputs }).outputs[0]!.data;
    expect(proved.publicSignals).toEqual([...Array.from(expected, (v) => String((BigInt(v) + 21888242871839275222246405745257275088548364400416034343698204186575808495617n) % 21888242871839275222246405745257275088548364400416034343698204186575808495617n)), String(commitment)]);
    expect(proved.inputCommitment).toEqual({ commitment: String(commitment), words: words.map(String) });
  });

  it('verifyOnChain: the input posted, the proof accepted under the real code size limit; exact gas', async () => {
    const result = await verifyOnChain({ system: 'groth16', zkeyFile: proved.zkeyFile, proof: proved.proof, publicSignals: proved.publicSignals, inputs: proved.layout, committedInput: proved.inputCommitment });
    expect(result.accepted).toBe(true);
    expect(result.registry).toBe('CommittedInputRegistry');
    expect(result.codeSizeLimitLifted).toBe(false);
    expect(result.exceedsCodeSizeLimit).toBe(false);
    expect(result.publicSignalCount).toBe(3);
    expect(result.request!.calldataBytes).toBe(4 + 32 * 4); // selector, commitment, offset, length, 1 word
    expect(result.request!.gasUsed).toBe(REQUEST_GAS_TINY);
    expect(result.request!.storageBytes).toBe(32);
    expect(result.storageBytes).toBe(32);
    expect(result.deployGas.registry).toBe(COMMITTED_REGISTRY_DEPLOY_GAS);
    expect(result.verifyGas - result.calldataGas).toBe(SUBMIT_WITHOUT_CALLDATA_TINY);
  }, 120_000);

  it('a reader recovers the input from the request calldata; posted junk is caught', async () => {
    const deployment = await deployInferenceRegistry({ clients, zkeyFile: proved.zkeyFile, inputs: proved.layout });
    const posted = await requestInference({ clients, deployment, inputCommitment: proved.inputCommitment!.commitment, words: proved.inputCommitment!.words });
    const read = await readRequestedInput({ clients, deployment, txHash: posted.txHash, count: 4, valueBits: 16 });
    expect(read.values).toEqual(inputs.x.map(BigInt));
    expect(read.inputCommitment).toBe(BigInt(proved.inputCommitment!.commitment));
    // Words of another input under the true commitment: the registry cannot tell, the reader can.
    const other = await commitInput({ values: [1, -2, 300, -32767], valueBits: 16 });
    const junk = await requestInference({ clients, deployment, inputCommitment: proved.inputCommitment!.commitment, words: other.words });
    await expect(readRequestedInput({ clients, deployment, txHash: junk.txHash, count: 4, valueBits: 16 })).rejects.toThrow(VerificationError);
  }, 300_000);

  it('attacks: an unrequested input, and the true proof claiming another requested input', async () => {
    const deployment = await deployInferenceRegistry({ clients, zkeyFile: proved.zkeyFile, inputs: proved.layout });
    const submit = (publicSignals: string[]) => submitInference({ clients, deployment, proof: proved.proof, publicSignals, measureStorageBytes: false });
    const unrequested = await submit(proved.publicSignals);
    expect(unrequested).toMatchObject({ accepted: false, rejectedWith: 'InputNotRequested' });
    const other = await commitInput({ values: [1, -2, 300, -32767], valueBits: 16 });
    await requestInference({ clients, deployment, inputCommitment: other.commitment, words: other.words, measureStorageBytes: false });
    const claimingOther = await submit([...proved.publicSignals.slice(0, 2), String(other.commitment)]);
    expect(claimingOther).toMatchObject({ accepted: false, rejectedWith: 'InvalidProof' });
    await requestInference({ clients, deployment, inputCommitment: proved.inputCommitment!.commitment, words: proved.inputCommitment!.words, measureStorageBytes: false });
    const honest = await submit(proved.publicSignals);
    expect(honest.accepted).toBe(true);
  }, 300_000);
});

describe('EIP-170 on the local chain', () => {
  it('an all-public verifier over 24,576 bytes is refused naming its size; lifting the limit deploys it', async () => {
    const signals = 300;
    const { circuitFile } = await writeCircuitSource({
      source: `pragma circom 2.1.0;\ntemplate ManyInputs(n) {\n    signal input x[n];\n    signal output y;\n    var s = 0;\n    for (var i = 0; i < n; i++) s += x[i];\n    y <== s * s;\n}\ncomponent main {public [x]} = ManyInputs(${signals});\n`,
    });
    const compiled = await compileCircuit({ circuitFile });
    const needed = await choosePower({ system: 'groth16', r1csFile: compiled.r1csFile });
    const ptau = await ensurePtau({ power: needed.power });
    const setup = await setupCircuit({ system: 'groth16', r1csFile: compiled.r1csFile, ptauFile: ptau.file });
    const limited = await startAnvil({ accountCount: 1 });
    try {
      const clients = await createChainClients({ rpcUrl: limited.rpcUrl, accountCount: 1 });
      const refused = await deployInferenceRegistry({ clients, zkeyFile: setup.zkeyFile, inputs: NO_INPUT_SIGNALS }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ToolError);
      expect((refused as ToolError).message).toMatch(/^deploy Groth16Verifier: \d{2},\d{3} bytes of runtime code, over EIP-170's limit of 24,576/);
      expect((refused as ToolError).hint).toContain('--inputs hashed');
      expect((refused as ToolError).details.codeBytes).toBeGreaterThan(MAX_CODE_BYTES);
    } finally {
      await limited.stop();
    }
    const lifted = await startAnvil({ accountCount: 1, disableCodeSizeLimit: true });
    try {
      const clients = await createChainClients({ rpcUrl: lifted.rpcUrl, accountCount: 1 });
      const deployed = await deployInferenceRegistry({ clients, zkeyFile: setup.zkeyFile, inputs: NO_INPUT_SIGNALS });
      expect(deployed.verifierDeployment.deployedCodeBytes).toBeGreaterThan(MAX_CODE_BYTES);
    } finally {
      await lifted.stop();
    }
  }, 300_000);
});

describe('hashed inputs on-chain: mnist-mlp-784-56-10 (issue 12: verifies under the real limit)', () => {
  it('the committed 784-pixel input: 17,492 constraints, 11 public signals, a verifier under 24,576 bytes, accepted', async () => {
    const { model, inputs } = loadBenchModel({ model: 'mnist-mlp-784-56-10' });
    const proved = await proveInference({ model, inputs, settings: { weights: 'constant', relu: 'bounded', inputs: 'hashed' }, system: 'groth16' });
    expect(proved.circuit.constraints).toBe(2_536 + 14_956);
    expect(proved.publicSignals).toHaveLength(11);
    expect(proved.layout.inputCommitment).toEqual({ signal: 'inputCommitment', elements: 784, words: 53, chunks: 4, constraints: 14_956 });
    const result = await verifyOnChain({ system: 'groth16', zkeyFile: proved.zkeyFile, proof: proved.proof, publicSignals: proved.publicSignals, inputs: proved.layout, committedInput: proved.inputCommitment });
    expect(result.accepted).toBe(true);
    expect(result.codeSizeLimitLifted).toBe(false);
    expect(result.codeBytes.verifier).toBeLessThanOrEqual(MAX_CODE_BYTES);
    expect(result.request!.calldataBytes).toBe(4 + 32 * 3 + 32 * 53);
    expect(result.request!.gasUsed).toBe(REQUEST_GAS_MNIST);
    expect(result.verifyGas - result.calldataGas).toBe(SUBMIT_WITHOUT_CALLDATA_MNIST);
  }, 1_800_000);
});
