/**
 * Owns the adapter from the trace VM (compileProgram/createTrace, the VM helper's) to the game's
 * DisputeTrace: the registered model (modelRoot, abi.encode(VmLayout), steps, layer boundaries),
 * state commitments and one-step proofs on demand, the output proof, and forged final states for
 * the cheating actors (the true final memory with the output subtree replaced, or — for the true
 * output — the accumulator changed, so the forgery still passes LibVmState.verifyOutput).
 * An input on which the run traps has the error result (the trapped final state, the empty
 * output); a forged result on it carries a made-up output in the last memory before the trap.
 */
import { performance } from 'node:perf_hooks';
import { compileProgram, type VmProgram } from '../compileProgram.ts';
import { createTrace, type VmTrace } from '../createTrace.ts';
import { fromHex, rootFromPath, subtreeRoot, toHex } from '../merkle.ts';
import { encodeOutputProof, encodeVmLayout, hashVmState, initialStateFromInputRoot, trappedPreimageOf, trappedStateOf, type RequestCommitment } from '../vmState.ts';
import type { QuantizedModel } from '../../quant/types.ts';
import { UnsupportedModelError, VerificationError } from '../../errors.ts';
import { createEngine, type Engine } from '../../engine/createEngine.ts';
import type { DisputeTrace } from './types.ts';

export interface CreateVmDisputeTraceParameters {
  model: QuantizedModel;
  /** Quantized inputs by input name (integers at scale 2^s), as runEngine takes them. */
  input: Record<string, ArrayLike<number>>;
  /** A program compiled earlier from the same model (compileProgram). */
  program?: VmProgram;
  /** The request's commitments (InferenceRequested): the trace starts from its input root
   * (createTrace's `request`) instead of hashing the input. */
  request?: RequestCommitment;
  /** Where the claim comes from (createTrace's `engine`): `engine` (default) makes it from one
   * engine inference and runs the VM when the game first asks for a state before the end;
   * `vm` runs the VM at once (what every claim did before; the benchmarks' comparison). */
  claimFrom?: 'engine' | 'vm';
}

/** One engine per compiled program, made on its first claim (createEngine compiles the layers). */
const engines = new WeakMap<VmProgram, Engine>();
function engineOf(program: VmProgram, model: QuantizedModel): Engine {
  let engine = engines.get(program);
  if (!engine) {
    engine = createEngine({ model });
    engines.set(program, engine);
  }
  return engine;
}

export interface CreateVmDisputeTraceResult extends DisputeTrace {
  program: VmProgram;
  vmTrace: VmTrace;
  /** Off-chain time to compile the program (0 if given; plus the engine on a program's first
   * claim from the engine) and to make the claim (run the engine or the VM, hash the final
   * memory), in milliseconds. */
  compileMs: number;
  traceMs: number;
}

export function createVmDisputeTrace(parameters: CreateVmDisputeTraceParameters): CreateVmDisputeTraceResult {
  const { model, input } = parameters;
  const compileStarted = performance.now();
  const program = parameters.program ?? compileProgram({ model });
  let compileMs = parameters.program ? 0 : performance.now() - compileStarted;
  // The engine a claim is made from: compiled on the program's first claim, and counted there.
  const engineStarted = performance.now();
  const fresh = parameters.claimFrom !== 'vm' && !engines.has(program);
  const engine = parameters.claimFrom === 'vm' ? undefined : engineOf(program, model);
  if (fresh) compileMs += performance.now() - engineStarted;
  const { layout } = program;
  if (program.totalSteps < 1 || layout.layerBoundaries.length === 0 || layout.layerBoundaries[0] !== 0)
    throw new UnsupportedModelError(`opml dispute of '${model.name}': the program has no steps to dispute`, {
      hint: 'a model whose layers are all reshapes runs no instruction; nothing can be disputed',
      details: { totalSteps: program.totalSteps, layerBoundaries: layout.layerBoundaries },
    });
  const traceStarted = performance.now();
  const vmTrace = createTrace({ program, input, request: parameters.request, engine });
  const outputProof = vmTrace.proveOutput();
  const traceMs = performance.now() - traceStarted;

  return {
    modelName: model.name,
    modelRoot: program.modelRoot,
    memoryLayout: encodeVmLayout(layout),
    totalSteps: program.totalSteps,
    layerStarts: layout.layerBoundaries,
    input: vmTrace.input,
    outputs: outputProof.output,
    outputLength: layout.outputLength,
    trapStep: vmTrace.trap?.step,
    trappedStateAt: (step) => trappedStateOf(step),
    errorResult() {
      const finalState = trappedPreimageOf(program.totalSteps);
      return { finalState: hashVmState(finalState), outputs: [], outputProof: encodeOutputProof({ finalState, outputSiblings: [] }) };
    },
    checkRequest(request) {
      const derived = initialStateFromInputRoot({ layout, inputRoot: request.inputRoot });
      if (derived !== request.initialState)
        throw new VerificationError(`opml dispute of '${model.name}': the request's inputRoot ${request.inputRoot} does not give its initialState ${request.initialState} (it gives ${derived})`, {
          hint: 'the InferenceRequested log or the node that served it lies: read the request again from another node',
          details: { inputRoot: request.inputRoot, initialState: request.initialState, derived },
        });
      if (request.initialState !== vmTrace.stateAt(0))
        throw new VerificationError(`opml dispute of '${model.name}': the request's initial state ${request.initialState} is not this trace's ${vmTrace.stateAt(0)}`, {
          hint: 'the request is for another input or model than the trace was run on',
          details: { request: request.initialState, trace: vmTrace.stateAt(0) },
        });
    },
    stateAt: (step) => vmTrace.stateAt(step),
    proveStep: (step) => vmTrace.proveStep(step),
    outputProof: outputProof.proof,
    forgeFinalState(requested) {
      const { finalPreimage } = outputProof;
      // The error result has no forgery (one trapped final state): a made-up output instead.
      const outputs = requested.length > 0 ? requested : Array.from({ length: layout.outputLength }, () => 0n);
      const outputSiblings = vmTrace.trap ? vmTrace.memoryOutputSiblings() : outputProof.outputSiblings;
      const memRoot = toHex(rootFromPath(
        subtreeRoot(outputs, layout.outputDepth),
        layout.outputOffset / 2 ** layout.outputDepth,
        outputSiblings.map(fromHex),
      ));
      const same = memRoot === finalPreimage.memRoot;
      const forged = { pc: finalPreimage.pc, acc: same ? finalPreimage.acc + 1n : vmTrace.trap ? 0n : finalPreimage.acc, memRoot };
      return { finalState: hashVmState(forged), outputs, outputProof: encodeOutputProof({ finalState: forged, outputSiblings }) };
    },
    program,
    vmTrace,
    compileMs,
    traceMs,
  };
}
