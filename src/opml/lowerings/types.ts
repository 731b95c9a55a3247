/**
 * The contract between `compileProgram` and its per-op lowerings (src/opml/lowerings/): a tensor
 * is a list of memory addresses, one per element (row-major); a lowering appends the steps that
 * compute its layer to the emitter and returns the addresses of its output.
 */
import type { QConstant, QLayer, QOp, QuantizedModel } from '../../quant/types.ts';
import type { InstructionEmitter } from '../instructionEmitter.ts';

export interface VmLoweringContext {
  model: QuantizedModel;
  emitter: InstructionEmitter;
  /** "model 'm': layer 'l' (op)", for error messages. */
  where(layer: QLayer): string;
  /** Dims of an activation tensor or a constant. */
  dimsOf(name: string): number[];
  /** The addresses of an activation computed before, or of a constant (placed in memory on first use). */
  viewOf(name: string, layer: QLayer): Uint32Array;
  /** A constant operand (weights and biases become instruction immediates); refused if it is an activation. */
  constantOf(name: string, layer: QLayer): QConstant;
  /** One memory word holding `value` in the initial memory (a pad fill, a clip bound), shared by every use. */
  constantWord(value: number): number;
  /** Fresh addresses for a tensor the layer writes (in the output region when it is a model output). */
  allocate(name: string): Uint32Array;
  /** The addresses of `source` for the output `name` of an elementwise layer whose step for
   * element i reads source[i] before it writes out[i], and reads nothing else of it: the output
   * overwrites its input where the input is an activation some step wrote, of the same size,
   * that nothing else reads (no other layer, not a model output); else fresh addresses, as
   * `allocate`. Fewer distinct words written: a smaller final memory to commit (issue 13 §3). */
  allocateOver(name: string, source: string): Uint32Array;
  /** Fresh addresses for `length` words of working memory (no tensor; initially zero): softmax's row maxima, leakyRelu's scaled value. */
  scratch(length: number): Uint32Array;
  /** The address of the words `words()` placed once under `key` in the initial memory (a LUT table). */
  table(key: string, words: () => number[]): number;
}

export interface LowerLayerParameters<Layer extends QLayer> {
  context: VmLoweringContext;
  layer: Layer;
}

/** Emits one layer's steps; returns its output's addresses, row-major. */
export type LowerLayer<Layer extends QLayer> = (parameters: LowerLayerParameters<Layer>) => Uint32Array;

/**
 * How a layer's output relates to memory, which decides whether a model output can be written
 * in place (in the output region) or must be copied there at the end:
 * - 'written': its steps write every element at addresses from `allocate`;
 * - 'alias': no steps, its output is the `source` tensor's addresses in the same order (reshape);
 * - 'view': no steps, its output re-indexes other tensors' addresses (transpose, concat, pad).
 */
export type VmLowering<Layer extends QLayer> =
  | { lower: LowerLayer<Layer>; output: 'written' | 'view' }
  | { lower: LowerLayer<Layer>; output: 'alias'; source: (layer: Layer) => string };

/** One lowering per QLayer op: a missing op is a type error. */
export type VmLowerings = { [Op in QOp]: VmLowering<Extract<QLayer, { op: Op }>> };
