// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The subset of Foundry's cheatcodes (the `Vm` at the HEVM address) our tests use. The
///         signatures are forge's own, so forge executes them; nothing else implements this.
interface Vm {
    // Environment.
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function deal(address account, uint256 newBalance) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function label(address account, string calldata newLabel) external;
    function assume(bool condition) external pure;
    function pauseGasMetering() external;
    function resumeGasMetering() external;
    // Expectations.
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;
    // Assertions (revert with a readable message that forge prints).
    function assertTrue(bool condition) external pure;
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function assertEq(uint256 left, uint256 right) external pure;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(int256 left, int256 right) external pure;
    function assertEq(int256 left, int256 right, string calldata message) external pure;
    function assertEq(bool left, bool right) external pure;
    function assertEq(address left, address right) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(bytes calldata left, bytes calldata right) external pure;
    function assertEq(string calldata left, string calldata right) external pure;
    function assertNotEq(uint256 left, uint256 right) external pure;
    function assertNotEq(bytes32 left, bytes32 right) external pure;
    function assertLt(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right, string calldata message) external pure;
    function assertGt(uint256 left, uint256 right) external pure;
    function assertGe(uint256 left, uint256 right) external pure;
}

/// @notice A minimal stand-in for forge-std's Test (the npm forge-std is unusable offline): the
///         cheatcode handle `vm` and assertion helpers that forward to forge's assertion cheatcodes.
/// @dev Test contracts inherit it and name tests `test_<fn>_<case>_<succeeds|reverts>`.
abstract contract Test {
    /// @notice Marks the contract as a test contract for forge.
    bool public IS_TEST = true;

    /// @notice Foundry's cheatcode address: address(uint160(uint256(keccak256("hevm cheat code")))).
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    function assertTrue(bool condition) internal pure { vm.assertTrue(condition); }
    function assertTrue(bool condition, string memory message) internal pure { vm.assertTrue(condition, message); }
    function assertFalse(bool condition) internal pure { vm.assertFalse(condition); }
    function assertFalse(bool condition, string memory message) internal pure { vm.assertFalse(condition, message); }
    function assertEq(uint256 left, uint256 right) internal pure { vm.assertEq(left, right); }
    function assertEq(uint256 left, uint256 right, string memory message) internal pure { vm.assertEq(left, right, message); }
    function assertEq(int256 left, int256 right) internal pure { vm.assertEq(left, right); }
    function assertEq(int256 left, int256 right, string memory message) internal pure { vm.assertEq(left, right, message); }
    function assertEq(bool left, bool right) internal pure { vm.assertEq(left, right); }
    function assertEq(address left, address right) internal pure { vm.assertEq(left, right); }
    function assertEq(address left, address right, string memory message) internal pure { vm.assertEq(left, right, message); }
    function assertEq(bytes32 left, bytes32 right) internal pure { vm.assertEq(left, right); }
    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure { vm.assertEq(left, right, message); }
    function assertEq(bytes memory left, bytes memory right) internal pure { vm.assertEq(left, right); }
    function assertEq(string memory left, string memory right) internal pure { vm.assertEq(left, right); }
    function assertNotEq(uint256 left, uint256 right) internal pure { vm.assertNotEq(left, right); }
    function assertNotEq(bytes32 left, bytes32 right) internal pure { vm.assertNotEq(left, right); }
    function assertLt(uint256 left, uint256 right) internal pure { vm.assertLt(left, right); }
    function assertLe(uint256 left, uint256 right) internal pure { vm.assertLe(left, right); }
    function assertLe(uint256 left, uint256 right, string memory message) internal pure { vm.assertLe(left, right, message); }
    function assertGt(uint256 left, uint256 right) internal pure { vm.assertGt(left, right); }
    function assertGe(uint256 left, uint256 right) internal pure { vm.assertGe(left, right); }

    /// @notice Clamps a fuzzed `x` into [min, max] (forge-std's StdUtils.bound, same mapping).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (x <= 3 && size > x) return min + x;
        if (x >= type(uint256).max - 3 && size > type(uint256).max - x) return max - (type(uint256).max - x);
        if (x > max) {
            uint256 rem = (x - max) % size;
            return rem == 0 ? max : min + rem - 1;
        }
        uint256 remBelow = (min - x) % size;
        return remBelow == 0 ? min : max - remBelow + 1;
    }

    /// @notice A labelled address derived from a name (forge-std's makeAddr without the key).
    function makeAddr(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(abi.encodePacked(name)))));
        vm.label(account, name);
    }
}
