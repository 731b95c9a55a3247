/**
 * A PLONK proof with snarkjs from a proving key and a witness (.wtns bytes or file); the curve's
 * worker threads are terminated afterwards unless `keepCurve` (see proveWithSnarkjs.ts).
 */
import { proveWithSnarkjs, type ProveWithSnarkjsParameters, type ProveWithSnarkjsResult } from './proveWithSnarkjs.ts';

export type ProvePlonkParameters = Omit<ProveWithSnarkjsParameters<'plonk'>, 'system'>;
export type ProvePlonkResult = ProveWithSnarkjsResult<'plonk'>;

export function provePlonk(parameters: ProvePlonkParameters): Promise<ProvePlonkResult> {
  return proveWithSnarkjs({ ...parameters, system: 'plonk' });
}
