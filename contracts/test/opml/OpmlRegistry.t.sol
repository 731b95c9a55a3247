// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../lib/Test.sol";
import {IOpmlMachine} from "../../src/opml/IOpmlMachine.sol";
import {OpmlRegistry} from "../../src/opml/OpmlRegistry.sol";
import {OpmlDisputeGame} from "../../src/opml/OpmlDisputeGame.sol";
import {Claim, LibDissection} from "../../src/opml/LibDissection.sol";
import {ToyMachine, toyLayout} from "./ToyMachine.sol";
import {LibPick} from "./LibPick.sol";

/// @notice The registry and the dispute game against the toy machine (state keccak(pc, value),
/// each step adds increment(root)): the checks of every entry point, scripted games that end by
/// one-step proof and by timeout, and the dissection arithmetic fuzzed.
contract OpmlRegistryTest is Test {
    uint256 internal constant BOND = 1 ether;
    uint40 internal constant CLOCK = 3600;
    uint256 internal constant WINDOW = 600;
    bytes32 internal constant ROOT = bytes32(uint256(9)); // increment = 9 % 7 + 1 = 3

    ToyMachine internal toy;
    OpmlRegistry internal registry;
    address internal requester = address(0xA11CE);
    address internal submitter = address(0x5B);
    address internal challenger = address(0xC4);
    uint32 internal modelId;
    uint64 internal requestId;
    int256[] internal input;

    function setUp() public {
        vm.warp(1_000_000);
        toy = new ToyMachine();
        registry = new OpmlRegistry(2, CLOCK, WINDOW, BOND);
        vm.deal(submitter, 10 ether);
        vm.deal(challenger, 10 ether);
        // 7 steps in two layers: [0, 4) and [4, 7).
        uint48[] memory layerStarts = new uint48[](2);
        layerStarts[1] = 4;
        modelId = registry.registerModel(ROOT, IOpmlMachine(address(toy)), 7, layerStarts, toyLayout(7, layerStarts));
        input.push(2);
        input.push(5);
        vm.prank(requester);
        requestId = registry.requestInference(modelId, input);
    }

    // ---- the toy trace: value 7 + 3·step --------------------------------------------------

    function value(uint256 step) internal pure returns (int256) {
        return 7 + 3 * int256(step);
    }

    function truth(uint256 step) internal pure returns (Claim) {
        return Claim.wrap(keccak256(abi.encode(step, value(step))));
    }

    function lie(uint256 step) internal pure returns (Claim) {
        return Claim.wrap(keccak256(abi.encode("lie", step)));
    }

    function output(int256 v) internal pure returns (int256[] memory out) {
        out = new int256[](1);
        out[0] = v;
    }

    function claims(Claim a, Claim b) internal pure returns (Claim[] memory c) {
        c = new Claim[](2);
        (c[0], c[1]) = (a, b);
    }

    function claims(Claim a, Claim b, Claim c_) internal pure returns (Claim[] memory c) {
        c = new Claim[](3);
        (c[0], c[1], c[2]) = (a, b, c_);
    }

    function submitHonest() internal returns (uint64 submissionId) {
        vm.prank(submitter);
        submissionId = registry.submitResult{value: BOND}(requestId, output(value(7)), Claim.unwrap(truth(7)), abi.encode(uint256(7), value(7)));
    }

    /// A wrong output 99 at a forged final state (pc 1007).
    function submitWrong() internal returns (uint64 submissionId, Claim forged) {
        forged = Claim.wrap(keccak256(abi.encode(uint256(1007), int256(99))));
        vm.prank(submitter);
        submissionId = registry.submitResult{value: BOND}(requestId, output(99), Claim.unwrap(forged), abi.encode(uint256(1007), int256(99)));
    }

    function startWrongGame() internal returns (uint256 gameId, Claim forged) {
        uint64 submissionId;
        (submissionId, forged) = submitWrong();
        vm.prank(challenger);
        gameId = registry.challenge{value: BOND}(submissionId);
    }

    // ---- registry -------------------------------------------------------------------------

    function test_registerModel_badBoundaries_reverts() public {
        uint48[] memory starts = new uint48[](2);
        starts[0] = 1;
        starts[1] = 4;
        vm.expectRevert(OpmlRegistry.BadLayerBoundaries.selector);
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 7, starts, "");
        starts[0] = 0;
        vm.expectRevert(OpmlRegistry.BadLayerBoundaries.selector);
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 4, starts, "");
        starts[1] = 0;
        vm.expectRevert(OpmlRegistry.BadLayerBoundaries.selector);
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 7, starts, "");
    }

    /// The attack the check closes: the layout (what the final state's pc is checked against) says
    /// 7 steps, the registration says 6. The honest submitter's final state has pc 7, so in a game
    /// over 6 steps the challenger proves step 5 → 6 against it and wins: refused at registration.
    function test_registerModel_stepCountDisagreesWithLayout_reverts() public {
        uint48[] memory starts = new uint48[](2);
        starts[1] = 4;
        vm.expectRevert(abi.encodeWithSelector(OpmlRegistry.StepCountMismatch.selector, 6, 7));
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 6, starts, toyLayout(7, starts));
        vm.expectRevert(abi.encodeWithSelector(OpmlRegistry.StepCountMismatch.selector, 8, 7));
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 8, starts, toyLayout(7, starts));
    }

    function test_registerModel_layerStartsDisagreeWithLayout_reverts() public {
        uint48[] memory starts = new uint48[](2);
        starts[1] = 4;
        uint48[] memory others = new uint48[](2);
        others[1] = 5;
        vm.expectRevert(OpmlRegistry.LayerStartsMismatch.selector);
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 7, others, toyLayout(7, starts));
        uint48[] memory fewer = new uint48[](1);
        vm.expectRevert(OpmlRegistry.LayerStartsMismatch.selector);
        registry.registerModel(ROOT, IOpmlMachine(address(toy)), 7, fewer, toyLayout(7, starts));
    }

    function test_constructor_zeroSettings_reverts() public {
        vm.expectRevert(OpmlRegistry.ZeroChallengeWindow.selector);
        new OpmlRegistry(2, CLOCK, 0, BOND);
        vm.expectRevert(OpmlRegistry.ZeroBond.selector);
        new OpmlRegistry(2, CLOCK, WINDOW, 0);
        vm.expectRevert(OpmlDisputeGame.ZeroClock.selector);
        new OpmlRegistry(2, 0, WINDOW, BOND);
        vm.expectRevert(OpmlDisputeGame.ArityOutOfRange.selector);
        new OpmlRegistry(256, CLOCK, WINDOW, BOND);
        vm.expectRevert(OpmlDisputeGame.ArityOutOfRange.selector);
        new OpmlRegistry(1, CLOCK, WINDOW, BOND);
    }

    function test_requestInference_initialStateFromInput_succeeds() public view {
        (uint32 storedModel,, address storedRequester, Claim initialState) = registry.requests(requestId);
        assertEq(uint256(storedModel), uint256(modelId));
        assertEq(storedRequester, requester);
        assertEq(Claim.unwrap(initialState), Claim.unwrap(truth(0)));
    }

    /// The event carries the machine's input commitment beside the initial state, so a submitter
    /// can start from it (the toy machine's: keccak256(abi.encode(input))).
    event InferenceRequested(
        uint64 indexed requestId, uint32 indexed modelId, bytes32 initialState, bytes32 inputRoot, int256[] input
    );

    function test_requestInference_emitsInputRoot_succeeds() public {
        vm.expectEmit(true, true, false, true, address(registry));
        emit InferenceRequested(requestId + 1, modelId, Claim.unwrap(truth(0)), keccak256(abi.encode(input)), input);
        vm.prank(requester);
        registry.requestInference(modelId, input);
    }

    function test_requestInference_unknownModel_reverts() public {
        vm.expectRevert(OpmlRegistry.UnknownModel.selector);
        registry.requestInference(42, input);
    }

    function test_submitResult_outputNotInState_reverts() public {
        vm.prank(submitter);
        vm.expectRevert(ToyMachine.OutputNotInState.selector);
        registry.submitResult{value: BOND}(requestId, output(99), Claim.unwrap(truth(7)), abi.encode(uint256(7), value(7)));
    }

    function test_submitResult_wrongBond_reverts() public {
        vm.prank(submitter);
        vm.expectRevert(OpmlRegistry.WrongBond.selector);
        registry.submitResult{value: BOND - 1}(requestId, output(value(7)), Claim.unwrap(truth(7)), abi.encode(uint256(7), value(7)));
    }

    function test_submitResult_secondWhilePending_reverts() public {
        submitHonest();
        vm.prank(submitter);
        vm.expectRevert(OpmlRegistry.ResultAlreadyPending.selector);
        registry.submitResult{value: BOND}(requestId, output(value(7)), Claim.unwrap(truth(7)), abi.encode(uint256(7), value(7)));
    }

    function test_finalize_unchallenged_succeeds() public {
        uint64 submissionId = submitHonest();
        vm.warp(block.timestamp + WINDOW);
        registry.finalize(submissionId, output(value(7)));
        assertTrue(registry.isFinal(requestId));
        assertEq(registry.outputOf(requestId)[0], value(7));
        assertEq(registry.withdrawable(submitter), BOND);
        uint256 before = submitter.balance;
        vm.prank(submitter);
        registry.withdraw();
        assertEq(submitter.balance, before + BOND);
    }

    function test_finalize_windowOpen_reverts() public {
        uint64 submissionId = submitHonest();
        vm.warp(block.timestamp + WINDOW - 1);
        vm.expectRevert(OpmlRegistry.ChallengeWindowOpen.selector);
        registry.finalize(submissionId, output(value(7)));
    }

    function test_finalize_otherOutput_reverts() public {
        uint64 submissionId = submitHonest();
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(OpmlRegistry.OutputMismatch.selector);
        registry.finalize(submissionId, output(value(7) + 1));
    }

    function test_finalize_gameRunning_reverts() public {
        (uint256 gameId,) = startWrongGame();
        gameId;
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(OpmlRegistry.GamesRunning.selector);
        registry.finalize(1, output(99));
    }

    function test_outputOf_notFinal_reverts() public {
        submitHonest();
        vm.expectRevert(OpmlRegistry.NotFinal.selector);
        registry.outputOf(requestId);
    }

    function test_challenge_windowClosed_reverts() public {
        uint64 submissionId = submitHonest();
        vm.warp(block.timestamp + WINDOW);
        vm.prank(challenger);
        vm.expectRevert(OpmlRegistry.ChallengeWindowClosed.selector);
        registry.challenge{value: BOND}(submissionId);
    }

    function test_challenge_wrongBond_reverts() public {
        uint64 submissionId = submitHonest();
        vm.prank(challenger);
        vm.expectRevert(OpmlRegistry.WrongBond.selector);
        registry.challenge{value: 0}(submissionId);
    }

    // ---- the game: checks on a move ------------------------------------------------------

    function test_move_layerDissection_succeeds() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
        OpmlDisputeGame.Game memory game = registry.getGame(gameId);
        assertEq(uint256(game.phase), 1);
        assertEq(uint256(game.start), 0);
        assertEq(uint256(game.end), 2);
        assertTrue(game.submitterToMove);
        assertEq(game.dissectionRoot, LibPick.root(claims(truth(0), truth(4), truth(7))));
    }

    function test_move_notYourTurn_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(submitter);
        vm.expectRevert(OpmlDisputeGame.NotYourTurn.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
    }

    function test_move_dissectionMismatch_reverts() public {
        (uint256 gameId,) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.DissectionMismatch.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), truth(7)), 0), claims(truth(0), truth(4), lie(7)));
    }

    function test_move_startClaimMismatch_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.StartClaimMismatch.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(lie(0), truth(4), truth(7)));
    }

    function test_move_endClaimNotDisputed_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.EndClaimNotDisputed.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), forged));
    }

    function test_move_wrongClaimCount_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.WrongClaimCount.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(7)));
    }

    function test_move_partOutOfRange_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.PartOutOfRange.selector);
        registry.move(gameId, OpmlDisputeGame.Pick(1, forged, truth(7), new bytes32[](0)), claims(truth(0), truth(4), truth(7)));
    }

    function test_move_partProofTooShort_reverts() public {
        // After a 2-part dissection the part tree has depth 1: an empty proof could pass the root
        // itself off as a leaf, so the sibling count is checked.
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
        OpmlDisputeGame.Pick memory picked = LibPick.pick(claims(truth(0), truth(4), truth(7)), 1);
        picked.siblings = new bytes32[](0);
        vm.prank(submitter);
        vm.expectRevert(OpmlDisputeGame.PartProofLength.selector);
        registry.move(gameId, picked, claims(truth(4), lie(5), forged));
    }

    function test_move_forgedSibling_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
        // The submitter pretends the challenger's middle claim was its own lie(4).
        OpmlDisputeGame.Pick memory picked = LibPick.pick(claims(truth(0), lie(4), truth(7)), 1);
        vm.prank(submitter);
        vm.expectRevert(OpmlDisputeGame.DissectionMismatch.selector);
        registry.move(gameId, picked, claims(lie(4), lie(5), forged));
    }

    function test_move_clockTimeExceeded_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.warp(block.timestamp + CLOCK + 1);
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.ClockTimeExceeded.selector);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
    }

    // ---- scripted games --------------------------------------------------------------------

    /// Challenger: [S0, S4, S7] over layers; the submitter (lying from step 5) disputes S7 and
    /// dissects layer 2 = steps [4, 7] as [S4, L5, forged]; the challenger proves step 4 → 5.
    function playToOneStep() internal returns (uint256 gameId, Claim[] memory last) {
        Claim forged;
        (gameId, forged) = startWrongGame();
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
        vm.prank(submitter);
        registry.move(gameId, LibPick.pick(claims(truth(0), truth(4), truth(7)), 1), claims(truth(4), lie(5), forged));
        OpmlDisputeGame.Game memory game = registry.getGame(gameId);
        assertEq(uint256(game.phase), 2);
        assertEq(uint256(game.start), 4);
        assertEq(uint256(game.end), 7);
        last = claims(truth(4), lie(5), forged);
    }

    function test_step_falseEndClaim_succeeds() public {
        (uint256 gameId, Claim[] memory last) = playToOneStep();
        vm.prank(challenger);
        registry.step(gameId, LibPick.pick(last, 0), abi.encode(uint256(4), value(4)));
        assertEq(uint256(registry.getGame(gameId).status), uint256(OpmlDisputeGame.GameStatus.ChallengerWon));
        // The step ends the game; the bonds move when it is settled (by anyone).
        assertEq(registry.withdrawable(challenger), 0);
        vm.expectRevert(OpmlRegistry.ResultAlreadyPending.selector);
        submitHonest();
        registry.settle(gameId);
        assertEq(registry.withdrawable(challenger), 2 * BOND);
        assertEq(registry.withdrawable(submitter), 0);
        (,,,, OpmlRegistry.SubmissionStatus status,,) = registry.submissions(1);
        assertEq(uint256(status), uint256(OpmlRegistry.SubmissionStatus.Rejected));
        // The request takes a new (honest) result.
        uint64 resubmitted = submitHonest();
        assertEq(uint256(resubmitted), 2);
    }

    function test_step_trueEndClaim_succeeds() public {
        // A lying challenger against an honest result: it must finally step a part whose end
        // claim is true, which the verifier confirms, so the mover (the challenger) loses.
        uint64 honest = submitHonest();
        Claim forged = Claim.wrap(keccak256(abi.encode(uint256(1007), value(7))));
        vm.prank(challenger);
        uint256 gameId = registry.challenge{value: BOND}(honest);
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), truth(7)), 0), claims(truth(0), truth(4), forged));
        vm.prank(submitter);
        registry.move(gameId, LibPick.pick(claims(truth(0), truth(4), forged), 1), claims(truth(4), truth(5), truth(7)));
        vm.prank(challenger);
        registry.step(gameId, LibPick.pick(claims(truth(4), truth(5), truth(7)), 0), abi.encode(uint256(4), value(4)));
        assertEq(uint256(registry.getGame(gameId).status), uint256(OpmlDisputeGame.GameStatus.SubmitterWon));
        vm.warp(block.timestamp + WINDOW);
        // An ended game that is not settled still holds the result back.
        vm.expectRevert(OpmlRegistry.GamesRunning.selector);
        registry.finalize(honest, output(value(7)));
        registry.settle(gameId);
        assertEq(registry.withdrawable(submitter), BOND);
        assertEq(registry.withdrawable(challenger), 0);
        registry.finalize(honest, output(value(7)));
        assertEq(registry.withdrawable(submitter), 2 * BOND);
    }

    function test_step_notOneStep_reverts() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.SegmentNotOneStep.selector);
        registry.step(gameId, LibPick.pick(claims(truth(0), forged), 0), abi.encode(uint256(0), value(0)));
    }

    function test_move_oneStepPart_reverts() public {
        (uint256 gameId, Claim[] memory last) = playToOneStep();
        vm.prank(challenger);
        vm.expectRevert(OpmlDisputeGame.SegmentIsOneStep.selector);
        registry.move(gameId, LibPick.pick(last, 0), claims(truth(4), truth(5)));
    }

    function test_step_badPreimage_reverts() public {
        (uint256 gameId, Claim[] memory last) = playToOneStep();
        vm.prank(challenger);
        vm.expectRevert(ToyMachine.PreStateMismatch.selector);
        registry.step(gameId, LibPick.pick(last, 0), abi.encode(uint256(4), value(5)));
    }

    function test_claimTimeout_silentSubmitter_succeeds() public {
        (uint256 gameId, Claim forged) = startWrongGame();
        vm.prank(challenger);
        registry.move(gameId, LibPick.pick(claims(truth(0), forged), 0), claims(truth(0), truth(4), truth(7)));
        vm.warp(block.timestamp + CLOCK + 1);
        registry.claimTimeout(gameId);
        assertEq(uint256(registry.getGame(gameId).status), uint256(OpmlDisputeGame.GameStatus.ChallengerWon));
        registry.settle(gameId);
        assertEq(registry.withdrawable(challenger), 2 * BOND);
    }

    function test_settle_running_reverts() public {
        (uint256 gameId,) = startWrongGame();
        vm.expectRevert(OpmlDisputeGame.GameNotEnded.selector);
        registry.settle(gameId);
    }

    function test_settle_twice_reverts() public {
        (uint256 gameId, Claim[] memory last) = playToOneStep();
        vm.prank(challenger);
        registry.step(gameId, LibPick.pick(last, 0), abi.encode(uint256(4), value(4)));
        registry.settle(gameId);
        vm.expectRevert(OpmlDisputeGame.AlreadySettled.selector);
        registry.settle(gameId);
        assertEq(registry.withdrawable(challenger), 2 * BOND);
    }

    function test_claimTimeout_clockNotExpired_reverts() public {
        (uint256 gameId,) = startWrongGame();
        vm.warp(block.timestamp + CLOCK);
        vm.expectRevert(OpmlDisputeGame.ClockNotExpired.selector);
        registry.claimTimeout(gameId);
    }

    function test_claimTimeout_ended_reverts() public {
        (uint256 gameId, Claim[] memory last) = playToOneStep();
        vm.prank(challenger);
        registry.step(gameId, LibPick.pick(last, 0), abi.encode(uint256(4), value(4)));
        vm.warp(block.timestamp + 2 * CLOCK);
        vm.expectRevert(OpmlDisputeGame.GameNotInProgress.selector);
        registry.claimTimeout(gameId);
    }

    // ---- dissection arithmetic --------------------------------------------------------------

    function testFuzz_pointAt_segments(uint48 start, uint32 width, uint8 arityByte) public pure {
        uint256 arity = 2 + (uint256(arityByte) % 15);
        uint256 w = 1 + (uint256(width) % 100_000);
        uint256 end = uint256(start) + w;
        uint256 n = LibDissection.parts(start, end, arity);
        uint256 widest = (w + n - 1) / n;
        assertEq(LibDissection.pointAt(start, end, n, 0), uint256(start));
        assertEq(LibDissection.pointAt(start, end, n, n), end);
        for (uint256 i = 0; i < n; i++) {
            uint256 a = LibDissection.pointAt(start, end, n, i);
            uint256 b = LibDissection.pointAt(start, end, n, i + 1);
            assertTrue(b > a, "points strictly increase");
            assertLe(b - a, widest, "every part is at most ceil(width / n) wide");
        }
    }
}

/// @notice One operation per test after a setUp that brings the game to it, so the gas snapshot
/// (contracts/.gas-snapshot) holds the exact gas of each operation's call (without the 21,000
/// base and calldata gas a transaction adds; the TypeScript tests measure whole transactions).
contract OpmlGameGasTest is Test {
    OpmlRegistry internal registry;
    ToyMachine internal toy;
    address internal submitter = address(0x5B);
    address internal challenger = address(0xC4);
    uint256 internal gameId;
    uint64 internal submissionId;
    Claim internal forged;

    function truth(uint256 step) internal pure returns (Claim) {
        return Claim.wrap(keccak256(abi.encode(step, 7 + 3 * int256(step))));
    }

    function claims(Claim a, Claim b) internal pure returns (Claim[] memory c) {
        c = new Claim[](2);
        (c[0], c[1]) = (a, b);
    }

    function claims(Claim a, Claim b, Claim c_) internal pure returns (Claim[] memory c) {
        c = new Claim[](3);
        (c[0], c[1], c[2]) = (a, b, c_);
    }

    function setUp() public {
        vm.warp(1_000_000);
        toy = new ToyMachine();
        registry = new OpmlRegistry(2, 3600, 600, 1 ether);
        vm.deal(submitter, 10 ether);
        vm.deal(challenger, 10 ether);
        // 1,000 steps in four layers, increment 3.
        uint48[] memory layerStarts = new uint48[](4);
        (layerStarts[1], layerStarts[2], layerStarts[3]) = (300, 700, 900);
        uint32 modelId = registry.registerModel(
            bytes32(uint256(9)), IOpmlMachine(address(toy)), 1000, layerStarts, toyLayout(1000, layerStarts)
        );
        int256[] memory input = new int256[](1);
        input[0] = 7;
        uint64 requestId = registry.requestInference(modelId, input);
        forged = Claim.wrap(keccak256(abi.encode(uint256(2000), int256(99))));
        int256[] memory out = new int256[](1);
        out[0] = 99;
        vm.prank(submitter);
        submissionId = registry.submitResult{value: 1 ether}(requestId, out, Claim.unwrap(forged), abi.encode(uint256(2000), int256(99)));
        vm.prank(challenger);
        gameId = registry.challenge{value: 1 ether}(submissionId);
    }

    /// The Pick for part `index` of `previous`, built off the meter (the snapshot measures the
    /// registry's calls, not the test's own Merkle hashing).
    function picked(Claim[] memory previous, uint256 index) internal returns (OpmlDisputeGame.Pick memory pick) {
        vm.pauseGasMetering();
        pick = LibPick.pick(previous, index);
        vm.resumeGasMetering();
    }

    function test_move_binaryLayerRound_succeeds() public {
        OpmlDisputeGame.Pick memory first = picked(claims(truth(0), forged), 0);
        vm.prank(challenger);
        registry.move(gameId, first, claims(truth(0), truth(700), truth(1000)));
    }

    function test_move_binaryInstructionRound_succeeds() public {
        OpmlDisputeGame.Pick memory first = picked(claims(truth(0), forged), 0);
        vm.prank(challenger);
        registry.move(gameId, first, claims(truth(0), truth(700), truth(1000)));
        OpmlDisputeGame.Pick memory second = picked(claims(truth(0), truth(700), truth(1000)), 1);
        vm.prank(submitter);
        registry.move(gameId, second, claims(truth(700), truth(900), forged));
        OpmlDisputeGame.Pick memory third = picked(claims(truth(700), truth(900), forged), 1);
        vm.prank(challenger);
        registry.move(gameId, third, claims(truth(900), truth(950), truth(1000)));
    }

    function test_claimTimeout_afterClock_succeeds() public {
        vm.warp(block.timestamp + 3601);
        registry.claimTimeout(gameId);
    }

    function test_settle_afterTimeout_succeeds() public {
        vm.warp(block.timestamp + 3601);
        registry.claimTimeout(gameId);
        registry.settle(gameId);
    }
}
