// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IOpmlMachine} from "./IOpmlMachine.sol";
import {OpmlDisputeGame} from "./OpmlDisputeGame.sol";
import {Claim, Timestamp, LibClock} from "./LibDissection.sol";

/// @notice The opML registry: models (root, VM, memory layout, steps, layer boundaries), inference
/// requests, bonded results, challenges and finality.
///
/// - A request fixes the dispute's starting point: the initial state is computed on-chain by the
///   model's VM from the registered model and the input, at request time; no submitter chooses it.
/// - A result binds its output to its final state (the VM's output check runs at submission), so
///   disputing the final state disputes the output.
/// - Anyone may challenge a pending result within the window by matching the bond; each challenge
///   is its own game against the submitter (several may run at once, so a colluding challenger
///   cannot shield a wrong result). The first challenger to win takes the submitter's bond and
///   the result is rejected (a new submission may follow); a submitter who wins takes the
///   challenger's bond. A result with no challenge won against it is final once the window has
///   passed and every game over it has ended and been settled (`settle`, which anyone may send);
///   its output is then stored and readable on-chain.
/// - Bonds are paid by crediting `withdrawable` (pull payments: a winner that cannot receive ETH
///   cannot block a game).
contract OpmlRegistry is OpmlDisputeGame {
    using LibClock for Timestamp;

    enum SubmissionStatus {
        None,
        Pending,
        Rejected,
        Final
    }

    struct Model {
        bytes32 root;
        IOpmlMachine machine;
        uint48 totalSteps;
        uint48[] layerStarts;
        bytes memoryLayout;
    }

    struct Request {
        uint32 modelId;
        uint64 currentSubmission;
        address requester;
        Claim initialState;
    }

    struct Submission {
        address submitter;
        uint64 requestId;
        Timestamp submittedAt;
        uint32 activeGames; // games started and not yet settled
        SubmissionStatus status;
        Claim finalState;
        bytes32 outputHash;
    }

    /// @notice Seconds after a submission during which it may be challenged.
    uint256 public immutable CHALLENGE_WINDOW;
    /// @notice The bond (wei) a submitter posts with a result and a challenger with a challenge.
    uint256 public immutable BOND;

    /// @notice Registered models, by id (ids start at 1).
    mapping(uint32 => Model) internal models;
    uint32 public modelCount;
    /// @notice Inference requests, by id (ids start at 1).
    mapping(uint64 => Request) public requests;
    uint64 public requestCount;
    /// @notice Submitted results, by id (ids start at 1).
    mapping(uint64 => Submission) public submissions;
    uint64 public submissionCount;
    /// @notice Final outputs, by request id.
    mapping(uint64 => int256[]) internal finalOutputs;
    /// @notice Bonds won or returned, waiting to be withdrawn.
    mapping(address => uint256) public withdrawable;

    event ModelRegistered(uint32 indexed modelId, bytes32 root, uint48 totalSteps, uint256 layerCount);
    /// @notice A request: `initialState` is stored as every dispute's first claim; `inputRoot` is the
    /// machine's commitment to the input alone from which it was built (the trace VM: the input
    /// subtree root), emitted only, so a submitter can start from it instead of hashing the input.
    event InferenceRequested(
        uint64 indexed requestId, uint32 indexed modelId, bytes32 initialState, bytes32 inputRoot, int256[] input
    );
    event ResultSubmitted(uint64 indexed requestId, uint64 indexed submissionId, address submitter, bytes32 finalState);
    event ResultRejected(uint64 indexed requestId, uint64 indexed submissionId);
    event ResultFinalized(uint64 indexed requestId, uint64 indexed submissionId);

    error BadLayerBoundaries();
    /// @notice The registered step count is not the one the model's layout commits to.
    error StepCountMismatch(uint256 registered, uint256 committed);
    /// @notice The registered layer starts are not the ones the model's layout commits to.
    error LayerStartsMismatch();
    /// @notice A challenge window of zero seconds: no result could ever be challenged.
    error ZeroChallengeWindow();
    /// @notice A bond of zero: cheating and false challenges would cost nothing.
    error ZeroBond();
    error UnknownModel();
    error UnknownRequest();
    error ResultAlreadyPending();
    error WrongBond();
    error NotPending();
    error ChallengeWindowClosed();
    error ChallengeWindowOpen();
    error GamesRunning();
    error OutputMismatch();
    error NotFinal();
    error NothingToWithdraw();
    error TransferFailed();

    constructor(uint256 arity, uint40 clockSeconds, uint256 challengeWindowSeconds, uint256 bond)
        OpmlDisputeGame(arity, clockSeconds)
    {
        // INVARIANT: a result can be challenged, and both sides have something at stake.
        if (challengeWindowSeconds == 0) revert ZeroChallengeWindow();
        if (bond == 0) revert ZeroBond();
        CHALLENGE_WINDOW = challengeWindowSeconds;
        BOND = bond;
    }

    /// @notice Registers a model: its root (program + initial memory without the input), the VM
    /// that executes it, the VM's memory layout, its total steps and the first step of each layer.
    /// The steps and layer starts must be the ones the layout commits to (machine.scheduleOf): the
    /// game's step ranges come from here and the final state's pc from the layout, so a registrant
    /// who gave other figures could make the honest submitter's last step unprovable.
    function registerModel(
        bytes32 root,
        IOpmlMachine machine,
        uint48 totalSteps,
        uint48[] calldata layerStarts,
        bytes calldata memoryLayout
    ) external returns (uint32 modelId) {
        // INVARIANT: layers start at step 0, strictly increase and each has at least one step.
        if (layerStarts.length == 0 || layerStarts[0] != 0) revert BadLayerBoundaries();
        for (uint256 i = 1; i < layerStarts.length; i++) {
            if (layerStarts[i] <= layerStarts[i - 1]) revert BadLayerBoundaries();
        }
        if (totalSteps <= layerStarts[layerStarts.length - 1]) revert BadLayerBoundaries();
        // INVARIANT: the schedule is the one the model's layout commits to.
        (uint256 committedSteps, uint256[] memory committedStarts) = machine.scheduleOf(root, memoryLayout);
        if (committedSteps != totalSteps) revert StepCountMismatch(totalSteps, committedSteps);
        if (committedStarts.length != layerStarts.length) revert LayerStartsMismatch();
        for (uint256 i = 0; i < layerStarts.length; i++) {
            if (committedStarts[i] != layerStarts[i]) revert LayerStartsMismatch();
        }
        modelId = ++modelCount;
        models[modelId] = Model(root, machine, totalSteps, layerStarts, memoryLayout);
        emit ModelRegistered(modelId, root, totalSteps, layerStarts.length);
    }

    /// @notice Requests an inference of model `modelId` on `input`; the initial state of any
    /// dispute over it is computed here, on-chain, from the registered model and the input, and
    /// emitted with the input commitment it was built from.
    function requestInference(uint32 modelId, int256[] calldata input) external returns (uint64 requestId) {
        Model storage model = models[modelId];
        // INVARIANT: the model exists.
        if (address(model.machine) == address(0)) revert UnknownModel();
        (bytes32 initialState, bytes32 inputRoot) = model.machine.initialState(model.root, model.memoryLayout, input);
        requestId = ++requestCount;
        requests[requestId] = Request(modelId, 0, msg.sender, Claim.wrap(initialState));
        emit InferenceRequested(requestId, modelId, initialState, inputRoot, input);
    }

    /// @notice Posts the result of request `requestId` with the bond: the output, the final
    /// state and the proof (checked by the model's VM) that the output is in the final state.
    function submitResult(uint64 requestId, int256[] calldata output, bytes32 finalState, bytes calldata outputProof)
        external
        payable
        returns (uint64 submissionId)
    {
        Request storage request = requests[requestId];
        // INVARIANT: the request exists.
        if (request.requester == address(0)) revert UnknownRequest();
        uint64 current = request.currentSubmission;
        // INVARIANT: one live result per request; a new one only after a rejection.
        if (current != 0 && submissions[current].status != SubmissionStatus.Rejected) revert ResultAlreadyPending();
        // INVARIANT: the bond is exact.
        if (msg.value != BOND) revert WrongBond();
        Model storage model = models[request.modelId];
        model.machine.verifyOutput(model.root, model.memoryLayout, finalState, output, outputProof);
        submissionId = ++submissionCount;
        submissions[submissionId] = Submission(
            msg.sender,
            requestId,
            LibClock.now_(),
            0,
            SubmissionStatus.Pending,
            Claim.wrap(finalState),
            keccak256(abi.encode(output))
        );
        request.currentSubmission = submissionId;
        emit ResultSubmitted(requestId, submissionId, msg.sender, finalState);
    }

    /// @notice Disputes the final state of pending submission `submissionId` with the bond,
    /// starting a dispute game in which the challenger moves first.
    function challenge(uint64 submissionId) external payable returns (uint256 gameId) {
        Submission storage submission = submissions[submissionId];
        // INVARIANT: only a pending result can be challenged...
        if (submission.status != SubmissionStatus.Pending) revert NotPending();
        // INVARIANT: ...within its window...
        if (block.timestamp >= uint256(Timestamp.unwrap(submission.submittedAt)) + CHALLENGE_WINDOW) {
            revert ChallengeWindowClosed();
        }
        // INVARIANT: ...with the same bond.
        if (msg.value != BOND) revert WrongBond();
        Request storage request = requests[submission.requestId];
        submission.activeGames += 1;
        gameId = _startGame(
            submissionId,
            request.modelId,
            uint48(models[request.modelId].layerStarts.length),
            submission.submitter,
            request.initialState,
            submission.finalState
        );
    }

    /// @notice Makes an unrejected result final once its window has passed and no game runs;
    /// stores `output` (checked against the posted hash) and returns the submitter's bond.
    function finalize(uint64 submissionId, int256[] calldata output) external {
        Submission storage submission = submissions[submissionId];
        // INVARIANT: only a pending result becomes final...
        if (submission.status != SubmissionStatus.Pending) revert NotPending();
        // INVARIANT: ...after its window...
        if (block.timestamp < uint256(Timestamp.unwrap(submission.submittedAt)) + CHALLENGE_WINDOW) {
            revert ChallengeWindowOpen();
        }
        // INVARIANT: ...once every game over it has ended and been settled...
        if (submission.activeGames != 0) revert GamesRunning();
        // INVARIANT: ...with the output it was posted with.
        if (keccak256(abi.encode(output)) != submission.outputHash) revert OutputMismatch();
        submission.status = SubmissionStatus.Final;
        finalOutputs[submission.requestId] = output;
        withdrawable[submission.submitter] += BOND;
        emit ResultFinalized(submission.requestId, submissionId);
    }

    /// @notice The final output of request `requestId`; reverts unless a result is final. With the
    /// trace VM, the empty output is the error result: the input is in range but the run traps
    /// (an activation leaves the value range), and that is what was proven.
    function outputOf(uint64 requestId) external view returns (int256[] memory) {
        uint64 current = requests[requestId].currentSubmission;
        // INVARIANT: only final results are readable.
        if (current == 0 || submissions[current].status != SubmissionStatus.Final) revert NotFinal();
        return finalOutputs[requestId];
    }

    /// @notice Whether request `requestId` has a final result.
    function isFinal(uint64 requestId) external view returns (bool) {
        uint64 current = requests[requestId].currentSubmission;
        return current != 0 && submissions[current].status == SubmissionStatus.Final;
    }

    /// @notice A registered model (root, VM, steps, layer starts, layout).
    function getModel(uint32 modelId) external view returns (Model memory) {
        return models[modelId];
    }

    /// @notice Sends the caller the bonds credited to it.
    function withdraw() external {
        uint256 amount = withdrawable[msg.sender];
        // INVARIANT: there is something to send.
        if (amount == 0) revert NothingToWithdraw();
        withdrawable[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    function _modelOf(uint32 modelId) internal view override returns (bytes32, IOpmlMachine) {
        Model storage model = models[modelId];
        return (model.root, model.machine);
    }

    function _layerSteps(uint32 modelId, uint256 layer) internal view override returns (uint256 start, uint256 end) {
        Model storage model = models[modelId];
        start = model.layerStarts[layer];
        end = layer + 1 < model.layerStarts.length ? model.layerStarts[layer + 1] : model.totalSteps;
    }

    function _onGameSettled(Game storage game, bool challengerWon) internal override {
        Submission storage submission = submissions[game.submissionId];
        submission.activeGames -= 1;
        if (!challengerWon) {
            withdrawable[game.submitter] += BOND;
        } else if (submission.status == SubmissionStatus.Pending) {
            submission.status = SubmissionStatus.Rejected;
            withdrawable[game.challenger] += 2 * BOND;
            emit ResultRejected(submission.requestId, game.submissionId);
        } else {
            // Already rejected by an earlier game: the challenger only gets its own bond back.
            withdrawable[game.challenger] += BOND;
        }
    }
}
