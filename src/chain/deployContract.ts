/**
 * Owns deploying one compiled contract and measuring the deployment from its receipt: gas used,
 * calldata (init code + constructor arguments) bytes and gas, and the deployed runtime code size.
 */
import { encodeDeployData, type Abi, type Address, type Hex } from 'viem';
import { ToolError } from '../errors.ts';
import type { ChainClients, ChainWalletClient } from './createChainClients.ts';
import { measureReceipt, type TransactionMeasurement } from './sendTransaction.ts';

export interface DeployContractParameters {
  clients: ChainClients;
  /** Deployer; default clients.wallets[0]. */
  wallet?: ChainWalletClient;
  /** A compileSolidity contract, or any { abi, bytecode } (deployedBytecode improves the error on a too-large contract). */
  contract: { abi: Abi; bytecode: Hex; deployedBytecode?: Hex; name?: string };
  /** Constructor arguments. */
  args?: readonly unknown[];
  value?: bigint;
  /** Explicit gas limit; default: eth_estimateGas. */
  gas?: bigint;
}

/** EIP-170: the largest runtime code mainnet accepts, in bytes. */
export const MAX_CODE_BYTES = 24_576;
/** EIP-3860: the largest init code mainnet accepts, in bytes. */
export const MAX_INITCODE_BYTES = 49_152;

/** A short reason from a viem error (its messages embed the whole calldata: megabytes for a verifier). */
function shortReason(error: unknown): Error {
  const message = (error as { shortMessage?: string; details?: string }).shortMessage ?? (error as Error)?.message ?? String(error);
  const details = (error as { details?: string }).details;
  return new Error([message, details].filter(Boolean).join(': ').slice(0, 500));
}

export interface DeployContractResult extends TransactionMeasurement {
  address: Address;
  /** Size of the runtime code now at `address`, in bytes. */
  deployedCodeBytes: number;
}

/** Runtime and init code sizes, and whether mainnet's EIP-170 / EIP-3860 limits refuse them. */
export function codeSizeOf(deployedBytecode: Hex | undefined, initcode: Hex): { codeBytes: number; initcodeBytes: number; overLimit: boolean } {
  const codeBytes = deployedBytecode ? (deployedBytecode.length - 2) / 2 : 0;
  const initcodeBytes = (initcode.length - 2) / 2;
  return { codeBytes, initcodeBytes, overLimit: codeBytes > MAX_CODE_BYTES || initcodeBytes > MAX_INITCODE_BYTES };
}

/** What a hint says when a deployment is over the limits (the CLI flag and the API option). */
export const CODE_SIZE_LIMIT_HINT =
  'mainnet refuses it too. A zkML verifier grows ~100 bytes per public signal: commit to the input instead (--inputs hashed); ' +
  'to measure it anyway, lift the limit on the local chain (--no-code-size-limit; startAnvil({ disableCodeSizeLimit: true }))';

/** A deployment the chain refused for its code size (deployContract's error; details: codeBytes, initcodeBytes). */
export function isCodeSizeLimitError(error: unknown): error is ToolError & { details: { codeBytes: number; initcodeBytes: number } } {
  return error instanceof ToolError && typeof (error.details as { maxCodeBytes?: unknown } | undefined)?.maxCodeBytes === 'number';
}

/**
 * The error for a deployment over EIP-170/EIP-3860 on a chain that enforces them: names the
 * contract and its sizes against the limits (the chain itself only says "reverted" or
 * "CreateContractSizeLimit").
 */
function sizeLimitError(name: string, deployedBytecode: Hex | undefined, initcode: Hex, cause?: unknown): ToolError | undefined {
  const { codeBytes, initcodeBytes, overLimit } = codeSizeOf(deployedBytecode, initcode);
  if (!overLimit) return undefined;
  const what = codeBytes > MAX_CODE_BYTES
    ? `${codeBytes.toLocaleString('en-US')} bytes of runtime code, over EIP-170's limit of ${MAX_CODE_BYTES.toLocaleString('en-US')}`
    : `${initcodeBytes.toLocaleString('en-US')} bytes of init code, over EIP-3860's limit of ${MAX_INITCODE_BYTES.toLocaleString('en-US')}`;
  return new ToolError(`deploy ${name}: ${what} — the chain refused the deployment`, {
    details: { contract: name, codeBytes, initcodeBytes, maxCodeBytes: MAX_CODE_BYTES, maxInitcodeBytes: MAX_INITCODE_BYTES },
    hint: CODE_SIZE_LIMIT_HINT,
    cause: cause === undefined ? undefined : shortReason(cause),
  });
}

export async function deployContract(parameters: DeployContractParameters): Promise<DeployContractResult> {
  const { clients, contract, args = [], value, gas } = parameters;
  const wallet = parameters.wallet ?? clients.wallets[0];
  const name = contract.name ?? 'contract';
  if (contract.bytecode === '0x' || contract.bytecode.length <= 2)
    throw new ToolError(`deploy ${name}: empty bytecode`, { hint: 'is it an interface or an abstract contract?' });
  const data = encodeDeployData({ abi: contract.abi, bytecode: contract.bytecode, args } as Parameters<typeof encodeDeployData>[0]);
  let txHash: Hex;
  try {
    txHash = await wallet.sendTransaction({ data, value, gas, account: wallet.account, chain: wallet.chain });
  } catch (error) {
    throw sizeLimitError(name, contract.deployedBytecode, data, error) ?? new ToolError(`deploy ${name}: the deployment could not be sent`, {
      hint: 'a constructor revert or too little gas',
      details: { viemError: error },
      cause: shortReason(error),
    });
  }
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: txHash, pollingInterval: clients.publicClient.pollingInterval });
  if (receipt.status !== 'success' || !receipt.contractAddress)
    throw sizeLimitError(name, contract.deployedBytecode, data) ?? new ToolError(`deploy ${name}: the deployment reverted (tx ${txHash}, ${receipt.gasUsed} gas)`, {
      hint: 'a constructor revert or too little gas',
      details: { txHash, gasUsed: receipt.gasUsed },
    });
  const code = await clients.publicClient.getCode({ address: receipt.contractAddress });
  return {
    ...measureReceipt(receipt, data),
    address: receipt.contractAddress,
    deployedCodeBytes: code ? (code.length - 2) / 2 : 0,
  };
}
