/**
 * Owns turning a snarkjs zkey into the Solidity verifier snarkjs generates for it
 * (`zKey.exportSolidityVerifier` with the EJS templates shipped in node_modules/snarkjs/templates),
 * for Groth16, PLONK and FFLONK, together with what the registry needs to call it: the contract
 * name, the `verifyProof` signature and the number of public signals. A Groth16 key without a
 * phase-2 contribution (γ = δ: forgeable from its verification key) is refused.
 *
 * snarkjs builds its bn128 curve (worker threads) to read the key; the caller terminates it when
 * done (src/zk/types.ts terminateCurve, or `globalThis.curve_bn128?.terminate()`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { InputFileError, ToolError } from '../../errors.ts';
import { checkVerificationKey } from '../checkVerificationKey.ts';
import { closeFileHandlesAfter } from '../closeFileHandlesAfter.ts';

export type OnChainProofSystem = 'groth16' | 'plonk' | 'fflonk';

export interface ExportVerifierParameters {
  /** The .zkey (Groth16, PLONK or FFLONK) from the setup. */
  zkeyFile: string;
  /** When given, the zkey's protocol must be this one. */
  system?: OnChainProofSystem;
}

export interface ExportVerifierResult {
  system: OnChainProofSystem;
  /** The Solidity source of the verifier contract. */
  source: string;
  /** `Groth16Verifier`, `PlonkVerifier` or `FflonkVerifier`. */
  contractName: string;
  /** Number of public signals (outputs + public inputs). */
  publicSignalCount: number;
  /** Proof length in 32-byte words as the verifier takes it (Groth16 8, PLONK 24, FFLONK 24). */
  proofWords: number;
}

const CONTRACT_NAMES: Record<OnChainProofSystem, string> = {
  groth16: 'Groth16Verifier',
  plonk: 'PlonkVerifier',
  fflonk: 'FflonkVerifier',
};
export const PROOF_WORDS: Record<OnChainProofSystem, number> = { groth16: 8, plonk: 24, fflonk: 24 };

const require = createRequire(import.meta.url);

function readTemplates(): Record<OnChainProofSystem, string> {
  // snarkjs's "exports" hide package.json; its entry (build/main.cjs) sits one folder below the root.
  const root = join(dirname(require.resolve('snarkjs')), '..');
  const read = (system: OnChainProofSystem) => readFileSync(join(root, 'templates', `verifier_${system}.sol.ejs`), 'utf8');
  return { groth16: read('groth16'), plonk: read('plonk'), fflonk: read('fflonk') };
}

export async function exportVerifier(parameters: ExportVerifierParameters): Promise<ExportVerifierResult> {
  const { zkeyFile } = parameters;
  let verificationKey: { protocol: string; nPublic: number } & Record<string, unknown>;
  try {
    verificationKey = await closeFileHandlesAfter({ run: () => snarkjs.zKey.exportVerificationKey(zkeyFile) });
  } catch (error) {
    throw new InputFileError(`${zkeyFile}: cannot read the zkey`, { hint: 'is it a snarkjs .zkey from setupCircuit?', cause: error });
  }
  const system = verificationKey.protocol as OnChainProofSystem;
  if (!(system in CONTRACT_NAMES))
    throw new InputFileError(`${zkeyFile}: protocol '${verificationKey.protocol}' has no Solidity verifier here`, { hint: 'use groth16, plonk or fflonk' });
  // A verifier for a key without a phase-2 contribution would accept proofs forged from its own constants.
  checkVerificationKey({ verificationKey, file: zkeyFile });
  if (parameters.system && parameters.system !== system)
    throw new InputFileError(`${zkeyFile}: is a ${system} key, not ${parameters.system}`, { details: { file: zkeyFile, protocol: system } });
  if (verificationKey.nPublic < 1)
    throw new InputFileError(`${zkeyFile}: the circuit has no public signals`, {
      hint: 'an inference registry needs the outputs (and inputs) public; declare them public in the main component',
    });
  let source: string;
  try {
    source = await snarkjs.zKey.exportSolidityVerifier(zkeyFile, readTemplates());
  } catch (error) {
    throw new ToolError(`snarkjs could not export a ${system} verifier for ${zkeyFile}`, { cause: error });
  }
  return { system, source, contractName: CONTRACT_NAMES[system], publicSignalCount: verificationKey.nPublic, proofWords: PROOF_WORDS[system] };
}
