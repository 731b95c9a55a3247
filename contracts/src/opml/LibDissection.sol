// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A state commitment a party claims: keccak256(abi.encode(<the VM's state preimage>)).
type Claim is bytes32;
/// @notice A length of time in seconds (a party's remaining chess-clock time).
type Duration is uint40;
/// @notice A point in time (block.timestamp), in seconds.
type Timestamp is uint40;

/// @notice The arithmetic of k-ary dissection, shared by the game and its TypeScript twin
/// (src/opml/game/computeDissection.ts). A segment [start, end] of positions (layer-boundary
/// indices in phase 1, step indices in phase 2) is cut into n = min(k, end - start) parts at the
/// points start + floor(i * (end - start) / n), i = 0..n. Every part is at most
/// ceil((end - start) / n) wide, so after m dissections a segment of width w is at most
/// ceil(w / k^m) wide: ⌈log_k w⌉ rounds reach width 1.
library LibDissection {
    /// @notice The number of parts [start, end] is cut into: min(arity, end - start).
    function parts(uint256 start, uint256 end, uint256 arity) internal pure returns (uint256) {
        uint256 width = end - start;
        return width < arity ? width : arity;
    }

    /// @notice The i-th point (0 ≤ i ≤ n) of the dissection of [start, end] into n parts.
    function pointAt(uint256 start, uint256 end, uint256 n, uint256 i) internal pure returns (uint256) {
        return start + (i * (end - start)) / n;
    }

    /// @notice The depth of the part tree of a dissection into n parts: ⌈log2 n⌉.
    function treeDepth(uint256 n) internal pure returns (uint256 depth) {
        while ((uint256(1) << depth) < n) depth++;
    }

    /// @notice The one word the game stores per round: the root of the dissection's part tree.
    /// Part i of claims c_0..c_n is the leaf keccak256(c_i ‖ c_{i+1}); the n leaves, padded with
    /// zero words to 2^⌈log2 n⌉ (no pair of claims hashes to zero), form a binary keccak tree
    /// (node = keccak256(left ‖ right)). A mover then proves the part it picks with two claims and
    /// ⌈log2 n⌉ siblings instead of resending all n + 1 claims (TypeScript twin: partsRoot).
    function partsRoot(Claim[] calldata claims) internal pure returns (bytes32 root) {
        uint256 n = claims.length - 1;
        uint256 width = uint256(1) << treeDepth(n);
        assembly ("memory-safe") {
            let source := mload(0x40)
            calldatacopy(source, claims.offset, shl(5, claims.length))
            // The leaves overwrite the claims in place: leaf i only reads claims i and i + 1.
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let at := add(source, shl(5, i))
                mstore(at, keccak256(at, 0x40))
            }
            for { let i := n } lt(i, width) { i := add(i, 1) } { mstore(add(source, shl(5, i)), 0) }
            for { let w := shr(1, width) } gt(w, 0) { w := shr(1, w) } {
                for { let i := 0 } lt(i, w) { i := add(i, 1) } {
                    mstore(add(source, shl(5, i)), keccak256(add(source, shl(6, i)), 0x40))
                }
            }
            root := mload(source)
        }
    }

    /// @notice The root reached from part `index`, running from claim `agreed` to claim
    /// `disputed`, through `siblings` (leaf level first). Callers check that siblings.length is
    /// the tree's depth, so that no inner node passes for a leaf.
    function partRoot(uint256 index, Claim agreed, Claim disputed, bytes32[] calldata siblings)
        internal
        pure
        returns (bytes32 node)
    {
        assembly ("memory-safe") {
            mstore(0x00, agreed)
            mstore(0x20, disputed)
            node := keccak256(0x00, 0x40)
            for { let level := 0 } lt(level, siblings.length) { level := add(level, 1) } {
                let sibling := calldataload(add(siblings.offset, shl(5, level)))
                switch and(shr(level, index), 1)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
        }
    }
}

/// @notice Chess-clock arithmetic: a party's clock runs from the opponent's last move to its own.
library LibClock {
    /// @notice Seconds since `since`, as a Duration.
    function elapsedSince(Timestamp since) internal view returns (Duration) {
        return Duration.wrap(uint40(block.timestamp) - Timestamp.unwrap(since));
    }

    /// @notice Whether `elapsed` exceeds the `remaining` time of the party to move.
    function exceeds(Duration elapsed, Duration remaining) internal pure returns (bool) {
        return Duration.unwrap(elapsed) > Duration.unwrap(remaining);
    }

    /// @notice `remaining - elapsed` (callers check `exceeds` first).
    function spend(Duration remaining, Duration elapsed) internal pure returns (Duration) {
        return Duration.wrap(Duration.unwrap(remaining) - Duration.unwrap(elapsed));
    }

    /// @notice The current block time as a Timestamp.
    function now_() internal view returns (Timestamp) {
        return Timestamp.wrap(uint40(block.timestamp));
    }
}
