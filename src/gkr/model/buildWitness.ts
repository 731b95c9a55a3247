/**
 * The prover's witness for one inference: the engine's tensors (bit-identical outputs by
 * construction: the engine computes them), each rescaling layer's remainder
 * rem = acc + 2^(s−1) − 2^s·out (acc recomputed in float64, exact since accBits ≤ 52), the
 * limbs of every range check packed into the looked-up vector, and its multiplicities — all as
 * padded integer tables by polynomial name (planModel.ts says which exist).
 */
import type { Engine } from '../../engine/createEngine.ts';
import type { RunEngineResult } from '../../engine/runEngine.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { countMultiplicities, TABLE_BITS, TABLE_SIZE } from '../lookup/proveLogUp.ts';
import { multiplyNative } from '../matmul/multiplyNative.ts';
import { padTensor } from './layout.ts';
import { LOOKUP_MULTIPLICITIES, LOOKUP_VALUES, im2colName, remainderName, windowName, type GkrPlan } from './planModel.ts';
import { materializeView } from './views.ts';

export interface BuildWitnessParameters {
  model: QuantizedModel;
  plan: GkrPlan;
  inputs: Record<string, ArrayLike<number>>;
  /** The constants' padded tables from setup (not recomputed per proof). */
  weightTables: Map<string, Float64Array>;
  /** The model's engine, compiled once at setup. */
  engine: Engine;
}

export interface BuildWitnessResult {
  outputs: RunEngineResult['outputs'];
  /** Padded integer tables: every committed polynomial (by name) and every public tensor. */
  tables: Map<string, Float64Array>;
  publicTables: Map<string, Float64Array>;
}

export function buildWitness({ model, plan, inputs, weightTables, engine }: BuildWitnessParameters): BuildWitnessResult {
  const run = engine.run(inputs, { keepIntermediates: true });
  const tensors = run.tensors!;
  const s = model.scaleBits;
  const tables = new Map<string, Float64Array>();
  const publicTables = new Map<string, Float64Array>();
  const valueOf = (name: string): ArrayLike<number> => tensors[name] ?? model.constants[name].data;
  for (const name of plan.publicTensors) publicTables.set(name, padTensor(valueOf(name), plan.layouts.get(name)!));
  for (const p of plan.witnessPolynomials) if (!p.name.includes('#')) tables.set(p.name, padTensor(valueOf(p.name), plan.layouts.get(p.name)!));
  for (const [name, table] of weightTables) tables.set(name, table);

  for (const layer of model.layers) {
    if (layer.op === 'matmul') {
      const bDims = plan.layouts.get(layer.b)!.dims;
      const [k, n] = bDims;
      const a = Float64Array.from(valueOf(layer.a));
      const m = a.length / k;
      const acc = multiplyNative({ a, b: Float64Array.from(valueOf(layer.b)), m, k, n });
      if (layer.bias) {
        const bias = valueOf(layer.bias);
        for (let i = 0; i < acc.length; i++) acc[i] += bias.length === acc.length ? bias[i] : bias[i % n];
      }
      const out = valueOf(layer.out);
      for (let i = 0; i < acc.length; i++) acc[i] = acc[i] + 2 ** (s - 1) - out[i] * 2 ** s;
      tables.set(remainderName(layer.name), padTensor(acc, plan.layouts.get(layer.out)!));
    } else if (layer.op === 'conv') {
      // acc = W·X + bias on the padded [Mp, Kp] × [Kp, Pp] layout, which is out's padded layout
      const view = plan.views.get(im2colName(layer.name))!;
      const inputTable = tables.get(layer.input) ?? publicTables.get(layer.input)!;
      const x = materializeView(view, inputTable);
      const w = weightTables.get(layer.weight)!;
      const outLayout = plan.layouts.get(layer.out)!;
      const [, Mp, OHp, OWp] = outLayout.paddedDims;
      const [, M, OH, OW] = outLayout.dims;
      const cols = OHp * OWp;
      const k = x.length / cols;
      const acc = multiplyNative({ a: w, b: x, m: Mp, k, n: cols });
      const out = tables.get(layer.out) ?? publicTables.get(layer.out)!;
      const bias = layer.bias ? weightTables.get(layer.bias)! : undefined;
      for (let m = 0; m < M; m++)
        for (let y = 0; y < OH; y++)
          for (let xx = 0; xx < OW; xx++) {
            const i = m * cols + y * OWp + xx;
            acc[i] = acc[i] + (bias ? bias[m] : 0) + 2 ** (s - 1) - out[i] * 2 ** s;
          }
      tables.set(remainderName(layer.name), acc);
    } else if (layer.op === 'avgpool') {
      // rem = Σ window + ⌊c/2⌋ − c·out on the unpadded entries (the windows are views of the input)
      const outLayout = plan.layouts.get(layer.out)!;
      const c = layer.kernel[0] * layer.kernel[1];
      const source = tables.get(layer.input) ?? publicTables.get(layer.input)!;
      const out = tables.get(layer.out) ?? publicTables.get(layer.out)!;
      const rem = new Float64Array(2 ** outLayout.numVariables);
      const valid = padTensor(new Float64Array(outLayout.dims.reduce((a, b) => a * b, 1)).fill(1), outLayout);
      for (let w = 0; w < c; w++) {
        const window = materializeView(plan.views.get(windowName(layer.name, w))!, source);
        for (let i = 0; i < rem.length; i++) rem[i] += window[i];
      }
      for (let i = 0; i < rem.length; i++) if (valid[i]) rem[i] += Math.floor(c / 2) - c * out[i];
      tables.set(remainderName(layer.name), rem);
    } else if (layer.op === 'scalarMul') {
      const x = valueOf(layer.input);
      const out = valueOf(layer.out);
      const rem = Float64Array.from({ length: out.length }, (_, i) => x[i] * layer.factor + 2 ** (s - 1) - out[i] * 2 ** s);
      tables.set(remainderName(layer.name), padTensor(rem, plan.layouts.get(layer.out)!));
    }
  }

  const table = (name: string): Float64Array => tables.get(plan.polynomialOf.get(name) ?? name) ?? publicTables.get(name)!;
  const lookup = new Float64Array(2 ** plan.lookupVariables);
  const half = 2 ** (model.valueBits - 1);
  for (const check of plan.rangeChecks) {
    const layer = model.layers.find((l) => l.name === check.layer)!;
    const size = 2 ** check.numVariables;
    const out = table(layer.out);
    const y = new Float64Array(size);
    if (check.kind === 'value') for (let i = 0; i < size; i++) y[i] = out[i] + half;
    else if (check.kind === 'remainder') y.set(tables.get(remainderName(layer.name))!);
    else if (check.kind === 'nonNegative') y.set(out);
    else if (check.kind === 'remainderBound') {
      const c = (layer as { kernel: [number, number] }).kernel;
      const rem = tables.get(remainderName(layer.name))!;
      const valid = padTensor(new Float64Array(plan.layouts.get(layer.out)!.dims.reduce((a, b) => a * b, 1)).fill(1), plan.layouts.get(layer.out)!);
      for (let i = 0; i < size; i++) y[i] = valid[i] ? c[0] * c[1] - 1 - rem[i] : 0;
    }
    else {
      const view = plan.views.get(check.gapOf!);
      const x = view ? materializeView(view, table(view.source)) : table(check.gapOf!);
      for (let i = 0; i < size; i++) y[i] = out[i] - x[i];
    }
    check.limbOffsets.forEach((offset, l) => {
      const scale = 2 ** (TABLE_BITS * l);
      for (let i = 0; i < size; i++) lookup[offset + i] = Math.floor(y[i] / scale) % TABLE_SIZE;
    });
    if (check.topShiftOffset !== undefined) {
      const topOffset = check.limbOffsets[check.limbOffsets.length - 1];
      const shift = 2 ** (TABLE_BITS - check.topBits);
      for (let i = 0; i < size; i++) lookup[check.topShiftOffset + i] = lookup[topOffset + i] * shift;
    }
  }
  tables.set(LOOKUP_VALUES, lookup);
  tables.set(LOOKUP_MULTIPLICITIES, countMultiplicities(lookup));
  return { outputs: run.outputs, tables, publicTables };
}
