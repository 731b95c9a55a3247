// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IOpmlMachine} from "../../src/opml/IOpmlMachine.sol";

/// @notice The toy layout of a schedule: abi.encode(totalSteps, layerStarts as uint256[]).
function toyLayout(uint256 totalSteps, uint48[] memory layerStarts) pure returns (bytes memory) {
    uint256[] memory starts = new uint256[](layerStarts.length);
    for (uint256 i = 0; i < starts.length; i++) {
        starts[i] = layerStarts[i];
    }
    return abi.encode(totalSteps, starts);
}

/// @notice A toy VM for testing the dispute game without the trace VM: the state is
/// keccak256(abi.encode(pc, value)); the initial state is (0, Σ input); each step adds
/// `increment(modelRoot)` = modelRoot mod 7 + 1 to the value; the output is [value].
/// Its TypeScript twin is test/opml-game-toyMachine.ts. Its layout is abi.encode(uint256 totalSteps,
/// uint256[] layerStarts) (not bound to the root: the toy has no program).
contract ToyMachine is IOpmlMachine {
    error PreStateMismatch();
    error OutputNotInState();

    /// @notice The value added per step for a model.
    function increment(bytes32 modelRoot) public pure returns (int256) {
        return int256(uint256(modelRoot) % 7) + 1;
    }

    /// @notice One step: proof = abi.encode(pc, value) of `preState`.
    function step(bytes32 modelRoot, bytes32 preState, bytes calldata proof) external pure returns (bytes32) {
        (uint256 pc, int256 value) = abi.decode(proof, (uint256, int256));
        // INVARIANT: the preimage is the pre-state's.
        if (keccak256(abi.encode(pc, value)) != preState) revert PreStateMismatch();
        return keccak256(abi.encode(pc + 1, value + increment(modelRoot)));
    }

    /// @notice The schedule the toy layout carries.
    function scheduleOf(bytes32, bytes calldata memoryLayout)
        external
        pure
        returns (uint256 totalSteps, uint256[] memory layerStarts)
    {
        (totalSteps, layerStarts) = abi.decode(memoryLayout, (uint256, uint256[]));
    }

    /// @notice (0, Σ input); the input commitment is keccak256(abi.encode(input)).
    function initialState(bytes32, bytes calldata, int256[] calldata input)
        external
        pure
        returns (bytes32 state, bytes32 inputRoot)
    {
        int256 sum = 0;
        for (uint256 i = 0; i < input.length; i++) {
            sum += input[i];
        }
        return (keccak256(abi.encode(uint256(0), sum)), keccak256(abi.encode(input)));
    }

    /// @notice proof = abi.encode(pc, value) of `finalState`; the output must be [value].
    function verifyOutput(bytes32, bytes calldata, bytes32 finalState, int256[] calldata output, bytes calldata proof)
        external
        pure
    {
        (uint256 pc, int256 value) = abi.decode(proof, (uint256, int256));
        // INVARIANT: the output is the final state's value.
        if (keccak256(abi.encode(pc, value)) != finalState || output.length != 1 || output[0] != value) {
            revert OutputNotInState();
        }
    }
}
