// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IOpmlMachine} from "./IOpmlMachine.sol";
import {Claim, Duration, Timestamp, LibDissection, LibClock} from "./LibDissection.sol";

/// @notice The opML dispute game: a two-party, multi-phase, k-ary dissection game with a chess
/// clock per party (Arbitrum-classic style: the parties alternate, each move picks one segment of
/// the opponent's last dissection and posts its own dissection of it).
///
/// A game starts from the submitter's claim, seen as a one-part dissection [initialState,
/// finalState] over the layer boundaries 0..L (phase 1). A move picks part i of the previous
/// dissection — agreeing with its start claim, disputing its end claim — and cuts it into
/// min(k, width) parts, posting claims for every point: the first must equal the agreed claim, the
/// last must differ from the disputed one. When a phase-1 part is one layer wide, the next
/// dissection runs over that layer's instructions (phase 2), starting at the agreed boundary state
/// and ending at the disputed one: the inner game is linked to the outer by the same claims.
/// When a part is one step wide, the mover calls `step` with a one-step proof from the part's
/// start claim: if the VM's post-state differs from the part's end claim the mover wins,
/// otherwise the mover loses. A party whose clock runs out loses (`claimTimeout`). An ended game
/// is settled by a separate `settle` (anyone may send it; the registry moves the bonds and
/// updates the result), as Optimism's FaultDisputeGame separates `step`, `resolve` and
/// `claimCredit`: the transaction that carries the one-step proof pays only for the proof.
///
/// Invariant that makes the honest party win: the honest party's dissections are all true; the
/// dishonest party's have a true first claim and a false last one, so some part has a true start
/// and a false end — the honest party picks it, and at width one the step proves it.
///
/// Only what the game needs is stored: the current segment, phase, turn, clocks and part count in
/// one slot, and the root of the last dissection's part tree (LibDissection.partsRoot); the claims
/// travel in calldata, and a mover proves the part it picks with its two claims and ⌈log2 n⌉
/// siblings (a `Pick`), so neither a move nor the one-step proof resends the whole dissection.
abstract contract OpmlDisputeGame {
    using LibClock for Timestamp;
    using LibClock for Duration;

    enum GameStatus {
        None,
        InProgress,
        ChallengerWon,
        SubmitterWon
    }

    /// @notice Phase 1 dissects over layer-boundary indices, phase 2 over step indices.
    uint8 internal constant PHASE_LAYERS = 1;
    uint8 internal constant PHASE_INSTRUCTIONS = 2;

    struct Game {
        // slot 0: read and written by every move
        uint48 start; // segment start (boundary index in phase 1, step in phase 2)
        uint48 end; // segment end
        Timestamp lastMoveAt;
        Duration submitterClock; // remaining time
        Duration challengerClock;
        uint8 phase;
        GameStatus status;
        bool submitterToMove;
        uint8 parts; // parts of the last dissection (its claims: parts + 1)
        bool settled; // the bonds and the result have been updated (`settle`)
        // slot 1: the root of the last dissection's part tree
        bytes32 dissectionRoot;
        // slot 2
        address submitter;
        uint64 submissionId;
        uint32 modelId;
        // slot 3
        address challenger;
    }

    /// @notice A part of the last dissection, as a mover picks it: its index, its start claim
    /// (which the mover agrees with), its end claim (which it disputes) and the siblings of its
    /// leaf in the part tree (leaf level first; LibDissection.partsRoot).
    struct Pick {
        uint256 index;
        Claim agreed;
        Claim disputed;
        bytes32[] siblings;
    }

    /// @notice Parts per dissection (k).
    uint256 public immutable ARITY;
    /// @notice Each party's chess-clock budget, in seconds.
    Duration public immutable CLOCK_DURATION;

    /// @notice All games, by id (ids start at 1); read them with `getGame`.
    mapping(uint256 => Game) internal games;
    /// @notice The number of games created.
    uint256 public gameCount;

    /// @notice A game started: `challenger` disputes the final state of submission `submissionId`.
    event GameStarted(uint256 indexed gameId, uint64 indexed submissionId, address challenger);
    /// @notice A dissection was posted; its claims are in the transaction's calldata.
    event Moved(uint256 indexed gameId, address indexed mover, uint8 phase, uint48 start, uint48 end);
    /// @notice The game ended.
    event GameResolved(uint256 indexed gameId, bool challengerWon);
    /// @notice An ended game's bonds and result were updated.
    event GameSettled(uint256 indexed gameId, bool challengerWon);

    error ArityOutOfRange();
    /// @notice A chess clock of zero seconds: the first party to move would lose at once.
    error ZeroClock();
    error GameNotInProgress();
    error NotYourTurn();
    error ClockTimeExceeded();
    error ClockNotExpired();
    error DissectionMismatch();
    error PartProofLength();
    error PartOutOfRange();
    error WrongClaimCount();
    error StartClaimMismatch();
    error EndClaimNotDisputed();
    error SegmentIsOneStep();
    error SegmentNotOneStep();
    error GameNotEnded();
    error AlreadySettled();

    constructor(uint256 arity, uint40 clockSeconds) {
        // INVARIANT: a dissection makes progress, and its part count fits the game's slot.
        if (arity < 2 || arity > type(uint8).max) revert ArityOutOfRange();
        // INVARIANT: each party has time to move.
        if (clockSeconds == 0) revert ZeroClock();
        ARITY = arity;
        CLOCK_DURATION = Duration.wrap(clockSeconds);
    }

    /// @notice Picks part `pick` of the last dissection (agreeing with its start claim,
    /// disputing its end claim) and posts `next`, a dissection of that part into min(k, width)
    /// parts whose first claim is the agreed one and whose last claim differs from the disputed one.
    function move(uint256 gameId, Pick calldata pick, Claim[] calldata next) external {
        Game storage game = games[gameId];
        bool submitterToMove = _chargeClock(game);
        (uint8 phase, uint256 start, uint256 end) = _pickPart(game, pick);
        // INVARIANT: a one-step part is settled by `step`, not dissected.
        if (phase == PHASE_INSTRUCTIONS && end - start == 1) revert SegmentIsOneStep();
        // INVARIANT: the dissection has one claim per point.
        uint256 parts = LibDissection.parts(start, end, ARITY);
        if (next.length != parts + 1) revert WrongClaimCount();
        // INVARIANT: the new dissection starts at the agreed claim...
        if (Claim.unwrap(next[0]) != Claim.unwrap(pick.agreed)) revert StartClaimMismatch();
        // INVARIANT: ...and ends at a claim that disputes the opponent's.
        if (Claim.unwrap(next[parts]) == Claim.unwrap(pick.disputed)) revert EndClaimNotDisputed();

        game.start = uint48(start);
        game.end = uint48(end);
        game.phase = phase;
        game.parts = uint8(parts);
        game.submitterToMove = !submitterToMove;
        game.dissectionRoot = LibDissection.partsRoot(next);
        emit Moved(gameId, msg.sender, phase, uint48(start), uint48(end));
    }

    /// @notice Settles a one-step part `pick` of the last dissection: runs the VM's one-step
    /// verifier from the part's start claim with `proof`. The mover wins if the VM's post-state
    /// differs from the part's end claim, and loses if it equals it. The game ends here; `settle`
    /// moves the bonds.
    function step(uint256 gameId, Pick calldata pick, bytes calldata proof) external {
        Game storage game = games[gameId];
        bool submitterToMove = _chargeClock(game);
        {
            (uint8 phase, uint256 start, uint256 end) = _pickPart(game, pick);
            // INVARIANT: only a one-step part can be settled by the verifier.
            if (phase != PHASE_INSTRUCTIONS || end - start != 1) revert SegmentNotOneStep();
        }
        bool moverRight = _runStep(game.modelId, pick, proof);
        // The mover is the challenger exactly when it is not the submitter's turn.
        _resolve(gameId, game, moverRight != submitterToMove);
    }

    /// @notice Ends a game whose party to move has run out of clock time; the other party wins.
    function claimTimeout(uint256 gameId) external {
        Game storage game = games[gameId];
        // INVARIANT: only a running game can time out.
        if (game.status != GameStatus.InProgress) revert GameNotInProgress();
        Duration remaining = game.submitterToMove ? game.submitterClock : game.challengerClock;
        // INVARIANT: the party to move has used more than its remaining time.
        if (!game.lastMoveAt.elapsedSince().exceeds(remaining)) revert ClockNotExpired();
        _resolve(gameId, game, game.submitterToMove);
    }

    /// @notice Pays out an ended game (anyone may call it, once): the registry credits the bonds
    /// and updates the disputed result.
    function settle(uint256 gameId) external {
        Game storage game = games[gameId];
        GameStatus status = game.status;
        // INVARIANT: only an ended game is settled...
        if (status != GameStatus.ChallengerWon && status != GameStatus.SubmitterWon) revert GameNotEnded();
        // INVARIANT: ...and only once.
        if (game.settled) revert AlreadySettled();
        game.settled = true;
        bool challengerWon = status == GameStatus.ChallengerWon;
        emit GameSettled(gameId, challengerWon);
        _onGameSettled(game, challengerWon);
    }

    /// @notice The game's segment, phase, turn, clocks and status in one call (for actors).
    function getGame(uint256 gameId) external view returns (Game memory) {
        return games[gameId];
    }

    /// @notice The points of the dissection of [start, end] (positions in the game's phase units).
    function dissectionPoints(uint256 start, uint256 end) external view returns (uint256[] memory points) {
        uint256 n = LibDissection.parts(start, end, ARITY);
        points = new uint256[](n + 1);
        for (uint256 i = 0; i <= n; i++) {
            points[i] = LibDissection.pointAt(start, end, n, i);
        }
    }

    /// @dev Starts a game over submission `submissionId`: the submitter's claim is the one-part
    /// dissection [initialState, finalState] over layer boundaries 0..layerCount; the challenger
    /// moves first.
    function _startGame(
        uint64 submissionId,
        uint32 modelId,
        uint48 layerCount,
        address submitter,
        Claim initialState,
        Claim finalState
    ) internal returns (uint256 gameId) {
        gameId = ++gameCount;
        Game storage game = games[gameId];
        game.start = 0;
        game.end = layerCount;
        game.lastMoveAt = LibClock.now_();
        game.submitterClock = CLOCK_DURATION;
        game.challengerClock = CLOCK_DURATION;
        game.phase = PHASE_LAYERS;
        game.status = GameStatus.InProgress;
        game.submitterToMove = false;
        game.parts = 1;
        game.dissectionRoot = keccak256(abi.encodePacked(initialState, finalState));
        game.submitter = submitter;
        game.submissionId = submissionId;
        game.modelId = modelId;
        game.challenger = msg.sender;
        emit GameStarted(gameId, submissionId, msg.sender);
    }

    /// @dev Checks the turn, charges the mover's clock, stamps the move time and returns whose
    /// turn it is. Reads only the party to move's address.
    function _chargeClock(Game storage game) private returns (bool submitterToMove) {
        // INVARIANT: moves only happen in a running game.
        if (game.status != GameStatus.InProgress) revert GameNotInProgress();
        submitterToMove = game.submitterToMove;
        // INVARIANT: only the party whose turn it is moves.
        if (msg.sender != (submitterToMove ? game.submitter : game.challenger)) revert NotYourTurn();
        Duration elapsed = game.lastMoveAt.elapsedSince();
        if (submitterToMove) {
            // INVARIANT: a party whose clock has run out can no longer move.
            if (elapsed.exceeds(game.submitterClock)) revert ClockTimeExceeded();
            game.submitterClock = game.submitterClock.spend(elapsed);
        } else {
            if (elapsed.exceeds(game.challengerClock)) revert ClockTimeExceeded();
            game.challengerClock = game.challengerClock.spend(elapsed);
        }
        game.lastMoveAt = LibClock.now_();
    }

    /// @dev Checks `pick` against the stored part tree and returns the phase and step/boundary
    /// range of the picked part; a one-layer phase-1 part becomes that layer's step range.
    function _pickPart(Game storage game, Pick calldata pick)
        private
        view
        returns (uint8 phase, uint256 start, uint256 end)
    {
        uint256 n = game.parts;
        // INVARIANT: the part exists...
        if (pick.index >= n) revert PartOutOfRange();
        // INVARIANT: ...its proof has one sibling per level of the part tree (so no inner node
        // passes for a leaf)...
        if (pick.siblings.length != LibDissection.treeDepth(n)) revert PartProofLength();
        // INVARIANT: ...and its claims are the last dissection's.
        if (LibDissection.partRoot(pick.index, pick.agreed, pick.disputed, pick.siblings) != game.dissectionRoot) {
            revert DissectionMismatch();
        }
        uint256 segmentStart = game.start;
        uint256 segmentEnd = game.end;
        start = LibDissection.pointAt(segmentStart, segmentEnd, n, pick.index);
        end = LibDissection.pointAt(segmentStart, segmentEnd, n, pick.index + 1);
        phase = game.phase;
        if (phase == PHASE_LAYERS && end - start == 1) {
            // The disputed layer: the inner game runs from its first step to the next layer's.
            phase = PHASE_INSTRUCTIONS;
            (start, end) = _layerSteps(game.modelId, start);
        }
    }

    /// @dev Whether the VM's step from the picked part's start claim disagrees with its end claim.
    function _runStep(uint32 modelId, Pick calldata pick, bytes calldata proof) private view returns (bool) {
        (bytes32 modelRoot, IOpmlMachine machine) = _modelOf(modelId);
        return machine.step(modelRoot, Claim.unwrap(pick.agreed), proof) != Claim.unwrap(pick.disputed);
    }

    function _resolve(uint256 gameId, Game storage game, bool challengerWon) private {
        game.status = challengerWon ? GameStatus.ChallengerWon : GameStatus.SubmitterWon;
        emit GameResolved(gameId, challengerWon);
    }

    /// @dev The registered model's root and VM.
    function _modelOf(uint32 modelId) internal view virtual returns (bytes32 modelRoot, IOpmlMachine machine);

    /// @dev The step range [first step of layer `layer`, first step of the next layer or the total].
    function _layerSteps(uint32 modelId, uint256 layer) internal view virtual returns (uint256 start, uint256 end);

    /// @dev Pays the bonds and updates the submission of an ended game (once, from `settle`).
    function _onGameSettled(Game storage game, bool challengerWon) internal virtual;
}
