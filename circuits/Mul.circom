pragma circom 2.1.0;
// Mul: out = rescale(a * b + bias), the elementwise fixed-point product of docs/fixed-point.md
// (ONNX Mul of two activations, Mul/Div by a constant tensor, BatchNormalization not folded).
//   Mul(s, v)                   a, b and bias are signals (an activation times an activation, or
//                               weights public, private or hashed): one product.
//   MulConst(factor, bias, s, v) b = factor and bias are compiled in: the product is linear.
// Parameters: scaleBits s, valueBits v (s + v <= 250); bias an integer at scale 2s.
// Assumed input range: a (and b when an activation) in the signed v-bit range; the quantizer's
//   bound analysis keeps |a * b + bias| far below 2^250.
// Constraints (--O2): Mul: 1 + s + v; MulConst: s + v (the Rescale, whose quotient bits are the
//   range check of out).
include "Rescale.circom";

template Mul(scaleBits, valueBits) {
    signal input a;
    signal input b;
    signal input bias;
    signal output out;
    signal product;
    product <== a * b;
    component rescale = Rescale(scaleBits, valueBits);
    rescale.in <== product + bias;
    out <== rescale.out;
}

template MulConst(factor, bias, scaleBits, valueBits) {
    signal input a;
    signal output out;
    component rescale = Rescale(scaleBits, valueBits);
    rescale.in <== a * factor + bias;
    out <== rescale.out;
}
