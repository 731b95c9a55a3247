/**
 * Owns the viem clients every on-chain part uses: one public client, one wallet client per actor
 * (submitter, challenger, deployer… each its own funded account), and, on anvil, a test client
 * (evm_increaseTime, evm_mine, snapshots).
 *
 * Two modes:
 * - 'anvil' (default): the dev accounts anvil unlocked (`eth_accounts`), used as JSON-RPC accounts
 *   so anvil signs and tracks nonces; no private key is handled here.
 * - 'remote': any EVM at `rpcUrl`, with private keys from `privateKeys` or the env var
 *   OPZK_PRIVATE_KEY (one 0x-key, or several separated by commas: one per actor). No test client.
 */
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ToolError, UsageError } from '../errors.ts';
import { redactEndpoint } from './describeChain.ts';

export const PRIVATE_KEY_ENV = 'OPZK_PRIVATE_KEY';

export interface CreateChainClientsParameters {
  rpcUrl: string;
  /** 'anvil' (dev accounts, test client) or 'remote' (private keys). Default 'anvil'. */
  mode?: 'anvil' | 'remote';
  /** How many actor accounts to return (default: all anvil dev accounts; all keys in remote mode). */
  accountCount?: number;
  /** Remote mode: 0x-prefixed private keys; default from OPZK_PRIVATE_KEY. */
  privateKeys?: Hex[];
  /** Polling interval for receipts and blocks in milliseconds (default 50 on anvil, 1000 remote). */
  pollingIntervalMs?: number;
}

export type ChainWalletClient = WalletClient<Transport, Chain, Account>;

export interface ChainClients {
  mode: 'anvil' | 'remote';
  rpcUrl: string;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  /** One wallet client per actor account; wallets[0] is the default deployer. */
  wallets: ChainWalletClient[];
  /** The actor addresses, wallets[i].account.address. */
  addresses: Address[];
  /** anvil only: evm_increaseTime, evm_mine, snapshot/revert, setBalance. */
  testClient?: TestClient<'anvil', Transport, Chain>;
}

export type CreateChainClientsResult = ChainClients;

function readPrivateKeysFromEnv(): Hex[] {
  const raw = process.env[PRIVATE_KEY_ENV]?.trim();
  if (!raw) return [];
  return raw.split(',').map((key) => key.trim()).filter(Boolean).map((key) => (key.startsWith('0x') ? key : `0x${key}`) as Hex);
}

export async function createChainClients(parameters: CreateChainClientsParameters): Promise<ChainClients> {
  const { rpcUrl, mode = 'anvil', accountCount } = parameters;
  const pollingInterval = parameters.pollingIntervalMs ?? (mode === 'anvil' ? 50 : 1000);
  const transport = http(rpcUrl, { retryCount: 0, timeout: 120_000 });

  let chainId: number;
  try {
    const probe = createPublicClient({ transport });
    chainId = await probe.getChainId();
  } catch (error) {
    throw new ToolError(`chain: no EVM answered at ${redactEndpoint(rpcUrl)}`, {
      hint: mode === 'anvil' ? 'start one with startAnvil()' : 'check --rpc-url',
      details: { endpoint: redactEndpoint(rpcUrl) },
      cause: error,
    });
  }
  const chain = defineChain({
    id: chainId,
    name: mode === 'anvil' ? 'anvil' : `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval }) as PublicClient<Transport, Chain>;

  let accounts: Account[];
  if (mode === 'anvil') {
    const addresses = (await publicClient.request({ method: 'eth_accounts' as never })) as Address[];
    if (addresses.length === 0)
      throw new ToolError(`chain: ${redactEndpoint(rpcUrl)} has no unlocked accounts`, { hint: 'is this anvil? use mode "remote" with OPZK_PRIVATE_KEY otherwise' });
    accounts = addresses.map((address) => ({ address, type: 'json-rpc' }) as Account);
  } else {
    const keys = parameters.privateKeys ?? readPrivateKeysFromEnv();
    if (keys.length === 0)
      throw new UsageError(`chain: remote mode at ${redactEndpoint(rpcUrl)} needs a private key`, {
        hint: `set ${PRIVATE_KEY_ENV}=0x… (several actors: comma-separated keys)`,
      });
    accounts = keys.map((key, index) => {
      try {
        return privateKeyToAccount(key);
      } catch (error) {
        throw new UsageError(`chain: private key #${index} in ${PRIVATE_KEY_ENV} is not a 32-byte hex key`, { cause: error });
      }
    });
  }
  if (accountCount !== undefined) {
    if (accountCount > accounts.length)
      throw new UsageError(`chain: ${accountCount} actor accounts requested, ${redactEndpoint(rpcUrl)} provides ${accounts.length}`, {
        hint: mode === 'anvil' ? 'start anvil with a larger accountCount' : `give more comma-separated keys in ${PRIVATE_KEY_ENV}`,
      });
    accounts = accounts.slice(0, accountCount);
  }
  const wallets = accounts.map((account) => createWalletClient({ account, chain, transport, pollingInterval }));
  const testClient = mode === 'anvil' ? createTestClient({ mode: 'anvil', chain, transport, pollingInterval }) : undefined;
  return { mode, rpcUrl, chain, publicClient, wallets, addresses: accounts.map((account) => account.address), testClient };
}
