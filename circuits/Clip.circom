pragma circom 2.1.0;
// Clip: out = min(max(in, low), high) (ONNX Clip, ReLU6), low <= high integers at scale s.
// Parameters: low, high in the signed v-bit range, valueBits v (2 <= v <= 249).
// Assumed input range: in in the signed v-bit range. Only an `in` with |in - low| < 2^v and
//   |in - high| < 2^v has a witness (the decompositions below), which every such input meets.
// Constraints: exactly 2(v + 1) + 2 non-linear: the v + 1 bits of in - low + 2^v (bit v is 1 iff
//   in >= low) and of in - high - 1 + 2^v (bit v is 1 iff in > high), both pinned by Num2Bits,
//   and two selections: t = low + geLow * (in - low), out = t + gtHigh * (high - t).
include "bitify.circom";

template Clip(low, high, valueBits) {
    assert(valueBits >= 2 && valueBits <= 249);
    assert(low <= high);
    signal input in;
    signal output out;
    component lowBits = Num2Bits(valueBits + 1);
    lowBits.in <== in - low + (1 << valueBits);
    component highBits = Num2Bits(valueBits + 1);
    highBits.in <== in - high - 1 + (1 << valueBits);
    signal atLeastLow;
    atLeastLow <== low + lowBits.out[valueBits] * (in - low);
    out <== atLeastLow + highBits.out[valueBits] * (high - atLeastLow);
}
