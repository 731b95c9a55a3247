/**
 * Dumps what the quantizer, the circuit generator and the trace VM compiler produce for every
 * zoo model (and a few one-op ONNX graphs that reach the Gemm/MatMul/Conv/pool lowering corners),
 * so that a refactor of any of them can be checked byte for byte: run it before and after, then
 * `diff -r`.
 *
 *   npx tsx scripts/dump-lowerings.ts <out-dir> [--only-conformance]
 *
 * Writes <out-dir>/<model>.qmodel.json (the quantized model, hash included) and
 * <out-dir>/<model>/<settings>.circom + .layout.json for every circuit setting (4 weight modes ×
 * 2 ReLU variants × public / public range-checked / private inputs), and
 * <out-dir>/<model>.program.json (the trace VM program's model root, step count, layers and
 * registered layout; the model root hashes every instruction and the initial memory). Errors
 * are dumped too.
 * With libonnx-testdata installed, also the quantized model (or the error) of every ONNX node
 * test of an operator the importer supports, imported as is (no inputs bound).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOnnxModel, type EncodeOnnxModelParameters } from '../src/onnx/encodeOnnxModel.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { DataType } from '../src/onnx/types.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { generateCircuitSource, RELU_VARIANTS, WEIGHT_MODES, type CircuitSettings } from '../src/zk/generateCircuit.ts';
import { readZoo, REPO_ROOT } from '../src/zoo/readZoo.ts';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: tsx scripts/dump-lowerings.ts <out-dir> [--only-conformance]');
const onlyConformance = process.argv.includes('--only-conformance');
mkdirSync(outDir, { recursive: true });
// A fixed folder: the ONNX path is part of the quantized model (source.file) and of its hash.
const scratch = join(tmpdir(), 'opzk-dump-lowerings');
mkdirSync(scratch, { recursive: true });

const errorText = (error: unknown) => `${(error as Error).constructor.name}: ${(error as Error).message}\n`;

function dumpCircuits(model: QuantizedModel, key: string) {
  const dir = join(outDir, key);
  mkdirSync(dir, { recursive: true });
  const inputModes: Pick<CircuitSettings, 'inputs' | 'rangeCheckInputs'>[] = [{ inputs: 'public' }, { inputs: 'public', rangeCheckInputs: true }, { inputs: 'private' }];
  for (const weights of WEIGHT_MODES)
    for (const relu of RELU_VARIANTS)
      for (const inputMode of inputModes) {
        const settings: CircuitSettings = { weights, relu, ...inputMode };
        const tag = `${weights}-${relu}-${inputMode.inputs}${inputMode.rangeCheckInputs ? '-checked' : ''}`;
        try {
          const { source, layout } = generateCircuitSource({ model, settings });
          writeFileSync(join(dir, `${tag}.circom`), source);
          writeFileSync(join(dir, `${tag}.layout.json`), `${JSON.stringify(layout, null, 2)}\n`);
        } catch (error) {
          writeFileSync(join(dir, `${tag}.error.txt`), errorText(error));
        }
      }
}

function dumpProgram(model: QuantizedModel, key: string) {
  try {
    const { modelRoot, totalSteps, layers, layout } = compileProgram({ model });
    writeFileSync(join(outDir, `${key}.program.json`), `${JSON.stringify({ modelRoot, totalSteps, layers, layout }, null, 2)}\n`);
  } catch (error) {
    writeFileSync(join(outDir, `${key}.program.error.txt`), errorText(error));
  }
}

function dumpOnnx(key: string, file: string, options: { name?: string; scaleBits?: number; valueBits?: number } = {}) {
  let model: QuantizedModel;
  try {
    model = quantizeModel({ file, ...options });
  } catch (error) {
    writeFileSync(join(outDir, `${key}.error.txt`), errorText(error));
    return;
  }
  writeFileSync(join(outDir, `${key}.qmodel.json`), `${JSON.stringify(model, null, 2)}\n`);
  dumpCircuits(model, key);
  dumpProgram(model, key);
}

// 0. The ONNX node tests of the supported operators (quantized JSON or error only).
const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';
if (existsSync(NODE_TESTS)) {
  const conformanceDir = join(outDir, 'conformance');
  mkdirSync(conformanceDir, { recursive: true });
  for (const name of readdirSync(NODE_TESTS).filter((n) => /^test_(gemm|matmul|conv|maxpool|averagepool|add|relu|flatten|reshape|identity)/.test(n)).sort()) {
    try {
      const model = quantizeModel({ file: join(NODE_TESTS, name, 'model.onnx'), name, scaleBits: 8, valueBits: 16 });
      writeFileSync(join(conformanceDir, `${name}.qmodel.json`), `${JSON.stringify(model, null, 2)}\n`);
    } catch (error) {
      writeFileSync(join(conformanceDir, `${name}.error.txt`), errorText(error));
    }
  }
}
if (onlyConformance) process.exit(0);

// 1. Every zoo model at the default scale, and the fast-test MLP and the CNN at 12 bits.
for (const entry of readZoo().models) {
  dumpOnnx(entry.name, join(REPO_ROOT, entry.file), { name: entry.name });
  if (entry.name === 'mnist-cnn' || entry.name === 'mnist-mlp-196-24-10') dumpOnnx(`${entry.name}@12`, join(REPO_ROOT, entry.file), { name: entry.name, scaleBits: 12, valueBits: 24 });
}

// 2. One-op graphs for the lowering corners the zoo does not reach.
const graphs: Record<string, EncodeOnnxModelParameters> = {
  'gemm-trans-alpha-beta-activationC': {
    inputs: [{ name: 'a', dims: [2, 1] }, { name: 'c', dims: [1, 2] }],
    outputs: [{ name: 'y', dims: [1, 2] }],
    initializers: [{ name: 'B', dims: [2, 2], data: [1, 2, 3, 4] }],
    nodes: [{ opType: 'Gemm', name: 'g', inputs: ['a', 'B', 'c'], outputs: ['y'], attributes: { transA: 1, transB: 1, alpha: 0.5, beta: 2 } }],
  },
  'gemm-activations-alpha-constC-beta': {
    inputs: [{ name: 'a', dims: [2, 3] }, { name: 'b', dims: [3, 2] }],
    outputs: [{ name: 'y', dims: [2, 2] }],
    initializers: [{ name: 'C', dims: [2], data: [0.5, -0.75] }],
    nodes: [{ opType: 'Gemm', name: 'g', inputs: ['a', 'b', 'C'], outputs: ['y'], attributes: { alpha: 0.75, beta: 1.5 } }],
  },
  'gemm-constA-transB-activation': {
    inputs: [{ name: 'b', dims: [2, 3] }],
    outputs: [{ name: 'y', dims: [2, 2] }],
    initializers: [{ name: 'A', dims: [2, 3], data: [0.5, -1, 0.25, 1, 2, -0.5] }, { name: 'C', dims: [2, 2], data: [1, 2, 3, 4] }],
    nodes: [{ opType: 'Gemm', name: 'g', inputs: ['A', 'b', 'C'], outputs: ['y'], attributes: { transB: 1, alpha: 2, beta: 0.5 } }],
  },
  'gemm-activationC-beta1-then-add': {
    inputs: [{ name: 'a', dims: [1, 3] }, { name: 'c', dims: [1, 2] }],
    outputs: [{ name: 'y', dims: [1, 2] }],
    initializers: [{ name: 'B', dims: [3, 2], data: [1, -2, 0.5, 0.25, 3, -1] }],
    nodes: [{ opType: 'Gemm', name: 'g', inputs: ['a', 'B', 'c'], outputs: ['y'] }],
  },
  'gemm-noC-fused-add': {
    inputs: [{ name: 'a', dims: [1, 3] }],
    outputs: [{ name: 'y', dims: [1, 2] }],
    initializers: [{ name: 'B', dims: [3, 2], data: [1, -2, 0.5, 0.25, 3, -1] }, { name: 'd', dims: [2], data: [0.125, -4] }],
    nodes: [
      { opType: 'Gemm', name: 'g', inputs: ['a', 'B'], outputs: ['p'] },
      { opType: 'Add', name: 'add', inputs: ['d', 'p'], outputs: ['y'] },
    ],
  },
  'matmul-batched-broadcast-bias': {
    inputs: [{ name: 'a', dims: [2, 1, 3, 4] }],
    outputs: [{ name: 'y', dims: [2, 1, 3, 2] }],
    initializers: [{ name: 'B', dims: [4, 2], data: [1, 2, 3, 4, 5, 6, 7, 8].map((x) => x / 8) }, { name: 'd', dims: [3, 1], data: [1, 2, 3] }],
    nodes: [
      { opType: 'MatMul', name: 'mm', inputs: ['a', 'B'], outputs: ['p'] },
      { opType: 'Add', name: 'add', inputs: ['p', 'd'], outputs: ['y'] },
    ],
  },
  'matmul-constA-1d-and-activations': {
    inputs: [{ name: 'b', dims: [4] }, { name: 'c', dims: [2, 3] }, { name: 'e', dims: [3, 2] }],
    outputs: [{ name: 'y', dims: [3] }, { name: 'z', dims: [2, 2] }],
    initializers: [{ name: 'A', dims: [3, 4], data: [1, -1, 2, -2, 0.5, 0.25, 3, 1, -3, 0, 1, 1] }],
    nodes: [
      { opType: 'MatMul', name: 'left', inputs: ['A', 'b'], outputs: ['y'] },
      { opType: 'MatMul', name: 'act', inputs: ['c', 'e'], outputs: ['z'] },
    ],
  },
  'conv-pools-reshape': {
    inputs: [{ name: 'x', dims: [1, 2, 6, 6] }],
    outputs: [{ name: 'y', dims: [1, 18] }, { name: 'm', dims: [1, 3, 3, 3] }],
    initializers: [
      { name: 'W', dims: [3, 2, 3, 3], data: Array.from({ length: 54 }, (_, i) => ((i * 37) % 17) / 8 - 1) },
      { name: 'B', dims: [3], data: [0.5, -0.25, 0.125] },
      { name: 'W2', dims: [3, 3, 1, 1], data: [1, 0, -1, 0.5, 0.5, 0.5, 2, -2, 1] },
      { name: 'shape', dims: [2], data: [1, -1], dataType: DataType.INT64 },
    ],
    nodes: [
      { opType: 'Conv', name: 'conv', inputs: ['x', 'W', 'B'], outputs: ['c'], attributes: { pads: [1, 0, 0, 1], strides: [2, 1] } },
      { opType: 'AveragePool', name: 'pool', inputs: ['c'], outputs: ['p'], attributes: { kernel_shape: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1, ceil_mode: 1, strides: [2, 2] } },
      { opType: 'Reshape', name: 'flat', inputs: ['p', 'shape'], outputs: ['y'] },
      { opType: 'Conv', name: 'conv2', inputs: ['c', 'W2'], outputs: ['c2'], attributes: { dilations: [1, 1] } },
      { opType: 'Relu', name: 'relu', inputs: ['c2'], outputs: ['r'] },
      { opType: 'MaxPool', name: 'max', inputs: ['r'], outputs: ['m'], attributes: { kernel_shape: [2, 2], pads: [1, 0, 0, 1], strides: [1, 2], dilations: [2, 1] } },
    ],
  },
  'add-broadcast-constant-flatten': {
    inputs: [{ name: 'x', dims: [1, 2, 3] }, { name: 'w', dims: [3] }],
    outputs: [{ name: 'y', dims: [1, 6] }],
    initializers: [{ name: 'k', dims: [2, 1], data: [0.5, -0.5] }],
    nodes: [
      { opType: 'Add', name: 'add1', inputs: ['k', 'x'], outputs: ['a'] },
      { opType: 'Add', name: 'add2', inputs: ['a', 'w'], outputs: ['b'] },
      { opType: 'Flatten', name: 'flat', inputs: ['b'], outputs: ['y'] },
    ],
  },
  'unsupported-sigmoid': {
    inputs: [{ name: 'x', dims: [1, 2] }],
    outputs: [{ name: 'y', dims: [1, 2] }],
    nodes: [{ opType: 'Sigmoid', name: 's', inputs: ['x'], outputs: ['y'] }],
  },
};
for (const [key, graph] of Object.entries(graphs)) {
  const file = join(scratch, `${key}.onnx`);
  writeFileSync(file, encodeOnnxModel(graph));
  dumpOnnx(key, file, { name: key, scaleBits: 8, valueBits: 16 });
}

// 3. The hand-made QuantizedModels of the zk tests (layer shapes the importer never emits).
const fixtures = await import('../test/zk-fixtures.ts');
for (const model of [fixtures.tinyMlp(), fixtures.wiringModel(), fixtures.tinyCnn(), fixtures.geometryCnn()]) {
  dumpCircuits(model, `fixture-${model.name}`);
  dumpProgram(model, `fixture-${model.name}`);
}
console.log(`dumped into ${outDir}`);
