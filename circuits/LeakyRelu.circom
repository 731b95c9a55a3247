pragma circom 2.1.0;
// LeakyRelu: out = in >= 0 ? in : rescale(in * alpha), alpha an integer at scale s with
//   0 <= alpha <= 2^s (so rescale(in * alpha) lies in [in, 0] and never leaves the range).
// Parameters: alpha, scaleBits s, valueBits v (s + v <= 250).
// Assumed input range: in in the signed v-bit range; an input outside it has no witness (the
//   range decomposition below).
// Constraints: exactly v + (s + v) + 1 non-linear: the v bits of in + 2^(v-1) (bit v-1 is the
//   sign, 1 iff in >= 0), the Rescale of in * alpha, and the selection out = r + sign * (in - r).
include "RangeCheck.circom";
include "Rescale.circom";

template LeakyRelu(alpha, scaleBits, valueBits) {
    assert(alpha >= 0 && alpha <= (1 << scaleBits));
    signal input in;
    signal output out;
    component range = RangeCheck(valueBits);
    range.in <== in;
    component scaled = Rescale(scaleBits, valueBits);
    scaled.in <== in * alpha;
    out <== scaled.out + range.bits[valueBits - 1] * (in - scaled.out);
}
