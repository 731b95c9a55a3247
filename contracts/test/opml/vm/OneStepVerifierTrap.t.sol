// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../../lib/Test.sol";
import {Instruction, MemoryProof, OneStepVerifier} from "../../../src/opml/vm/OneStepVerifier.sol";
import {LibVmState, VmLayout, VmModelHeader, VmState} from "../../../src/opml/vm/LibVmState.sol";

/// @notice The trace VM is total (issue 9 §2): a step whose result leaves the value range, whose
/// arithmetic overflows int256 or whose instruction has no defined result does not revert — it
/// proves the trapped state (pc + 1, 0, TRAPPED), which is sticky, and the trapped final state's
/// result is the error result. On a 4-word memory and a 2-leaf program (instruction, padding).
contract OneStepVerifierTrapTest is Test {
    OneStepVerifier internal verifier;
    int256[4] internal memoryWords;

    uint256 internal constant MAC = 0;
    uint256 internal constant ACC = 1;
    uint256 internal constant AVG = 4;
    uint256 internal constant ADD = 6;
    uint256 internal constant IMM = 8;

    function setUp() public {
        verifier = new OneStepVerifier();
        memoryWords = [int256(30_000), int256(-7), int256(0), int256(0)];
    }

    // ---- a tiny model --------------------------------------------------------------------

    function leaf(int256 value) internal pure returns (bytes32) {
        return LibVmState.hashLeaf(value);
    }

    function memoryRoot() internal view returns (bytes32) {
        return LibVmState.hashNode(
            LibVmState.hashNode(leaf(memoryWords[0]), leaf(memoryWords[1])),
            LibVmState.hashNode(leaf(memoryWords[2]), leaf(memoryWords[3]))
        );
    }

    function memoryProof(uint256 addr) internal view returns (MemoryProof memory proof) {
        proof.value = memoryWords[addr];
        proof.siblings = new bytes32[](2);
        proof.siblings[0] = leaf(memoryWords[addr ^ 1]);
        uint256 other = (addr >> 1) ^ 1;
        proof.siblings[1] = LibVmState.hashNode(leaf(memoryWords[2 * other]), leaf(memoryWords[2 * other + 1]));
    }

    function header(Instruction memory instruction) internal pure returns (VmModelHeader memory) {
        bytes32 programRoot = LibVmState.hashNode(keccak256(abi.encode(instruction)), bytes32(0));
        return VmModelHeader(programRoot, 1, 2, 8, 16, keccak256("layout"));
    }

    /// The proof of the step at `pc` from (pc, acc, memory) running `instruction` (program leaf 0).
    function proveAt(Instruction memory instruction, uint256 pc, int256 acc)
        internal
        view
        returns (bytes32 modelRoot, bytes32 preState, bytes memory proof)
    {
        VmModelHeader memory h = header(instruction);
        modelRoot = LibVmState.modelRoot(h);
        VmState memory pre = VmState(pc, acc, memoryRoot());
        preState = LibVmState.hashState(pre);
        bytes32[] memory instructionSiblings = new bytes32[](1);
        instructionSiblings[0] = pc == 0 ? bytes32(0) : keccak256(abi.encode(instruction));
        proof = abi.encode(h, pre, instruction, instructionSiblings, memoryProof(instruction.a & 3), memoryProof(instruction.b & 3), memoryProof(instruction.dst & 3));
    }

    function step(Instruction memory instruction, int256 acc) internal view returns (bytes32) {
        (bytes32 modelRoot, bytes32 preState, bytes memory proof) = proveAt(instruction, 0, acc);
        return verifier.step(modelRoot, preState, proof);
    }

    function trapped(uint256 pc) internal pure returns (bytes32) {
        return keccak256(abi.encode(pc, int256(0), bytes32(0)));
    }

    // ---- traps -------------------------------------------------------------------------------

    function test_step_inRangeAdd_succeeds() public {
        bytes32 post = step(Instruction(ADD, IMM, 2, 0, 0, 2000), 5);
        memoryWords[2] = 32_000;
        assertEq(post, LibVmState.hashState(VmState(1, 5, memoryRoot())));
    }

    function test_step_resultOutOfRange_traps() public view {
        // 30000 + 2768 = 32768 = 2^15: one past the 16-bit range.
        assertEq(step(Instruction(ADD, IMM, 2, 0, 0, 2768), 5), trapped(1));
        // ...and one below it.
        assertEq(step(Instruction(ADD, IMM, 2, 1, 0, -32_762), 5), trapped(1));
    }

    function test_step_int256Overflow_traps() public view {
        // MAC: the product 30000 · int256.max and acc + A·imm overflow int256.
        assertEq(step(Instruction(MAC, IMM, 0, 0, 0, type(int256).max), 0), trapped(1));
        assertEq(step(Instruction(MAC, IMM, 0, 0, 0, 1), type(int256).max), trapped(1));
        // -7 · (int256.min / 6) > int256.max.
        assertEq(step(Instruction(MAC, IMM, 0, 1, 0, type(int256).min / 6), 0), trapped(1));
        // ACC: acc + A.
        assertEq(step(Instruction(ACC, 0, 0, 0, 0, 0), type(int256).max - 29_999), trapped(1));
        // ADD: A + imm.
        assertEq(step(Instruction(ADD, IMM, 2, 1, 0, type(int256).min), 0), trapped(1));
        // RESCALE: acc + imm, and the rounding constant.
        assertEq(step(Instruction(3, 0, 2, 0, 0, 1), type(int256).max), trapped(1));
        assertEq(step(Instruction(3, 0, 2, 0, 0, 0), type(int256).max), trapped(1));
    }

    /// -1 · int256.min: the one product whose overflow c / a == b does not see.
    function test_step_minTimesMinusOne_traps() public {
        memoryWords[1] = -1;
        assertEq(step(Instruction(MAC, IMM, 0, 1, 0, type(int256).min), 0), trapped(1));
    }

    function test_step_undefinedInstruction_traps() public view {
        assertEq(step(Instruction(11, 0, 0, 0, 0, 0), 0), trapped(1)); // no such op
        assertEq(step(Instruction(9, 0, 0, 0, 0, 0), 0), trapped(1)); // LUT with no table (t = 0, M = 0)
        assertEq(step(Instruction(10, 0, 0, 0, 0, 0), 0), trapped(1)); // DIV by acc = 0
        assertEq(step(Instruction(ACC, IMM, 0, 0, 0, 0), 0), trapped(1)); // a flag ACC does not take
        assertEq(step(Instruction(AVG, 0, 2, 0, 0, 0), 0), trapped(1)); // AVG over 0 values
        assertEq(step(Instruction(AVG, 0, 2, 0, 0, -3), 0), trapped(1));
        assertEq(step(Instruction(ACC, 0, 0, 4, 0, 0), 0), trapped(1)); // read outside memory
        assertEq(step(Instruction(7, 0, 9, 0, 0, 0), 0), trapped(1)); // RELU writing outside memory
    }

    function test_step_noInstructionAtPc_traps() public view {
        Instruction memory instruction = Instruction(ACC, 0, 0, 0, 0, 0);
        // pc 1 is the padding leaf bytes32(0): proven with the instruction leaf as its sibling.
        (bytes32 modelRoot, bytes32 preState, bytes memory proof) = proveAt(instruction, 1, 0);
        assertEq(verifier.step(modelRoot, preState, proof), trapped(2));
        // pc 2 is past the program tree.
        (modelRoot, preState, proof) = proveAt(instruction, 2, 0);
        assertEq(verifier.step(modelRoot, preState, proof), trapped(3));
    }

    function test_step_wrongInstructionAtPaddingLeaf_reverts() public {
        Instruction memory instruction = Instruction(ACC, 0, 0, 0, 0, 0);
        (bytes32 modelRoot, bytes32 preState, bytes memory proof) = proveAt(instruction, 1, 0);
        // The same proof claiming pc 1's sibling is another leaf: neither path reaches the root.
        bytes32[] memory wrongSiblings = new bytes32[](1);
        wrongSiblings[0] = keccak256("other");
        (VmModelHeader memory h, VmState memory pre, Instruction memory i,, MemoryProof memory a, MemoryProof memory b, MemoryProof memory w) =
            abi.decode(proof, (VmModelHeader, VmState, Instruction, bytes32[], MemoryProof, MemoryProof, MemoryProof));
        vm.expectRevert(OneStepVerifier.InstructionMismatch.selector);
        verifier.step(modelRoot, preState, abi.encode(h, pre, i, wrongSiblings, a, b, w));
    }

    function test_step_fromTrappedState_staysTrapped() public view {
        Instruction memory instruction = Instruction(ACC, 0, 0, 0, 0, 0);
        VmModelHeader memory h = header(instruction);
        MemoryProof memory none;
        // No instruction proof and no memory: a trapped state only counts pc.
        bytes memory proof = abi.encode(h, VmState(5, 0, bytes32(0)), instruction, new bytes32[](0), none, none, none);
        assertEq(verifier.step(LibVmState.modelRoot(h), trapped(5), proof), trapped(6));
    }

    /// Whatever the memory, accumulator and immediate, a step with a correct proof never reverts:
    /// it gives a running state or the trapped one.
    function testFuzz_step_neverReverts(int256 a, int256 b, int256 acc, int256 imm, uint8 opByte, uint8 flagByte) public {
        memoryWords[0] = a;
        memoryWords[1] = b;
        Instruction memory instruction = Instruction(uint256(opByte) % 10, uint256(flagByte) % 16, 2, 0, 1, imm);
        (bytes32 modelRoot, bytes32 preState, bytes memory proof) = proveAt(instruction, 0, acc);
        (bool ok, bytes memory result) = address(verifier).staticcall(abi.encodeCall(verifier.step, (modelRoot, preState, proof)));
        assertTrue(ok, "a correctly proven step never reverts");
        assertEq(result.length, 32);
    }

    // ---- the error result and the schedule ------------------------------------------------------

    function layout() internal pure returns (VmLayout memory l) {
        l.programRoot = header(Instruction(ACC, 0, 0, 0, 0, 0)).programRoot;
        (l.programDepth, l.memoryDepth, l.scaleBits, l.valueBits, l.totalSteps) = (1, 2, 8, 16, 1);
        (l.inputLength, l.inputDepth) = (1, 0);
        l.inputSiblings = new bytes32[](2);
        (l.outputOffset, l.outputLength, l.outputDepth) = (2, 1, 0);
        l.layerBoundaries = new uint256[](1);
    }

    function test_verifyOutput_errorResultOfTrappedState_succeeds() public view {
        VmLayout memory l = layout();
        bytes memory proof = abi.encode(VmState(1, 0, bytes32(0)), new bytes32[](0));
        verifier.verifyOutput(LibVmState.modelRoot(l), abi.encode(l), trapped(1), new int256[](0), proof);
    }

    function test_verifyOutput_valueForTrappedState_reverts() public {
        VmLayout memory l = layout();
        bytes memory proof = abi.encode(VmState(1, 0, bytes32(0)), new bytes32[](0));
        vm.expectRevert(LibVmState.OutputMismatch.selector);
        verifier.verifyOutput(LibVmState.modelRoot(l), abi.encode(l), trapped(1), new int256[](1), proof);
    }

    function test_verifyOutput_errorResultOfRunningState_reverts() public {
        VmLayout memory l = layout();
        bytes32 root = keccak256("memory");
        bytes memory proof = abi.encode(VmState(1, 0, root), new bytes32[](2));
        vm.expectRevert(abi.encodeWithSelector(LibVmState.OutputLengthMismatch.selector, 1, 0));
        verifier.verifyOutput(LibVmState.modelRoot(l), abi.encode(l), LibVmState.hashState(VmState(1, 0, root)), new int256[](0), proof);
    }

    function test_scheduleOf_layout_succeeds() public view {
        VmLayout memory l = layout();
        (uint256 totalSteps, uint256[] memory starts) = verifier.scheduleOf(LibVmState.modelRoot(l), abi.encode(l));
        assertEq(totalSteps, 1);
        assertEq(starts.length, 1);
    }

    function test_scheduleOf_badLayout_reverts() public {
        VmLayout memory l = layout();
        vm.expectRevert(OneStepVerifier.ModelMismatch.selector);
        verifier.scheduleOf(keccak256("another model"), abi.encode(l));
        l.outputLength = 0;
        vm.expectRevert(OneStepVerifier.BadSchedule.selector);
        verifier.scheduleOf(LibVmState.modelRoot(l), abi.encode(l));
        l.outputLength = 1;
        l.totalSteps = 0;
        vm.expectRevert(OneStepVerifier.BadSchedule.selector);
        verifier.scheduleOf(LibVmState.modelRoot(l), abi.encode(l));
        l.totalSteps = 1;
        l.programDepth = 65;
        vm.expectRevert(OneStepVerifier.BadSchedule.selector);
        verifier.scheduleOf(LibVmState.modelRoot(l), abi.encode(l));
    }
}
