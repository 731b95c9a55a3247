/**
 * The contract between `generateCircuitSource` and its per-op layer emitters (src/zk/layers/):
 * every activation tensor is a list of Circom expressions, one per element; an emitter appends
 * the lines that instantiate and wire its templates to `body` and returns the expressions of
 * its output tensor, row-major.
 */
import type { QLayer, QOp, QuantizedModel } from '../../quant/types.ts';
import type { CircuitSettings } from '../generateCircuit.ts';

export interface CircuitContext {
  model: QuantizedModel;
  settings: Required<CircuitSettings>;
  /** Lines of the main template's body, in order (declarations are the generator's). */
  body: string[];
  /** Dims of an activation tensor or a constant. */
  dimsOf(name: string): number[];
  /** A constant that is not also an activation. */
  isConstant(name: string): boolean;
  /** An operand's element expressions: activation, literal constant, or weight signals. */
  operand(name: string): string[];
  /** The weight tensor's signals (declared on first use; every weight mode but constant). */
  weightSignals(constantName: string): string[];
  /** "model 'm': layer 'l'", for error messages. */
  where(layer: QLayer): string;
}

export interface EmitLayerParameters<Layer extends QLayer> {
  context: CircuitContext;
  layer: Layer;
  /** The layer's component name in the main template (`l<index>`). */
  id: string;
}

/** Emits one layer; returns its output's element expressions. */
export type EmitLayer<Layer extends QLayer> = (parameters: EmitLayerParameters<Layer>) => string[];

export interface CircuitLowering<Layer extends QLayer> {
  emit: EmitLayer<Layer>;
  /** circuits/<name>.circom files its templates live in. */
  includes: readonly string[];
}

/** One lowering per QLayer op: a missing op is a type error. */
export type CircuitLowerings = { [Op in QOp]: CircuitLowering<Extract<QLayer, { op: Op }>> };
