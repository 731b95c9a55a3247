/**
 * Shared setup of the opML game tests: one anvil, the toy machine, and one registry per arity
 * (many games share them). `stop()` must run in afterAll so that no anvil outlives the tests.
 */
import type { Address } from 'viem';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { startAnvil } from '../src/chain/startAnvil.ts';
import { deployOpmlRegistry, type DeployOpmlRegistryResult } from '../src/opml/game/deployOpmlRegistry.ts';

export const BOND_WEI = 10n ** 18n;
export const CLOCK_SECONDS = 3600;
export const WINDOW_SECONDS = 600;
export const ARITIES = [2, 4, 8, 16] as const;

export interface GameFixture {
  clients: ChainClients;
  toyMachine: Address;
  registries: Record<number, DeployOpmlRegistryResult>;
  /** The anvil process (tests check it is gone after stop). */
  anvilPid: number;
  stop(): Promise<void>;
}

export async function createGameFixture(): Promise<GameFixture> {
  const anvil = await startAnvil({});
  try {
    const clients = await createChainClients({ rpcUrl: anvil.rpcUrl });
    const toy = getCompiledContract(compileSolidity({ files: ['contracts/test/opml/ToyMachine.sol'] }), 'ToyMachine');
    const toyMachine = (await deployContract({ clients, contract: toy })).address;
    const registries: Record<number, DeployOpmlRegistryResult> = {};
    for (const arity of ARITIES)
      registries[arity] = await deployOpmlRegistry({ clients, arity, clockSeconds: CLOCK_SECONDS, challengeWindowSeconds: WINDOW_SECONDS, bondWei: BOND_WEI });
    return { clients, toyMachine, registries, anvilPid: anvil.pid, stop: anvil.stop };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
