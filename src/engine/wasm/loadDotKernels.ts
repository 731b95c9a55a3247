/**
 * The engine's SIMD dot-product kernels (kernels.wat), assembled and compiled once per process
 * and instantiated per layer with a memory of its own (sized at compile time, never grown, so the
 * typed-array views onto it stay valid). Undefined where WebAssembly SIMD is not available: the
 * engine then keeps its float64 loops.
 */
import { readFileSync } from 'node:fs';
import { assembleWat } from './assembleWat.ts';

/** The kernel source, next to this file. */
export const KERNELS_WAT_FILE = new URL('./kernels.wat', import.meta.url);

/** Signature shared by both kernels: byte offsets into the layer's memory, then sizes. */
export type DotKernelFunction = (a: number, bt: number, out: number, chunks: number, groups: number, rows: number) => void;

export interface DotKernels {
  memory: WebAssembly.Memory;
  /** i16 × i16 → i32 (8 lanes a chunk), out i32. */
  dotI16x8: DotKernelFunction;
  /** i32 × i32 → i64 (4 lanes a chunk), out f64. */
  dotI32x4: DotKernelFunction;
}

let module: WebAssembly.Module | null | undefined;

/** The assembled kernel module's bytes (for tests and for checking against wat2wasm). */
export function assembleDotKernels(): Uint8Array<ArrayBuffer> {
  return assembleWat({ source: readFileSync(KERNELS_WAT_FILE, 'utf8'), file: 'src/engine/wasm/kernels.wat' });
}

/** The compiled module, or null when this runtime has no WebAssembly SIMD. */
export function dotKernelModule(): WebAssembly.Module | null {
  if (module === undefined) {
    const bytes = assembleDotKernels();
    module = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return module;
}

export interface InstantiateDotKernelsParameters {
  /** Bytes of memory the layer needs (rounded up to whole 64 KiB pages). */
  bytes: number;
}

export function instantiateDotKernels({ bytes }: InstantiateDotKernelsParameters): DotKernels | undefined {
  const compiled = dotKernelModule();
  if (!compiled) return undefined;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
  return { memory, dotI16x8: exports.dot_i16x8 as DotKernelFunction, dotI32x4: exports.dot_i32x4 as DotKernelFunction };
}
