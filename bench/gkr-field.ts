/**
 * ns per multiplication of the gkr field (Goldilocks base, and its quadratic extension), over a
 * 4096-element vector so the loop is memory-realistic; and the float64 multiply-add it is
 * compared with (the engine's matmul inner step). A benchmark, not a test.
 *
 *   npx tsx bench/gkr-field.ts
 */
import { baseMul, createBaseVector } from '../src/gkr/field/goldilocks.ts';
import { createExtVector, extMul, extMulBase } from '../src/gkr/field/extension.ts';

const N = 4096;
const ROUNDS = 400;

function fill(v: Uint32Array): void {
  let s = 0x12345678;
  for (let i = 0; i < v.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    v[i] = (i & 1) === 1 ? s % 0xffffffff : s; // hi word < 2^32 − 1 keeps values < p
  }
}

function timeNs(label: string, count: number, body: () => void): number {
  for (let w = 0; w < 3; w++) body();
  const start = process.hrtime.bigint();
  body();
  const ns = Number(process.hrtime.bigint() - start) / count;
  console.log(`${label.padEnd(36)} ${ns.toFixed(2)} ns`);
  return ns;
}

const a = createBaseVector(N);
const b = createBaseVector(N);
const c = createBaseVector(N);
fill(a);
fill(b);
timeNs('base mul (out[i] = a[i]·b[i])', N * ROUNDS, () => {
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < 2 * N; i += 2) baseMul(c, i, a, i, b, i);
});
const ea = createExtVector(N);
const eb = createExtVector(N);
const ec = createExtVector(N);
fill(ea);
fill(eb);
timeNs('ext mul (F_p², Karatsuba)', N * ROUNDS, () => {
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < 4 * N; i += 4) extMul(ec, i, ea, i, eb, i);
});
timeNs('ext × base mul', N * ROUNDS, () => {
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < N; i++) extMulBase(ec, 4 * i, ea, 4 * i, b, 2 * i);
});
const fa = new Float64Array(N).map((_, i) => i - 2000);
const fb = new Float64Array(N).map((_, i) => 3 * i - 5000);
let sink = 0;
timeNs('float64 multiply-add (engine step)', N * ROUNDS * 10, () => {
  let acc = 0;
  for (let r = 0; r < ROUNDS * 10; r++) for (let i = 0; i < N; i++) acc += fa[i] * fb[i];
  sink += acc;
});
if (sink === 42) console.log('');
