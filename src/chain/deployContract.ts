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
  /** A compileSolidity contract, or any { abi, bytecode }. */
  contract: { abi: Abi; bytecode: Hex; name?: string };
  /** Constructor arguments. */
  args?: readonly unknown[];
  value?: bigint;
  /** Explicit gas limit; default: eth_estimateGas. */
  gas?: bigint;
}

export interface DeployContractResult extends TransactionMeasurement {
  address: Address;
  /** Size of the runtime code now at `address`, in bytes. */
  deployedCodeBytes: number;
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
      hint: 'a constructor revert, code over the EIP-170 limit (24,576 bytes) or too little gas',
      cause: error,
    });
  }
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: txHash, pollingInterval: clients.publicClient.pollingInterval });
  if (receipt.status !== 'success' || !receipt.contractAddress)
    throw new ToolError(`deploy ${name}: the deployment reverted (tx ${txHash}, ${receipt.gasUsed} gas)`, {
      hint: 'a constructor revert, code over the EIP-170 limit (24,576 bytes) or too little gas',
      details: { txHash, gasUsed: receipt.gasUsed },
    });
  const code = await clients.publicClient.getCode({ address: receipt.contractAddress });
  return {
    ...measureReceipt(receipt, data),
    address: receipt.contractAddress,
    deployedCodeBytes: code ? (code.length - 2) / 2 : 0,
  };
}
