/**
 * No backend misses an op. Every QLayer op has a one-op model below (a `Record<QOp, …>`: adding
 * an op to src/quant/types.ts without one is a type error), and each of them runs through every
 * backend: the engine's, the circuit generator's and the trace VM compiler's lowering tables
 * have exactly the QLayer ops as keys (also enforced by their types), the trace VM reproduces the
 * engine's integers bit for bit, and the circuit generator wires exactly the output's element
 * count. The gkr prover, which covers a subset on purpose, either proves the one-op model
 * (outputs bit-identical with the engine, proof verifies) or refuses it with an
 * UnsupportedModelError naming the layer — never anything else. The importer's table covers
 * every supported ONNX operator and the quantizer's every one the importer hands over. And the
 * backends read the quantized model and src/tensor/, never the importer (src/onnx/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_LOWERINGS } from '../src/engine/layerCompilers.ts';
import { createEngine } from '../src/engine/createEngine.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { UnsupportedModelError } from '../src/errors.ts';
import { GKR_SUPPORTED_OPS, proveGkr, setupGkrModel, verifyGkr } from '../src/gkr/index.ts';
import { SUPPORTED_OPS } from '../src/onnx/loadOnnxModel.ts';
import { ONNX_IMPORTERS } from '../src/onnx/ops/index.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { VM_LOWERINGS } from '../src/opml/lowerings/index.ts';
import { NODE_QUANTIZERS } from '../src/quant/ops/index.ts';
import { QUANTIZED_MODEL_FORMAT, type QConstant, type QLayer, type QOp, type QuantizedModel } from '../src/quant/types.ts';
import { generateCircuitSource } from '../src/zk/generateCircuit.ts';
import { CIRCUIT_LOWERINGS } from '../src/zk/layers/index.ts';
import { createIntegerPrng } from './opml-vm-fixtures.ts';
import { tableOf } from './smooth-fixtures.ts';

const random = createIntegerPrng(11);
const integers = (count: number, bound: number) => Array.from({ length: count }, () => random(-bound, bound));
const constant = (dims: number[], bound: number, scaleExp: 1 | 2 = 1): QConstant => ({ dims, data: integers(dims.reduce((p, d) => p * d, 1), bound), scaleExp });

/** A QLayer without its name and output (Omit distributed over the union). */
type LayerBody<Layer = QLayer> = Layer extends QLayer ? Omit<Layer, 'name' | 'out'> : never;

/** x → one layer → y, at scaleBits 8, valueBits 16. */
function oneOpModel(layer: LayerBody, xDims: number[], yDims: number[], constants: Record<string, QConstant> = {}): QuantizedModel {
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name: `one-${layer.op}`,
    source: { file: 'test/lowerings-coverage.test.ts', sha256: '0'.repeat(64), opset: 13, producer: 'hand-written' },
    scaleBits: 8,
    valueBits: 16,
    inputs: [{ name: 'x', dims: xDims }],
    outputs: [{ name: 'y', dims: yDims }],
    tensors: { x: xDims, y: yDims },
    constants,
    layers: [{ ...layer, name: layer.op, out: 'y' } as QLayer],
    hash: layer.op.padEnd(64, '0'),
  };
}

const pool = { input: 'x', kernel: [2, 2] as [number, number], pads: [1, 0, 0, 1] as [number, number, number, number], strides: [2, 1] as [number, number], dilations: [1, 1] as [number, number], ceilMode: false };

/** One small model per QLayer op; the key type makes this list complete. */
const ONE_OP_MODELS: Record<QOp, () => QuantizedModel> = {
  matmul: () => oneOpModel({ op: 'matmul', a: 'x', b: 'w', bias: 'b', accBits: 30 }, [1, 3], [1, 2], { w: constant([3, 2], 200), b: constant([2], 20000, 2) }),
  conv: () => oneOpModel({ op: 'conv', input: 'x', weight: 'w', bias: 'b', pads: [1, 0, 0, 1], strides: [1, 2], dilations: [1, 1], accBits: 30 }, [1, 2, 3, 4], [1, 2, 3, 2], { w: constant([2, 2, 2, 2], 120), b: constant([2], 20000, 2) }),
  add: () => oneOpModel({ op: 'add', a: 'c', b: 'x' }, [2, 3], [2, 3], { c: constant([3], 300) }),
  scalarMul: () => oneOpModel({ op: 'scalarMul', input: 'x', factor: -384, accBits: 30 }, [1, 4], [1, 4]),
  relu: () => oneOpModel({ op: 'relu', input: 'x' }, [1, 5], [1, 5]),
  maxpool: () => oneOpModel({ op: 'maxpool', ...pool }, [1, 1, 3, 4], [1, 1, 2, 4]),
  avgpool: () => oneOpModel({ op: 'avgpool', ...pool, countIncludePad: true, accBits: 20 }, [1, 1, 3, 4], [1, 1, 2, 4]),
  reshape: () => oneOpModel({ op: 'reshape', input: 'x' }, [2, 3], [6]),
  transpose: () => oneOpModel({ op: 'transpose', input: 'x' }, [2, 3], [3, 2]),
  smooth: () => {
    const { lowest, segmentBits, constant: table } = tableOf('tanh');
    return oneOpModel({ op: 'smooth', fn: 'tanh', input: 'x', table: 't', lowest, segmentBits }, [1, 5], [1, 5], { t: table });
  },
  softmax: () => {
    const { lowest, segmentBits, constant: table } = tableOf('exp');
    return oneOpModel({ op: 'softmax', input: 'x', rowLength: 3, table: 't', lowest, segmentBits }, [2, 3], [2, 3], { t: table });
  },
};
const OPS = Object.keys(ONE_OP_MODELS).sort();

describe('every QLayer op has a lowering in every backend', () => {
  it('engine, circuit and trace VM tables have exactly the QLayer ops', () => {
    expect(Object.keys(ENGINE_LOWERINGS).sort()).toEqual(OPS);
    expect(Object.keys(CIRCUIT_LOWERINGS).sort()).toEqual(OPS);
    expect(Object.keys(VM_LOWERINGS).sort()).toEqual(OPS);
  });

  it('the gkr prover covers a subset of the QLayer ops', () => {
    expect(GKR_SUPPORTED_OPS.filter((op) => !OPS.includes(op))).toEqual([]);
  });

  it('the importer has an importer for every supported ONNX operator (and Cast), the quantizer a lowering for every one it keeps', () => {
    expect(Object.keys(ONNX_IMPORTERS).sort()).toEqual([...SUPPORTED_OPS, 'Cast'].sort());
    expect(Object.keys(NODE_QUANTIZERS).sort()).toEqual(SUPPORTED_OPS.filter((op) => op !== 'Dropout').sort());
  });

  for (const op of OPS) {
    it(`${op}: engine, trace VM and circuit agree on the one-op model`, () => {
      const model = ONE_OP_MODELS[op as QOp]();
      const x = integers(model.inputs[0]!.dims.reduce((p, d) => p * d, 1), 1000);
      const engine = runEngine({ model, inputs: { x } });
      const expected = engine.outputs[0]!.data;
      expect(expected).toHaveLength(model.outputs[0]!.dims.reduce((p, d) => p * d, 1));

      const program = compileProgram({ model });
      expect(program.layers.map((layer) => layer.op)).toContain(op === 'reshape' ? 'copy' : op);
      expect(createTrace({ program, input: { x } }).outputs.y).toEqual(expected);

      const { source, layout } = generateCircuitSource({ model, settings: { weights: 'private', relu: 'bounded' } });
      expect(source).toContain(`// ${op} '${op}' → 'y'`);
      expect(layout.outputs).toEqual([{ name: 'y', signal: 'y0', dims: model.outputs[0]!.dims, size: expected.length }]);
      expect(source.match(/^ {4}y0\[\d+\] <== /gm)).toHaveLength(expected.length);
    });
  }

  // What gkr does with each one-op model: the add broadcasts, the pools pad, the reshape and the
  // transpose write a model output — shapes it refuses by name. A new op is 'refused' (by its op
  // name) until gkr proves it.
  const GKR_ONE_OP_OUTCOMES: Record<QOp, 'proved' | 'refused'> = {
    matmul: 'proved', conv: 'proved', relu: 'proved', scalarMul: 'proved',
    add: 'refused', maxpool: 'refused', avgpool: 'refused', reshape: 'refused', transpose: 'refused',
    smooth: 'refused', softmax: 'refused',
  };
  const gkrOutcome = (op: string): 'proved' | 'refused' => {
    const model = ONE_OP_MODELS[op as QOp]();
    const x = integers(model.inputs[0]!.dims.reduce((p, d) => p * d, 1), 1000);
    let key;
    let proved;
    try {
      key = setupGkrModel({ model });
      proved = proveGkr({ key, inputs: { x } });
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedModelError);
      expect((error as Error).message).toContain(`layer '${op}' (${op})`);
      expect((error as Error).message).toContain('which the gkr prover does not support');
      if (!(GKR_SUPPORTED_OPS as readonly string[]).includes(op)) expect((error as Error).message).toContain(`uses op '${op}'`);
      return 'refused';
    }
    expect(proved.outputs).toEqual(runEngine({ model, inputs: { x } }).outputs);
    verifyGkr({ verifierKey: key.verifierKey, inputs: { x }, outputs: proved.outputs, proof: proved.proof });
    return 'proved';
  };

  it('gkr proves each one-op model bit-identically with the engine or refuses it by name', () => {
    const outcomes = Object.fromEntries(OPS.map((op) => [op, gkrOutcome(op)]));
    expect(outcomes).toEqual(GKR_ONE_OP_OUTCOMES);
  });

  it('a model with an op no backend knows is refused by engine and circuit generator alike', () => {
    const model = { ...ONE_OP_MODELS.relu(), layers: [{ op: 'erf', name: 'act', input: 'x', out: 'y' } as unknown as QLayer] };
    expect(() => createEngine({ model })).toThrow(UnsupportedModelError);
    expect(() => createEngine({ model })).toThrow("layer 'act' uses op 'erf', which the engine cannot run");
    expect(() => generateCircuitSource({ model, settings: { weights: 'constant', relu: 'bounded' } })).toThrow("layer 'act' uses op 'erf', which the circuits cannot express");
    expect(() => compileProgram({ model })).toThrow("has op 'erf', which the opML VM does not implement");
    expect(() => setupGkrModel({ model })).toThrow("layer 'act' (erf) uses op 'erf', which the gkr prover does not support");
  });
});

describe('backends do not depend on the importer', () => {
  for (const folder of ['src/engine', 'src/zk', 'src/opml', 'src/gkr']) {
    it(`${folder} imports nothing from src/onnx/`, () => {
      const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
      expect(files.length).toBeGreaterThan(5);
      const offenders = files.filter((file) => /from '(\.\.\/)+onnx\//.test(readFileSync(join(folder, file), 'utf8')));
      expect(offenders).toEqual([]);
    });
  }
});
