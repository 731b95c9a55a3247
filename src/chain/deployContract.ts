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

function sizeHint(name: string, deployedBytecode: Hex | undefined, initcode: Hex): string | undefined {
  const codeBytes = deployedBytecode ? (deployedBytecode.length - 2) / 2 : 0;
  const initcodeBytes = (initcode.length - 2) / 2;
  if (codeBytes <= MAX_CODE_BYTES && initcodeBytes <= MAX_INITCODE_BYTES) return undefined;
  return `${name} has ${codeBytes} bytes of runtime code and ${initcodeBytes} of init code, over EIP-170's ${MAX_CODE_BYTES} / EIP-3860's ${MAX_INITCODE_BYTES}: ` +
    'no mainnet-rules chain accepts it; on anvil, startAnvil({ disableCodeSizeLimit: true }) measures it anyway';
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
    throw new ToolError(`deploy ${name}: the deployment could not be sent`, {
      hint: sizeHint(name, contract.deployedBytecode, data) ?? 'a constructor revert or too little gas',
      details: { viemError: error },
      cause: shortReason(error),
    });
  }
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: txHash, pollingInterval: clients.publicClient.pollingInterval });
  if (receipt.status !== 'success' || !receipt.contractAddress)
    throw new ToolError(`deploy ${name}: the deployment reverted (tx ${txHash}, ${receipt.gasUsed} gas)`, {
      hint: sizeHint(name, contract.deployedBytecode, data) ?? 'a constructor revert or too little gas',
      details: { txHash, gasUsed: receipt.gasUsed },
    });
  const code = await clients.publicClient.getCode({ address: receipt.contractAddress });
  return {
    ...measureReceipt(receipt, data),
    address: receipt.contractAddress,
    deployedCodeBytes: code ? (code.length - 2) / 2 : 0,
  };
}
