/**
 * Kernel instances shared by every engine of the same weights: building one (the WebAssembly
 * memory, the weights transposed into it, the bound check over them) costs more than an MLP
 * inference, and tools that create an engine per call (runEngine, `bench --suite ci`, compare,
 * evaluation) would pay it each time. Keyed by the quantized model's constant array (the object
 * itself, held weakly, so the instances go with the model) and by every setting the choice and
 * the layout depend on; the weights are compared with a snapshot on every reuse, so a constant
 * edited in place between two createEngine calls gets new kernels, never stale ones. Sharing is
 * safe: a run is synchronous, so two engines never use one kernel's input and output areas at
 * the same time.
 */
import type { DotKernelName } from './chooseDotKernel.ts';
import type { DotProduct } from './createDotProduct.ts';

export interface ReusedDotProducts {
  kernel: DotKernelName;
  /** Empty when the kernel is not a SIMD one. */
  products: DotProduct[];
  /** A conv's im2col table: patches[target[i]] = input[source[i]] (padding taps absent). */
  patchTable?: { source: Int32Array; target: Int32Array };
}

interface Entry extends ReusedDotProducts {
  snapshot: Float64Array;
}

const cache = new WeakMap<object, Map<string, Entry>>();

export interface ReuseDotProductsParameters {
  /** The constant's `data` array in the QuantizedModel (its identity is the key). */
  owner: object;
  /** The weights as the layer uses them (compared with the snapshot taken when built). */
  weights: Float64Array;
  /** Everything else the kernel choice and layout depend on (kernels option, bits, shapes). */
  key: string;
  build: () => ReusedDotProducts;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function reuseDotProducts({ owner, weights, key, build }: ReuseDotProductsParameters): ReusedDotProducts {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  const found = byKey.get(key);
  if (found && sameValues(found.snapshot, weights)) return found;
  const entry = { ...build(), snapshot: Float64Array.from(weights) };
  byKey.set(key, entry);
  return entry;
}
