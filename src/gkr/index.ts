// LOCAL SHIM (never committed): the matmul part only, until gkr-core's index.ts lands.
export { proveMatMulGkr } from './matmul/proveMatMulGkr.ts';
export { verifyMatMulGkr } from './matmul/verifyMatMulGkr.ts';
const missing = () => { throw new Error('not in the shim'); };
export const setupGkrModel = missing, proveGkr = missing, verifyGkr = missing, serializeGkrProof = missing, deserializeGkrProof = missing;
