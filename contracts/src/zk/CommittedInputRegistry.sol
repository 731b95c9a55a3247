// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title CommittedInputRegistry
/// @notice Records ML inferences proven with a zk-SNARK whose model input is COMMITTED, not public
///         (the `hashed` input mode, docs/zkml.md): a requester posts the input's Poseidon
///         commitment together with the input itself as calldata (`requestInference`), and a
///         prover's `submitInference` is recorded only if the commitment among its public signals
///         was requested and the snarkjs verifier accepts the proof. The public signals are the
///         outputs, the input commitment, and (hashed weights) the weights' commitment — a few
///         instead of one per input element, which keeps the verifier under EIP-170 and the
///         verification cost independent of the input size.
/// @dev Same verifier interface and checks as InferenceRegistry (which serves circuits with public
///      inputs and is left unchanged so its figures stay comparable). The contract does not
///      recompute the Poseidon commitment (no cheap Poseidon in the EVM): the posted words are the
///      commitment's preimage (src/zk/commitInput.ts packs 15 sixteen-bit values per word), so any
///      reader can fetch the request's calldata, recompute PoseidonChain(words) off-chain and
///      unpack the input; a request whose words do not hash to its commitment is visibly junk.
///      The circuit range-checks every committed input element, so no range check is needed here.
contract CommittedInputRegistry {
    /// @notice The verifier returned false: the proof does not prove these public signals.
    error InvalidProof();
    /// @notice The verifier call itself failed (reverted, or returned something other than a bool).
    error VerifierCallFailed();
    /// @notice The proof has the wrong number of 32-byte words for this verifier.
    error WrongProofLength(uint256 expectedWords, uint256 actualWords);
    /// @notice The public signals have the wrong count for this circuit.
    error WrongPublicSignalCount(uint256 expected, uint256 actual);
    /// @notice The public signal that carries the weights' commitment differs from the registered one.
    error ModelCommitmentMismatch(bytes32 expected, uint256 actual);
    /// @notice This exact inference (same model, same public signals) is already recorded.
    error InferenceAlreadyRecorded(bytes32 inferenceId);
    /// @notice The proof is about an input nobody requested (its data was never posted).
    error InputNotRequested(uint256 inputCommitment);
    /// @notice A request posts the wrong number of packed input words for this circuit.
    error WrongInputWordCount(uint256 expected, uint256 actual);
    /// @notice A requested commitment is not a field element, so no proof could ever carry it.
    error CommitmentNotInField(uint256 inputCommitment);
    /// @notice A constructor argument is unusable.
    error InvalidConfiguration();

    /// @notice Emitted per request; the input data is the calldata of this transaction.
    /// @param inputCommitment PoseidonChain(inputWords), the circuit's inputCommitment signal.
    /// @param requester who posted the input.
    event InferenceRequested(uint256 indexed inputCommitment, address indexed requester);

    /// @notice Emitted once per accepted inference.
    /// @param inferenceId keccak256(modelCommitment, publicSignals), the key of `recordedAtBlock`.
    /// @param modelCommitment the model this inference ran.
    /// @param inputCommitment the requested input it ran on.
    /// @param submitter who submitted the proof.
    /// @param publicSignals outputs first, then the input commitment (and the weights' commitment).
    event InferenceRecorded(
        bytes32 indexed inferenceId,
        bytes32 indexed modelCommitment,
        uint256 indexed inputCommitment,
        address submitter,
        uint256[] publicSignals
    );

    /// @notice Sentinel for `commitmentSignalIndex`: no public signal carries the model commitment.
    uint256 public constant NO_COMMITMENT_SIGNAL = type(uint256).max;
    /// @notice The BN254 scalar field modulus p.
    uint256 public constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice The snarkjs verifier contract.
    address public immutable verifier;
    /// @notice The verifier's `verifyProof` selector (it differs per proof system).
    bytes4 public immutable verifySelector;
    /// @notice Proof length in 32-byte words (Groth16 8, PLONK 24, FFLONK 24).
    uint256 public immutable proofWords;
    /// @notice Number of public signals of the circuit.
    uint256 public immutable publicSignalCount;
    /// @notice What the recorded inferences ran (as InferenceRegistry: zero given = the verifier's code hash).
    bytes32 public immutable modelCommitment;
    /// @notice Index of the public signal that must equal `modelCommitment`, or NO_COMMITMENT_SIGNAL.
    uint256 public immutable commitmentSignalIndex;
    /// @notice Index of the public signal that carries the input commitment (= the number of outputs).
    uint256 public immutable inputCommitmentSignalIndex;
    /// @notice Number of packed words a request posts (ceil(input elements / 15) for 16-bit values).
    uint256 public immutable inputWordCount;

    /// @notice Block at which each input commitment was first requested (0 = never).
    mapping(uint256 inputCommitment => uint256 blockNumber) public requestedAtBlock;
    /// @notice Block number at which each inference was recorded (0 = not recorded).
    mapping(bytes32 inferenceId => uint256 blockNumber) public recordedAtBlock;

    /// @notice Binds the registry to one verifier, one model and the shape of its committed input.
    /// @param inputCommitmentSignalIndex_ position of the input commitment in the public signals.
    /// @param inputWordCount_ packed words per request.
    constructor(
        address verifier_,
        bytes4 verifySelector_,
        uint256 proofWords_,
        uint256 publicSignalCount_,
        bytes32 modelCommitment_,
        uint256 commitmentSignalIndex_,
        uint256 inputCommitmentSignalIndex_,
        uint256 inputWordCount_
    ) {
        // INVARIANT: the verifier has code and the shapes are usable.
        if (verifier_.code.length == 0 || proofWords_ == 0 || publicSignalCount_ == 0 || inputWordCount_ == 0) {
            revert InvalidConfiguration();
        }
        // INVARIANT: both commitment indices point into the public signals, at different places.
        if (commitmentSignalIndex_ != NO_COMMITMENT_SIGNAL && commitmentSignalIndex_ >= publicSignalCount_) {
            revert InvalidConfiguration();
        }
        if (inputCommitmentSignalIndex_ >= publicSignalCount_ || inputCommitmentSignalIndex_ == commitmentSignalIndex_) {
            revert InvalidConfiguration();
        }
        verifier = verifier_;
        verifySelector = verifySelector_;
        proofWords = proofWords_;
        publicSignalCount = publicSignalCount_;
        modelCommitment = modelCommitment_ == bytes32(0) ? verifier_.codehash : modelCommitment_;
        commitmentSignalIndex = commitmentSignalIndex_;
        inputCommitmentSignalIndex = inputCommitmentSignalIndex_;
        inputWordCount = inputWordCount_;
    }

    /// @notice Asks for an inference on an input: posts the input (packed words, the preimage of
    ///         `inputCommitment`) as calldata and registers its commitment. Requesting an input
    ///         again keeps the first block and emits the event again.
    /// @param inputCommitment PoseidonChain(inputWords) (src/zk/commitInput.ts).
    /// @param inputWords the packed input; read back from this transaction's calldata.
    function requestInference(uint256 inputCommitment, uint256[] calldata inputWords) external {
        // INVARIANT: a request posts a whole input of this circuit.
        if (inputWords.length != inputWordCount) revert WrongInputWordCount(inputWordCount, inputWords.length);
        // INVARIANT: only a field element can ever be a public signal.
        if (inputCommitment >= FIELD_MODULUS) revert CommitmentNotInField(inputCommitment);
        if (requestedAtBlock[inputCommitment] == 0) requestedAtBlock[inputCommitment] = block.number;
        emit InferenceRequested(inputCommitment, msg.sender);
    }

    /// @notice Records an inference if `proof` proves `publicSignals` for a requested input.
    /// @param proof the proof as 32-byte words, in the verifier's order (see encodeProofWords.ts).
    /// @param publicSignals outputs first, then the input commitment (and the weights' commitment).
    /// @return inferenceId the key under which the inference is recorded.
    function submitInference(uint256[] calldata proof, uint256[] calldata publicSignals)
        external
        returns (bytes32 inferenceId)
    {
        // INVARIANT: shapes match the verifier, so the verifier reads exactly these words.
        if (proof.length != proofWords) revert WrongProofLength(proofWords, proof.length);
        if (publicSignals.length != publicSignalCount) {
            revert WrongPublicSignalCount(publicSignalCount, publicSignals.length);
        }
        // INVARIANT: a committed-weights circuit proves the registered weights, not any weights.
        if (commitmentSignalIndex != NO_COMMITMENT_SIGNAL && publicSignals[commitmentSignalIndex] != uint256(modelCommitment)) {
            revert ModelCommitmentMismatch(modelCommitment, publicSignals[commitmentSignalIndex]);
        }
        uint256 inputCommitment = publicSignals[inputCommitmentSignalIndex];
        // INVARIANT: the proof is about an input whose data is on-chain.
        if (requestedAtBlock[inputCommitment] == 0) revert InputNotRequested(inputCommitment);
        inferenceId = keccak256(abi.encodePacked(modelCommitment, publicSignals));
        // INVARIANT: an inference is recorded once.
        if (recordedAtBlock[inferenceId] != 0) revert InferenceAlreadyRecorded(inferenceId);

        (bool callSucceeded, bytes memory returned) =
            verifier.staticcall(abi.encodePacked(verifySelector, proof, publicSignals));
        // INVARIANT: the verifier ran and answered with one ABI-encoded bool.
        if (!callSucceeded || returned.length != 32) revert VerifierCallFailed();
        uint256 answer = abi.decode(returned, (uint256));
        // INVARIANT: only an accepted proof records anything.
        if (answer != 1) revert InvalidProof();

        recordedAtBlock[inferenceId] = block.number;
        emit InferenceRecorded(inferenceId, modelCommitment, inputCommitment, msg.sender, publicSignals);
    }
}
