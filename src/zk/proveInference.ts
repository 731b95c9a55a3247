/**
 * One zkML inference, end to end, with every cost measured: build the circuit's R1CS for the model
 * and settings (buildCircuit: circom or the direct builder, cached), compute the witness (twice:
 * cold, then warm), check it against the engine, size and
 * fetch the powers of tau (ensurePtau), set up (cached), prove, and verify natively. Used by
 * `opzk prove` and the benchmark harness. Times are wall-clock milliseconds of each step alone;
 * a cached compile or setup reports 0 ms and `cached: true` with the time it took when built.
 */
import { runEngine } from '../engine/runEngine.ts';
import { VerificationError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';
import { buildCircuitInput } from './buildCircuitInput.ts';
import { buildCircuit, computeWitness, type CircuitBuilder, type CircuitBuilderChoice } from './buildCircuit.ts';
import type { CircuitStats } from './compileCircuit.ts';
import type { CircuitLayout, CircuitSettings } from './generateCircuit.ts';
import { proveFflonk } from './proveFflonk.ts';
import { proveGroth16 } from './proveGroth16.ts';
import { provePlonk } from './provePlonk.ts';
import { readCircuitOutputs, type CircuitOutput } from './readCircuitOutputs.ts';
import { describeTrustedSetup } from './describeTrustedSetup.ts';
import { choosePower } from './setup/choosePower.ts';
import { ensurePtau } from './setup/ensurePtau.ts';
import { setupCircuit } from './setupCircuit.ts';
import { peakRssBytes, type ProofSystem, type PublicSignals, type SnarkProof } from './types.ts';
import { verifyProof } from './verifyProof.ts';

export interface ProveInferenceParameters {
  model: QuantizedModel;
  /** Quantized inputs (integers at scale 2^s) by input name. */
  inputs: Record<string, ArrayLike<number>>;
  settings: CircuitSettings;
  system: ProofSystem;
  /** A prepared ceremony file; default: a local insecure one of the needed power (ensurePtau). */
  ptauFile?: string;
  /** Skip native verification (still proves). Default false. */
  skipVerify?: boolean;
  /** Who writes the R1CS and the witness (buildCircuit.ts); default 'auto' (direct where it can). */
  builder?: CircuitBuilderChoice;
  /** Called as each step starts (for progress on stderr: `opzk prove`), with what it works on. */
  onPhase?: (phase: ProvePhase) => void;
}

/** A step of proveInference, in the order they run; `detail` says its size and whether it is cached. */
export interface ProvePhase {
  step: 'compile' | 'witness' | 'ptau' | 'setup' | 'prove' | 'verify';
  detail: string;
}

export interface ProveInferenceResult {
  system: ProofSystem;
  settings: Required<CircuitSettings>;
  layout: CircuitLayout;
  /** Which builder wrote the R1CS (and computes the witness): 'circom' or 'direct'. */
  builder: CircuitBuilder;
  /** Why builder 'auto' fell back to circom, when it did. */
  builderNote?: string;
  /** compileMs: circom's compile or the direct build (0 when cached); wasmFile only for circom. */
  circuit: CircuitStats & { dir: string; r1csFile: string; wasmFile?: string; compileMs: number; compileCached: boolean };
  ptau: { file: string; power: number; source: 'local-insecure' | 'external'; insecure: boolean; neededPower: number };
  /** Who could forge proofs with these keys (describeTrustedSetup). */
  trustedSetup: string;
  zkeyFile: string;
  verificationKey: Record<string, unknown>;
  /**
   * The first witness computed in this process, ms: cold (for circom, V8 compiling the witness
   * wasm included; for direct, the gadgets' first run, unoptimised by V8).
   */
  witnessMs: number;
  /** A second witness of the same input right after, ms: warm. */
  witnessWarmMs: number;
  setupMs: number;
  setupCached: boolean;
  proveMs: number;
  /** Native snarkjs verification; undefined when skipped. */
  verifyMs?: number;
  verified: boolean;
  proofBytes: number;
  zkeyBytes: number;
  /** Process RSS high-water mark (getrusage maxrss) after proving, bytes. */
  peakRssBytes: number;
  proof: SnarkProof;
  publicSignals: PublicSignals;
  /** The circuit's outputs (= the engine's, checked), integers at scale 2^s. */
  outputs: CircuitOutput[];
  /** Hashed mode: the weight commitment (decimal). */
  weightsCommitment?: string;
  /**
   * Hashed inputs: the input commitment (decimal; the public signal at layout.outputs' total
   * size) and the packed input words it commits to (decimal), which are what is posted on-chain.
   */
  inputCommitment?: { commitment: string; words: string[] };
}

export async function proveInference({ model, inputs, settings, system, ptauFile, skipVerify = false, builder = 'auto', onPhase }: ProveInferenceParameters): Promise<ProveInferenceResult> {
  const expected = runEngine({ model, inputs });
  onPhase?.({ step: 'compile', detail: `R1CS by ${builder === 'auto' ? 'the direct builder where it can, else circom' : builder}; one-time per circuit, then cached` });
  const compiled = await buildCircuit({ model, settings, builder });
  const generated = { layout: compiled.layout };
  onPhase?.({ step: 'witness', detail: `${compiled.constraints.toLocaleString('en-US')} constraints, ${compiled.builder}` });
  const { input, commitment, inputCommitment } = await buildCircuitInput({ model, layout: generated.layout, inputs });
  const { witness, wtns, witnessMs } = await computeWitness({ circuit: compiled, model, settings, input });
  const { witnessMs: witnessWarmMs } = await computeWitness({ circuit: compiled, model, settings, input });
  const outputs = readCircuitOutputs({ layout: generated.layout, witness });
  outputs.forEach((output, index) => {
    const engine = expected.outputs[index]!;
    const mismatch = output.data.findIndex((value, i) => value !== engine.data[i]);
    if (mismatch >= 0)
      throw new VerificationError(`model '${model.name}': circuit output '${output.name}' element ${mismatch} is ${output.data[mismatch]}, the engine says ${engine.data[mismatch]}`, {
        details: { output: output.name, index: mismatch },
        hint: 'the circuit and the engine disagree: a bug in src/zk or circuits/',
      });
  });

  const needed = await choosePower({ system, r1csFile: compiled.r1csFile });
  onPhase?.({ step: 'ptau', detail: `power ${needed.power}${ptauFile ? `, ${ptauFile}` : ', local; generated once per power, then cached'}` });
  const ptau = await ensurePtau({ power: needed.power, ptauFile });
  onPhase?.({ step: 'setup', detail: `${system}, ${compiled.constraints.toLocaleString('en-US')} constraints, power ${needed.power}; one-time per circuit, then cached` });
  const setup = await setupCircuit({ system, r1csFile: compiled.r1csFile, ptauFile: ptau.file });
  const prove = system === 'groth16' ? proveGroth16 : system === 'plonk' ? provePlonk : proveFflonk;
  onPhase?.({ step: 'prove', detail: `${system}, ${compiled.constraints.toLocaleString('en-US')} constraints` });
  const proved = await prove({ zkeyFile: setup.zkeyFile, wtns });
  const peak = peakRssBytes();
  if (!skipVerify) onPhase?.({ step: 'verify', detail: `${system}, natively` });
  const verification = skipVerify
    ? undefined
    : await verifyProof({ system, verificationKey: setup.verificationKey, proof: proved.proof, publicSignals: proved.publicSignals, layout: generated.layout });

  return {
    system,
    builder: compiled.builder,
    builderNote: compiled.builderNote,
    settings: generated.layout.settings,
    layout: generated.layout,
    circuit: {
      dir: compiled.dir,
      r1csFile: compiled.r1csFile,
      wasmFile: compiled.wasmFile,
      compileMs: compiled.compileMs,
      compileCached: compiled.cached,
      constraints: compiled.constraints,
      linearConstraints: compiled.linearConstraints,
      nonLinearConstraints: compiled.nonLinearConstraints,
      wires: compiled.wires,
      publicInputs: compiled.publicInputs,
      publicOutputs: compiled.publicOutputs,
      privateInputs: compiled.privateInputs,
      labels: compiled.labels,
    },
    ptau: { file: ptau.file, power: ptau.power, source: ptau.source, insecure: ptau.insecure, neededPower: needed.power },
    trustedSetup: describeTrustedSetup({ system, localPtau: ptau.insecure }),
    zkeyFile: setup.zkeyFile,
    verificationKey: setup.verificationKey,
    witnessMs,
    witnessWarmMs,
    setupMs: setup.setupMs,
    setupCached: setup.cached,
    proveMs: proved.proveMs,
    verifyMs: verification?.verifyMs,
    verified: verification?.verified ?? false,
    proofBytes: proved.proofBytes,
    zkeyBytes: setup.zkeyBytes,
    peakRssBytes: peak,
    proof: proved.proof,
    publicSignals: proved.publicSignals,
    outputs,
    weightsCommitment: commitment?.toString(),
    inputCommitment: inputCommitment && { commitment: inputCommitment.commitment.toString(), words: inputCommitment.words.map(String) },
  };
}
