/**
 * The contract between `emitModelR1cs` and its per-op emitters (one file per op, mirroring
 * src/zk/layers/): every activation tensor is a list of signals (Cs<T> values), one per element;
 * an emitter runs the op's gadgets and returns its output tensor's signals, row-major. The same
 * emitter builds the R1CS (T = Lc) and the witness (T = bigint).
 */
import type { QLayer, QOp, QuantizedModel } from '../../../quant/types.ts';
import type { CircuitSettings } from '../../generateCircuit.ts';
import type { Cs } from '../constraintSystem.ts';

export interface DirectContext<T> {
  cs: Cs<T>;
  model: QuantizedModel;
  settings: Required<CircuitSettings>;
  dimsOf(name: string): number[];
  /** A constant that is not also an activation. */
  isConstant(name: string): boolean;
  /** An activation's signals, or a weight tensor's signals (weights not constant). */
  operand(name: string): T[];
  /** The weight tensor's signals (declared on first use; every weight mode but constant). */
  weightSignals(constantName: string): T[];
  where(layer: QLayer): string;
}

export interface DirectEmitParameters<T, Layer extends QLayer> {
  context: DirectContext<T>;
  layer: Layer;
  /** The layer's component name in the circom main (`l<index>`), for signal names. */
  id: string;
}

export type DirectEmitLayer<Layer extends QLayer> = <T>(parameters: DirectEmitParameters<T, Layer>) => T[];

/** One emitter per op the direct builder supports; an op without one is built by circom. */
export type DirectLowerings = { [Op in QOp]?: DirectEmitLayer<Extract<QLayer, { op: Op }>> };
