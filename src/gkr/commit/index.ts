/**
 * The multilinear polynomial commitment (Ligero/Brakedown style over Goldilocks, SHA-256 Merkle
 * tree over RS-encoded columns): what the rest of src/gkr/ uses. docs/gkr.md, "## Polynomial
 * commitment", describes the protocol, the checks and the soundness bound.
 */
export { commitMultilinear } from './commitMultilinear.ts';
export type { CommitMultilinearParameters, CommitMultilinearResult } from './commitMultilinear.ts';
export { openMultilinear } from './openMultilinear.ts';
export type { OpenMultilinearParameters, OpenMultilinearResult } from './openMultilinear.ts';
export { verifyOpening } from './verifyOpening.ts';
export type { VerifyOpeningParameters } from './verifyOpening.ts';
export { deserializeCommitment, deserializeOpeningProof, serializeCommitment, serializeOpeningProof } from './serializeOpening.ts';
export { columnOpeningCount, planCommitmentShape } from './parameters.ts';
export type { CodeRate, CommitmentShape, SoundnessRegime } from './parameters.ts';
export type { CommitmentTranscript, EvaluationClaim, MultilinearCommitment, MultilinearProverData, OpeningProof } from './types.ts';
