pragma circom 2.1.0;
// AvgPool: ONNX AveragePool (2-D) on one image, docs/fixed-point.md:
//   S = sum of the window elements inside the unpadded input, c = their count (or, with
//   count_include_pad, the window positions inside the padded input),
//   out = floor((S + floor(c/2)) / c), then the activation range check.
//   RoundDiv(c, v): quotient and remainder are hints; S + floor(c/2) = q*c + r with
//     0 <= r < c proven by the bits of r and of r + 2^b - c (b = bits of c - 1), and
//     q + 2^(v-1) proven to v bits. Constraints: v + 2b (v when c = 1).
//   AvgPool(C,H,W,KH,KW,OH,OW,pads,strides,dilations,countIncludePad,v).
// Assumed input range: in in the signed v-bit range.
include "bitify.circom";
include "RangeCheck.circom";

function bitsOf(value) {
    var bits = 0;
    while ((1 << bits) <= value) bits++;
    return bits;
}

template RoundDiv(divisor, valueBits) {
    assert(divisor >= 1);
    assert(valueBits >= 2 && valueBits <= 200);
    signal input in;
    signal output out;
    if (divisor == 1) {
        component range = RangeCheck(valueBits);
        range.in <== in;
        out <== in;
    } else {
        var remainderBitCount = bitsOf(divisor - 1);
        var shifted = in + divisor \ 2 + divisor * (1 << (valueBits - 1));
        signal quotient;
        signal remainder;
        quotient <-- shifted \ divisor - (1 << (valueBits - 1));
        remainder <-- shifted % divisor;
        component remainderBits = Num2Bits(remainderBitCount);
        remainderBits.in <== remainder;
        component belowDivisor = Num2Bits(remainderBitCount);
        belowDivisor.in <== remainder + (1 << remainderBitCount) - divisor;
        component quotientRange = RangeCheck(valueBits);
        quotientRange.in <== quotient;
        in + divisor \ 2 === quotient * divisor + remainder;
        out <== quotient;
    }
}

function poolInBoundsAvg(position, size) {
    return position >= 0 && position < size;
}

template AvgPool(C, H, W, KH, KW, OH, OW, pads, strides, dilations, countIncludePad, valueBits) {
    assert(C >= 1 && H >= 1 && W >= 1 && KH >= 1 && KW >= 1 && OH >= 1 && OW >= 1);
    signal input in[C][H][W];
    signal output out[C][OH][OW];
    component divide[C][OH][OW];
    for (var c = 0; c < C; c++) for (var y = 0; y < OH; y++) for (var x = 0; x < OW; x++) {
        var sum = 0;
        var count = 0;
        var paddedCount = 0;
        for (var ky = 0; ky < KH; ky++) for (var kx = 0; kx < KW; kx++) {
            var iy = y * strides[0] + ky * dilations[0] - pads[0];
            var ix = x * strides[1] + kx * dilations[1] - pads[1];
            if (poolInBoundsAvg(iy, H) && poolInBoundsAvg(ix, W)) {
                sum += in[c][iy][ix];
                count++;
            }
            if (iy >= -pads[0] && iy < H + pads[2] && ix >= -pads[1] && ix < W + pads[3]) paddedCount++;
        }
        assert(count >= 1);
        divide[c][y][x] = RoundDiv(countIncludePad == 1 ? paddedCount : count, valueBits);
        divide[c][y][x].in <== sum;
        out[c][y][x] <== divide[c][y][x].out;
    }
}
