// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStepper} from "./IStepper.sol";

/// @notice What the registry and the dispute game need from a trace VM: its one-step verifier
/// (IStepper.step) plus the two model-bound checks that fix a dispute's endpoints —
/// the initial state derived from the registered model and the requested input, and the binding of
/// a posted output to a final state. The game never looks inside a state; any VM (the trace VM's
/// OneStepVerifier, or the toy counter VM in the tests) plugs in here.
interface IOpmlMachine is IStepper {
    /// @notice The state commitment before the first step, computed from the registered model
    /// (`modelRoot`, the VM's `memoryLayout`) and the input values, and the commitment to the input
    /// alone that the state was built from (the trace VM: the root of the input subtree), which the
    /// registry emits so a submitter need not hash the input again. Reverts on a malformed input.
    function initialState(bytes32 modelRoot, bytes calldata memoryLayout, int256[] calldata input)
        external
        view
        returns (bytes32 state, bytes32 inputRoot);

    /// @notice The step count and the first step of each layer that the model (`modelRoot`, its
    /// `memoryLayout`) commits to; reverts unless the layout is the model's and its schedule can be
    /// played (layers start at 0, strictly increase, the last one has a step). The registry checks
    /// a registration against it, so the game's step ranges are the VM's.
    function scheduleOf(bytes32 modelRoot, bytes calldata memoryLayout)
        external
        view
        returns (uint256 totalSteps, uint256[] memory layerStarts);

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
