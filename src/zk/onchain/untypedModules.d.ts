// snarkjs ships no type declarations; src/zk/onchain wraps the few calls it makes in typed functions.
declare module 'snarkjs';
