/**
 * A proof with snarkjs's prover for `system` from a proving key and a witness (.wtns bytes or
 * file); the curve's worker threads are terminated afterwards, unless the caller keeps the curve
 * warm for several proofs (`keepCurve`) and terminates it itself. Times the proof only (witness
 * elsewhere). proveGroth16 / provePlonk / proveFflonk are this, for one system each.
 */
import * as snarkjs from 'snarkjs';
import { ToolError } from '../errors.ts';
import { closeFileHandlesAfter } from './closeFileHandlesAfter.ts';
import { measureProof } from './measureProof.ts';
import { peakRssBytes, terminateCurve, type ProofSystem, type PublicSignals, type SnarkProof } from './types.ts';

export interface ProveWithSnarkjsParameters<S extends ProofSystem = ProofSystem> {
  system: S;
  zkeyFile: string;
  /** The witness: `.wtns` bytes (calculateWitness) or a file name. */
  wtns: Uint8Array | string;
  /**
   * Leave snarkjs's cached curve (its worker threads, their JIT-compiled wasm) running for the
   * next proof instead of terminating it; the caller must then call terminateCurve (types.ts) in
   * a `finally`. Default false: every proof builds and tears down its own curve.
   */
  keepCurve?: boolean;
}

export interface ProveWithSnarkjsResult<S extends ProofSystem = ProofSystem> {
  system: S;
  proof: SnarkProof;
  publicSignals: PublicSignals;
  /** Proving wall time in milliseconds. */
  proveMs: number;
  /** Proof bytes as calldata (measureProof). */
  proofBytes: number;
  /** RSS high-water mark after proving, bytes (see peakRssBytes). */
  peakRssBytes: number;
}

export async function proveWithSnarkjs<S extends ProofSystem>({ system, zkeyFile, wtns, keepCurve = false }: ProveWithSnarkjsParameters<S>): Promise<ProveWithSnarkjsResult<S>> {
  const witness = typeof wtns === 'string' ? wtns : { type: 'mem', data: wtns };
  // Build the curve (worker threads, wasm) before timing, so the time is the proof's alone.
  await snarkjs.curves.getCurveFromName('bn128');
  const start = performance.now();
  let result: { proof: SnarkProof; publicSignals: PublicSignals };
  try {
    result = (await closeFileHandlesAfter({ run: () => snarkjs[system].prove(zkeyFile, witness as never) })) as typeof result;
  } catch (cause) {
    if (!keepCurve) await terminateCurve();
    throw new ToolError(`snarkjs ${system} prove failed with ${zkeyFile}`, { cause, details: { zkeyFile }, hint: 'the witness must come from the circuit this zkey was set up for' });
  }
  const proveMs = performance.now() - start;
  try {
    const { proofBytes } = await measureProof({ system, proof: result.proof, publicSignals: result.publicSignals });
    return { system, ...result, proveMs, proofBytes, peakRssBytes: peakRssBytes() };
  } finally {
    if (!keepCurve) await terminateCurve();
  }
}
