/**
 * The matmul ladder for the gkr prover (no commitment): for n = 32 … 512, the engine's native
 * float64 product time (src/engine dotRows, Bᵀ included) and Thaler's sumcheck prover time after
 * C is known; prints both ratios — protocol / native (the survey's "< 4×" claim) and
 * (product + protocol) / native (the whole prover computing C itself). Median of `--repeat` runs.
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

console.log('| n | native ms | protocol ms | protocol / native | (product + protocol) / native | verify ms | proof bytes |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (let n = 32; n <= max; n *= 2) {
  const a = matrix(n * n, n);
  const b = matrix(n * n, n + 1);
  const native: number[] = [];
  const protocol: number[] = [];
  const product: number[] = [];
  const verify: number[] = [];
  let bytes = 0;
  for (let r = 0; r < repeat + 1; r++) {
    const t0 = performance.now();
    multiplyNative({ a, b, m: n, k: n, n });
    const nativeMs = performance.now() - t0;
    const result = proveMatMulGkr({ n, a, b });
    const { verifyMs } = verifyMatMulGkr({ a, b, c: result.c, proof: result.proof });
    if (r === 0) continue; // warm-up
    native.push(nativeMs);
    protocol.push(result.timingsMs.protocol);
    product.push(result.timingsMs.product);
    verify.push(verifyMs);
    bytes = result.proofBytes;
  }
  const nat = median(native);
  const pro = median(protocol);
  console.log(`| ${n} | ${nat.toFixed(2)} | ${pro.toFixed(2)} | ${(pro / nat).toFixed(3)} | ${((median(product) + pro) / nat).toFixed(3)} | ${median(verify).toFixed(2)} | ${bytes} |`);
}
