/**
 * An FFLONK proof with snarkjs from a proving key and a witness (.wtns bytes or file); the curve's
 * worker threads are terminated afterwards unless `keepCurve` (see proveWithSnarkjs.ts).
 */
import { proveWithSnarkjs, type ProveWithSnarkjsParameters, type ProveWithSnarkjsResult } from './proveWithSnarkjs.ts';

export type ProveFflonkParameters = Omit<ProveWithSnarkjsParameters<'fflonk'>, 'system'>;
export type ProveFflonkResult = ProveWithSnarkjsResult<'fflonk'>;

export function proveFflonk(parameters: ProveFflonkParameters): Promise<ProveFflonkResult> {
  return proveWithSnarkjs({ ...parameters, system: 'fflonk' });
}
