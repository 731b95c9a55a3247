/**
 * The contract between `loadOnnxModel` and its per-operator importers (src/onnx/ops/): an
 * importer sees one node whose activations are known (constant subgraphs are already folded),
 * checks what it supports, normalises the node's attributes and inputs in place, and says either
 * what its output's dims are (the node is kept) or that its output is one of its inputs under
 * another name (the node is removed: Identity, Dropout, a float Cast).
 */
import type { OnnxNode, OnnxTensor } from '../types.ts';

export interface ImportContext {
  file: string;
  /** Opset of the default domain. */
  opset: number;
  /** "file: node 'name' (OpType)", for error messages. */
  where: string;
  /** A constant (initializer, bound input or folded subgraph), if the tensor is one. */
  constantOf(name: string): OnnxTensor | undefined;
  /** Dims of the node's input `index` (activation or constant); unsupported if nothing produces it. */
  inputDims(index: number): number[];
  /** The element type of a graph input, if the tensor is one. */
  graphInputType(name: string): number | undefined;
  /** Whether a node or a graph output reads the tensor (an optional output nobody reads may be ignored). */
  isUsed(name: string): boolean;
  /** Throws the UnsupportedModelError "file: node 'n' (Op) uses <what>, which is not supported" with the supported set as hint. */
  unsupported(what: string): never;
}

export interface ImportNodeParameters {
  context: ImportContext;
  /** The node; its attributes and inputs may be rewritten into their normalised form. */
  node: OnnxNode;
}

/** Kept with its output's dims, or removed: its output is `aliasOf` under another name. */
export type ImportNodeResult = { outDims: number[] } | { aliasOf: string };

export type ImportNode = (parameters: ImportNodeParameters) => ImportNodeResult;

export interface OnnxImporter {
  importNode: ImportNode;
  /** Input positions that may be non-float constants (Reshape's shape, Dropout's training_mode). */
  integerInputs?: readonly number[];
}
