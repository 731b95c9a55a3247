pragma circom 2.1.0;
// Relu (bounded): out = max(in, 0) for an activation in the signed valueBits range.
// Parameters: valueBits v, 2 <= v <= 250.
// Assumed input range: -2^(v-1) <= in < 2^(v-1); an input outside it has no valid witness
//   (the range decomposition below fails), so this template also range-checks its input.
// Constraints: exactly v + 1 non-linear: v bits of in + 2^(v-1) (bit v-1 is the sign: 1 iff
//   in >= 0, pinned by the decomposition) and one multiplication out = in * bit.
include "RangeCheck.circom";

template Relu(valueBits) {
    signal input in;
    signal output out;
    component range = RangeCheck(valueBits);
    range.in <== in;
    out <== in * range.bits[valueBits - 1];
}
