// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The trace VM's state and model commitments (TypeScript twin: src/opml/vmState.ts).
///
/// Memory is 2^memoryDepth signed words (int256) in a binary keccak Merkle tree:
///   leaf(v)      = keccak256(abi.encode(int256 v))
///   node(l, r)   = keccak256(abi.encodePacked(l, r))
/// word i is leaf i; at level j its path goes right when bit j of i is 1.
/// State preimage: (pc, acc, memRoot); commitment = keccak256(abi.encode(pc, acc, memRoot)).
/// The program is a Merkle tree (depth programDepth) of keccak256(abi.encode(Instruction)) leaves,
/// padded with bytes32(0) leaves (no instruction hashes to zero, so no step exists past the end).
/// modelRoot = keccak256(abi.encode(VmModelHeader)), the header's layoutHash binding every other
/// field of VmLayout, so `step` needs only the 6-word header while initialState/verifyOutput
/// take the whole vmLayout.
/// A trapped state (OneStepVerifier: a step that overflows or has no defined result) is
/// (pc, acc 0, memRoot TRAPPED = bytes32(0)): no memory has root zero (that would need a keccak
/// preimage of zero), so the flag is unambiguous, and it is sticky. Its result is the error
/// result: verifyOutput accepts the empty output for (totalSteps, 0, TRAPPED) and nothing else.
struct VmState {
    /// Index of the next instruction = number of steps executed.
    uint256 pc;
    /// The accumulator register.
    int256 acc;
    /// Root of the memory Merkle tree.
    bytes32 memRoot;
}

/// @notice What a step needs of the model; keccak256(abi.encode(header)) is the modelRoot.
struct VmModelHeader {
    bytes32 programRoot;
    uint256 programDepth;
    uint256 memoryDepth;
    /// s of docs/fixed-point.md (rescale shift).
    uint256 scaleBits;
    /// v of docs/fixed-point.md (range checks: [-2^(v-1), 2^(v-1) - 1]).
    uint256 valueBits;
    /// keccak256(abi.encode(totalSteps, inputOffset, inputLength, inputDepth, inputSiblings,
    /// outputOffset, outputLength, outputDepth, layerBoundaries)).
    bytes32 layoutHash;
}

/// @notice A registered model: everything the game and the endpoints checks need.
/// The `layout` bytes of IOpmlMachine are abi.encode(VmLayout).
struct VmLayout {
    bytes32 programRoot;
    uint256 programDepth;
    uint256 memoryDepth;
    uint256 scaleBits;
    uint256 valueBits;
    /// Number of instructions; the final state has pc = totalSteps.
    uint256 totalSteps;
    /// Input region: words [inputOffset, inputOffset + inputLength) inside the aligned subtree of
    /// depth inputDepth starting at inputOffset; the rest of that subtree is zero.
    uint256 inputOffset;
    uint256 inputLength;
    uint256 inputDepth;
    /// Siblings of the input subtree, levels inputDepth .. memoryDepth-1, in the initial memory.
    bytes32[] inputSiblings;
    uint256 outputOffset;
    uint256 outputLength;
    uint256 outputDepth;
    /// Step index at which each layer with at least one step starts (strictly increasing, [0] = 0).
    uint256[] layerBoundaries;
}

library LibVmState {
    /// @notice The memory root of a trapped state (the sticky error flag).
    bytes32 internal constant TRAPPED = bytes32(0);

    /// @notice The layout does not hash to the model root it is used with.
    error ModelMismatch();
    /// @notice The layout's regions are not aligned subtrees inside memory.
    error BadLayout();
    /// @notice The input has the wrong number of values.
    error InputLengthMismatch(uint256 expected, uint256 actual);
    /// @notice An input value lies outside the fixed-point value range.
    error InputOutOfRange(uint256 index, int256 value);
    /// @notice The output has the wrong number of values.
    error OutputLengthMismatch(uint256 expected, uint256 actual);
    /// @notice The state preimage does not hash to the state commitment.
    error StateMismatch();
    /// @notice The state is not the final state (pc != totalSteps).
    error NotFinal(uint256 pc, uint256 totalSteps);
    /// @notice The output is not the output region of the final state's memory.
    error OutputMismatch();

    /// @notice keccak256(abi.encode(int256 value)): a memory leaf.
    function hashLeaf(int256 value) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            mstore(0x00, value)
            digest := keccak256(0x00, 0x20)
        }
    }

    /// @notice keccak256(left ‖ right): an inner node.
    function hashNode(bytes32 left, bytes32 right) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            digest := keccak256(0x00, 0x40)
        }
    }

    /// @notice The state commitment keccak256(abi.encode(pc, acc, memRoot)).
    function hashState(VmState memory state) internal pure returns (bytes32) {
        return keccak256(abi.encode(state.pc, state.acc, state.memRoot));
    }

    /// @notice The commitment of the trapped state at `pc`: keccak256(abi.encode(pc, 0, TRAPPED)).
    function trappedState(uint256 pc) internal pure returns (bytes32) {
        return keccak256(abi.encode(pc, int256(0), TRAPPED));
    }

    /// @notice The root reached from `node` at position `index` of its level through `siblings`.
    function rootFromPath(bytes32 node, uint256 index, bytes32[] memory siblings) internal pure returns (bytes32) {
        for (uint256 level = 0; level < siblings.length; level++) {
            node = (index >> level) & 1 == 1 ? hashNode(siblings[level], node) : hashNode(node, siblings[level]);
        }
        return node;
    }

    /// @notice Root of a subtree of depth `depth` whose first leaves hold `values` and the rest zero.
    /// Hashes in place: level[2i] and level[2i+1] are adjacent in memory, so a node is one keccak
    /// over them (no copying), about 2·2^depth keccaks of ~70 gas each.
    function subtreeRoot(int256[] memory values, uint256 depth) internal pure returns (bytes32 root) {
        uint256 width = uint256(1) << depth;
        // INVARIANT: the values fit in the subtree.
        if (values.length > width) revert BadLayout();
        bytes32 zeroLeaf = hashLeaf(0);
        bytes32[] memory level = new bytes32[](width);
        assembly ("memory-safe") {
            let nodes := add(level, 0x20)
            let source := add(values, 0x20)
            let valuesEnd := add(source, shl(5, mload(values)))
            let to := nodes
            for {} lt(source, valuesEnd) {} {
                mstore(to, keccak256(source, 0x20))
                source := add(source, 0x20)
                to := add(to, 0x20)
            }
            let levelEnd := add(nodes, shl(5, width))
            for {} lt(to, levelEnd) { to := add(to, 0x20) } { mstore(to, zeroLeaf) }
            for { let w := shr(1, width) } gt(w, 0) { w := shr(1, w) } {
                to := nodes
                let end := add(nodes, shl(5, w))
                for { let from := nodes } lt(to, end) {} {
                    mstore(to, keccak256(from, 0x40))
                    from := add(from, 0x40)
                    to := add(to, 0x20)
                }
            }
            root := mload(nodes)
        }
    }

    /// @notice keccak256 of the layout fields that the header does not carry.
    function layoutHash(VmLayout memory vmLayout) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                vmLayout.totalSteps,
                vmLayout.inputOffset,
                vmLayout.inputLength,
                vmLayout.inputDepth,
                vmLayout.inputSiblings,
                vmLayout.outputOffset,
                vmLayout.outputLength,
                vmLayout.outputDepth,
                vmLayout.layerBoundaries
            )
        );
    }

    /// @notice The header that `step` receives for this vmLayout.
    function header(VmLayout memory vmLayout) internal pure returns (VmModelHeader memory) {
        return VmModelHeader({
            programRoot: vmLayout.programRoot,
            programDepth: vmLayout.programDepth,
            memoryDepth: vmLayout.memoryDepth,
            scaleBits: vmLayout.scaleBits,
            valueBits: vmLayout.valueBits,
            layoutHash: layoutHash(vmLayout)
        });
    }

    /// @notice keccak256(abi.encode(header)).
    function modelRoot(VmModelHeader memory modelHeader) internal pure returns (bytes32) {
        return keccak256(abi.encode(modelHeader));
    }

    /// @notice The model root committed by a vmLayout.
    function modelRoot(VmLayout memory vmLayout) internal pure returns (bytes32) {
        return modelRoot(header(vmLayout));
    }

    /// @notice The initial state (pc 0, acc 0) for `input` and its input subtree root: the root is
    /// computed from the values and combined with the registered siblings into the memory root.
    /// Reverts on a wrong length or a value outside the fixed-point range (docs/fixed-point.md:
    /// every model input is range-checked).
    function initialState(VmLayout memory vmLayout, int256[] memory input)
        internal
        pure
        returns (bytes32 state, bytes32 inputRoot)
    {
        // INVARIANT: the input region is an aligned subtree of memory with one sibling per level above it.
        if (
            vmLayout.inputDepth > vmLayout.memoryDepth || vmLayout.inputOffset % (uint256(1) << vmLayout.inputDepth) != 0
                || vmLayout.inputSiblings.length != vmLayout.memoryDepth - vmLayout.inputDepth
                || vmLayout.inputOffset >> vmLayout.memoryDepth != 0 || vmLayout.valueBits == 0 || vmLayout.valueBits > 255
        ) revert BadLayout();
        // INVARIANT: one value per input word.
        if (input.length != vmLayout.inputLength) revert InputLengthMismatch(vmLayout.inputLength, input.length);
        int256 high = int256(uint256(1) << (vmLayout.valueBits - 1));
        // INVARIANT: every input lies in [-2^(v-1), 2^(v-1) - 1] (unsigned compare of v + 2^(v-1) < 2^v).
        uint256 bad = type(uint256).max;
        assembly ("memory-safe") {
            let width := shl(1, high)
            let start := add(input, 0x20)
            let end := add(start, shl(5, mload(input)))
            for { let at := start } lt(at, end) { at := add(at, 0x20) } {
                if iszero(lt(add(mload(at), high), width)) {
                    bad := shr(5, sub(at, start))
                    break
                }
            }
        }
        if (bad != type(uint256).max) revert InputOutOfRange(bad, input[bad]);
        inputRoot = subtreeRoot(input, vmLayout.inputDepth);
        bytes32 root = rootFromPath(inputRoot, vmLayout.inputOffset >> vmLayout.inputDepth, vmLayout.inputSiblings);
        state = hashState(VmState({pc: 0, acc: 0, memRoot: root}));
    }

    /// @notice initialState, after checking that `layout` is the one committed by `root`.
    function initialState(bytes32 root, VmLayout memory vmLayout, int256[] memory input)
        internal
        pure
        returns (bytes32 state, bytes32 inputRoot)
    {
        // INVARIANT: the layout is the registered model's.
        if (modelRoot(vmLayout) != root) revert ModelMismatch();
        return initialState(vmLayout, input);
    }

    /// @notice Reverts unless `output` is the output region of the memory of the final state
    /// `finalState`, whose preimage is `finalPreimage`, proven by `outputSiblings` (levels
    /// outputDepth .. memoryDepth-1). The words of the output subtree past outputLength must be zero.
    /// The trapped final state (totalSteps, 0, TRAPPED) has the error result: the empty output
    /// with no siblings (a registered model's outputLength is ≥ 1, so [] is never a real output).
    function verifyOutput(
        VmLayout memory vmLayout,
        bytes32 finalState,
        VmState memory finalPreimage,
        int256[] memory output,
        bytes32[] memory outputSiblings
    ) internal pure {
        // INVARIANT: the preimage is the final state's.
        if (hashState(finalPreimage) != finalState) revert StateMismatch();
        // INVARIANT: the state is final: every instruction has run.
        if (finalPreimage.pc != vmLayout.totalSteps) revert NotFinal(finalPreimage.pc, vmLayout.totalSteps);
        if (finalPreimage.memRoot == TRAPPED) {
            // INVARIANT: a trapped run's only result is the error result: the empty output.
            if (output.length != 0 || outputSiblings.length != 0 || finalPreimage.acc != 0) revert OutputMismatch();
            return;
        }
        // INVARIANT: the output region is an aligned subtree and the proof has one sibling per level above it.
        if (
            vmLayout.outputDepth > vmLayout.memoryDepth || vmLayout.outputOffset % (uint256(1) << vmLayout.outputDepth) != 0
                || outputSiblings.length != vmLayout.memoryDepth - vmLayout.outputDepth
                || vmLayout.outputOffset >> vmLayout.memoryDepth != 0
        ) revert BadLayout();
        if (output.length != vmLayout.outputLength) revert OutputLengthMismatch(vmLayout.outputLength, output.length);
        bytes32 root = rootFromPath(
            subtreeRoot(output, vmLayout.outputDepth), vmLayout.outputOffset >> vmLayout.outputDepth, outputSiblings
        );
        // INVARIANT: the output subtree proves into the final memory root.
        if (root != finalPreimage.memRoot) revert OutputMismatch();
    }

    /// @notice verifyOutput with the model root check and the proof as bytes:
    /// abi.encode(VmState finalPreimage, bytes32[] outputSiblings).
    function verifyOutput(
        bytes32 root,
        VmLayout memory vmLayout,
        bytes32 finalState,
        int256[] memory output,
        bytes memory proof
    ) internal pure {
        // INVARIANT: the layout is the registered model's.
        if (modelRoot(vmLayout) != root) revert ModelMismatch();
        (VmState memory finalPreimage, bytes32[] memory outputSiblings) = abi.decode(proof, (VmState, bytes32[]));
        verifyOutput(vmLayout, finalState, finalPreimage, output, outputSiblings);
    }
}
