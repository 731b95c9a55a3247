pragma circom 2.1.0;
// InputCommitment: a Poseidon commitment to a model input of n signed valueBits integers (the
// `hashed` input mode: the input stays off the public signals, its commitment goes on them).
// Computed natively by src/zk/commitInput.ts with circomlibjs; docs/zkml.md, "Hashed inputs".
//   1. every element is range-checked: -2^(v-1) <= in[i] < 2^(v-1) (RangeCheck, v constraints);
//   2. the offset values u_i = in[i] + 2^(v-1), each in [0, 2^v), are packed k = floor(253 / v)
//      to a field element (k = 15 for v = 16): word_j = sum_t u_(jk+t) * 2^(v*t). 2^253 < p, so
//      a word never wraps; with every u_i range-checked the packing is injective (no two inputs
//      give the same words). Packing is linear: free in R1CS;
//   3. out = PoseidonChain(words): state_0 = 0, state_(i+1) = Poseidon(16)(state_i, 15 words),
//      the last chunk zero-padded (circuits/PoseidonChain.circom).
// Negative values: -a enters as 2^(v-1) - a in its word (offset binary), never as p - a.
// Without step 1 the packing would not bind: (u_0 + 2^v, u_1 - 1) packs like (u_0, u_1).
// Parameters: n >= 1, 2 <= v <= 126. Assumed input: any field element (step 1 rejects the rest).
// Constraints: n*v + PoseidonChain(ceil(n / k)) (see inputCommitmentConstraints in commitInput.ts;
// mnist 784 x 16: 12,544 + 2,412 = 14,956).
include "RangeCheck.circom";
include "PoseidonChain.circom";

template InputCommitment(n, valueBits) {
    assert(n >= 1);
    assert(valueBits >= 2);
    assert(valueBits <= 126);
    var perWord = 253 \ valueBits;
    var words = (n + perWord - 1) \ perWord;
    signal input in[n];
    signal output out;
    component range[n];
    for (var i = 0; i < n; i++) {
        range[i] = RangeCheck(valueBits);
        range[i].in <== in[i];
    }
    component chain = PoseidonChain(words);
    for (var j = 0; j < words; j++) {
        var word = 0;
        for (var t = 0; t < perWord; t++) {
            if (j * perWord + t < n) word += (in[j * perWord + t] + (1 << (valueBits - 1))) * (1 << (valueBits * t));
        }
        chain.in[j] <== word;
    }
    out <== chain.out;
}
