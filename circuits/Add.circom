pragma circom 2.1.0;
// Add: out = a + b (both at scale s), followed by the activation range check.
// Parameters: valueBits v. Assumed input range: a, b in the signed v-bit range (any field
//   elements work; only sums inside the range have a witness).
// Constraints: exactly v non-linear (the range check of out).
include "RangeCheck.circom";

template Add(valueBits) {
    signal input a;
    signal input b;
    signal output out;
    out <== a + b;
    component range = RangeCheck(valueBits);
    range.in <== out;
}
