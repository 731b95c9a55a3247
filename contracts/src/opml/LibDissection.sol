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

    /// @notice keccak256 of the concatenated claims: the one word the game stores per round.
    function hashClaims(Claim[] calldata claims) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let pointer := mload(0x40)
            let length := shl(5, claims.length)
            calldatacopy(pointer, claims.offset, length)
            digest := keccak256(pointer, length)
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
