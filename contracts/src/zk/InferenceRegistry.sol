// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title InferenceRegistry
/// @notice Records ML inferences proven with a zk-SNARK. An inference — the model commitment and
///         its public signals (outputs first, then public inputs, as snarkjs orders them) — is
///         recorded ONLY if the snarkjs-generated verifier accepts its proof; otherwise the call
///         reverts with a custom error. One registry serves one verifier, i.e. one circuit (the
///         model compiled with its weights, or a circuit whose weights are committed by a public
///         Poseidon hash, bound here through `commitmentSignalIndex`).
/// @dev The snarkjs verifiers (Groth16, PLONK, FFLONK) all expose `verifyProof(<proof words>,
///      uint256[nPublic])` with static arguments only, so the call data is the selector followed by
///      the proof words and the public signals, each a 32-byte word: the registry builds it itself
///      from the recorded signals, so a proof can never be checked against other signals than the
///      ones stored. The verifiers RETURN false (not revert) on a bad proof or out-of-field value.
///      The circuits do not range-check PUBLIC inputs (16 constraints each would be spent on what
///      the verifier can check for free): this registry checks them instead, each input signal a
///      field element encoding a signed integer in [-inputBound, inputBound), i.e. x < inputBound
///      or x >= FIELD_MODULUS - inputBound. A value outside, e.g. p - 2^40, would satisfy the
///      circuit's arithmetic as a different integer than the fixed-point semantics allow.
contract InferenceRegistry {
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
    /// @notice A public input signal is outside the signed range [-inputBound, inputBound).
    /// @param index the position of the signal in publicSignals.
    /// @param value the signal as submitted (a field element).
    error InputOutOfRange(uint256 index, uint256 value);
    /// @notice A constructor argument is unusable.
    error InvalidConfiguration();

    /// @notice Emitted once per accepted inference.
    /// @param inferenceId keccak256(modelCommitment, publicSignals), the key of `recordedAtBlock`.
    /// @param modelCommitment the model this inference ran.
    /// @param submitter who submitted the proof.
    /// @param publicSignals outputs first, then public inputs (field elements).
    event InferenceRecorded(
        bytes32 indexed inferenceId, bytes32 indexed modelCommitment, address indexed submitter, uint256[] publicSignals
    );

    /// @notice Sentinel for `commitmentSignalIndex`: no public signal carries the model commitment.
    uint256 public constant NO_COMMITMENT_SIGNAL = type(uint256).max;
    /// @notice The BN254 scalar field modulus p: public signals are field elements mod p, a
    ///         negative integer -a is encoded as p - a.
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
    /// @notice What the recorded inferences ran: a caller-given commitment (e.g. the quantized
    ///         model's hash), or, when zero was given, the verifier's code hash (its verifying key
    ///         fixes the circuit, and with it weights compiled in as constants).
    bytes32 public immutable modelCommitment;
    /// @notice Index of the public signal that must equal `modelCommitment`, or NO_COMMITMENT_SIGNAL.
    uint256 public immutable commitmentSignalIndex;
    /// @notice Index of the first public signal that is a model input (after the outputs).
    uint256 public immutable inputSignalStart;
    /// @notice Number of public input signals to range-check (0 when the inputs are private).
    uint256 public immutable inputSignalCount;
    /// @notice 2^(valueBits-1): every input signal must encode an integer in [-inputBound, inputBound).
    uint256 public immutable inputBound;

    /// @notice Block number at which each inference was recorded (0 = not recorded).
    mapping(bytes32 inferenceId => uint256 blockNumber) public recordedAtBlock;

    /// @notice Binds the registry to one verifier, one model and the range of its public inputs.
    /// @param inputSignalStart_ index of the first public input signal (= the number of outputs).
    /// @param inputSignalCount_ number of public input signals (0: inputs private, nothing to check).
    /// @param inputBound_ 2^(valueBits-1) of the circuit's fixed-point format.
    constructor(
        address verifier_,
        bytes4 verifySelector_,
        uint256 proofWords_,
        uint256 publicSignalCount_,
        bytes32 modelCommitment_,
        uint256 commitmentSignalIndex_,
        uint256 inputSignalStart_,
        uint256 inputSignalCount_,
        uint256 inputBound_
    ) {
        // INVARIANT: the verifier has code and the shapes are usable.
        if (verifier_.code.length == 0 || proofWords_ == 0 || publicSignalCount_ == 0) revert InvalidConfiguration();
        // INVARIANT: a commitment signal index points into the public signals.
        if (commitmentSignalIndex_ != NO_COMMITMENT_SIGNAL && commitmentSignalIndex_ >= publicSignalCount_) {
            revert InvalidConfiguration();
        }
        // INVARIANT: the input signals lie inside the public signals, and the signed range is
        // non-empty and leaves the positive and negative halves disjoint (2 * bound <= p).
        if (
            inputSignalStart_ > publicSignalCount_ || inputSignalCount_ > publicSignalCount_ - inputSignalStart_
                || (inputSignalCount_ != 0 && (inputBound_ == 0 || inputBound_ > FIELD_MODULUS / 2))
        ) revert InvalidConfiguration();
        verifier = verifier_;
        verifySelector = verifySelector_;
        proofWords = proofWords_;
        publicSignalCount = publicSignalCount_;
        modelCommitment = modelCommitment_ == bytes32(0) ? verifier_.codehash : modelCommitment_;
        commitmentSignalIndex = commitmentSignalIndex_;
        inputSignalStart = inputSignalStart_;
        inputSignalCount = inputSignalCount_;
        inputBound = inputBound_;
    }

    /// @notice Records an inference if `proof` proves `publicSignals` for this registry's circuit.
    /// @param proof the proof as 32-byte words, in the verifier's order (see encodeProofWords.ts).
    /// @param publicSignals outputs first, then public inputs (each in [-inputBound, inputBound) mod p).
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
        uint256 inputEnd = inputSignalStart + inputSignalCount;
        for (uint256 index = inputSignalStart; index < inputEnd; ++index) {
            uint256 value = publicSignals[index];
            // INVARIANT: a public input is a signed valueBits integer, the range the circuit assumes
            // but does not check: non-negative below inputBound, or negative at or above p - inputBound.
            if (value >= inputBound && value < FIELD_MODULUS - inputBound) revert InputOutOfRange(index, value);
        }
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
        emit InferenceRecorded(inferenceId, modelCommitment, msg.sender, publicSignals);
    }
}
