pragma circom 2.1.0;
// ScalarMul: out = rescale(in * factor), factor a constant integer at scale s (Gemm alpha).
// Parameters: factor (integer, |factor| < 2^(s+v)), scaleBits s, valueBits v.
// Assumed input range: in in the signed v-bit range.
// Constraints: exactly s + v non-linear (the Rescale; the product by a constant is linear).
include "Rescale.circom";

template ScalarMul(factor, scaleBits, valueBits) {
    signal input in;
    signal output out;
    component rescale = Rescale(scaleBits, valueBits);
    rescale.in <== in * factor;
    out <== rescale.out;
}
