// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice What the registry and the dispute game need from a trace VM: its one-step verifier
/// (the same `step` as IStepper) plus the two model-bound checks that fix a dispute's endpoints —
/// the initial state derived from the registered model and the requested input, and the binding of
/// a posted output to a final state. The game never looks inside a state; any VM (the real trace
/// VM through OpmlVmMachine, or the toy counter VM in the tests) plugs in here.
interface IOpmlMachine {
    /// @notice Executes the one instruction at `preState` of the model committed by `modelRoot`,
    /// with the state preimage and Merkle proofs in `proof`, and returns the commitment of the
    /// state after it. Reverts if the proof does not match `preState`. (Identical to IStepper.step.)
    function step(bytes32 modelRoot, bytes32 preState, bytes calldata proof) external view returns (bytes32 postState);

    /// @notice The state commitment before the first step, computed from the registered model
    /// (`modelRoot`, the VM's `memoryLayout`) and the input values. Reverts on a malformed input.
    function initialState(bytes32 modelRoot, bytes calldata memoryLayout, int256[] calldata input)
        external
        view
        returns (bytes32 state);

    /// @notice Reverts unless `output` is the output region of the memory committed by
    /// `finalState` (`proof`: the state preimage and a Merkle proof of the output subtree).
    function verifyOutput(
        bytes32 modelRoot,
        bytes calldata memoryLayout,
        bytes32 finalState,
        int256[] calldata output,
        bytes calldata proof
    ) external view;
}
