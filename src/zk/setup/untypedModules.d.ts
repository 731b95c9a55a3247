// Packages without type declarations that src/zk/setup uses (typed as any here; the adapters
// around them are typed).
declare module 'ffjavascript';
declare module 'snarkjs';
