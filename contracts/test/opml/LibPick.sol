// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OpmlDisputeGame} from "../../src/opml/OpmlDisputeGame.sol";
import {Claim, LibDissection} from "../../src/opml/LibDissection.sol";

/// @notice Test-side twin of LibDissection's part tree over claims in memory: builds the `Pick`
/// a mover sends for part `index` of a dissection (its claims and its leaf's siblings).
library LibPick {
    function pick(Claim[] memory claims, uint256 index) internal pure returns (OpmlDisputeGame.Pick memory picked) {
        bytes32[] memory level = leaves(claims);
        uint256 depth = LibDissection.treeDepth(claims.length - 1);
        picked.index = index;
        picked.agreed = claims[index];
        picked.disputed = claims[index + 1];
        picked.siblings = new bytes32[](depth);
        uint256 position = index;
        for (uint256 d = 0; d < depth; d++) {
            picked.siblings[d] = level[position ^ 1];
            level = up(level);
            position >>= 1;
        }
    }

    function root(Claim[] memory claims) internal pure returns (bytes32) {
        bytes32[] memory level = leaves(claims);
        while (level.length > 1) level = up(level);
        return level[0];
    }

    function leaves(Claim[] memory claims) private pure returns (bytes32[] memory level) {
        uint256 n = claims.length - 1;
        level = new bytes32[](uint256(1) << LibDissection.treeDepth(n));
        for (uint256 i = 0; i < n; i++) level[i] = keccak256(abi.encodePacked(claims[i], claims[i + 1]));
    }

    function up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[](level.length / 2);
        for (uint256 i = 0; i < next.length; i++) next[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
    }
}
