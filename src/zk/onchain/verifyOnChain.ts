/**
 * Owns the whole zkML on-chain measurement for one proof: on a chain (a fresh anvil this function
 * starts and stops, an `rpcUrl`, or given `clients`) it deploys the snarkjs verifier and the
 * InferenceRegistry, submits the inference, and also sends the bare `verifyProof` call to the
 * verifier, so both the cost of verification alone and of an accepted, recorded inference come
 * from real mined transactions.
 *
 * Figures (gas units from receipts; bytes from the transaction and its trace):
 * - verifyGas: the registry's submitInference transaction — 21,000 intrinsic + calldata + the
 *   verifier + the registry's checks, its one storage slot and its event. What it costs to get an
 *   inference accepted on-chain.
 * - verifierGas: a transaction that calls only the verifier's verifyProof (21,000 + calldata +
 *   verification): the figure papers quote as "verification gas".
 * - deployGas: the two deployment transactions.
 * - calldataBytes: the submitInference input; storageBytes: 32 × slots it newly wrote.
 *
 * - hashed inputs (a layout with inputCommitment): a CommittedInputRegistry; the input's packed
 *   words and commitment are posted first (requestInference: `request` {gas, calldata, storage}),
 *   then the proof is submitted against the commitment.
 *
 * The anvil started here enforces mainnet's EIP-170/EIP-3860 code size limits, as mainnet does: a
 * verifier too large for mainnet (a Groth16 verifier grows ~100 bytes per public signal: 784 public
 * pixels make ~80 KB) fails to deploy with an error naming its size. `codeSizeLimit: false` lifts
 * the limits for exploration; the result says so (`codeSizeLimitLifted`) and `exceedsCodeSizeLimit`
 * says whether mainnet would refuse it. A given rpcUrl/clients chain keeps its own rules.
 */
import { toHex, type Hex } from 'viem';
import { createChainClients, PRIVATE_KEY_ENV, type ChainClients } from '../../chain/createChainClients.ts';
import { MAX_CODE_BYTES, MAX_INITCODE_BYTES } from '../../chain/deployContract.ts';
import { sendTransaction } from '../../chain/sendTransaction.ts';
import { startAnvil, type StartAnvilResult } from '../../chain/startAnvil.ts';
import type { CircuitLayout } from '../generateCircuit.ts';
import { UsageError } from '../../errors.ts';
import { deployInferenceRegistry, type CommittedInputShape, type InferenceRegistryDeployment, type InputSignalRange } from './deployInferenceRegistry.ts';
import { requestInference } from './requestInference.ts';
import { encodeProofWords } from './encodeProofWords.ts';
import type { OnChainProofSystem } from './exportVerifier.ts';
import { DEFAULT_SUBMIT_GAS, submitInference } from './submitInference.ts';

export interface VerifyOnChainParameters {
  /** When given, the zkey must be of this system. */
  system?: OnChainProofSystem;
  zkeyFile: string;
  /** The snarkjs proof object. */
  proof: Record<string, unknown>;
  /** Outputs first, then public inputs (decimal strings as snarkjs returns them). */
  publicSignals: readonly (string | bigint)[];
  /** bytes32 model commitment recorded with each inference; default the verifier's code hash. */
  modelCommitment?: Hex;
  /** Index of the public signal that must equal modelCommitment (hashed-weights circuits). */
  commitmentSignalIndex?: number;
  /** The circuit's layout (or the input positions and bound): the registry range-checks the public inputs. */
  inputs: CircuitLayout | InputSignalRange | CommittedInputShape;
  /** Hashed inputs: the commitment and the packed words to post (proveInference's inputCommitment). */
  committedInput?: { commitment: bigint | string; words: readonly (bigint | string)[] };
  /** Enforce EIP-170/EIP-3860 on the anvil started here (default true, as mainnet); false lifts them. */
  codeSizeLimit?: boolean;
  /** An EVM JSON-RPC URL; with OPZK_PRIVATE_KEY set it is used as a remote chain. Default: a fresh anvil. */
  rpcUrl?: string;
  /** Existing clients (takes precedence over rpcUrl). */
  clients?: ChainClients;
  /** Gas limit of the submission and of the bare verifier call (default 16,777,216 = 2^24). */
  gas?: bigint;
}

export interface VerifyOnChainResult {
  system: OnChainProofSystem;
  /** The registry accepted and recorded the inference. */
  accepted: boolean;
  /** The registry's custom error when it did not. */
  rejectedWith?: string;
  /** Gas used by submitInference (see the module header). */
  verifyGas: bigint;
  /** Gas used by a transaction calling only verifyProof. */
  verifierGas: bigint;
  /** What the bare verifyProof call returned. */
  verifierReturned: boolean;
  deployGas: { verifier: bigint; registry: bigint };
  /** Runtime code sizes in bytes. */
  codeBytes: { verifier: number; registry: number };
  /** The verifier's runtime code is over EIP-170's 24,576 bytes (or its init code over EIP-3860's 49,152): not deployable on mainnet. */
  exceedsCodeSizeLimit: boolean;
  /** The anvil started here ran without the EIP-170/EIP-3860 limits (codeSizeLimit: false); false otherwise. */
  codeSizeLimitLifted: boolean;
  /** Which registry was deployed: InferenceRegistry (public inputs) or CommittedInputRegistry (hashed inputs). */
  registry: InferenceRegistryDeployment['registryName'];
  /** Hashed inputs: the requestInference transaction that posted the input (gas units, bytes). */
  request?: { gasUsed: bigint; calldataBytes: number; calldataGas: bigint; storageBytes?: number; txHash: Hex };
  /** submitInference input size in bytes, and its EIP-2028 gas (16/4 per non-zero/zero byte). */
  calldataBytes: number;
  calldataGas: bigint;
  /** Storage bytes newly written by submitInference (32 × zero→nonzero slots); absent when the node cannot trace. */
  storageBytes?: number;
  /** The submitInference transaction. */
  txHash: Hex;
  inferenceId?: Hex;
  modelCommitment: Hex;
  verifierAddress: Hex;
  registryAddress: Hex;
  publicSignalCount: number;
  /** The public input signals the registry range-checked (positions and 2^(valueBits-1)). */
  inputRange: InputSignalRange;
  /** Where it ran: 'anvil (started here)', 'anvil' or 'remote'. */
  chain: string;
  compiler: InferenceRegistryDeployment['compiler'];
}

/** The verifyProof arguments in the shape of each snarkjs verifier's ABI. */
function verifierArguments(system: OnChainProofSystem, words: bigint[], signals: bigint[]): unknown[] {
  if (system === 'groth16') return [[words[0], words[1]], [[words[2], words[3]], [words[4], words[5]]], [words[6], words[7]], signals];
  if (system === 'fflonk') return [words.map((word) => toHex(word, { size: 32 })), signals];
  return [words, signals];
}

export async function verifyOnChain(parameters: VerifyOnChainParameters): Promise<VerifyOnChainResult> {
  const { zkeyFile, proof, publicSignals, modelCommitment, commitmentSignalIndex, gas = DEFAULT_SUBMIT_GAS, codeSizeLimit = true } = parameters;
  let anvil: StartAnvilResult | undefined;
  let clients = parameters.clients;
  let chain: string = clients?.mode ?? 'anvil';
  try {
    if (!clients) {
      if (parameters.rpcUrl) {
        const mode = process.env[PRIVATE_KEY_ENV] ? 'remote' : 'anvil';
        clients = await createChainClients({ rpcUrl: parameters.rpcUrl, mode });
        chain = mode;
      } else {
        // Mainnet's limits unless lifted on purpose (the result says so: codeSizeLimitLifted).
        anvil = await startAnvil({ disableCodeSizeLimit: !codeSizeLimit });
        clients = await createChainClients({ rpcUrl: anvil.rpcUrl, accountCount: 1 });
        chain = 'anvil (started here)';
      }
    }
    const deployment = await deployInferenceRegistry({
      clients, zkeyFile, system: parameters.system, modelCommitment, commitmentSignalIndex, inputs: parameters.inputs,
    });
    const signals = publicSignals.map((signal) => BigInt(signal));
    let request: VerifyOnChainResult['request'];
    if (deployment.registryName === 'CommittedInputRegistry') {
      if (!parameters.committedInput)
        throw new UsageError('verifyOnChain: the circuit commits to its input (hashed inputs): pass committedInput { commitment, words } to post the input', { hint: "proveInference's result has them as inputCommitment" });
      const posted = await requestInference({
        clients, deployment, inputCommitment: parameters.committedInput.commitment, words: parameters.committedInput.words, measureStorageBytes: clients.mode === 'anvil',
      });
      request = { gasUsed: posted.gasUsed, calldataBytes: posted.calldataBytes, calldataGas: posted.calldataGas, storageBytes: posted.storageBytes, txHash: posted.txHash };
    }
    const submitted = await submitInference({
      clients, deployment, proof, publicSignals: signals, gas, measureStorageBytes: clients.mode === 'anvil',
    });
    const verifierArgs = verifierArguments(deployment.system, encodeProofWords({ system: deployment.system, proof }), signals);
    const verifierReturned = (await clients.publicClient.readContract({
      address: deployment.verifierAddress, abi: deployment.verifierAbi, functionName: 'verifyProof', args: verifierArgs,
    })) as boolean;
    const bare = await sendTransaction({
      clients, to: deployment.verifierAddress, abi: deployment.verifierAbi, functionName: 'verifyProof', args: verifierArgs, gas,
    });
    return {
      system: deployment.system,
      accepted: submitted.accepted,
      rejectedWith: submitted.rejectedWith,
      verifyGas: submitted.gasUsed,
      verifierGas: bare.gasUsed,
      verifierReturned,
      deployGas: { verifier: deployment.verifierDeployment.gasUsed, registry: deployment.registryDeployment.gasUsed },
      codeBytes: { verifier: deployment.verifierDeployment.deployedCodeBytes, registry: deployment.registryDeployment.deployedCodeBytes },
      exceedsCodeSizeLimit: deployment.verifierDeployment.deployedCodeBytes > MAX_CODE_BYTES || deployment.verifierDeployment.calldataBytes > MAX_INITCODE_BYTES,
      codeSizeLimitLifted: anvil !== undefined && !codeSizeLimit,
      registry: deployment.registryName,
      request,
      calldataBytes: submitted.calldataBytes,
      calldataGas: submitted.calldataGas,
      storageBytes: submitted.storageBytes,
      txHash: submitted.txHash,
      inferenceId: submitted.inferenceId,
      modelCommitment: deployment.modelCommitment,
      verifierAddress: deployment.verifierAddress,
      registryAddress: deployment.registryAddress,
      publicSignalCount: deployment.publicSignalCount,
      inputRange: deployment.inputRange,
      chain,
      compiler: deployment.compiler,
    };
  } finally {
    await anvil?.stop();
  }
}
