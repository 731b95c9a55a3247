/**
 * The gkr backend's public API (what the harness codes against): a sumcheck/GKR prover with
 * LogUp lookups and a hash-based multilinear commitment, over Goldilocks with challenges in
 * F_p² (docs/gkr.md).
 */
export { setupGkrModel, type GkrModelKey, type GkrVerifierKey, type SetupGkrModelParameters } from './setupGkrModel.ts';
export { proveGkr, type ProveGkrParameters, type ProveGkrResult } from './proveModel.ts';
export { verifyGkr, type VerifyGkrParameters } from './verifyModel.ts';
export { serializeGkrProof, deserializeGkrProof, type GkrProof } from './serializeGkrProof.ts';
export { proveMatMulGkr, serializeMatMulGkrProof, type MatMulGkrProof, type ProveMatMulGkrParameters, type ProveMatMulGkrResult } from './matmul/proveMatMulGkr.ts';
export { verifyMatMulGkr, type VerifyMatMulGkrParameters } from './matmul/verifyMatMulGkr.ts';
export { GKR_SUPPORTED_OPS } from './model/planModel.ts';
