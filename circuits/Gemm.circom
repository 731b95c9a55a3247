pragma circom 2.1.0;
// Gemm: out[m][n] = rescale(sum_k a[m][k] * b[k][n] + bias[m][n]), the fixed-point matmul of
// docs/fixed-point.md on one [M,K] x [K,N] slice (the generator slices batch dimensions).
// Two forms, by where the weights live:
//   Gemm(M, K, N, s, v)               b and bias are signals (weights public, private or hashed,
//                                     or activation x activation): M*N*K products.
//   GemmConst(M, K, N, B, bias, s, v) b and bias are compiled in: the dot products are linear.
// Parameters: M, K, N >= 1; B[K][N] and bias[M][N] integers (bias at scale 2s).
// Assumed input range: a (and b when an activation) in the signed v-bit range; the static bound
//   analysis of the quantizer keeps |acc| far below 2^250.
// Constraints (--O2): Gemm: M*N*K + M*N*(s+v); GemmConst: M*N*(s+v).
include "Rescale.circom";

template Gemm(M, K, N, scaleBits, valueBits) {
    assert(M >= 1 && K >= 1 && N >= 1);
    signal input a[M][K];
    signal input b[K][N];
    signal input bias[M][N];
    signal output out[M][N];
    signal product[M][N][K];
    component rescale[M][N];
    for (var m = 0; m < M; m++) {
        for (var n = 0; n < N; n++) {
            var acc = bias[m][n];
            for (var k = 0; k < K; k++) {
                product[m][n][k] <== a[m][k] * b[k][n];
                acc += product[m][n][k];
            }
            rescale[m][n] = Rescale(scaleBits, valueBits);
            rescale[m][n].in <== acc;
            out[m][n] <== rescale[m][n].out;
        }
    }
}

template GemmConst(M, K, N, B, bias, scaleBits, valueBits) {
    assert(M >= 1 && K >= 1 && N >= 1);
    signal input a[M][K];
    signal output out[M][N];
    component rescale[M][N];
    for (var m = 0; m < M; m++) {
        for (var n = 0; n < N; n++) {
            var acc = bias[m][n];
            for (var k = 0; k < K; k++) acc += B[k][n] * a[m][k];
            rescale[m][n] = Rescale(scaleBits, valueBits);
            rescale[m][n].in <== acc;
            out[m][n] <== rescale[m][n].out;
        }
    }
}
