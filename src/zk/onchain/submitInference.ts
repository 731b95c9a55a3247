/**
 * Owns submitting one proven inference to a deployed InferenceRegistry and measuring that
 * transaction: gas used, calldata bytes and gas, storage bytes written (from the trace), and
 * whether the registry accepted it. A rejected proof is a mined, reverted transaction (explicit
 * gas limit: the snarkjs verifiers return false instead of reverting, which eth_estimateGas
 * mis-measures), reported as `accepted: false` with the registry's custom error name.
 */
import { decodeEventLog, type Hex } from 'viem';
import type { ChainClients, ChainWalletClient } from '../../chain/createChainClients.ts';
import { measureStorage } from '../../chain/measureStorage.ts';
import { sendTransaction, type TransactionMeasurement } from '../../chain/sendTransaction.ts';
import type { InferenceRegistryDeployment } from './deployInferenceRegistry.ts';
import { encodeProofWords } from './encodeProofWords.ts';

/**
 * Default gas limit of a submission: 2^24 = 16,777,216, the per-transaction cap of EIP-7825 (so it
 * is valid on any current chain), far above a small circuit's ~250k and enough for a Groth16
 * verifier with ~2,000 public signals (each costs an ecMul + ecAdd, ~6,200 gas, plus its calldata).
 * Only gas used is reported, so the limit does not change any figure.
 */
export const DEFAULT_SUBMIT_GAS = 16_777_216n;

export interface SubmitInferenceParameters {
  clients: ChainClients;
  deployment: InferenceRegistryDeployment;
  /** The snarkjs proof object of deployment.system. */
  proof: Record<string, unknown>;
  /** Public signals, decimal strings or bigints: outputs first, then public inputs. */
  publicSignals: readonly (string | bigint)[];
  /** Submitter; default clients.wallets[0]. */
  wallet?: ChainWalletClient;
  /** Explicit gas limit (default 16,777,216 = 2^24). */
  gas?: bigint;
  /** Measure storage from the trace (needs debug_traceTransaction; default true). */
  measureStorageBytes?: boolean;
  /**
   * Which trace measureStorage reads: default struct logs up to 32 public signals, the prestate
   * diff above (PLONK/FFLONK verifiers loop over the public signals, and struct logs grow ~500
   * bytes per opcode). Both give the same bytes (test/chain-tools.test.ts checks they agree).
   */
  storageSource?: 'structLogs' | 'prestateDiff';
}

export interface SubmitInferenceResult extends TransactionMeasurement {
  /** The registry recorded the inference (the verifier accepted the proof). */
  accepted: boolean;
  /** On rejection: the registry's custom error (InvalidProof, WrongPublicSignalCount, …). */
  rejectedWith?: string;
  /** On acceptance: the key the registry stored the inference under. */
  inferenceId?: Hex;
  /** Storage bytes newly written (32 × zero→nonzero slots), when measured. */
  storageBytes?: number;
}

export async function submitInference(parameters: SubmitInferenceParameters): Promise<SubmitInferenceResult> {
  const { clients, deployment, proof, publicSignals, wallet, gas = DEFAULT_SUBMIT_GAS, measureStorageBytes = true } = parameters;
  const storageSource = parameters.storageSource ?? (deployment.publicSignalCount > 32 ? 'prestateDiff' : 'structLogs');
  const proofWords = encodeProofWords({ system: deployment.system, proof });
  const signals = publicSignals.map((signal) => BigInt(signal));
  const sent = await sendTransaction({
    clients,
    wallet,
    to: deployment.registryAddress,
    abi: deployment.registryAbi,
    functionName: 'submitInference',
    args: [proofWords, signals],
    gas,
    allowRevert: true,
  });
  const { revertErrorName, revertErrorArgs: _ignored, ...measurement } = sent;
  const result: SubmitInferenceResult = { ...measurement, accepted: sent.status === 'success' };
  if (!result.accepted) result.rejectedWith = revertErrorName ?? 'unknown revert';
  for (const log of sent.receipt.logs) {
    try {
      const event = decodeEventLog({ abi: deployment.registryAbi, data: log.data, topics: log.topics });
      if (event.eventName === 'InferenceRecorded') result.inferenceId = (event.args as unknown as { inferenceId: Hex }).inferenceId;
    } catch { /* not a registry event */ }
  }
  if (measureStorageBytes) {
    const storage = await measureStorage({ publicClient: clients.publicClient, txHash: sent.txHash, source: storageSource });
    result.storageBytes = storage.storageBytesWritten;
  }
  return result;
}
