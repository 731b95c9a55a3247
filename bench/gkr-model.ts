/**
 * Whole-model gkr figures: setup (weights' commitment), prove with and without the commitment
 * (witness / protocol / commit / open), verify, proof bytes, beside the engine's inference time.
 * Median of `--repeat` runs after a warm-up. A benchmark, not a test.
 *
 *   npx tsx bench/gkr-model.ts [--model mnist-mlp-784-56-10] [--repeat 10]
 */
import { parseArgs } from 'node:util';
import { createEngine } from '../src/engine/createEngine.ts';
import { proveGkr, setupGkrModel, verifyGkr } from '../src/gkr/index.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'mnist-mlp-784-56-10' }, repeat: { type: 'string', default: '10' } } });
const model = quantizeModel({ file: `models/${values.model}.onnx` });
const key = setupGkrModel({ model });
const input = model.inputs[0];
const size = input.dims.reduce((a, b) => a * b, 1);
const inputs = { [input.name]: Array.from({ length: size }, (_, i) => (i * 37) % 256) };
const engine = createEngine({ model });
const rows: Record<string, number[]> = {};
const push = (k: string, v: number) => (rows[k] ??= []).push(v);
let proofBytes = 0;
for (let i = 0; i < Number(values.repeat) + 2; i++) {
  const t = performance.now();
  engine.run(inputs);
  const engineMs = performance.now() - t;
  const bare = proveGkr({ key, inputs, commit: false });
  const full = proveGkr({ key, inputs, commit: true });
  const { verifyMs } = verifyGkr({ verifierKey: key.verifierKey, inputs, outputs: full.outputs, proof: full.proof });
  if (i < 2) continue; // warm-up
  push('engine ms', engineMs);
  push('prove ms, no commitment (witness + protocol)', bare.timingsMs.prove);
  push('  protocol ms (sumchecks + lookups)', bare.timingsMs.protocol);
  push('prove ms, with commitment', full.timingsMs.prove);
  push('  witness ms', full.timingsMs.witness);
  push('  commit ms', full.timingsMs.commit);
  push('  protocol ms', full.timingsMs.protocol);
  push('  open ms', full.timingsMs.open);
  push('verify ms', verifyMs);
  proofBytes = full.proofBytes;
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
console.log(`${values.model}: setup ${key.setupMs.toFixed(1)} ms, proof ${proofBytes} bytes`);
for (const [k, v] of Object.entries(rows)) console.log(`${k.padEnd(46)} ${median(v).toFixed(2)}`);
