/**
 * Owns the request side of the hashed input mode: posts one input to a CommittedInputRegistry
 * (its packed words as calldata, and its Poseidon commitment, which the registry records) and
 * measures that transaction — gas, calldata bytes and gas, storage written. Also the reader's
 * side: `readRequestedInput` fetches a request's calldata from the chain, unpacks the input and
 * checks that it hashes to the commitment, which is what makes the posted data checkable.
 */
import { decodeFunctionData, type Hex } from 'viem';
import type { ChainClients, ChainWalletClient } from '../../chain/createChainClients.ts';
import { measureStorage } from '../../chain/measureStorage.ts';
import { sendTransaction, type TransactionMeasurement } from '../../chain/sendTransaction.ts';
import { UsageError, VerificationError } from '../../errors.ts';
import { unpackInputWords } from '../commitInput.ts';
import { poseidonChain } from '../commitWeights.ts';
import type { InferenceRegistryDeployment } from './deployInferenceRegistry.ts';

export interface RequestInferenceParameters {
  clients: ChainClients;
  deployment: InferenceRegistryDeployment;
  /** PoseidonChain(words): the circuit's inputCommitment (proveInference's inputCommitment.commitment). */
  inputCommitment: bigint | string;
  /** The packed input (commitInput.ts), decimal strings or bigints. */
  words: readonly (bigint | string)[];
  /** Requester; default clients.wallets[0]. */
  wallet?: ChainWalletClient;
  /** Measure storage from the trace (needs debug_traceTransaction; default true). */
  measureStorageBytes?: boolean;
}

export interface RequestInferenceResult extends TransactionMeasurement {
  /** Storage bytes newly written (32 × zero→nonzero slots: the request's block), when measured. */
  storageBytes?: number;
}

export async function requestInference(parameters: RequestInferenceParameters): Promise<RequestInferenceResult> {
  const { clients, deployment, wallet, measureStorageBytes = true } = parameters;
  if (deployment.registryName !== 'CommittedInputRegistry')
    throw new UsageError(`requestInference: the registry at ${deployment.registryAddress} is an ${deployment.registryName}; its inputs are public signals, there is nothing to request`, {
      hint: 'prove with --inputs hashed to get a CommittedInputRegistry',
    });
  const sent = await sendTransaction({
    clients,
    wallet,
    to: deployment.registryAddress,
    abi: deployment.registryAbi,
    functionName: 'requestInference',
    args: [BigInt(parameters.inputCommitment), parameters.words.map((word) => BigInt(word))],
  });
  const { revertErrorName: _name, revertErrorArgs: _args, ...measurement } = sent;
  const result: RequestInferenceResult = { ...measurement };
  if (measureStorageBytes) result.storageBytes = (await measureStorage({ publicClient: clients.publicClient, txHash: sent.txHash, source: 'structLogs' })).storageBytesWritten;
  return result;
}

export interface ReadRequestedInputResult {
  inputCommitment: bigint;
  words: bigint[];
  /** The signed input values, model inputs concatenated in order. */
  values: bigint[];
}

/**
 * A reader's check of a posted input: the request transaction's calldata → the words → the
 * values; throws a VerificationError when the words do not hash to the requested commitment.
 */
export async function readRequestedInput({ clients, deployment, txHash, count, valueBits }: {
  clients: ChainClients;
  deployment: InferenceRegistryDeployment;
  txHash: Hex;
  /** Input elements the circuit takes (layout.inputCommitment.elements). */
  count: number;
  valueBits: number;
}): Promise<ReadRequestedInputResult> {
  const transaction = await clients.publicClient.getTransaction({ hash: txHash });
  const decoded = decodeFunctionData({ abi: deployment.registryAbi, data: transaction.input });
  if (decoded.functionName !== 'requestInference')
    throw new UsageError(`transaction ${txHash} calls ${decoded.functionName}, not requestInference`, { details: { txHash } });
  const [inputCommitment, words] = decoded.args as unknown as [bigint, readonly bigint[]];
  const values = unpackInputWords({ words, count, valueBits });
  const { commitment } = await poseidonChain([...words]);
  if (commitment !== inputCommitment)
    throw new VerificationError(`request ${txHash}: the posted input hashes to ${commitment}, the request claims ${inputCommitment}`, {
      details: { txHash },
      hint: 'the requester posted other data than it committed to: no proof about this commitment says anything about the posted input',
    });
  return { inputCommitment, words: [...words], values };
}
