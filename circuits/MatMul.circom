pragma circom 2.1.0;
// MatMul: ONNX MatMul without a bias, out = rescale(a x b) on one [M,K] x [K,N] slice; both
// operands are signals (activation x activation, or weights as signals). A MatMul with a
// constant operand is a GemmConst with a zero bias (the generator picks it).
// Parameters: M, K, N >= 1. Assumed input range: a, b in the signed v-bit range.
// Constraints (--O2): M*N*K + M*N*(s+v).
include "Gemm.circom";

template MatMul(M, K, N, scaleBits, valueBits) {
    signal input a[M][K];
    signal input b[K][N];
    signal output out[M][N];
    component gemm = Gemm(M, K, N, scaleBits, valueBits);
    gemm.a <== a;
    gemm.b <== b;
    for (var m = 0; m < M; m++) for (var n = 0; n < N; n++) gemm.bias[m][n] <== 0;
    out <== gemm.out;
}
