/**
 * Owns choosing the chain an on-chain measurement runs on: a fresh local anvil that this call
 * starts (and `stop()` kills), or — with `rpcUrl`, the bench's `--rpc-url` — any EVM JSON-RPC
 * endpoint, with funded private keys from `privateKeys` or OPZK_PRIVATE_KEY (nothing to stop;
 * no test client, so games wait in real time instead of fast-forwarding anvil's clock).
 */
import type { Hex } from 'viem';
import { createChainClients, type ChainClients } from './createChainClients.ts';
import { startAnvil, type StartAnvilParameters } from './startAnvil.ts';

export interface OpenChainParameters {
  /** An EVM JSON-RPC endpoint; absent: start a local anvil. */
  rpcUrl?: string;
  /** Remote only: 0x-keys, one per actor (default: OPZK_PRIVATE_KEY, comma-separated). */
  privateKeys?: Hex[];
  /** Actor accounts needed (remote: this many keys must be given). */
  accountCount?: number;
  /** Local only: how to start anvil. */
  anvil?: StartAnvilParameters;
}

export interface OpenChainResult {
  kind: 'anvil' | 'remote';
  clients: ChainClients;
  /** Stops the local anvil (a no-op for a remote endpoint). Always call it, in a finally. */
  stop(): Promise<void>;
}

export async function openChain(parameters: OpenChainParameters): Promise<OpenChainResult> {
  const { rpcUrl, privateKeys, accountCount } = parameters;
  if (rpcUrl) {
    const clients = await createChainClients({ rpcUrl, mode: 'remote', privateKeys, accountCount });
    return { kind: 'remote', clients, stop: async () => {} };
  }
  const anvil = await startAnvil(parameters.anvil ?? {});
  try {
    const clients = await createChainClients({ rpcUrl: anvil.rpcUrl, accountCount });
    return { kind: 'anvil', clients, stop: anvil.stop };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
