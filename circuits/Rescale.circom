pragma circom 2.1.0;
// Rescale: the fixed-point rescale of docs/fixed-point.md, proven soundly.
//   out = floor((in + 2^(s-1)) / 2^s)   (round to nearest, ties toward +inf)
// Parameters: scaleBits s >= 1, valueBits v, s + v <= 250 (so that nothing wraps in BN254).
// Assumed input range: |in| < 2^(s+v-1) + ... (any field element; an `in` whose quotient leaves
//   the signed v-bit range has no valid witness, which is the range check after the layer).
// Constraints: exactly s + v non-linear (bits of r and of q + 2^(v-1)); the two sums and
//   `in + 2^(s-1) === q * 2^s + r` are linear and vanish under --O2.
// Soundness: r is decomposed into s bits (0 <= r < 2^s) and q + 2^(v-1) into v bits, so the
//   pair (q, r) is unique; circomlib-ml only `assert`s r < 2^s at witness time.
include "bitify.circom";

template Rescale(scaleBits, valueBits) {
    assert(scaleBits >= 1);
    assert(valueBits >= 2);
    assert(scaleBits + valueBits <= 250);
    signal input in;
    signal output out;
    // Hint: shift into [0, 2^(s+v)) so that integer division works on the field representative.
    var shifted = in + (1 << (scaleBits - 1)) + (1 << (scaleBits + valueBits - 1));
    signal remainder;
    signal quotient;
    remainder <-- shifted % (1 << scaleBits);
    quotient <-- (shifted \ (1 << scaleBits)) - (1 << (valueBits - 1));
    // Pins: remainder in [0, 2^s), quotient in [-2^(v-1), 2^(v-1)), and the division identity.
    component remainderBits = Num2Bits(scaleBits);
    remainderBits.in <== remainder;
    component quotientBits = Num2Bits(valueBits);
    quotientBits.in <== quotient + (1 << (valueBits - 1));
    in + (1 << (scaleBits - 1)) === quotient * (1 << scaleBits) + remainder;
    out <== quotient;
}
