pragma circom 2.1.0;
// MaxPool: ONNX MaxPool (2-D) on one image: out = max over the window elements inside the
// unpadded input (padding never wins), docs/fixed-point.md.
//   Max2(v): out = max(a, b) = b + ge * (a - b), ge = [a >= b] proven by the v+1 bits of
//            a - b + 2^v. Constraints: v + 2.
//   MaxPool(C,H,W,KH,KW,OH,OW,pads,strides,dilations,v): a chain of Max2 per window.
// Parameters: OH, OW as ONNX (floor or ceil mode, computed by the generator); every window must
//   hold at least one in-bounds element.
// Assumed input range: in in the signed v-bit range (inputs come from range-checked layers).
// Constraints (--O2): (v + 2) * (in-bounds elements - 1) per output.
include "bitify.circom";

template Max2(valueBits) {
    assert(valueBits >= 2 && valueBits <= 249);
    signal input a;
    signal input b;
    signal output out;
    component difference = Num2Bits(valueBits + 1);
    difference.in <== a - b + (1 << valueBits);
    signal chosen;
    chosen <== difference.out[valueBits] * (a - b);
    out <== b + chosen;
}

function poolInBounds(position, size) {
    return position >= 0 && position < size;
}

template MaxPool(C, H, W, KH, KW, OH, OW, pads, strides, dilations, valueBits) {
    assert(C >= 1 && H >= 1 && W >= 1 && KH >= 1 && KW >= 1 && OH >= 1 && OW >= 1);
    signal input in[C][H][W];
    signal output out[C][OH][OW];
    component max[C][OH][OW][KH * KW];
    signal running[C][OH][OW][KH * KW];
    for (var c = 0; c < C; c++) for (var y = 0; y < OH; y++) for (var x = 0; x < OW; x++) {
        var count = 0;
        for (var ky = 0; ky < KH; ky++) for (var kx = 0; kx < KW; kx++) {
            var iy = y * strides[0] + ky * dilations[0] - pads[0];
            var ix = x * strides[1] + kx * dilations[1] - pads[1];
            if (poolInBounds(iy, H) && poolInBounds(ix, W)) {
                if (count == 0) {
                    running[c][y][x][0] <== in[c][iy][ix];
                } else {
                    max[c][y][x][count] = Max2(valueBits);
                    max[c][y][x][count].a <== in[c][iy][ix];
                    max[c][y][x][count].b <== running[c][y][x][count - 1];
                    running[c][y][x][count] <== max[c][y][x][count].out;
                }
                count++;
            }
        }
        assert(count >= 1);
        out[c][y][x] <== running[c][y][x][count - 1];
        for (var rest = count; rest < KH * KW; rest++) running[c][y][x][rest] <== 0;
    }
}
