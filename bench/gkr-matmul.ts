/**
 * The matmul ladder for the gkr prover (no commitment): for n = 32 … 512, the engine's native
 * float64 product time (src/engine dotRows, Bᵀ included) and Thaler's sumcheck prover time after
 * C is known; prints both ratios — protocol / native (the survey's "< 4×" claim) and
 * (product + protocol) / native (the whole prover computing C itself); then the committed variant
 * (A, B private): commit and open times, verify time and proof bytes. Median of `--repeat` runs.
 * A benchmark, not a test.
 *
 *   npx tsx bench/gkr-matmul.ts [--max 512] [--repeat 5]
 */
import { parseArgs } from 'node:util';
import { multiplyNative } from '../src/gkr/matmul/multiplyNative.ts';
import { proveMatMulGkr } from '../src/gkr/matmul/proveMatMulGkr.ts';
import { verifyMatMulGkr } from '../src/gkr/matmul/verifyMatMulGkr.ts';

const { values } = parseArgs({ options: { max: { type: 'string', default: '512' }, repeat: { type: 'string', default: '5' } } });
const max = Number(values.max);
const repeat = Number(values.repeat);
const median = (xs: number[]): number => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];

function matrix(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s % 65536) - 32768; // the default value range, valueBits = 16
  });
}

// Warm the JIT on a mid size first: otherwise the smallest sizes run in the interpreter while the
// optimising compiler (a background thread on a busy 2-core machine) catches up.
for (let w = 0; w < 5; w++) {
  const a = matrix(128 * 128, w);
  const r = proveMatMulGkr({ n: 128, a, b: a });
  verifyMatMulGkr({ a, b: a, c: r.c, proof: r.proof });
}
console.log('| n | native ms | protocol ms | protocol / native | (product + protocol) / native | verify ms | proof bytes | commit ms | open ms | committed verify ms | committed proof bytes |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (let n = 32; n <= max; n *= 2) {
  const a = matrix(n * n, n);
  const b = matrix(n * n, n + 1);
  const native: number[] = [];
  const protocol: number[] = [];
  const product: number[] = [];
  const verify: number[] = [];
  const commitMs: number[] = [];
  const openMs: number[] = [];
  const committedVerify: number[] = [];
  let bytes = 0;
  let committedBytes = 0;
  for (let r = 0; r < repeat + 1; r++) {
    const t0 = performance.now();
    multiplyNative({ a, b, m: n, k: n, n });
    const nativeMs = performance.now() - t0;
    const result = proveMatMulGkr({ n, a, b });
    const { verifyMs } = verifyMatMulGkr({ a, b, c: result.c, proof: result.proof });
    const committed = proveMatMulGkr({ n, a, b, commit: true });
    const committedCheck = verifyMatMulGkr({ c: committed.c, proof: committed.proof });
    if (r === 0) continue; // warm-up
    commitMs.push(committed.timingsMs.commit);
    openMs.push(committed.timingsMs.open);
    committedVerify.push(committedCheck.verifyMs);
    committedBytes = committed.proofBytes;
    native.push(nativeMs);
    protocol.push(result.timingsMs.protocol);
    product.push(result.timingsMs.product);
    verify.push(verifyMs);
    bytes = result.proofBytes;
  }
  const nat = median(native);
  const pro = median(protocol);
  console.log(`| ${n} | ${nat.toFixed(2)} | ${pro.toFixed(2)} | ${(pro / nat).toFixed(3)} | ${((median(product) + pro) / nat).toFixed(3)} | ${median(verify).toFixed(2)} | ${bytes} | ${median(commitMs).toFixed(2)} | ${median(openMs).toFixed(2)} | ${median(committedVerify).toFixed(2)} | ${committedBytes} |`);
}
