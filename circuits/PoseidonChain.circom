pragma circom 2.1.0;
// PoseidonChain: a commitment to a fixed-length vector of field elements (the weights of a
// model in the `hashed` mode), computed natively by src/zk/commitWeights.ts with circomlibjs.
//   state_0 = 0; state_{i+1} = Poseidon(16)(state_i, chunk_i[0..14]); out = state_last,
//   chunk_i = in[15i .. 15i+14], the last chunk zero-padded (the length is fixed by the circuit,
//   so the padding is unambiguous). Signed integers are field elements (negative x is p - |x|).
// Parameters: n >= 1. Constraints: ceil(n / 15) * Poseidon(16) (circomlib's, measured in tests).
include "poseidon.circom";

template PoseidonChain(n) {
    assert(n >= 1);
    var chunkSize = 15;
    var chunks = (n + chunkSize - 1) \ chunkSize;
    signal input in[n];
    signal output out;
    component hash[chunks];
    for (var i = 0; i < chunks; i++) {
        hash[i] = Poseidon(chunkSize + 1);
        if (i == 0) hash[i].inputs[0] <== 0;
        else hash[i].inputs[0] <== hash[i - 1].out;
        for (var j = 0; j < chunkSize; j++) {
            if (i * chunkSize + j < n) hash[i].inputs[j + 1] <== in[i * chunkSize + j];
            else hash[i].inputs[j + 1] <== 0;
        }
    }
    out <== hash[chunks - 1].out;
}
