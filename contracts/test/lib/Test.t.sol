// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";

/// @notice A target for the cheatcode checks below.
contract Clocked {
    error TooEarly(uint256 nowSeconds);
    address public lastCaller;

    /// @notice Records the caller; reverts before timestamp 1000.
    function poke() external payable {
        if (block.timestamp < 1000) revert TooEarly(block.timestamp);
        lastCaller = msg.sender;
    }
}

/// @notice Checks that our Test.sol base works under forge: assertions, prank, warp, deal, expectRevert.
contract TestBaseTest is Test {
    Clocked internal clocked;

    function setUp() public {
        clocked = new Clocked();
    }

    function test_poke_beforeWarp_reverts() public {
        vm.warp(999);
        vm.expectRevert(abi.encodeWithSelector(Clocked.TooEarly.selector, 999));
        clocked.poke();
    }

    function test_poke_prankedAfterWarp_succeeds() public {
        address alice = makeAddr("alice");
        vm.warp(1000);
        vm.deal(alice, 1 ether);
        assertEq(alice.balance, 1 ether);
        vm.prank(alice);
        clocked.poke{value: 0.5 ether}();
        assertEq(clocked.lastCaller(), alice);
        assertEq(address(clocked).balance, 0.5 ether);
    }

    function testFuzz_bound_staysInRange_succeeds(uint256 x) public pure {
        uint256 y = bound(x, 10, 20);
        assertGe(y, 10);
        assertLe(y, 20);
    }
}
