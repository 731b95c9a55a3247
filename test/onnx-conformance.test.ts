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
 * with L the accumulation length (K for MatMul/Gemm, C·kh·kw for Conv, 0 for element-wise ops,
 * pools, reshapes: pools and adds do not accumulate quantization error beyond their inputs') and
 * M = max(1, largest |float| among the case's inputs); Sigmoid, Tanh and Softmax add their
 * table's stated error (SMOOTH_ERROR_BOUNDS + 2^-s; softmax twice exp's). The native runner must match the
 * reference outputs to 1e-4 relative.
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
import { loadOnnxModel } from '../src/onnx/loadOnnxModel.ts';
import { DataType, type OnnxTensor } from '../src/onnx/types.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { SMOOTH_ERROR_BOUNDS } from '../src/quant/smoothTable.ts';

const DATA = '/usr/share/libonnx-testdata/data/node';
const SCALE_BITS = 12;
const VALUE_BITS = 24;

/** Case directories of the supported operators (not the look-alikes MatMulInteger, ConvInteger, ConvTranspose). */
const IN_SCOPE = /^test_(gemm|matmul|add|relu|conv|basic_conv|maxpool|averagepool|flatten|reshape|identity|dropout|sigmoid|tanh|softmax)(_|$)/;
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

/**
 * Graph inputs that a real model would hold as initializers: integer tensors (Reshape's shape),
 * Conv weights/biases, Dropout's ratio/training_mode. They are bound to the test data's values.
 */
function constantInputs(c: Case): Set<string> {
  const bound = new Set<string>();
  const graph = c.model.graph!;
  for (const input of graph.input ?? []) {
    const type = input.type?.tensorType?.elemType;
    if (type === DataType.INT64) bound.add(input.name ?? '');
  }
  for (const node of graph.node ?? [])
    if (node.opType === 'Conv' || node.opType === 'Dropout') (node.input ?? []).slice(1).forEach((name) => name && bound.add(name));
  return bound;
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
        let error: unknown;
        try {
          loadOnnxModel({ file });
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
        const imported = loadOnnxModel({ file, bindInputs });
        const model = quantizeModel({ file, graph: imported, scaleBits: SCALE_BITS, valueBits: VALUE_BITS });
        const floatInputs = Object.fromEntries(inputs.filter((i) => !bound.has(i.name)).map((i) => [i.name, Array.from(i.tensor.data)]));

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
          if (layer.op === 'conv') accumulation = Math.max(accumulation, model.constants[layer.weight]!.dims.slice(1).reduce((p, d) => p * d, 1));
          if (layer.op === 'scalarMul' && layer.name.endsWith(':alpha')) alphaScaled = true;
        }
        const M = maxMagnitude;
        const L = accumulation;
        const tolerance = 2 ** -SCALE_BITS * (2 + L * (M + 1) + (alphaScaled ? L * M * M : 0)) + smoothError;

        const engine = runEngine({ model, inputs: quantizeInputs({ model, inputs: floatInputs }) });
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
