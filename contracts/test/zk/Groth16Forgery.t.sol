// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../lib/Test.sol";
import {InferenceRegistry} from "../../src/zk/InferenceRegistry.sol";
import {
    Groth16VerifierWithContribution,
    Groth16VerifierWithoutContribution,
    TinyGroth16Key
} from "./Groth16ForgeryFixture.sol";

/// @notice The Groth16 forgery from the verification key, played in Solidity against snarkjs's real
///         verifiers of the on-chain test circuit (y = w·x² + 3, signals [y, x]): A = α, B = β,
///         C = −(IC₀ + y·IC₁ + x·IC₂), built from the verifier's public constants with the ecAdd /
///         ecMul precompiles. It verifies for a key without a phase-2 contribution (γ = δ) and is
///         rejected once δ had a contribution (src/zk/setupCircuit.ts does one for every key).
contract Groth16ForgeryTest is Test {
    /// @dev BN254 base field.
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// @dev The circuit computes y = 178 for x = 5 (w = 7); the forger claims 999.
    uint256 internal constant CLAIMED_OUTPUT = 999;
    uint256 internal constant INPUT = 5;

    function _ecAdd(uint256[2] memory a, uint256[2] memory b) internal view returns (uint256[2] memory r) {
        (bool ok, bytes memory out) = address(0x06).staticcall(abi.encode(a[0], a[1], b[0], b[1]));
        require(ok, "ecAdd");
        r = abi.decode(out, (uint256[2]));
    }

    function _ecMul(uint256[2] memory a, uint256 s) internal view returns (uint256[2] memory r) {
        (bool ok, bytes memory out) = address(0x07).staticcall(abi.encode(a[0], a[1], s));
        require(ok, "ecMul");
        r = abi.decode(out, (uint256[2]));
    }

    /// @dev The forged proof for (output, input), from the verification key only.
    function _forge(uint256 output, uint256 input)
        internal
        view
        returns (uint256[2] memory pA, uint256[2][2] memory pB, uint256[2] memory pC)
    {
        uint256[2] memory x = [TinyGroth16Key.IC0_X, TinyGroth16Key.IC0_Y];
        x = _ecAdd(x, _ecMul([TinyGroth16Key.IC1_X, TinyGroth16Key.IC1_Y], output));
        x = _ecAdd(x, _ecMul([TinyGroth16Key.IC2_X, TinyGroth16Key.IC2_Y], input));
        pA = [TinyGroth16Key.ALPHA_X, TinyGroth16Key.ALPHA_Y];
        pB = [[TinyGroth16Key.BETA_X1, TinyGroth16Key.BETA_X2], [TinyGroth16Key.BETA_Y1, TinyGroth16Key.BETA_Y2]];
        pC = [x[0], (Q - x[1]) % Q];
    }

    function test_verifyProof_forgedWithoutContribution_succeeds() public {
        Groth16VerifierWithoutContribution verifier = new Groth16VerifierWithoutContribution();
        (uint256[2] memory pA, uint256[2][2] memory pB, uint256[2] memory pC) = _forge(CLAIMED_OUTPUT, INPUT);
        assertTrue(verifier.verifyProof(pA, pB, pC, [CLAIMED_OUTPUT, INPUT]), "gamma == delta: the forgery verifies");
    }

    function test_verifyProof_forgedWithContributionIsFalse_succeeds() public {
        Groth16VerifierWithContribution verifier = new Groth16VerifierWithContribution();
        (uint256[2] memory pA, uint256[2][2] memory pB, uint256[2] memory pC) = _forge(CLAIMED_OUTPUT, INPUT);
        assertFalse(verifier.verifyProof(pA, pB, pC, [CLAIMED_OUTPUT, INPUT]), "a contributed delta stops the forgery");
    }

    function test_submitInference_forgedWithContribution_reverts() public {
        Groth16VerifierWithContribution verifier = new Groth16VerifierWithContribution();
        InferenceRegistry registry = new InferenceRegistry(
            address(verifier), Groth16VerifierWithContribution.verifyProof.selector, 8, 2, bytes32(0), type(uint256).max, 1, 1, 2 ** 15
        );
        (uint256[2] memory pA, uint256[2][2] memory pB, uint256[2] memory pC) = _forge(CLAIMED_OUTPUT, INPUT);
        uint256[] memory proof = new uint256[](8);
        (proof[0], proof[1], proof[2], proof[3]) = (pA[0], pA[1], pB[0][0], pB[0][1]);
        (proof[4], proof[5], proof[6], proof[7]) = (pB[1][0], pB[1][1], pC[0], pC[1]);
        uint256[] memory signals = new uint256[](2);
        (signals[0], signals[1]) = (CLAIMED_OUTPUT, INPUT);
        vm.expectRevert(InferenceRegistry.InvalidProof.selector);
        registry.submitInference(proof, signals);
    }
}
