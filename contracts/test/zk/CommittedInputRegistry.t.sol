// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../lib/Test.sol";
import {CommittedInputRegistry} from "../../src/zk/CommittedInputRegistry.sol";
import {ToyGroth16Verifier, RevertingVerifier} from "./InferenceRegistry.t.sol";

/// @notice The hashed-input registry with the toy verifier (accepts iff proof[0] == 1 and signal 0
///         < 2^64): public signals [output, inputCommitment]; a request posts 2 packed words. The
///         real verifier and commitment are tested on anvil (test/chain-zk-committed-input.test.ts).
contract CommittedInputRegistryTest is Test {
    event InferenceRequested(uint256 indexed inputCommitment, address indexed requester);
    event InferenceRecorded(
        bytes32 indexed inferenceId,
        bytes32 indexed modelCommitment,
        uint256 indexed inputCommitment,
        address submitter,
        uint256[] publicSignals
    );

    bytes4 internal constant SELECTOR = ToyGroth16Verifier.verifyProof.selector;
    bytes32 internal constant MODEL = keccak256("toy model");
    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant NONE = type(uint256).max;
    uint256 internal constant INPUT = 777;
    CommittedInputRegistry internal registry;
    ToyGroth16Verifier internal verifier;

    function setUp() public {
        verifier = new ToyGroth16Verifier();
        registry = new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, MODEL, NONE, 1, 2);
    }

    function _proof(uint256 first) internal pure returns (uint256[] memory proof) {
        proof = new uint256[](8);
        proof[0] = first;
    }

    function _signals(uint256 output, uint256 inputCommitment) internal pure returns (uint256[] memory signals) {
        signals = new uint256[](2);
        signals[0] = output;
        signals[1] = inputCommitment;
    }

    function _words() internal pure returns (uint256[] memory words) {
        words = new uint256[](2);
        words[0] = 0x8000_8001;
        words[1] = 0x7fff;
    }

    function test_requestInference_recordsBlockAndEmits_succeeds() public {
        address alice = makeAddr("alice");
        vm.roll(50);
        vm.expectEmit(true, true, true, true, address(registry));
        emit InferenceRequested(INPUT, alice);
        vm.prank(alice);
        registry.requestInference(INPUT, _words());
        assertEq(registry.requestedAtBlock(INPUT), 50);
        // Asked again later: the first block stays.
        vm.roll(60);
        registry.requestInference(INPUT, _words());
        assertEq(registry.requestedAtBlock(INPUT), 50);
    }

    function test_requestInference_wrongWordCount_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.WrongInputWordCount.selector, 2, 3));
        registry.requestInference(INPUT, new uint256[](3));
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.WrongInputWordCount.selector, 2, 0));
        registry.requestInference(INPUT, new uint256[](0));
    }

    function test_requestInference_commitmentNotInField_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.CommitmentNotInField.selector, P));
        registry.requestInference(P, _words());
        registry.requestInference(P - 1, _words());
    }

    function test_submitInference_requestedInput_succeeds() public {
        registry.requestInference(INPUT, _words());
        address bob = makeAddr("bob");
        uint256[] memory signals = _signals(42, INPUT);
        bytes32 expectedId = keccak256(abi.encodePacked(MODEL, signals));
        vm.roll(70);
        vm.expectEmit(true, true, true, true, address(registry));
        emit InferenceRecorded(expectedId, MODEL, INPUT, bob, signals);
        vm.prank(bob);
        bytes32 inferenceId = registry.submitInference(_proof(1), signals);
        assertEq(inferenceId, expectedId);
        assertEq(registry.recordedAtBlock(inferenceId), 70);
    }

    function test_submitInference_unrequestedInput_reverts() public {
        // A valid proof about an input whose data was never posted is refused before the verifier runs.
        registry.requestInference(INPUT, _words());
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.InputNotRequested.selector, INPUT + 1));
        registry.submitInference(_proof(1), _signals(42, INPUT + 1));
    }

    function test_submitInference_invalidProof_reverts() public {
        registry.requestInference(INPUT, _words());
        vm.expectRevert(CommittedInputRegistry.InvalidProof.selector);
        registry.submitInference(_proof(2), _signals(42, INPUT));
        vm.expectRevert(CommittedInputRegistry.InvalidProof.selector);
        registry.submitInference(_proof(1), _signals(2 ** 64, INPUT));
    }

    function test_submitInference_duplicate_reverts() public {
        registry.requestInference(INPUT, _words());
        bytes32 inferenceId = registry.submitInference(_proof(1), _signals(42, INPUT));
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.InferenceAlreadyRecorded.selector, inferenceId));
        registry.submitInference(_proof(1), _signals(42, INPUT));
    }

    function test_submitInference_wrongShapes_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.WrongProofLength.selector, 8, 7));
        registry.submitInference(new uint256[](7), _signals(42, INPUT));
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.WrongPublicSignalCount.selector, 2, 3));
        registry.submitInference(_proof(1), new uint256[](3));
    }

    function test_submitInference_revertingVerifier_reverts() public {
        RevertingVerifier broken = new RevertingVerifier();
        CommittedInputRegistry brokenRegistry = new CommittedInputRegistry(address(broken), SELECTOR, 8, 2, MODEL, NONE, 1, 2);
        brokenRegistry.requestInference(INPUT, _words());
        vm.expectRevert(CommittedInputRegistry.VerifierCallFailed.selector);
        brokenRegistry.submitInference(_proof(1), _signals(42, INPUT));
    }

    function test_submitInference_weightsCommitmentSignal_succeeds() public {
        // Signals [inputCommitment at 1, weights' commitment at 0] (the toy verifier checks signal 0 < 2^64).
        bytes32 weights = bytes32(uint256(12345));
        CommittedInputRegistry bound = new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, weights, 0, 1, 2);
        bound.requestInference(INPUT, _words());
        bound.submitInference(_proof(1), _signals(12345, INPUT));
        vm.expectRevert(abi.encodeWithSelector(CommittedInputRegistry.ModelCommitmentMismatch.selector, weights, 12346));
        bound.submitInference(_proof(1), _signals(12346, INPUT));
    }

    function test_constructor_badConfiguration_reverts() public {
        vm.expectRevert(CommittedInputRegistry.InvalidConfiguration.selector);
        new CommittedInputRegistry(makeAddr("no code"), SELECTOR, 8, 2, MODEL, NONE, 1, 2);
        // The input commitment outside the signals, on the weights' commitment, no words.
        vm.expectRevert(CommittedInputRegistry.InvalidConfiguration.selector);
        new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, MODEL, NONE, 2, 2);
        vm.expectRevert(CommittedInputRegistry.InvalidConfiguration.selector);
        new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, MODEL, 1, 1, 2);
        vm.expectRevert(CommittedInputRegistry.InvalidConfiguration.selector);
        new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, MODEL, NONE, 1, 0);
        vm.expectRevert(CommittedInputRegistry.InvalidConfiguration.selector);
        new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, MODEL, 2, 1, 2);
    }

    function test_constructor_zeroCommitmentUsesVerifierCodehash_succeeds() public {
        CommittedInputRegistry byCode = new CommittedInputRegistry(address(verifier), SELECTOR, 8, 2, bytes32(0), NONE, 1, 2);
        assertEq(byCode.modelCommitment(), address(verifier).codehash);
    }
}
