// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStepper} from "../../../src/opml/IStepper.sol";

/// @notice Measures the execution gas of one IStepper.step call (what a game pays inside its
/// transaction for the call, calldata of the outer transaction excluded), for exact gas tests.
contract StepGasProbe {
    /// @notice Calls `stepper.step` and returns its result and the gas the call consumed.
    function measure(IStepper stepper, bytes32 modelRoot, bytes32 preState, bytes calldata proof)
        external
        view
        returns (bytes32 postState, uint256 gasUsed)
    {
        uint256 before = gasleft();
        postState = stepper.step(modelRoot, preState, proof);
        gasUsed = before - gasleft();
    }
}
