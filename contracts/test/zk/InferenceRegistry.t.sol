// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../lib/Test.sol";
import {InferenceRegistry} from "../../src/zk/InferenceRegistry.sol";

/// @notice A toy verifier with the Groth16 verifier's ABI: accepts iff pA[0] == 1 and the first public
///         signal is below 2^64 (stands in for snarkjs's field check); the real verifiers are tested
///         on anvil from TypeScript (test/chain-zk-onchain.test.ts).
contract ToyGroth16Verifier {
    /// @notice Mimics snarkjs's verifyProof: returns a bool, never reverts on a bad proof.
    function verifyProof(uint256[2] calldata pA, uint256[2][2] calldata, uint256[2] calldata, uint256[2] calldata pubSignals)
        external
        pure
        returns (bool)
    {
        return pA[0] == 1 && pubSignals[0] < 2 ** 64;
    }
}

/// @notice A verifier that misbehaves: reverts.
contract RevertingVerifier {
    /// @notice Always reverts.
    function verifyProof(uint256[2] calldata, uint256[2][2] calldata, uint256[2] calldata, uint256[2] calldata)
        external
        pure
        returns (bool)
    {
        revert("broken");
    }
}

contract InferenceRegistryTest is Test {
    event InferenceRecorded(
        bytes32 indexed inferenceId, bytes32 indexed modelCommitment, address indexed submitter, uint256[] publicSignals
    );

    bytes4 internal constant SELECTOR = ToyGroth16Verifier.verifyProof.selector;
    bytes32 internal constant MODEL = keccak256("toy model");
    /// @dev valueBits = 16: inputs in [-2^15, 2^15).
    uint256 internal constant BOUND = 2 ** 15;
    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    InferenceRegistry internal registry;
    ToyGroth16Verifier internal verifier;

    function setUp() public {
        verifier = new ToyGroth16Verifier();
        registry = new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 1, BOUND);
    }

    function _proof(uint256 first) internal pure returns (uint256[] memory proof) {
        proof = new uint256[](8);
        proof[0] = first;
    }

    function _signals(uint256 output, uint256 input) internal pure returns (uint256[] memory signals) {
        signals = new uint256[](2);
        signals[0] = output;
        signals[1] = input;
    }

    function test_submitInference_validProof_succeeds() public {
        address alice = makeAddr("alice");
        uint256[] memory signals = _signals(42, 7);
        bytes32 expectedId = keccak256(abi.encodePacked(MODEL, signals));
        vm.roll(100);
        vm.expectEmit(true, true, true, true, address(registry));
        emit InferenceRecorded(expectedId, MODEL, alice, signals);
        vm.prank(alice);
        bytes32 inferenceId = registry.submitInference(_proof(1), signals);
        assertEq(inferenceId, expectedId);
        assertEq(registry.recordedAtBlock(inferenceId), 100);
    }

    function test_submitInference_invalidProof_reverts() public {
        vm.expectRevert(InferenceRegistry.InvalidProof.selector);
        registry.submitInference(_proof(2), _signals(42, 7));
    }

    function test_submitInference_verifierRejectsSignal_reverts() public {
        vm.expectRevert(InferenceRegistry.InvalidProof.selector);
        registry.submitInference(_proof(1), _signals(2 ** 64, 7));
    }

    function test_submitInference_duplicate_reverts() public {
        bytes32 inferenceId = registry.submitInference(_proof(1), _signals(42, 7));
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.InferenceAlreadyRecorded.selector, inferenceId));
        registry.submitInference(_proof(1), _signals(42, 7));
    }

    function test_submitInference_wrongShapes_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.WrongProofLength.selector, 8, 7));
        registry.submitInference(new uint256[](7), _signals(42, 7));
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.WrongPublicSignalCount.selector, 2, 3));
        registry.submitInference(_proof(1), new uint256[](3));
    }

    function test_submitInference_revertingVerifier_reverts() public {
        RevertingVerifier broken = new RevertingVerifier();
        InferenceRegistry brokenRegistry = new InferenceRegistry(address(broken), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 1, BOUND);
        vm.expectRevert(InferenceRegistry.VerifierCallFailed.selector);
        brokenRegistry.submitInference(_proof(1), _signals(42, 7));
    }

    function test_submitInference_commitmentSignal_succeeds() public {
        bytes32 commitment = bytes32(uint256(12345));
        InferenceRegistry bound = new InferenceRegistry(address(verifier), SELECTOR, 8, 2, commitment, 1, 1, 0, 0);
        bound.submitInference(_proof(1), _signals(42, 12345));
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.ModelCommitmentMismatch.selector, commitment, 12346));
        bound.submitInference(_proof(1), _signals(42, 12346));
    }

    function test_constructor_zeroCommitmentUsesVerifierCodehash_succeeds() public {
        InferenceRegistry byCode = new InferenceRegistry(address(verifier), SELECTOR, 8, 2, bytes32(0), type(uint256).max, 1, 1, BOUND);
        assertEq(byCode.modelCommitment(), address(verifier).codehash);
    }

    function test_constructor_badConfiguration_reverts() public {
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(makeAddr("no code"), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 1, BOUND);
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, 2, 1, 1, BOUND);
        // Input signals past the public signals, an empty range, a range whose halves overlap.
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 2, BOUND);
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, type(uint256).max, 3, 0, BOUND);
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 1, 0);
        vm.expectRevert(InferenceRegistry.InvalidConfiguration.selector);
        new InferenceRegistry(address(verifier), SELECTOR, 8, 2, MODEL, type(uint256).max, 1, 1, P / 2 + 1);
    }

    function test_submitInference_inputEdgeValues_succeeds() public {
        // 2^15 - 1 and -2^15 (= p - 2^15), the ends of the signed 16-bit range.
        registry.submitInference(_proof(1), _signals(42, BOUND - 1));
        registry.submitInference(_proof(1), _signals(42, P - BOUND));
        registry.submitInference(_proof(1), _signals(42, P - 1));
        registry.submitInference(_proof(1), _signals(42, 0));
    }

    function test_submitInference_inputOutOfRangePositive_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.InputOutOfRange.selector, 1, BOUND));
        registry.submitInference(_proof(1), _signals(42, BOUND));
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.InputOutOfRange.selector, 1, 2 ** 40));
        registry.submitInference(_proof(1), _signals(42, 2 ** 40));
    }

    function test_submitInference_inputOutOfRangeNegative_reverts() public {
        // -2^15 - 1, and the field element p - 2^40 (a "negative" far below the range).
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.InputOutOfRange.selector, 1, P - BOUND - 1));
        registry.submitInference(_proof(1), _signals(42, P - BOUND - 1));
        vm.expectRevert(abi.encodeWithSelector(InferenceRegistry.InputOutOfRange.selector, 1, P - 2 ** 40));
        registry.submitInference(_proof(1), _signals(42, P - 2 ** 40));
    }

    function test_submitInference_outputsNotRangeChecked_succeeds() public {
        // Only the input signals are checked: the output (index 0) may be any value the verifier accepts.
        registry.submitInference(_proof(1), _signals(2 ** 40, 7));
    }
}
