// Packages without type declarations used by src/zk (typed where they are wrapped).
declare module 'circomlibjs';
