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
/// otherwise the mover loses. A party whose clock runs out loses (`claimTimeout`).
///
/// Invariant that makes the honest party win: the honest party's dissections are all true; the
/// dishonest party's have a true first claim and a false last one, so some part has a true start
/// and a false end — the honest party picks it, and at width one the step proves it.
///
/// Only what the game needs is stored: the current segment, phase, turn and clocks in one slot,
/// and one hash of the last dissection; the claims themselves travel in calldata.
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
        // slot 1: the hash of the last dissection's claims
        bytes32 dissectionHash;
        // slot 2
        address submitter;
        uint64 submissionId;
        uint32 modelId;
        // slot 3
        address challenger;
    }

    /// @notice Parts per dissection (k).
    uint256 public immutable ARITY;
    /// @notice Each party's chess-clock budget, in seconds.
    Duration public immutable CLOCK_DURATION;

    /// @notice All games, by id (ids start at 1).
    mapping(uint256 => Game) public games;
    /// @notice The number of games created.
    uint256 public gameCount;

    /// @notice A game started: `challenger` disputes the final state of submission `submissionId`.
    event GameStarted(uint256 indexed gameId, uint64 indexed submissionId, address challenger);
    /// @notice A dissection was posted; its claims are in the transaction's calldata.
    event Moved(uint256 indexed gameId, address indexed mover, uint8 phase, uint48 start, uint48 end);
    /// @notice The game ended.
    event GameResolved(uint256 indexed gameId, bool challengerWon);

    error ArityTooSmall();
    error GameNotInProgress();
    error NotYourTurn();
    error ClockTimeExceeded();
    error ClockNotExpired();
    error DissectionMismatch();
    error PartOutOfRange();
    error WrongClaimCount();
    error StartClaimMismatch();
    error EndClaimNotDisputed();
    error SegmentIsOneStep();
    error SegmentNotOneStep();

    constructor(uint256 arity, uint40 clockSeconds) {
        // INVARIANT: a dissection must make progress.
        if (arity < 2) revert ArityTooSmall();
        ARITY = arity;
        CLOCK_DURATION = Duration.wrap(clockSeconds);
    }

    /// @notice Picks part `part` of the last dissection `previous` (agreeing with its start claim,
    /// disputing its end claim) and posts `next`, a dissection of that part into min(k, width)
    /// parts whose first claim is the agreed one and whose last claim differs from the disputed one.
    function move(uint256 gameId, Claim[] calldata previous, uint256 part, Claim[] calldata next) external {
        Game storage game = games[gameId];
        Game memory current = game;
        _chargeClock(game, current);
        (uint8 phase, uint256 start, uint256 end) = _pickPart(current, previous, part);
        // INVARIANT: a one-step part is settled by `step`, not dissected.
        if (phase == PHASE_INSTRUCTIONS && end - start == 1) revert SegmentIsOneStep();
        // INVARIANT: the dissection has one claim per point.
        if (next.length != LibDissection.parts(start, end, ARITY) + 1) revert WrongClaimCount();
        // INVARIANT: the new dissection starts at the agreed claim...
        if (Claim.unwrap(next[0]) != Claim.unwrap(previous[part])) revert StartClaimMismatch();
        // INVARIANT: ...and ends at a claim that disputes the opponent's.
        if (Claim.unwrap(next[next.length - 1]) == Claim.unwrap(previous[part + 1])) revert EndClaimNotDisputed();

        game.start = uint48(start);
        game.end = uint48(end);
        game.phase = phase;
        game.submitterToMove = !current.submitterToMove;
        game.dissectionHash = LibDissection.hashClaims(next);
        emit Moved(gameId, msg.sender, phase, uint48(start), uint48(end));
    }

    /// @notice Settles a one-step part `part` of the last dissection `previous`: runs the VM's
    /// one-step verifier from the part's start claim with `proof`. The mover wins if the VM's
    /// post-state differs from the part's end claim, and loses if it equals it.
    function step(uint256 gameId, Claim[] calldata previous, uint256 part, bytes calldata proof) external {
        Game storage game = games[gameId];
        Game memory current = game;
        _chargeClock(game, current);
        (uint8 phase, uint256 start, uint256 end) = _pickPart(current, previous, part);
        // INVARIANT: only a one-step part can be settled by the verifier.
        if (phase != PHASE_INSTRUCTIONS || end - start != 1) revert SegmentNotOneStep();
        (bytes32 modelRoot, IOpmlMachine machine) = _modelOf(current.modelId);
        bytes32 postState = machine.step(modelRoot, Claim.unwrap(previous[part]), proof);
        bool moverRight = postState != Claim.unwrap(previous[part + 1]);
        // The mover is the challenger exactly when it is not the submitter's turn.
        _resolve(gameId, game, moverRight != current.submitterToMove);
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
        game.dissectionHash = keccak256(abi.encode(initialState, finalState));
        game.submitter = submitter;
        game.submissionId = submissionId;
        game.modelId = modelId;
        game.challenger = msg.sender;
        emit GameStarted(gameId, submissionId, msg.sender);
    }

    /// @dev Checks the turn, charges the mover's clock and stamps the move time.
    function _chargeClock(Game storage game, Game memory current) private {
        // INVARIANT: moves only happen in a running game.
        if (current.status != GameStatus.InProgress) revert GameNotInProgress();
        // INVARIANT: only the party whose turn it is moves.
        if (msg.sender != (current.submitterToMove ? current.submitter : current.challenger)) revert NotYourTurn();
        Duration elapsed = current.lastMoveAt.elapsedSince();
        if (current.submitterToMove) {
            // INVARIANT: a party whose clock has run out can no longer move.
            if (elapsed.exceeds(current.submitterClock)) revert ClockTimeExceeded();
            game.submitterClock = current.submitterClock.spend(elapsed);
        } else {
            if (elapsed.exceeds(current.challengerClock)) revert ClockTimeExceeded();
            game.challengerClock = current.challengerClock.spend(elapsed);
        }
        game.lastMoveAt = LibClock.now_();
    }

    /// @dev Checks `previous` against the stored hash and returns the phase and step/boundary
    /// range of its part `part`; a one-layer phase-1 part becomes that layer's step range.
    function _pickPart(Game memory current, Claim[] calldata previous, uint256 part)
        private
        view
        returns (uint8 phase, uint256 start, uint256 end)
    {
        // INVARIANT: the claims are exactly the last dissection posted.
        if (LibDissection.hashClaims(previous) != current.dissectionHash) revert DissectionMismatch();
        uint256 n = previous.length - 1;
        // INVARIANT: the part exists.
        if (part >= n) revert PartOutOfRange();
        start = LibDissection.pointAt(current.start, current.end, n, part);
        end = LibDissection.pointAt(current.start, current.end, n, part + 1);
        phase = current.phase;
        if (phase == PHASE_LAYERS && end - start == 1) {
            // The disputed layer: the inner game runs from its first step to the next layer's.
            phase = PHASE_INSTRUCTIONS;
            (start, end) = _layerSteps(current.modelId, start);
        }
    }

    function _resolve(uint256 gameId, Game storage game, bool challengerWon) private {
        game.status = challengerWon ? GameStatus.ChallengerWon : GameStatus.SubmitterWon;
        emit GameResolved(gameId, challengerWon);
        _onGameResolved(game, challengerWon);
    }

    /// @dev The registered model's root and VM.
    function _modelOf(uint32 modelId) internal view virtual returns (bytes32 modelRoot, IOpmlMachine machine);

    /// @dev The step range [first step of layer `layer`, first step of the next layer or the total].
    function _layerSteps(uint32 modelId, uint256 layer) internal view virtual returns (uint256 start, uint256 end);

    /// @dev Pays the bonds and updates the submission.
    function _onGameResolved(Game storage game, bool challengerWon) internal virtual;
}
