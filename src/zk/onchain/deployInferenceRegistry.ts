/**
 * Owns putting one circuit's verification on a chain: exports the snarkjs verifier for a zkey,
 * compiles it and contracts/src/zk/InferenceRegistry.sol with solc-js, deploys both (the registry
 * bound to the verifier's `verifyProof` selector, proof length, public signal count, the model
 * commitment and the range of the public input signals) and measures each deployment from its receipt.
 *
 * The circuits do not range-check public inputs (src/zk/generateCircuit.ts): the registry does,
 * with the positions and valueBits read from the circuit's layout (`inputRangeFromLayout`).
 * A circuit with hashed inputs (layout.inputCommitment) gets contracts/src/zk/CommittedInputRegistry.sol
 * instead: requests post the input's packed words and commitment, submissions must prove a
 * requested commitment (requestInference.ts); the circuit range-checks the committed input.
 */
import { keccak256, toFunctionSelector, toHex, type Abi, type AbiFunction, type Address, type Hex } from 'viem';
import { compileSolidity, getCompiledContract, REPOSITORY_ROOT } from '../../chain/compileSolidity.ts';
import type { ChainClients, ChainWalletClient } from '../../chain/createChainClients.ts';
import { deployContract, type DeployContractResult } from '../../chain/deployContract.ts';
import { UsageError } from '../../errors.ts';
import type { CircuitLayout } from '../generateCircuit.ts';
import { exportVerifier, type OnChainProofSystem } from './exportVerifier.ts';
import { join } from 'node:path';

export const INFERENCE_REGISTRY_FILE = join(REPOSITORY_ROOT, 'contracts', 'src', 'zk', 'InferenceRegistry.sol');
export const COMMITTED_INPUT_REGISTRY_FILE = join(REPOSITORY_ROOT, 'contracts', 'src', 'zk', 'CommittedInputRegistry.sol');
/** InferenceRegistry.NO_COMMITMENT_SIGNAL. */
export const NO_COMMITMENT_SIGNAL = 2n ** 256n - 1n;

/** Which public signals the registry range-checks as model inputs, and the bound. */
export interface InputSignalRange {
  /** Index of the first input signal in the public signals (= the number of output elements). */
  inputSignalStart: number;
  /** Number of input signals (0: the inputs are private; the circuit range-checks them). */
  inputSignalCount: number;
  /** 2^(valueBits-1): each input must encode an integer in [-inputBound, inputBound). */
  inputBound: bigint;
}

/** A circuit with hashed inputs: where its input commitment sits, and how many packed words a request posts. */
export interface CommittedInputShape {
  /** Index of the inputCommitment public signal (= the number of output elements). */
  inputCommitmentSignalIndex: number;
  /** Packed input words per request (commitInput.ts: inputWordCount). */
  inputWordCount: number;
}

/** The committed-input shape of a generated circuit, or undefined when its inputs are not hashed. */
export function committedInputFromLayout(layout: CircuitLayout): CommittedInputShape | undefined {
  if (!layout.inputCommitment) return undefined;
  return { inputCommitmentSignalIndex: layout.outputs.reduce((sum, output) => sum + output.size, 0), inputWordCount: layout.inputCommitment.words };
}

/** No input is range-checked by the registry (a circuit without public model inputs). */
export const NO_INPUT_SIGNALS: InputSignalRange = { inputSignalStart: 0, inputSignalCount: 0, inputBound: 0n };

/**
 * The input signals of a generated circuit: public signals are the outputs, then the inputs
 * (when public), then public weights / the commitment (generateCircuit.ts).
 */
export function inputRangeFromLayout(layout: CircuitLayout): InputSignalRange {
  const outputCount = layout.outputs.reduce((sum, output) => sum + output.size, 0);
  const inputCount = layout.settings.inputs === 'public' ? layout.inputs.reduce((sum, input) => sum + input.size, 0) : 0;
  return { inputSignalStart: outputCount, inputSignalCount: inputCount, inputBound: 1n << BigInt(layout.valueBits - 1) };
}

export interface DeployInferenceRegistryParameters {
  clients: ChainClients;
  /** Deployer; default clients.wallets[0]. */
  wallet?: ChainWalletClient;
  zkeyFile: string;
  /** When given, the zkey must be of this system. */
  system?: OnChainProofSystem;
  /** bytes32 commitment to the model (e.g. the quantized model's hash); default: the verifier's code hash. */
  modelCommitment?: Hex;
  /** Index of the public signal that must equal modelCommitment (circuits with hashed weights). */
  commitmentSignalIndex?: number;
  /**
   * The public input signals the registry range-checks: a circuit layout (generateCircuit.ts),
   * or the positions and bound given directly (NO_INPUT_SIGNALS for a circuit without public inputs),
   * or the committed-input shape (hashed inputs: a CommittedInputRegistry is deployed).
   */
  inputs: CircuitLayout | InputSignalRange | CommittedInputShape;
}

export interface InferenceRegistryDeployment {
  system: OnChainProofSystem;
  verifierAddress: Address;
  verifierAbi: Abi;
  registryAddress: Address;
  registryAbi: Abi;
  /** The verifier's verifyProof selector. */
  verifySelector: Hex;
  publicSignalCount: number;
  proofWords: number;
  /** The commitment the registry records (read back from the contract). */
  modelCommitment: Hex;
  /** The public input signals the registry range-checks (none for hashed inputs). */
  inputRange: InputSignalRange;
  /** Which registry: InferenceRegistry (public inputs) or CommittedInputRegistry (hashed inputs). */
  registryName: 'InferenceRegistry' | 'CommittedInputRegistry';
  /** Hashed inputs: the input commitment's signal and the words a request posts. */
  committedInput?: CommittedInputShape;
  verifierDeployment: DeployContractResult;
  registryDeployment: DeployContractResult;
  /** solc settings both contracts were compiled with. */
  compiler: { solcVersion: string; optimizer: { enabled: boolean; runs: number }; evmVersion: string };
}

export type DeployInferenceRegistryResult = InferenceRegistryDeployment;

export async function deployInferenceRegistry(parameters: DeployInferenceRegistryParameters): Promise<InferenceRegistryDeployment> {
  const { clients, wallet, zkeyFile, modelCommitment, commitmentSignalIndex } = parameters;
  if (modelCommitment !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(modelCommitment))
    throw new UsageError(`modelCommitment '${modelCommitment}' is not a 32-byte 0x-hex value`, { hint: 'pass a bytes32, e.g. a sha256/keccak256 of the model' });
  const exported = await exportVerifier({ zkeyFile, system: parameters.system });
  if (commitmentSignalIndex !== undefined && (commitmentSignalIndex < 0 || commitmentSignalIndex >= exported.publicSignalCount))
    throw new UsageError(`commitmentSignalIndex ${commitmentSignalIndex} is outside the ${exported.publicSignalCount} public signals of ${zkeyFile}`);
  const given = parameters.inputs;
  const committedInput = 'inputCommitmentSignalIndex' in given ? given : 'publicSignalCount' in given ? committedInputFromLayout(given) : undefined;
  const inputRange = committedInput ? NO_INPUT_SIGNALS : 'inputSignalStart' in given ? given : inputRangeFromLayout(given as CircuitLayout);
  if (committedInput && (committedInput.inputCommitmentSignalIndex < 0 || committedInput.inputCommitmentSignalIndex >= exported.publicSignalCount || committedInput.inputWordCount < 1))
    throw new UsageError(`input commitment signal ${committedInput.inputCommitmentSignalIndex} (${committedInput.inputWordCount} words) does not fit the ${exported.publicSignalCount} public signals of ${zkeyFile}`);
  if ('publicSignalCount' in parameters.inputs && parameters.inputs.publicSignalCount !== exported.publicSignalCount)
    throw new UsageError(`the circuit layout has ${parameters.inputs.publicSignalCount} public signals, ${zkeyFile} ${exported.publicSignalCount}`, { hint: 'pass the layout of the circuit this zkey was set up for' });
  if (inputRange.inputSignalStart < 0 || inputRange.inputSignalCount < 0 || inputRange.inputSignalStart + inputRange.inputSignalCount > exported.publicSignalCount)
    throw new UsageError(`input signals ${inputRange.inputSignalStart}..${inputRange.inputSignalStart + inputRange.inputSignalCount - 1} are outside the ${exported.publicSignalCount} public signals of ${zkeyFile}`);

  // The unit name carries a hash of the source, so two verifiers never share a cache entry by name.
  const unitName = `generated/${exported.contractName}_${keccak256(toHex(exported.source)).slice(2, 14)}.sol`;
  const verifierBuild = compileSolidity({ sources: { [unitName]: exported.source } });
  const verifierContract = getCompiledContract(verifierBuild, exported.contractName);
  const registryName = committedInput ? 'CommittedInputRegistry' : 'InferenceRegistry';
  const registryBuild = compileSolidity({ files: [committedInput ? COMMITTED_INPUT_REGISTRY_FILE : INFERENCE_REGISTRY_FILE] });
  const registryContract = getCompiledContract(registryBuild, registryName);

  const verifyFunction = verifierContract.abi.find((item): item is AbiFunction => item.type === 'function' && item.name === 'verifyProof');
  if (!verifyFunction)
    throw new UsageError(`${exported.contractName} from ${zkeyFile} has no verifyProof function`, { hint: 'is the snarkjs template changed?' });
  const verifySelector = toFunctionSelector(verifyFunction);

  const verifierDeployment = await deployContract({ clients, wallet, contract: { ...verifierContract, name: exported.contractName } });
  const common = [
    verifierDeployment.address,
    verifySelector,
    BigInt(exported.proofWords),
    BigInt(exported.publicSignalCount),
    modelCommitment ?? `0x${'00'.repeat(32)}`,
    commitmentSignalIndex === undefined ? NO_COMMITMENT_SIGNAL : BigInt(commitmentSignalIndex),
  ];
  const registryDeployment = await deployContract({
    clients,
    wallet,
    contract: { ...registryContract, name: registryName },
    args: committedInput
      ? [...common, BigInt(committedInput.inputCommitmentSignalIndex), BigInt(committedInput.inputWordCount)]
      : [...common, BigInt(inputRange.inputSignalStart), BigInt(inputRange.inputSignalCount), inputRange.inputBound],
  });
  const recordedCommitment = (await clients.publicClient.readContract({
    address: registryDeployment.address,
    abi: registryContract.abi,
    functionName: 'modelCommitment',
  })) as Hex;
  return {
    system: exported.system,
    verifierAddress: verifierDeployment.address,
    verifierAbi: verifierContract.abi,
    registryAddress: registryDeployment.address,
    registryAbi: registryContract.abi,
    verifySelector,
    publicSignalCount: exported.publicSignalCount,
    proofWords: exported.proofWords,
    modelCommitment: recordedCommitment,
    inputRange,
    registryName,
    committedInput,
    verifierDeployment,
    registryDeployment,
    compiler: { solcVersion: verifierBuild.solcVersion, optimizer: verifierBuild.settings.optimizer, evmVersion: verifierBuild.settings.evmVersion },
  };
}
