/**
 * Owns compiling and deploying the opML registry + dispute game (contracts/src/opml/) with its
 * settings: arity k, each party's clock, the challenge window and the bond. Many games (and
 * models) can share one deployment; a deployment per arity is what the measurements use.
 */
import type { Abi, Address } from 'viem';
import { compileSolidity, getCompiledContract } from '../../chain/compileSolidity.ts';
import { deployContract } from '../../chain/deployContract.ts';
import type { ChainClients } from '../../chain/createChainClients.ts';
import { UsageError } from '../../errors.ts';

export const OPML_REGISTRY_SOURCE = 'contracts/src/opml/OpmlRegistry.sol';

export interface OpmlRegistrySettings {
  /** Parts per dissection (k ≥ 2). */
  arity: number;
  /** Each party's chess-clock budget, in seconds. */
  clockSeconds: number;
  /** How long a result may be challenged, in seconds. */
  challengeWindowSeconds: number;
  /** The submitter's and each challenger's bond, in wei. */
  bondWei: bigint;
}

export interface DeployOpmlRegistryParameters extends OpmlRegistrySettings {
  clients: ChainClients;
}

export interface DeployOpmlRegistryResult extends OpmlRegistrySettings {
  address: Address;
  abi: Abi;
  /** Gas used by the deployment. */
  deployGas: bigint;
  /** Runtime code size in bytes. */
  deployedCodeBytes: number;
}

export async function deployOpmlRegistry(parameters: DeployOpmlRegistryParameters): Promise<DeployOpmlRegistryResult> {
  const { clients, arity, clockSeconds, challengeWindowSeconds, bondWei } = parameters;
  // The contracts refuse the same (ArityOutOfRange, ZeroClock, ZeroChallengeWindow, ZeroBond);
  // checked here first so that a bad setting is named instead of failing as a deployment revert.
  if (!Number.isInteger(arity) || arity < 2 || arity > 255)
    throw new UsageError(`opML registry: arity ${arity} is not an integer in [2, 255]`, { hint: 'use --arity 2, 4, 8 or 16 (the game stores the part count in a uint8)' });
  if (bondWei < 1n)
    throw new UsageError(`opML registry: a bond of ${bondWei} wei is not allowed`, { hint: 'give a bond of at least 1 wei: a zero bond makes cheating free' });
  if (!Number.isInteger(clockSeconds) || clockSeconds < 1 || clockSeconds >= 2 ** 40)
    throw new UsageError(`opML registry: clock of ${clockSeconds} s is out of range`, { hint: 'give a whole number of seconds ≥ 1' });
  if (!Number.isInteger(challengeWindowSeconds) || challengeWindowSeconds < 1)
    throw new UsageError(`opML registry: challenge window of ${challengeWindowSeconds} s is out of range`, { hint: 'give a whole number of seconds ≥ 1' });
  const compiled = compileSolidity({ files: [OPML_REGISTRY_SOURCE] });
  const contract = getCompiledContract(compiled, 'OpmlRegistry');
  const deployed = await deployContract({
    clients,
    contract,
    args: [BigInt(arity), clockSeconds, BigInt(challengeWindowSeconds), bondWei],
  });
  return {
    arity,
    clockSeconds,
    challengeWindowSeconds,
    bondWei,
    address: deployed.address,
    abi: contract.abi,
    deployGas: deployed.gasUsed,
    deployedCodeBytes: deployed.deployedCodeBytes,
  };
}
