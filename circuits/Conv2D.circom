pragma circom 2.1.0;
// Conv2D: ONNX Conv (2-D, group = 1) on one image, zero padding, strides and dilations:
//   acc[m][y][x] = sum_{c,ky,kx} in[c][y*sy+ky*dy-pt][x*sx+kx*dx-pl] * w[m][c][ky][kx] + bias[m]
//   out = rescale(acc)                       (docs/fixed-point.md)
// Padded positions are skipped at compile time (they are 0), so they cost nothing.
//   Conv2D(C,H,W,M,KH,KW,OH,OW,pads,strides,dilations,s,v)        weights and bias are signals:
//       one product per in-bounds tap.
//   Conv2DConst(C,H,W,M,KH,KW,OH,OW,pads,strides,dilations,weight,bias,s,v)  compiled in: linear.
// Parameters: pads [top,left,bottom,right], strides [sy,sx], dilations [dy,dx]; OH, OW as ONNX.
// Assumed input range: in in the signed v-bit range.
// Constraints (--O2): Conv2D: M*OH*OW*(s+v) + M * (in-bounds taps over all outputs);
//   Conv2DConst: M*OH*OW*(s+v).
include "Rescale.circom";

function convInBounds(position, size) {
    return position >= 0 && position < size;
}

template Conv2D(C, H, W, M, KH, KW, OH, OW, pads, strides, dilations, scaleBits, valueBits) {
    assert(C >= 1 && H >= 1 && W >= 1 && M >= 1 && KH >= 1 && KW >= 1);
    assert(OH == (H + pads[0] + pads[2] - ((KH - 1) * dilations[0] + 1)) \ strides[0] + 1);
    assert(OW == (W + pads[1] + pads[3] - ((KW - 1) * dilations[1] + 1)) \ strides[1] + 1);
    signal input in[C][H][W];
    signal input weight[M][C][KH][KW];
    signal input bias[M];
    signal output out[M][OH][OW];
    signal product[M][OH][OW][C][KH][KW];
    component rescale[M][OH][OW];
    for (var m = 0; m < M; m++) {
        for (var y = 0; y < OH; y++) {
            for (var x = 0; x < OW; x++) {
                var acc = bias[m];
                for (var c = 0; c < C; c++) for (var ky = 0; ky < KH; ky++) for (var kx = 0; kx < KW; kx++) {
                    var iy = y * strides[0] + ky * dilations[0] - pads[0];
                    var ix = x * strides[1] + kx * dilations[1] - pads[1];
                    if (convInBounds(iy, H) && convInBounds(ix, W)) {
                        product[m][y][x][c][ky][kx] <== in[c][iy][ix] * weight[m][c][ky][kx];
                        acc += product[m][y][x][c][ky][kx];
                    } else {
                        product[m][y][x][c][ky][kx] <== 0;
                    }
                }
                rescale[m][y][x] = Rescale(scaleBits, valueBits);
                rescale[m][y][x].in <== acc;
                out[m][y][x] <== rescale[m][y][x].out;
            }
        }
    }
}

template Conv2DConst(C, H, W, M, KH, KW, OH, OW, pads, strides, dilations, weight, bias, scaleBits, valueBits) {
    assert(C >= 1 && H >= 1 && W >= 1 && M >= 1 && KH >= 1 && KW >= 1);
    assert(OH == (H + pads[0] + pads[2] - ((KH - 1) * dilations[0] + 1)) \ strides[0] + 1);
    assert(OW == (W + pads[1] + pads[3] - ((KW - 1) * dilations[1] + 1)) \ strides[1] + 1);
    signal input in[C][H][W];
    signal output out[M][OH][OW];
    component rescale[M][OH][OW];
    for (var m = 0; m < M; m++) {
        for (var y = 0; y < OH; y++) {
            for (var x = 0; x < OW; x++) {
                var acc = bias[m];
                for (var c = 0; c < C; c++) for (var ky = 0; ky < KH; ky++) for (var kx = 0; kx < KW; kx++) {
                    var iy = y * strides[0] + ky * dilations[0] - pads[0];
                    var ix = x * strides[1] + kx * dilations[1] - pads[1];
                    if (convInBounds(iy, H) && convInBounds(ix, W)) acc += weight[m][c][ky][kx] * in[c][iy][ix];
                }
                rescale[m][y][x] = Rescale(scaleBits, valueBits);
                rescale[m][y][x].in <== acc;
                out[m][y][x] <== rescale[m][y][x].out;
            }
        }
    }
}
