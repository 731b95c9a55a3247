pragma circom 2.1.0;
// The smooth functions of docs/fixed-point.md ("Smooth functions", "Softmax"): a piecewise-linear
// table of M + 1 integer knots y[0..M] at scale s over segments 2^t wide starting at `lowest`.
//
//   SmoothTable(inBits, lowest, t, M, knots, outBits, clampAbove): one element.
//     x clamped to [lowest, highest], highest = lowest + M*2^t - 1 (the upper clamp only when
//     clampAbove = 1: softmax's x - max(x) <= 0 never reaches it); u = x - lowest;
//     seg = u >> t, r = u - seg*2^t; out = y[seg] + (((y[seg+1] - y[seg])*r + 2^(t-1)) >> t).
//     The comparisons decompose x - lowest + 2^(inBits-1) and highest - x + 2^(inBits-1) into
//     inBits bits (the top bit is the sign), which also bounds x to a window around the table.
//     seg is one-hot (M booleans, summing to 1), so y[seg] and the slope are linear in it; r is
//     proven in [0, 2^t), which pins seg; the rounded quotient is read from the bits of the
//     numerator + 2^(t+outBits-1) (offset so that it is non-negative).
//   Parameters: inBits >= bits needed for |x - lowest| and |highest - x| < 2^(inBits-1);
//     1 <= t; M >= 1; knots non-decreasing, |knot| < 2^(outBits-2); inBits, t + outBits <= 250.
//   Assumed input range: none (x outside the window above has no witness).
//   Constraints (--O2): (1 + clampAbove)*(inBits + 1) + M + t + 1 + (t + outBits): sigmoid 188,
//     tanh 124 per element at s = 8, v = 16 (inBits 18, t 5, outBits 11).
//   Every hint (<--: the one-hot bits, the quotient bits) is pinned by the constraints above.
//
//   Smooth(N, ...): N independent elements (one layer).
//   Softmax(rows, n, valueBits, scaleBits, lowest, t, M, knots): per row of n:
//     m = max x (a chain of MaxPool.circom's Max2), e_k = SmoothTable(x_k - m) without the
//     upper clamp, S = sum e_k, out_k = floor((e_k*2^(s+1) + S) / (2S)), proven by
//     e_k*2^(s+1) + S = 2S*out_k + rem_k with out_k in [0, 2^(s+1)) and rem_k, 2S - 1 - rem_k in
//     [0, 2^sumBits) (sumBits = bits of 2S's bound), so out_k is the floor.
//   Assumed input range: x in the signed valueBits range (inputs come from range-checked layers).
//   Constraints per row (--O2): (n - 1)*(v + 2) + n*(inBits + 1 + M + t + 1 + t + s + 3) +
//     n*(s + 1 + 1 + 2*sumBits), inBits = max(v + 1, s + 4) + 2: 300 for n = 2, 626 for n = 4,
//     1,612 for n = 10 at s = 8, v = 16.
include "bitify.circom";
include "MaxPool.circom";

template SmoothTable(inBits, lowest, segmentBits, M, knots, outBits, clampAbove) {
    assert(inBits >= 2 && inBits <= 250);
    assert(segmentBits >= 1 && M >= 1);
    assert(segmentBits + outBits <= 250);
    signal input in;
    signal output out;
    var highest = lowest + M * (1 << segmentBits) - 1;

    component belowBits = Num2Bits(inBits);
    belowBits.in <== in - lowest + (1 << (inBits - 1));
    signal below <== 1 - belowBits.out[inBits - 1];
    signal raised <== below * (lowest - in);
    signal clamped;
    if (clampAbove == 1) {
        component aboveBits = Num2Bits(inBits);
        aboveBits.in <== highest - in + (1 << (inBits - 1));
        signal above <== 1 - aboveBits.out[inBits - 1];
        signal lowered <== above * (highest - in);
        clamped <== in + raised + lowered;
    } else {
        clamped <== in + raised;
    }
    signal u <== clamped - lowest;

    // seg: one-hot over the M segments.
    signal hot[M];
    var hotSum = 0;
    var seg = 0;
    var knot = 0;
    var slope = 0;
    for (var j = 0; j < M; j++) {
        hot[j] <-- (u >> segmentBits) == j ? 1 : 0;
        hot[j] * (hot[j] - 1) === 0;
        hotSum += hot[j];
        seg += j * hot[j];
        knot += knots[j] * hot[j];
        slope += (knots[j + 1] - knots[j]) * hot[j];
    }
    hotSum === 1;
    component remainder = Num2Bits(segmentBits);
    remainder.in <== u - seg * (1 << segmentBits);

    signal product <== slope * remainder.in;
    // numerator = knot*2^t + slope*r + 2^(t-1), offset by 2^(t+outBits-1) to be non-negative.
    component numerator = Num2Bits(segmentBits + outBits);
    numerator.in <== knot * (1 << segmentBits) + product + (1 << (segmentBits - 1)) + (1 << (segmentBits + outBits - 1));
    var quotient = 0;
    for (var i = segmentBits; i < segmentBits + outBits; i++) quotient += numerator.out[i] * (1 << (i - segmentBits));
    out <== quotient - (1 << (outBits - 1));
}

template Smooth(N, inBits, lowest, segmentBits, M, knots, outBits) {
    signal input in[N];
    signal output out[N];
    component element[N];
    for (var i = 0; i < N; i++) {
        element[i] = SmoothTable(inBits, lowest, segmentBits, M, knots, outBits, 1);
        element[i].in <== in[i];
        out[i] <== element[i].out;
    }
}

template Softmax(rows, n, valueBits, scaleBits, lowest, segmentBits, M, knots, sumBits) {
    assert(rows >= 1 && n >= 1);
    signal input in[rows][n];
    signal output out[rows][n];
    var inBits = (valueBits + 1 > scaleBits + 4 ? valueBits + 1 : scaleBits + 4) + 2;
    component max[rows][n];
    signal running[rows][n];
    component e[rows][n];
    signal sum[rows];
    signal product[rows][n];
    component quotientBits[rows][n];
    component remainderLow[rows][n];
    component remainderHigh[rows][n];
    for (var row = 0; row < rows; row++) {
        running[row][0] <== in[row][0];
        for (var k = 1; k < n; k++) {
            max[row][k] = Max2(valueBits);
            max[row][k].a <== in[row][k];
            max[row][k].b <== running[row][k - 1];
            running[row][k] <== max[row][k].out;
        }
        var total = 0;
        for (var k = 0; k < n; k++) {
            e[row][k] = SmoothTable(inBits, lowest, segmentBits, M, knots, scaleBits + 3, 0);
            e[row][k].in <== in[row][k] - running[row][n - 1];
            total += e[row][k].out;
        }
        sum[row] <== total;
        for (var k = 0; k < n; k++) {
            out[row][k] <-- (e[row][k].out * (1 << (scaleBits + 1)) + sum[row]) \ (2 * sum[row]);
            quotientBits[row][k] = Num2Bits(scaleBits + 1);
            quotientBits[row][k].in <== out[row][k];
            product[row][k] <== 2 * sum[row] * out[row][k];
            remainderLow[row][k] = Num2Bits(sumBits);
            remainderLow[row][k].in <== e[row][k].out * (1 << (scaleBits + 1)) + sum[row] - product[row][k];
            remainderHigh[row][k] = Num2Bits(sumBits);
            remainderHigh[row][k].in <== 2 * sum[row] - 1 - remainderLow[row][k].in;
        }
    }
}
