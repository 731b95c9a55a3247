/**
 * `matmul` → Gemm(M, K, N, s, v) per batch (M·N·K products + M·N·(s+v)), or with constant
 * weights GemmConst (M·N·(s+v): the dot products are linear combinations, no wire). A constant
 * left operand is wired as (bᵀ · aᵀ)ᵀ, as src/zk/layers/emitMatMul.ts does, with the same names.
 */
import { UnsupportedModelError } from '../../../errors.ts';
import type { MatMulLayer } from '../../../quant/types.ts';
import { broadcastOffsets } from '../../../tensor/broadcastShapes.ts';
import { matmulShape } from '../../../tensor/matmulShape.ts';
import { rescale } from '../gadgets.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitMatMul: DirectEmitLayer<MatMulLayer> = ({ context, layer, id }) => {
  const { cs, model, dimsOf, isConstant } = context;
  const { weights } = context.settings;
  const s = model.scaleBits;
  const v = model.valueBits;
  const { M, K, N, batches, aBatchOffsets: aOffsets, bBatchOffsets: bOffsets } = matmulShape({ aDims: dimsOf(layer.a), bDims: dimsOf(layer.b), where: context.where(layer) });
  const outDims = dimsOf(layer.out);
  const aConstant = isConstant(layer.a);
  const bConstant = isConstant(layer.b);
  if (aConstant && bConstant)
    throw new UnsupportedModelError(`${context.where(layer)}: both operands are constants`, { details: { layer: layer.name }, hint: 'fold it at import' });
  const biasOffsets = layer.bias ? broadcastOffsets(dimsOf(layer.bias), outDims) : undefined;
  const biasData = layer.bias ? model.constants[layer.bias]!.data : undefined;
  const out = new Array(batches * M * N);
  const constantWeights = weights === 'constant' && (aConstant || bConstant);
  // Operands in the order the circom generator asks for them (weight signals are declared on first use).
  const a = constantWeights && aConstant ? undefined : context.operand(layer.a);
  const b = constantWeights && bConstant ? undefined : context.operand(layer.b);
  const biasSignals = layer.bias && weights !== 'constant' ? context.weightSignals(layer.bias) : undefined;
  for (let batch = 0; batch < batches; batch++) {
    const aBase = aOffsets[batch]! * M * K;
    const bBase = bOffsets[batch]! * K * N;
    const oBase = batch * M * N;
    const component = `main.${id}[${batch}]`;
    const biasAt = (m: number, n: number) => (biasOffsets ? biasOffsets[oBase + m * N + n]! : -1);
    if (constantWeights) {
      const [rows, inner, columns] = bConstant ? [M, K, N] : [N, K, M];
      const constantData = model.constants[bConstant ? layer.b : layer.a]!.data;
      const activation = bConstant ? a! : b!;
      for (let i = 0; i < rows; i++) {
        // A fresh row per i: the concrete side caches its numbers by array.
        const row = new Array(inner);
        for (let k = 0; k < inner; k++) {
          row[k] = bConstant ? activation[aBase + i * K + k] : activation[bBase + k * N + i];
          if (cs.recording) cs.name(() => `${component}.a[${i}][${k}]`, row[k]);
        }
        for (let j = 0; j < columns; j++) {
          // Column j of the constant: b[k][j] (stride N) or, transposed, a[j][k] (stride 1).
          const [start, stride] = bConstant ? [bBase + j, N] : [aBase + j * K, 1];
          const at = bConstant ? biasAt(i, j) : biasAt(j, i);
          const accumulator = cs.dot(constantData, start, stride, row, at >= 0 ? biasData![at]! : 0);
          const result = rescale(cs, () => `${component}.rescale[${i}][${j}]`, accumulator, s, v);
          if (cs.recording) cs.name(() => `${component}.out[${i}][${j}]`, result);
          if (bConstant) out[oBase + i * N + j] = result;
          else out[oBase + j * N + i] = result;
        }
      }
    } else {
      for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) cs.name(() => `${component}.a[${m}][${k}]`, a![aBase + m * K + k]!);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) cs.name(() => `${component}.b[${k}][${n}]`, b![bBase + k * N + n]!);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          const at = biasAt(m, n);
          let accumulator = at < 0 ? cs.constant(0) : biasSignals ? biasSignals[at]! : cs.constant(biasData![at]!);
          if (cs.recording) cs.name(() => `${component}.bias[${m}][${n}]`, accumulator);
          for (let k = 0; k < K; k++) {
            const product = cs.mul(a![aBase + m * K + k]!, b![bBase + k * N + n]!);
            if (cs.recording) cs.name(() => `${component}.product[${m}][${n}][${k}]`, product);
            accumulator = cs.add(accumulator, product);
          }
          const result = rescale(cs, () => `${component}.rescale[${m}][${n}]`, accumulator, s, v);
          if (cs.recording) cs.name(() => `${component}.out[${m}][${n}]`, result);
          out[oBase + m * N + n] = result;
        }
    }
  }
  return out;
};
