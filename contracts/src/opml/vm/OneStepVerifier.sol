// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStepper} from "../IStepper.sol";
import {LibVmState, VmLayout, VmModelHeader, VmState} from "./LibVmState.sol";

/// @notice One instruction of the trace VM (TypeScript twin: src/opml/executeInstruction.ts).
/// Its program leaf is keccak256(abi.encode(instruction)).
struct Instruction {
    uint256 op;
    uint256 flags;
    uint256 dst;
    uint256 a;
    uint256 b;
    int256 imm;
}

/// @notice A memory word and its Merkle siblings (levels 0 .. memoryDepth-1) in the pre-state.
struct MemoryProof {
    int256 value;
    bytes32[] siblings;
}

/// @notice The stateless one-step verifier of the opML trace VM. `proof` is
/// abi.encode(VmModelHeader header, VmState pre, Instruction instruction,
///            bytes32[] instructionSiblings, MemoryProof readA, MemoryProof readB, MemoryProof write)
/// (slots an instruction does not use carry an empty sibling list). Semantics (s = scaleBits,
/// range = [-2^(v-1), 2^(v-1) - 1]):
///   MAC     acc += A·(IMM ? imm : B)
///   ACC     acc += A
///   MAX     m = FIRST ? A : MIN ? min(acc, A) : max(acc, A); STORE ? (mem[dst] = m, acc = 0) : acc = m
///   RESCALE t = acc + imm + (BIAS ? A : 0); mem[dst] = range((t + 2^(s-1)) >> s); acc = 0
///   AVG     mem[dst] = range(floor((acc + floor(imm/2)) / imm)), imm > 0; acc = 0
///   SCALE   mem[dst] = range((A·imm + 2^(s-1)) >> s)
///   ADD     mem[dst] = range(A + (IMM ? imm : B))
///   RELU    mem[dst] = max(A, 0)
///   COPY    mem[dst] = A
///   LUT     mem[dst] = range(T(acc)); acc = 0 — one smooth-function evaluation (sigmoid, tanh,
///           softmax's exp): imm packs lowest·2^16 + M·2^8 + t (1 <= t <= 64, 1 <= M <= 255, else
///           it traps); x = acc clamped to [lowest, lowest + M·2^t - 1], u = x - lowest,
///           seg = u >> t, r = u - seg·2^t; the table word W = mem[b + seg] (the readB slot, at an
///           address that depends on acc) packs knot y = W >> 32 and slope d = W - y·2^32;
///           T(acc) = y + ((d·r + 2^(t-1)) >> t)
///   DIV     mem[dst] = range(floor((A·2^(s+1) + acc) / (2·acc))), acc > 0 (else it traps); acc kept
/// where A = mem[a], B = mem[b] in the pre-state and >> is the arithmetic (flooring) shift.
/// Constant operands (weights, biases, constant addends) are immediates, proven by the program
/// proof, so a MAC with a weight touches one memory word and memory holds only activations.
///
/// Traps. The VM is total: every correctly-encoded pre-state has exactly one provable post-state.
/// A step whose result leaves the value range, whose arithmetic overflows int256, or whose
/// instruction is undefined (unknown op or flag, AVG count ≤ 0, an address outside memory, no
/// instruction at pc, a header with scaleBits ∉ [1, 254] or valueBits ∉ [1, 255]) does not revert:
/// it traps, and its post-state is the trapped state (pc + 1, acc 0, memRoot LibVmState.TRAPPED).
/// From a trapped state every step is a no-op that only counts pc, so a trapped run ends in
/// (totalSteps, 0, TRAPPED), whose result is the error result (the empty output, verifyOutput).
/// The only reverts left reject a wrong proof (ModelMismatch, StateMismatch, InstructionMismatch,
/// MemoryMismatch, ProofLengthMismatch, ABI decoding): for every correctly-encoded state a proof
/// that passes them exists — and fits in a transaction, as a registered model's trees are at most
/// MAX_DEPTH deep (scheduleOf) — and `pc + 1` cannot overflow (games step pc < totalSteps < 2^48).
contract OneStepVerifier is IStepper {
    uint256 internal constant OP_MAC = 0;
    uint256 internal constant OP_ACC = 1;
    uint256 internal constant OP_MAX = 2;
    uint256 internal constant OP_RESCALE = 3;
    uint256 internal constant OP_AVG = 4;
    uint256 internal constant OP_SCALE = 5;
    uint256 internal constant OP_ADD = 6;
    uint256 internal constant OP_RELU = 7;
    uint256 internal constant OP_COPY = 8;
    uint256 internal constant OP_LUT = 9;
    uint256 internal constant OP_DIV = 10;
    /// LUT: the table word is knot·2^32 + slope.
    uint256 internal constant LUT_SLOPE_BITS = 32;

    /// MAX: take A instead of max(acc, A).
    uint256 internal constant FLAG_FIRST = 1;
    /// MAX: write the maximum to mem[dst] and clear acc.
    uint256 internal constant FLAG_STORE = 2;
    /// RESCALE: add mem[a] (a bias at scale 2s held in memory) before rescaling.
    uint256 internal constant FLAG_BIAS = 4;
    /// MAC, ADD: the second operand is the immediate instead of mem[b].
    uint256 internal constant FLAG_IMM = 8;
    /// MAX: the minimum instead of the maximum (the upper bound of a clip).
    uint256 internal constant FLAG_MIN = 16;

    /// @notice The header does not hash to the model root.
    error ModelMismatch();
    /// @notice The state preimage does not hash to the pre-state.
    error StateMismatch();
    /// @notice The instruction is not the program's instruction at pc.
    error InstructionMismatch();
    /// @notice A memory proof does not match the pre-state's memory root.
    error MemoryMismatch();
    /// @notice A Merkle proof has the wrong number of siblings.
    error ProofLengthMismatch();
    /// The deepest program or memory tree a registered model may have (2^64 instructions or words).
    uint256 internal constant MAX_DEPTH = 64;

    /// @notice The layout's schedule (layer starts, steps) or shape cannot be registered.
    error BadSchedule();

    /// @inheritdoc IStepper
    function step(bytes32 modelRoot, bytes32 preState, bytes calldata proof)
        external
        pure
        override
        returns (bytes32 postState)
    {
        Step memory s;
        bytes32[] memory instructionSiblings;
        (s.header, s.state, s.instruction, instructionSiblings, s.readA, s.readB, s.write) =
            abi.decode(proof, (VmModelHeader, VmState, Instruction, bytes32[], MemoryProof, MemoryProof, MemoryProof));
        // INVARIANT: the header is the registered model's.
        if (LibVmState.modelRoot(s.header) != modelRoot) revert ModelMismatch();
        // INVARIANT: the preimage is the pre-state's.
        if (LibVmState.hashState(s.state) != preState) revert StateMismatch();
        // A trapped state stays trapped: the step only counts pc (no instruction, no memory).
        if (s.state.memRoot == LibVmState.TRAPPED) return LibVmState.trappedState(s.state.pc + 1);
        // INVARIANT: the instruction is the program's instruction number pc...
        if (instructionSiblings.length != s.header.programDepth) revert ProofLengthMismatch();
        if (s.state.pc >> s.header.programDepth != 0) {
            // ...or pc is past the program tree: no instruction, the step traps.
            s.trapped = true;
        } else if (
            LibVmState.rootFromPath(keccak256(abi.encode(s.instruction)), s.state.pc, instructionSiblings)
                != s.header.programRoot
        ) {
            // ...or its leaf is the padding leaf bytes32(0) (no instruction hashes to zero): traps.
            if (LibVmState.rootFromPath(bytes32(0), s.state.pc, instructionSiblings) != s.header.programRoot) {
                revert InstructionMismatch();
            }
            s.trapped = true;
        }

        if (!s.trapped) _execute(s);
        if (s.trapped) return LibVmState.trappedState(s.state.pc + 1);
        s.state.pc += 1;
        return LibVmState.hashState(s.state);
    }

    /// @notice The step count and layer starts that the model `modelRoot` commits to (its layout's
    /// totalSteps and layerBoundaries), after checking that `encodedLayout` is the model's and that
    /// its schedule and shape can be played: layers start at 0, strictly increase and end before
    /// totalSteps; the output has at least one value (so the empty output means only "error").
    function scheduleOf(bytes32 modelRoot, bytes calldata encodedLayout)
        external
        pure
        returns (uint256 totalSteps, uint256[] memory layerStarts)
    {
        VmLayout memory vmLayout = abi.decode(encodedLayout, (VmLayout));
        // INVARIANT: the layout is the registered model's.
        if (LibVmState.modelRoot(vmLayout) != modelRoot) revert ModelMismatch();
        layerStarts = vmLayout.layerBoundaries;
        totalSteps = vmLayout.totalSteps;
        // INVARIANT: layers start at step 0, strictly increase, and the last one has a step.
        if (layerStarts.length == 0 || layerStarts[0] != 0 || totalSteps <= layerStarts[layerStarts.length - 1]) {
            revert BadSchedule();
        }
        for (uint256 i = 1; i < layerStarts.length; i++) {
            if (layerStarts[i] <= layerStarts[i - 1]) revert BadSchedule();
        }
        // INVARIANT: a real output is never empty, so the empty output is only the error result.
        if (vmLayout.outputLength == 0) revert BadSchedule();
        // INVARIANT: every step's proof fits in a transaction (one sibling per level), so no
        // registered model has a step that cannot be proven for want of calldata.
        if (vmLayout.programDepth > MAX_DEPTH || vmLayout.memoryDepth > MAX_DEPTH) revert BadSchedule();
    }

    /// @notice The initial state commitment for `input` and the root of its input subtree (see
    /// LibVmState.initialState), with the signature of IOpmlMachine: `layout` is abi.encode(VmLayout).
    function initialState(bytes32 modelRoot, bytes calldata encodedLayout, int256[] calldata input)
        external
        pure
        returns (bytes32 state, bytes32 inputRoot)
    {
        return LibVmState.initialState(modelRoot, abi.decode(encodedLayout, (VmLayout)), input);
    }

    /// @notice Reverts unless `output` is the output region of `finalState`'s memory, or the
    /// error result (empty) of the trapped final state (see LibVmState.verifyOutput); `proof` is abi.encode(VmState finalPreimage, bytes32[] outputSiblings).
    function verifyOutput(
        bytes32 modelRoot,
        bytes calldata encodedLayout,
        bytes32 finalState,
        int256[] calldata output,
        bytes calldata proof
    ) external pure {
        LibVmState.verifyOutput(modelRoot, abi.decode(encodedLayout, (VmLayout)), finalState, output, proof);
    }

    /// Everything one step works on, in memory (one stack slot).
    struct Step {
        VmModelHeader header;
        VmState state;
        Instruction instruction;
        MemoryProof readA;
        MemoryProof readB;
        MemoryProof write;
        /// The step trapped: its post-state is the trapped state, whatever else was computed.
        bool trapped;
    }

    /// Applies the instruction to the state in place (acc, memRoot), or sets s.trapped. Once
    /// trapped, reads return 0 unchecked and writes are skipped: the outcome is fixed, and every
    /// value that decided it had been proven before the trap.
    function _execute(Step memory s) internal pure {
        uint256 op = s.instruction.op;
        uint256 flags = s.instruction.flags;
        // INVARIANT: an instruction carries only the flags of its op (else it traps).
        uint256 allowed = op == OP_MAX
            ? FLAG_FIRST | FLAG_STORE | FLAG_MIN
            : op == OP_RESCALE ? FLAG_BIAS : op == OP_MAC || op == OP_ADD ? FLAG_IMM : 0;
        if (flags & ~allowed != 0) {
            s.trapped = true;
            return;
        }
        if (op == OP_MAC) {
            int256 factor = flags & FLAG_IMM != 0 ? s.instruction.imm : _read(s, s.readB, s.instruction.b);
            s.state.acc = _add(s, s.state.acc, _mul(s, _read(s, s.readA, s.instruction.a), factor));
        } else if (op == OP_ACC) {
            s.state.acc = _add(s, s.state.acc, _read(s, s.readA, s.instruction.a));
        } else if (op == OP_MAX) {
            int256 value = _read(s, s.readA, s.instruction.a);
            int256 acc = s.state.acc;
            // FIRST takes A; otherwise the larger (MIN: the smaller) of acc and A.
            int256 maximum = flags & FLAG_FIRST != 0 || (flags & FLAG_MIN == 0 ? value > acc : value < acc) ? value : acc;
            if (flags & FLAG_STORE != 0) {
                _write(s, maximum);
                s.state.acc = 0;
            } else {
                s.state.acc = maximum;
            }
        } else if (op == OP_RESCALE) {
            int256 total = _add(s, s.state.acc, s.instruction.imm);
            if (flags & FLAG_BIAS != 0) total = _add(s, total, _read(s, s.readA, s.instruction.a));
            _write(s, _range(s, _rescale(s, total)));
            s.state.acc = 0;
        } else if (op == OP_AVG) {
            int256 count = s.instruction.imm;
            // INVARIANT: the divisor (window count) is positive (else it traps).
            if (count <= 0) {
                s.trapped = true;
                return;
            }
            int256 numerator = _add(s, s.state.acc, count / 2);
            // count > 0: neither / nor % can overflow.
            int256 quotient = numerator / count;
            // Solidity's / truncates toward zero; floor it (quotient > int256.min here: count ≥ 1
            // and a negative remainder means |numerator| < |int256.min|).
            if (numerator % count != 0 && numerator < 0) quotient -= 1;
            _write(s, _range(s, quotient));
            s.state.acc = 0;
        } else if (op == OP_SCALE) {
            _write(s, _range(s, _rescale(s, _mul(s, _read(s, s.readA, s.instruction.a), s.instruction.imm))));
        } else if (op == OP_ADD) {
            int256 addend = flags & FLAG_IMM != 0 ? s.instruction.imm : _read(s, s.readB, s.instruction.b);
            _write(s, _range(s, _add(s, _read(s, s.readA, s.instruction.a), addend)));
        } else if (op == OP_RELU) {
            int256 value = _read(s, s.readA, s.instruction.a);
            _write(s, value > 0 ? value : int256(0));
        } else if (op == OP_COPY) {
            _write(s, _read(s, s.readA, s.instruction.a));
        } else if (op == OP_LUT) {
            _lut(s);
        } else if (op == OP_DIV) {
            _div(s);
        } else {
            // An opcode the VM does not define traps.
            s.trapped = true;
        }
    }

    /// LUT (see the header): every intermediate is bounded (|lowest| < 2^239, M·2^t < 2^72, the
    /// knot < 2^223 in magnitude, d·r < 2^96), so no operation here can overflow.
    function _lut(Step memory s) internal pure {
        (bool defined, uint256 t, uint256 seg, int256 r) = _lutSegment(s.instruction.imm, s.state.acc);
        // INVARIANT: the table's parameters and address are defined (else it traps).
        if (!defined || s.instruction.b >> 64 != 0) {
            s.trapped = true;
            return;
        }
        int256 word = _read(s, s.readB, s.instruction.b + seg);
        int256 knot = word >> LUT_SLOPE_BITS;
        int256 slope = word - (knot << LUT_SLOPE_BITS);
        _write(s, _range(s, knot + ((slope * r + int256(uint256(1) << (t - 1))) >> t)));
        s.state.acc = 0;
    }

    /// LUT's segment of acc: the clamp, seg = u >> t and r = u - seg·2^t; `defined` is false
    /// unless 1 <= t <= 64 and 1 <= M <= 255.
    function _lutSegment(int256 imm, int256 acc)
        internal
        pure
        returns (bool defined, uint256 t, uint256 seg, int256 r)
    {
        t = uint256(imm) & 0xff;
        uint256 segments = uint256(imm >> 8) & 0xff;
        if (t == 0 || t > 64 || segments == 0) return (false, 0, 0, 0);
        int256 lowest = imm >> 16;
        int256 highest = lowest + int256(segments << t) - 1;
        uint256 u = uint256((acc < lowest ? lowest : acc > highest ? highest : acc) - lowest);
        seg = u >> t;
        r = int256(u - (seg << t));
        defined = true;
    }

    /// DIV (see the header): floor((A·2^(s+1) + acc) / (2·acc)), acc > 0.
    function _div(Step memory s) internal pure {
        int256 divisorHalf = s.state.acc;
        uint256 shift = s.header.scaleBits;
        // INVARIANT: the divisor is positive and the scale defined (else it traps).
        if (divisorHalf <= 0 || shift == 0 || shift >= 255) {
            s.trapped = true;
            return;
        }
        int256 scaled = _mul(s, _mul(s, _read(s, s.readA, s.instruction.a), int256(uint256(1) << shift)), 2);
        int256 numerator = _add(s, scaled, divisorHalf);
        int256 divisor = _mul(s, divisorHalf, 2);
        if (s.trapped) return;
        // divisor > 0: neither / nor % can overflow; floor the truncated quotient.
        int256 quotient = numerator / divisor;
        if (numerator % divisor != 0 && numerator < 0) quotient -= 1;
        _write(s, _range(s, quotient));
    }

    /// a + b, trapping where int256 overflows (checked arithmetic would revert).
    function _add(Step memory s, int256 a, int256 b) internal pure returns (int256 c) {
        unchecked {
            c = a + b;
        }
        if ((b >= 0) != (c >= a)) s.trapped = true;
    }

    /// a · b, trapping where int256 overflows.
    function _mul(Step memory s, int256 a, int256 b) internal pure returns (int256 c) {
        if (a == 0) return 0;
        unchecked {
            c = a * b;
            // int256.min / -1 wraps in unchecked code, so that one case is tested on its own.
            if ((a == -1 && b == type(int256).min) || c / a != b) s.trapped = true;
        }
    }

    /// (t + 2^(s-1)) >> s, the arithmetic shift flooring negative numbers; traps unless 1 <= s < 255.
    function _rescale(Step memory s, int256 total) internal pure returns (int256) {
        uint256 shift = s.header.scaleBits;
        if (shift == 0 || shift >= 255) {
            s.trapped = true;
            return 0;
        }
        return _add(s, total, int256(uint256(1) << (shift - 1))) >> shift;
    }

    /// value, trapping unless value ∈ [-2^(v-1), 2^(v-1) - 1] (and 1 <= v <= 255).
    function _range(Step memory s, int256 value) internal pure returns (int256) {
        uint256 bits = s.header.valueBits;
        if (bits == 0 || bits > 255) {
            s.trapped = true;
            return 0;
        }
        int256 high = int256(uint256(1) << (bits - 1));
        // INVARIANT: the result lies in the fixed-point value range (else the step traps).
        if (value >= high || value < -high) s.trapped = true;
        return value;
    }

    /// The value of word `addr`, checked against the pre-state memory root; an address outside
    /// memory traps. After a trap it returns 0 unchecked.
    function _read(Step memory s, MemoryProof memory proof, uint256 addr) internal pure returns (int256) {
        if (s.trapped) return 0;
        if (addr >> s.header.memoryDepth != 0) {
            s.trapped = true;
            return 0;
        }
        // INVARIANT: the proof has one sibling per level.
        if (proof.siblings.length != s.header.memoryDepth) revert ProofLengthMismatch();
        // INVARIANT: the word is in the pre-state's memory.
        if (LibVmState.rootFromPath(LibVmState.hashLeaf(proof.value), addr, proof.siblings) != s.state.memRoot) {
            revert MemoryMismatch();
        }
        return proof.value;
    }

    /// Writes `value` to word dst: the write proof's old word and siblings are checked against the
    /// pre-state root, so the same siblings give the new root.
    function _write(Step memory s, int256 value) internal pure {
        _read(s, s.write, s.instruction.dst);
        if (s.trapped) return;
        s.state.memRoot = LibVmState.rootFromPath(LibVmState.hashLeaf(value), s.instruction.dst, s.write.siblings);
    }
}
