/**
 * Owns sending one contract call and measuring it from the mined receipt: gas used, calldata bytes
 * and calldata gas (EIP-2028: 16 gas per non-zero byte, 4 per zero byte). A revert is decoded
 * (custom error name and args, replayed with eth_call against the state before the block) and
 * thrown as a VerificationError unless `allowRevert` is set.
 *
 * Pass `gas` explicitly for callees that return false instead of reverting (snarkjs verifiers):
 * eth_estimateGas searches for the lowest gas that does not revert, and a verifier whose pairing
 * precompile ran out of gas returns false without reverting, so the estimate is too low.
 */
import {
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  encodeFunctionData,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { ToolError, VerificationError } from '../errors.ts';
import type { ChainClients, ChainWalletClient } from './createChainClients.ts';

export interface SendTransactionParameters {
  clients: ChainClients;
  /** Sender; default clients.wallets[0]. */
  wallet?: ChainWalletClient;
  to: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  /** Wei sent with the call. */
  value?: bigint;
  /** Explicit gas limit; default: eth_estimateGas. */
  gas?: bigint;
  /** Return a reverted transaction's measurement instead of throwing. Needs `gas` (estimation fails on reverts). */
  allowRevert?: boolean;
}

export interface TransactionMeasurement {
  txHash: Hex;
  status: 'success' | 'reverted';
  blockNumber: bigint;
  /** Gas units the transaction used (from the receipt; includes the 21,000 base and calldata gas). */
  gasUsed: bigint;
  /** Length of the transaction's input data in bytes. */
  calldataBytes: number;
  /** How many of those bytes are zero. */
  calldataZeroBytes: number;
  /** Calldata gas per EIP-2028: 16 × non-zero bytes + 4 × zero bytes (gas units). */
  calldataGas: bigint;
  receipt: TransactionReceipt;
}

export interface SendTransactionResult extends TransactionMeasurement {
  /** On a revert: the decoded custom error name (or 'Error'/'Panic'), when it could be decoded. */
  revertErrorName?: string;
  revertErrorArgs?: readonly unknown[];
}

/** Calldata size and EIP-2028 cost of 0x-hex data. */
export function measureCalldata(data: Hex): { calldataBytes: number; calldataZeroBytes: number; calldataGas: bigint } {
  const hex = data.startsWith('0x') ? data.slice(2) : data;
  const calldataBytes = hex.length / 2;
  let calldataZeroBytes = 0;
  for (let index = 0; index < hex.length; index += 2) if (hex[index] === '0' && hex[index + 1] === '0') calldataZeroBytes++;
  const calldataGas = BigInt(16 * (calldataBytes - calldataZeroBytes) + 4 * calldataZeroBytes);
  return { calldataBytes, calldataZeroBytes, calldataGas };
}

/** Builds the measurement of a mined transaction from its receipt and input data. */
export function measureReceipt(receipt: TransactionReceipt, data: Hex): TransactionMeasurement {
  return {
    txHash: receipt.transactionHash,
    status: receipt.status,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    ...measureCalldata(data),
    receipt,
  };
}

/** Replays a mined call against the state before its block to recover the revert data. */
async function decodeRevert(
  clients: ChainClients, from: Address, to: Address, data: Hex, value: bigint | undefined, gas: bigint, blockNumber: bigint, abi: Abi,
): Promise<{ errorName?: string; args?: readonly unknown[] }> {
  try {
    await clients.publicClient.call({ account: from, to, data, value, gas, blockNumber: blockNumber - 1n });
    return {};
  } catch (error) {
    const revertData = findRevertData(error);
    if (!revertData) return {};
    try {
      const decoded = decodeErrorResult({ abi, data: revertData });
      return { errorName: decoded.errorName, args: decoded.args };
    } catch {
      return { errorName: revertData.slice(0, 10) };
    }
  }
}

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  while (current) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && data.startsWith('0x')) return data as Hex;
    if (data && typeof data === 'object' && typeof (data as { data?: unknown }).data === 'string') return (data as { data: Hex }).data;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function sendTransaction(parameters: SendTransactionParameters): Promise<SendTransactionResult> {
  const { clients, to, abi, functionName, args = [], value, gas, allowRevert = false } = parameters;
  const wallet = parameters.wallet ?? clients.wallets[0];
  const data = encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
  let txHash: Hex;
  try {
    txHash = await wallet.sendTransaction({ to, data, value, gas, account: wallet.account, chain: wallet.chain });
  } catch (error) {
    // Without an explicit gas limit a revert surfaces here, from eth_estimateGas.
    const revertData = findRevertData(error);
    let errorName: string | undefined;
    let errorArgs: readonly unknown[] | undefined;
    if (revertData) {
      try { ({ errorName, args: errorArgs } = decodeErrorResult({ abi, data: revertData })); } catch { errorName = revertData.slice(0, 10); }
    }
    const reverted = errorName !== undefined || (error instanceof ViemBaseError && error.walk((e) => e instanceof ContractFunctionRevertedError));
    if (reverted)
      throw new VerificationError(`${functionName} on ${to} reverted${errorName ? ` with ${errorName}` : ''} (during gas estimation)`, {
        hint: 'the call was rejected by the contract; pass `gas` and `allowRevert` to mine and measure the reverting transaction',
        details: { to, functionName, errorName, errorArgs },
        cause: error,
      });
    throw new ToolError(`${functionName} on ${to}: the transaction could not be sent`, { hint: 'is the node reachable and the sender funded?', cause: error });
  }
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: txHash, pollingInterval: clients.publicClient.pollingInterval });
  const measurement: SendTransactionResult = measureReceipt(receipt, data);
  if (receipt.status === 'reverted') {
    const decoded = await decodeRevert(clients, wallet.account.address, to, data, value, gas ?? receipt.gasUsed, receipt.blockNumber, abi);
    measurement.revertErrorName = decoded.errorName;
    measurement.revertErrorArgs = decoded.args;
    if (!allowRevert)
      throw new VerificationError(`${functionName} on ${to} reverted${decoded.errorName ? ` with ${decoded.errorName}` : ''} (tx ${txHash}, ${receipt.gasUsed} gas)`, {
        hint: 'the contract rejected the call; pass allowRevert to get the measurement instead',
        details: { to, functionName, txHash, gasUsed: receipt.gasUsed, errorName: decoded.errorName, errorArgs: decoded.args },
      });
  }
  return measurement;
}
