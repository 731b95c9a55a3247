pragma circom 2.1.0;
// ReluFull: the circomlib-ml ReLU, kept verbatim in structure to reproduce the ZKML benchmark:
//   IsPositive = 1 - Sign(Num2Bits(254)(in)), out = in * IsPositive.
// Parameters: none. Assumed input: any field element (the sign is "in > (p-1)/2").
// Constraints: exactly 517 non-linear (254 bits + 262 in CompConstant + 1 multiplication).
// Known weakness (kept on purpose, see README): Num2Bits(254) is not alias-checked, so for
//   0 <= in < 2^254 - p the prover may decompose in + p instead of in; Sign then reads it as
//   negative and the output 0 is accepted for a positive input. Use Relu (bounded) for proofs.
include "bitify.circom";
include "sign.circom";

template ReluFull() {
    signal input in;
    signal output out;
    component bits = Num2Bits(254);
    bits.in <== in;
    component sign = Sign();
    for (var i = 0; i < 254; i++) sign.in[i] <== bits.out[i];
    signal isPositive;
    isPositive <== 1 - sign.sign;
    out <== in * isPositive;
}
