/**
 * Real PyTorch exports (libonnx-testdata's pytorch-converted and pytorch-operator cases: modules
 * exported by torch.onnx, their weights as initializers) of the supported operators, through the
 * importer, the quantizer (scale 2^12, 24-bit values) and the engine against the reference output,
 * and through the native runner where onnxruntime still implements the case's opset (it has no
 * kernels for BatchNormalization-6, Gemm-6 or AveragePool-1, which these old exports use). The engine must be within 1% of the largest reference output
 * (the bar for calibrated scales; the worst case here is ~1e-3 absolute), native within
 * 1e-4 relative. 22 of these ran on no backend before BatchNormalization, grouped/depthwise Conv,
 * Pad (constant, reflect, edge), LeakyRelu, Clip, Concat and general Transpose were added.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { createNativeSession, type NativeSession } from '../src/native/createNativeSession.ts';
import { decodeTensor } from '../src/onnx/decodeTensor.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';

const DATA = '/usr/share/libonnx-testdata/data';
const CASES: Record<string, string> = {
  // New: BatchNorm (a per-channel mul; 1-D, 2-D and 3-D), pads, grouped convs, LeakyRelu, Clip, Concat, permute.
  'pytorch-converted/test_BatchNorm1d_3d_input_eval': 'mul',
  'pytorch-converted/test_BatchNorm2d_eval': 'mul',
  'pytorch-converted/test_BatchNorm2d_momentum_eval': 'mul',
  'pytorch-converted/test_BatchNorm3d_eval': 'mul',
  'pytorch-converted/test_BatchNorm3d_momentum_eval': 'mul',
  'pytorch-converted/test_ConstantPad2d': 'pad',
  'pytorch-converted/test_ReflectionPad2d': 'pad',
  'pytorch-converted/test_ReplicationPad2d': 'pad',
  'pytorch-converted/test_ZeroPad2d': 'pad',
  'pytorch-converted/test_Conv2d_depthwise': 'conv',
  'pytorch-converted/test_Conv2d_depthwise_padded': 'conv',
  'pytorch-converted/test_Conv2d_depthwise_strided': 'conv',
  'pytorch-converted/test_Conv2d_depthwise_with_multiplier': 'conv',
  'pytorch-converted/test_Conv2d_groups': 'conv',
  'pytorch-converted/test_Conv2d_groups_thnn': 'conv',
  'pytorch-converted/test_LeakyReLU': 'leakyRelu',
  'pytorch-converted/test_LeakyReLU_with_negval': 'leakyRelu',
  'pytorch-converted/test_PixelShuffle': 'reshape,transpose,reshape',
  'pytorch-operator/test_operator_clip': 'clip',
  'pytorch-operator/test_operator_concat2': 'concat',
  'pytorch-operator/test_operator_pad': 'pad',
  'pytorch-operator/test_operator_permute2': 'transpose',
  // Ran before: the same pipeline on the operators that were already supported.
  'pytorch-converted/test_Conv2d': 'conv',
  'pytorch-converted/test_Linear': 'matmul',
  'pytorch-converted/test_MaxPool2d': 'maxpool',
  'pytorch-converted/test_AvgPool2d': 'avgpool',
};

/** Cases onnxruntime refuses to load ("Could not find an implementation for BatchNormalization(6)"). */
const OLD_OPSET = /BatchNorm|test_Linear$|test_AvgPool2d$/;

const readPb = (file: string) => decodeTensor({ tensor: onnxProto.onnx.TensorProto.decode(readFileSync(file)), file });
const missing = !existsSync(DATA);
const sessions: NativeSession[] = [];
afterAll(async () => {
  for (const session of sessions) await session.close();
});

describe.skipIf(missing && process.env.OPZK_SKIP_ONNX_TESTDATA === '1')('PyTorch exports of the supported operators', () => {
  for (const [name, ops] of Object.entries(CASES)) {
    it(`${name}: ${ops}, engine within 1%${OLD_OPSET.test(name) ? '' : ' and native within 1e-4'} of the reference`, async () => {
      const dir = join(DATA, name);
      const file = join(dir, 'model.onnx');
      const graph = onnxProto.onnx.ModelProto.decode(readFileSync(file)).graph!;
      const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
      const inputNames = (graph.input ?? []).map((i) => i.name!).filter((n) => !initializers.has(n));
      const sets = readdirSync(dir).filter((d) => d.startsWith('test_data_set_'));
      expect(sets.length).toBeGreaterThan(0);
      const model = quantizeModel({ file, scaleBits: 12, valueBits: 24 });
      expect(model.layers.map((layer) => layer.op).join(',')).toBe(ops);
      const session = OLD_OPSET.test(name) ? undefined : await createNativeSession({ file });
      if (session) sessions.push(session);
      for (const set of sets) {
        const tensors = inputNames.map((n, i) => [n, readPb(join(dir, set, `input_${i}.pb`))] as const);
        const reference = readPb(join(dir, set, 'output_0.pb'));
        const engine = runEngine({ model, inputs: quantizeInputs({ model, inputs: Object.fromEntries(tensors.map(([n, t]) => [n, Array.from(t.data)])) }) });
        const got = engine.outputs[0]!.data;
        expect(got).toHaveLength(reference.data.length);
        const largest = Math.max(...Array.from(reference.data, Math.abs));
        const worst = Math.max(...got.map((q, k) => Math.abs(q * 2 ** -12 - reference.data[k]!)));
        expect(worst, `${set}: error ${worst} of ${largest}`).toBeLessThanOrEqual(0.01 * largest);
        if (!session) continue;
        const native = await session.run(Object.fromEntries(tensors.map(([n, t]) => [n, { dims: t.dims, data: Array.from(t.data) }])));
        for (let k = 0; k < reference.data.length; k++) expect(Math.abs(native[0]!.data[k]! - reference.data[k]!)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(reference.data[k]!)));
      }
    });
  }
});
