// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The narrow interface between the dispute game and a one-step verifier: the game knows
/// state commitments and a model root, never what is inside a state.
interface IStepper {
    /// @notice Executes the one instruction at `preState` of the model committed by `modelRoot`,
    /// with the state preimage and Merkle proofs in `proof`, and returns the commitment of the
    /// state after it. Reverts if the proof does not match `preState`, and only then: every
    /// correctly-encoded pre-state must have a provable post-state (a VM without one would let the
    /// party that must prove it lose on time; the trace VM traps instead, see OneStepVerifier).
    function step(bytes32 modelRoot, bytes32 preState, bytes calldata proof)
        external
        view
        returns (bytes32 postState);
}
