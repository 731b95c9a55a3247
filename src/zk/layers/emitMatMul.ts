/**
 * `matmul` → one Gemm(M, K, N, s, v) per batch, or with constant weights one GemmConst whose
 * weights and bias are template parameters (linear: free in R1CS under --O2). GemmConst takes
 * the constant on the right; a constant left operand is wired as (bᵀ · aᵀ)ᵀ.
 */
import { UnsupportedModelError } from '../../errors.ts';
import type { MatMulLayer } from '../../quant/types.ts';
import { broadcastOffsets } from '../../tensor/broadcastShapes.ts';
import { matmulShape } from '../../tensor/matmulShape.ts';
import { arrayLiteral } from './arrayLiteral.ts';
import type { EmitLayer } from './types.ts';

export const emitMatMul: EmitLayer<MatMulLayer> = ({ context, layer, id }) => {
  const { model, body, dimsOf, isConstant, operand, weightSignals } = context;
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
  const a = operand(layer.a);
  const b = operand(layer.b);
  const biasSignals = layer.bias && weights !== 'constant' ? weightSignals(layer.bias) : undefined;
  const out = new Array<string>(batches * M * N);
  body.push(`    component ${id}[${batches}];`);
  for (let batch = 0; batch < batches; batch++) {
    const aBase = aOffsets[batch]! * M * K;
    const bBase = bOffsets[batch]! * K * N;
    const oBase = batch * M * N;
    const component = `${id}[${batch}]`;
    const biasAt = (m: number, n: number) => (biasOffsets ? biasOffsets[oBase + m * N + n]! : -1);
    if (weights === 'constant' && (aConstant || bConstant)) {
      const [rows, inner, columns] = bConstant ? [M, K, N] : [N, K, M];
      const constantData = model.constants[bConstant ? layer.b : layer.a]!.data;
      const weight: number[] = [];
      for (let k = 0; k < inner; k++)
        for (let j = 0; j < columns; j++) weight.push(bConstant ? constantData[bBase + k * N + j]! : constantData[aBase + j * K + k]!);
      const bias: number[] = [];
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < columns; j++) {
          const at = bConstant ? biasAt(i, j) : biasAt(j, i);
          bias.push(at >= 0 ? biasData![at]! : 0);
        }
      body.push(`    var ${id}w${batch}[${inner}][${columns}] = ${arrayLiteral(weight, [inner, columns])};`);
      body.push(`    var ${id}b${batch}[${rows}][${columns}] = ${arrayLiteral(bias, [rows, columns])};`);
      body.push(`    ${component} = GemmConst(${rows}, ${inner}, ${columns}, ${id}w${batch}, ${id}b${batch}, ${s}, ${v});`);
      for (let i = 0; i < rows; i++)
        for (let k = 0; k < inner; k++)
          body.push(`    ${component}.a[${i}][${k}] <== ${bConstant ? a[aBase + i * K + k] : b[bBase + k * N + i]};`);
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) out[oBase + m * N + n] = bConstant ? `${component}.out[${m}][${n}]` : `${component}.out[${n}][${m}]`;
    } else {
      body.push(`    ${component} = Gemm(${M}, ${K}, ${N}, ${s}, ${v});`);
      for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) body.push(`    ${component}.a[${m}][${k}] <== ${a[aBase + m * K + k]};`);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) body.push(`    ${component}.b[${k}][${n}] <== ${b[bBase + k * N + n]};`);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          const at = biasAt(m, n);
          body.push(`    ${component}.bias[${m}][${n}] <== ${at < 0 ? '0' : biasSignals ? biasSignals[at] : biasData![at]};`);
          out[oBase + m * N + n] = `${component}.out[${m}][${n}]`;
        }
    }
  }
  return out;
};
