/**
 * ONNX backend node test cases (Debian's libonnx-testdata) of the supported operators, run
 * through the importer + quantizer + fixed-point engine and through the native runner.
 *
 * Engine tolerance, per output element (the derivation: inputs and weights are quantized with
 * error ≤ δ = 2^-(s+1); a product term a·w then errs by ≤ δ(|a| + |w|) + δ² ≤ 2^-s·(M + 1) when
 * every |value| ≤ M; an accumulation of L terms sums those; each rescale/rounding adds ≤ δ, and an
 * output passes at most 2 of them plus its input's own δ):
 *
 *     tol = 2^-s · (2 + L·(M + 1))   [+ 2^-s · L·M² when Gemm's alpha becomes a scalarMul,
 *                                      whose quantized factor errs by δ on an accumulator ≤ L·M²]
 *
 * with L the accumulation length (K for MatMul/Gemm, C·kh·kw for Conv, 1 for an element-wise
 * product — Mul, Div by a constant, BatchNormalization, LeakyRelu's slope —, 0 for the other
 * element-wise ops, pools, re-indexings: they do not accumulate quantization error beyond their
 * inputs') and M = max(1, largest |float| among the case's inputs and element-wise factors). Sigmoid, Tanh and Softmax add their
 * table's stated error (SMOOTH_ERROR_BOUNDS + 2^-s; softmax twice exp's). The native runner must match the
 * reference outputs to 1e-4 relative.
 *
 * The trace VM (src/opml) runs every case too and must reproduce the engine's integers bit for bit.
 *
 * Cases of these operators that use something outside the supported list (integer types, 1-D/3-D
 * pools, MaxPool's Indices output, optional/sequence types, Dropout's mask, CastLike) are listed
 * in EXPECTED_UNSUPPORTED and must fail with an UnsupportedModelError that names the node.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, UnsupportedModelError } from '../src/errors.ts';
import { createNativeSession, type NativeSession } from '../src/native/createNativeSession.ts';
import { decodeTensor } from '../src/onnx/decodeTensor.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { loadOnnxModel } from '../src/onnx/loadOnnxModel.ts';
import { DataType, type OnnxTensor } from '../src/onnx/types.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { SMOOTH_ERROR_BOUNDS } from '../src/quant/smoothTable.ts';

const DATA = '/usr/share/libonnx-testdata/data/node';
const SCALE_BITS = 12;
const VALUE_BITS = 24;

/** Case directories of the supported operators (not the look-alikes MatMulInteger, ConvInteger, ConvTranspose). */
const IN_SCOPE =
  /^test_(gemm|matmul|add|relu|conv|basic_conv|maxpool|averagepool|flatten|reshape|identity|dropout|sigmoid|tanh|softmax|sub|mul|div|pow|batchnorm|clip|leakyrelu|globalaveragepool|transpose|concat|constant_pad|edge_pad|reflect_pad)(_|$)/;
const OTHER_OPERATORS = /^test_(matmulinteger|convinteger|basic_convinteger|convtranspose|add_.*expanded|relu_expanded|softmax_.*expanded)/;

const EXPECTED_UNSUPPORTED: Record<string, RegExp> = {
  test_add_uint8: /UINT8 input/,
  test_add_int8: /INT8 input/,
  test_add_int16: /INT16 input/,
  test_add_uint16: /UINT16 input/,
  test_add_uint32: /UINT32 input/,
  test_add_uint64: /UINT64 input/,
  test_averagepool_1d_default: /1-D pool/,
  test_averagepool_3d_default: /3-D pool/,
  test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_False: /3-D pool/,
  test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_True: /3-D pool/,
  test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False: /3-D pool/,
  test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True: /3-D pool/,
  test_averagepool_3d_dilations_small: /3-D pool/,
  test_maxpool_1d_default: /1-D pool/,
  test_maxpool_3d_default: /3-D pool/,
  test_maxpool_3d_dilations: /3-D pool/,
  test_maxpool_3d_dilations_use_ref_impl: /3-D pool/,
  test_maxpool_3d_dilations_use_ref_impl_large: /3-D pool/,
  test_maxpool_2d_uint8: /UINT8 input/,
  test_maxpool_with_argmax_2d_precomputed_pads: /Indices output/,
  test_maxpool_with_argmax_2d_precomputed_strides: /Indices output/,
  test_identity_opt: /optional value, not a tensor/,
  test_identity_sequence: /sequence value, not a tensor/,
  test_dropout_default_mask: /mask output/,
  test_dropout_default_mask_ratio: /mask output/,
  test_softmax_axis_0: /axis=0 on a rank-3 tensor \(only the last axis/,
  test_softmax_axis_1: /axis=1 on a rank-3 tensor \(only the last axis/,
  test_batchnorm_epsilon_training_mode: /training_mode=1/,
  test_batchnorm_example_training_mode: /training_mode=1/,
  test_clip_default_int8_inbounds: /INT8 input/,
  test_clip_default_int8_max: /INT8 input/,
  test_clip_default_int8_min: /INT8 input/,
  test_div_uint8: /UINT8 input/,
  test_mul_uint8: /UINT8 input/,
  test_sub_uint8: /UINT8 input/,
  // This testdata's edge and reflect cases pad INT32 tensors; test/linear-ops.test.ts pads floats in both modes.
  test_edge_pad: /INT32 input/,
  test_reflect_pad: /INT32 input/,
  test_pow: /the exponent \[1\.76/,
  test_pow_bcast_array: /the exponent \[1,2,3\]/,
  test_pow_example: /the exponent \[4,5,6\]/,
  test_pow_types_float: /INT64 input/,
  test_pow_types_float32_int32: /the exponent \[4,5,6\]/,
  test_pow_types_float32_int64: /the exponent \[4,5,6\]/,
  test_pow_types_float32_uint32: /the exponent \[4,5,6\]/,
  test_pow_types_float32_uint64: /the exponent \[4,5,6\]/,
  test_pow_types_int: /the exponent \[4,5,6\]/,
  test_pow_types_int32_float32: /INT32 input/,
  test_pow_types_int32_int32: /INT32 input/,
  test_pow_types_int64_float32: /INT64 input/,
  test_pow_types_int64_int64: /INT64 input/,
};

/** Cases whose inputs leave the fixed-point range at SCALE_BITS/VALUE_BITS (±2,048): the input is refused, naming the element. */
const EXPECTED_OVERFLOW: Record<string, RegExp> = {
  test_softmax_large_number: /input 'x' element 4 = 10000 quantizes to 40960000, outside the 24-bit range/,
};

const missing = !existsSync(DATA);
const skipRequested = process.env.OPZK_SKIP_ONNX_TESTDATA === '1';
if (missing && skipRequested)
  console.warn(`\n*** ONNX CONFORMANCE TESTS SKIPPED: ${DATA} is missing and OPZK_SKIP_ONNX_TESTDATA=1 is set. ***\n*** Install it with: apt-get install libonnx-testdata ***\n`);

interface Case {
  name: string;
  dir: string;
  model: onnxProto.onnx.ModelProto;
}

function listCases(): Case[] {
  return readdirSync(DATA)
    .filter((name) => IN_SCOPE.test(name) && !OTHER_OPERATORS.test(name))
    .sort()
    .map((name) => ({ name, dir: join(DATA, name), model: onnxProto.onnx.ModelProto.decode(readFileSync(join(DATA, name, 'model.onnx'))) }));
}

function readPb(file: string): OnnxTensor {
  return decodeTensor({ tensor: onnxProto.onnx.TensorProto.decode(readFileSync(file)), file });
}

/** Inputs (by position) of these operators that a real model holds as initializers. */
const WEIGHT_INPUTS: Record<string, number[]> = {
  Dropout: [1, 2], BatchNormalization: [1, 2, 3, 4], Clip: [1, 2], Pad: [1, 2, 3], Div: [1], Pow: [1],
};

/**
 * Graph inputs that a real model would hold as initializers and that the quantizer needs as
 * constants: Dropout's ratio/training_mode, BatchNormalization's statistics, Clip's bounds, Pad's
 * pads and value, the divisor of Div, the exponent of Pow, and other integer tensors a node does
 * not compute on. They are bound to the test data's values. Everything else is given at run
 * time: Conv, Gemm and MatMul weights given as graph inputs are quantized then, and Reshape's
 * integer shape input is bound by the import from the run's inputs (runInputs), as
 * `opzk infer --input` does.
 */
function constantInputs(c: Case): Set<string> {
  const bound = new Set<string>();
  const graph = c.model.graph!;
  // An INT64 tensor some node computes on (input 0, e.g. Pow's base) stays an input: it is refused
  // as such; Reshape's shape is given at run time.
  const runTime = new Set((graph.node ?? []).flatMap((node) => [(node.input ?? [])[0], ...(node.opType === 'Reshape' ? [(node.input ?? [])[1]] : [])]));
  for (const input of graph.input ?? []) {
    const type = input.type?.tensorType?.elemType;
    if (type === DataType.INT64 && !runTime.has(input.name ?? '')) bound.add(input.name ?? '');
  }
  for (const node of graph.node ?? [])
    for (const position of WEIGHT_INPUTS[node.opType ?? ''] ?? []) {
      const name = (node.input ?? [])[position];
      if (name) bound.add(name);
    }
  return bound;
}

/** Set 0's tensors for the bound graph inputs of a case. */
function boundFirstSetInputs(c: Case, bound: Set<string>): Record<string, OnnxTensor> {
  const graph = c.model.graph!;
  const names = (graph.input ?? []).filter((i) => !(graph.initializer ?? []).some((t) => t.name === i.name)).map((i) => i.name ?? '');
  const entries = names.map((name, i) => [name, i] as const).filter(([name]) => bound.has(name));
  return Object.fromEntries(entries.map(([name, i]) => [name, readPb(join(c.dir, 'test_data_set_0', `input_${i}.pb`))]));
}

const sessions: NativeSession[] = [];
afterAll(async () => {
  for (const session of sessions) await session.close();
});

describe.skipIf(missing && skipRequested)('ONNX backend node tests', () => {
  it('has the test data installed', () => {
    if (missing) throw new Error(`${DATA} is missing: apt-get install libonnx-testdata (or set OPZK_SKIP_ONNX_TESTDATA=1 to skip these tests)`);
  });
  if (missing) return;
  const cases = listCases();

  it('finds the supported operators\' cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(75);
  });

  for (const c of cases) {
    const expectedError = EXPECTED_UNSUPPORTED[c.name];
    if (expectedError) {
      it(`${c.name}: refused with UnsupportedModelError`, () => {
        const file = join(c.dir, 'model.onnx');
        const bound = constantInputs(c);
        const bindInputs = boundFirstSetInputs(c, bound);
        let error: unknown;
        try {
          quantizeModel({ file, graph: loadOnnxModel({ file, bindInputs }), scaleBits: SCALE_BITS, valueBits: VALUE_BITS });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UnsupportedModelError);
        expect((error as Error).message).toMatch(expectedError);
        expect((error as Error).message).toContain(file);
        expect((error as Error).message).toContain('supported:');
      });
      continue;
    }
    const expectedOverflow = EXPECTED_OVERFLOW[c.name];
    if (expectedOverflow) {
      it(`${c.name}: its input is refused with OverflowError`, () => {
        const file = join(c.dir, 'model.onnx');
        const model = quantizeModel({ file, scaleBits: SCALE_BITS, valueBits: VALUE_BITS });
        const x = readPb(join(c.dir, 'test_data_set_0', 'input_0.pb'));
        expect(() => quantizeInputs({ model, inputs: { [model.inputs[0]!.name]: Array.from(x.data) } })).toThrow(OverflowError);
        expect(() => quantizeInputs({ model, inputs: { [model.inputs[0]!.name]: Array.from(x.data) } })).toThrow(expectedOverflow);
      });
      continue;
    }
    it(`${c.name}: engine and native match the reference outputs`, async () => {
      const file = join(c.dir, 'model.onnx');
      const graph = c.model.graph!;
      const graphInputs = (graph.input ?? []).filter((i) => !(graph.initializer ?? []).some((t) => t.name === i.name)).map((i) => i.name ?? '');
      const graphOutputs = graph.output ?? [];
      const bound = constantInputs(c);
      const sets = readdirSync(c.dir).filter((d) => d.startsWith('test_data_set_')).sort();
      expect(sets.length).toBeGreaterThan(0);
      const session = await createNativeSession({ file });
      sessions.push(session);
      for (const set of sets) {
        const setDir = join(c.dir, set);
        const inputs = graphInputs.map((name, i) => ({ name, tensor: readPb(join(setDir, `input_${i}.pb`)) }));
        const expected = graphOutputs.map((_, i) => readPb(join(setDir, `output_${i}.pb`)));
        const bindInputs = Object.fromEntries(inputs.filter((i) => bound.has(i.name)).map((i) => [i.name, i.tensor]));
        const runInputs = Object.fromEntries(inputs.filter((i) => !bound.has(i.name)).map((i) => [i.name, { dims: i.tensor.dims, data: Array.from(i.tensor.data) }]));
        const imported = loadOnnxModel({ file, bindInputs, runInputs });
        const model = quantizeModel({ file, graph: imported, scaleBits: SCALE_BITS, valueBits: VALUE_BITS });
        // The integer inputs are now part of the model; quantizeInputs checks they are given unchanged.
        for (const i of inputs) if (i.tensor.dataType === DataType.INT64 && !bound.has(i.name)) expect(model.boundInputs?.[i.name]?.data).toEqual(Array.from(i.tensor.data));
        const floatInputs = runInputs;

        // Tolerance (see the header).
        let maxMagnitude = 1;
        for (const i of inputs) if (i.tensor.dataType !== DataType.INT64) for (const v of i.tensor.data) maxMagnitude = Math.max(maxMagnitude, Math.abs(v));
        let accumulation = 0;
        let alphaScaled = false;
        // The smooth functions' own error (docs/fixed-point.md, "Smooth functions"): the table's
        // bound plus its two roundings; softmax about twice exp's.
        let smoothError = 0;
        for (const layer of model.layers) {
          if (layer.op === 'smooth') smoothError = Math.max(smoothError, SMOOTH_ERROR_BOUNDS[layer.fn] + 2 ** -SCALE_BITS);
          if (layer.op === 'softmax') smoothError = Math.max(smoothError, 2 * SMOOTH_ERROR_BOUNDS.exp + 2 ** -SCALE_BITS);
          if (layer.op === 'matmul') {
            const aDims = model.tensors[layer.a] ?? model.constants[layer.a]!.dims;
            accumulation = Math.max(accumulation, aDims[aDims.length - 1]!);
          }
          if (layer.op === 'conv') accumulation = Math.max(accumulation, (model.tensors[layer.weight] ?? model.constants[layer.weight]!.dims).slice(1).reduce((p, d) => p * d, 1));
          if (layer.op === 'scalarMul' && layer.name.endsWith(':alpha')) alphaScaled = true;
          if (layer.op === 'mul' || layer.op === 'leakyRelu' || (layer.op === 'scalarMul' && !layer.name.endsWith(':alpha'))) {
            accumulation = Math.max(accumulation, 1);
            const factors = layer.op === 'mul' ? (model.constants[layer.b]?.data ?? []) : [layer.op === 'scalarMul' ? layer.factor : layer.alpha];
            for (const factor of factors) maxMagnitude = Math.max(maxMagnitude, Math.abs(factor) * 2 ** -SCALE_BITS);
          }
        }
        const M = maxMagnitude;
        const L = accumulation;
        const tolerance = 2 ** -SCALE_BITS * (2 + L * (M + 1) + (alphaScaled ? L * M * M : 0)) + smoothError;

        const quantized = quantizeInputs({ model, inputs: floatInputs });
        const engine = runEngine({ model, inputs: quantized });
        // A model whose outputs are all empty has no step for the VM to run (it says so).
        if (engine.outputs.every((output) => output.data.length === 0)) expect(() => compileProgram({ model })).toThrow('has no computing layer');
        else {
          const traced = createTrace({ program: compileProgram({ model }), input: quantized });
          for (const output of engine.outputs) expect(traced.outputs[output.name], `${set}: trace VM output '${output.name}'`).toEqual(output.data);
        }
        const native = await session.run(Object.fromEntries(inputs.map((i) => [i.name, { dims: i.tensor.dims, data: Array.from(i.tensor.data) }])));
        expected.forEach((reference, o) => {
          const got = engine.outputs[o]!;
          expect(got.dims.reduce((p, d) => p * d, 1)).toBe(reference.data.length);
          let worst = 0;
          for (let k = 0; k < reference.data.length; k++) worst = Math.max(worst, Math.abs(got.data[k]! * 2 ** -SCALE_BITS - reference.data[k]!));
          expect(worst, `${set} output ${o}: engine error ${worst} vs tolerance ${tolerance}`).toBeLessThanOrEqual(tolerance);
          const nat = native[o]!;
          expect(nat.dims).toEqual(reference.dims);
          for (let k = 0; k < reference.data.length; k++)
            expect(Math.abs(nat.data[k]! - reference.data[k]!)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(reference.data[k]!)));
        });
      }
    });
  }
});
