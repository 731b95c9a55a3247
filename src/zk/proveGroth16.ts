/**
 * A Groth16 proof with snarkjs from a proving key and a witness (.wtns bytes or file); the curve's
 * worker threads are terminated afterwards unless `keepCurve` (see proveWithSnarkjs.ts).
 */
import { proveWithSnarkjs, type ProveWithSnarkjsParameters, type ProveWithSnarkjsResult } from './proveWithSnarkjs.ts';

export type ProveGroth16Parameters = Omit<ProveWithSnarkjsParameters<'groth16'>, 'system'>;
export type ProveGroth16Result = ProveWithSnarkjsResult<'groth16'>;

export function proveGroth16(parameters: ProveGroth16Parameters): Promise<ProveGroth16Result> {
  return proveWithSnarkjs({ ...parameters, system: 'groth16' });
}
