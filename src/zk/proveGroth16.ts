/**
 * A Groth16 proof with snarkjs from a proving key and a witness (.wtns bytes or file); the
 * curve's worker threads are terminated afterwards, unless the caller keeps the curve warm for
 * several proofs (`keepCurve`) and terminates it itself. Times the proof only (witness elsewhere).
 */
import * as snarkjs from 'snarkjs';
import { ToolError } from '../errors.ts';
import { measureProof } from './measureProof.ts';
import { peakRssBytes, terminateCurve, type PublicSignals, type SnarkProof } from './types.ts';

export interface ProveGroth16Parameters {
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

export interface ProveGroth16Result {
  system: 'groth16';
  proof: SnarkProof;
  publicSignals: PublicSignals;
  /** Proving wall time in milliseconds. */
  proveMs: number;
  /** Proof bytes as calldata (measureProof). */
  proofBytes: number;
  /** RSS high-water mark after proving, bytes (see peakRssBytes). */
  peakRssBytes: number;
}

export async function proveGroth16({ zkeyFile, wtns, keepCurve = false }: ProveGroth16Parameters): Promise<ProveGroth16Result> {
  const witness = typeof wtns === 'string' ? wtns : { type: 'mem', data: wtns };
  // Build the curve (worker threads, wasm) before timing, so the time is the proof's alone.
  await snarkjs.curves.getCurveFromName('bn128');
  const start = performance.now();
  let result: { proof: SnarkProof; publicSignals: PublicSignals };
  try {
    result = (await snarkjs.groth16.prove(zkeyFile, witness as never)) as typeof result;
  } catch (cause) {
    if (!keepCurve) await terminateCurve();
    throw new ToolError(`snarkjs groth16 prove failed with ${zkeyFile}`, { cause, details: { zkeyFile }, hint: 'the witness must come from the circuit this zkey was set up for' });
  }
  const proveMs = performance.now() - start;
  try {
    const { proofBytes } = await measureProof({ system: 'groth16', proof: result.proof, publicSignals: result.publicSignals });
    return { system: 'groth16', ...result, proveMs, proofBytes, peakRssBytes: peakRssBytes() };
  } finally {
    if (!keepCurve) await terminateCurve();
  }
}
