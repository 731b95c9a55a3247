pragma circom 2.1.0;
// RangeCheck: proves -2^(v-1) <= in < 2^(v-1) (the activation range of docs/fixed-point.md).
// Parameters: valueBits v, 2 <= v <= 250. Assumed input: any field element.
// Constraints: exactly v non-linear (the bits of in + 2^(v-1)).
// Outputs the bits so that a following sign test can reuse them (bit v-1 is 1 iff in >= 0).
include "bitify.circom";

template RangeCheck(valueBits) {
    assert(valueBits >= 2);
    assert(valueBits <= 250);
    signal input in;
    signal output bits[valueBits];
    component decompose = Num2Bits(valueBits);
    decompose.in <== in + (1 << (valueBits - 1));
    bits <== decompose.out;
}
