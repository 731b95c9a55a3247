/**
 * Owns the harness's one door to the sumcheck/GKR prover (src/gkr/index.ts): the part of its API
 * the harness relies on (CLI `--system gkr`, the micro matmul ladder, the table2 gkr path), typed
 * by the prover's own types, and its loading on first use (the other systems never load it; a
 * missing export is a ToolError naming it).
 */
import { ToolError } from '../errors.ts';

/** The prover's API as the harness uses it: src/gkr/index.ts's own functions and types (type-only imports, erased at run time). */
export type GkrProverApi = Pick<typeof import('../gkr/index.ts'), 'setupGkrModel' | 'proveGkr' | 'verifyGkr' | 'proveMatMulGkr' | 'verifyMatMulGkr' | 'serializeGkrProof' | 'deserializeGkrProof'>;
/** What setupGkrModel returns: the weights committed once (its `setupMs`, its `verifierKey`). */
export type GkrModelKey = import('../gkr/index.ts').GkrModelKey;
export type GkrProveResult = import('../gkr/index.ts').ProveGkrResult;
export type GkrMatMulResult = import('../gkr/index.ts').ProveMatMulGkrResult;
/** Size measures of one gkr proof (layers, sumcheckRounds, lookups, tableEntries, committedElements, commitmentBytes). */
export type GkrProofSizes = GkrProveResult['sizes'];
/** Milliseconds of each step of one gkr proof (witness, prove — the whole — protocol, commit, open). */
export type GkrProofTimings = GkrProveResult['timingsMs'];

export type LoadGkrProverResult = GkrProverApi;

const REQUIRED: Array<keyof GkrProverApi> = ['setupGkrModel', 'proveGkr', 'verifyGkr', 'proveMatMulGkr', 'verifyMatMulGkr', 'serializeGkrProof', 'deserializeGkrProof'];

let loaded: GkrProverApi | undefined;

/** The prover module, loaded once; a ToolError naming what is missing when the checkout lacks it. */
export async function loadGkrProver(): Promise<LoadGkrProverResult> {
  if (loaded) return loaded;
  // Loaded on first use only: the Groth16/PLONK paths never load the prover's modules.
  const specifier = new URL('../gkr/index.ts', import.meta.url).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new ToolError('the sumcheck/GKR prover (src/gkr/index.ts) could not be loaded', {
      hint: 'the gkr system needs src/gkr/ (issue 10); use --system groth16, plonk or fflonk meanwhile', cause: error,
    });
  }
  const missing = REQUIRED.filter((name) => typeof module[name] !== 'function');
  if (missing.length)
    throw new ToolError(`src/gkr/index.ts does not export ${missing.join(', ')}`, {
      hint: 'the harness codes against the interface in src/zk/loadGkrProver.ts (GkrProverApi)', details: { missing },
    });
  loaded = module as unknown as GkrProverApi;
  return loaded;
}
