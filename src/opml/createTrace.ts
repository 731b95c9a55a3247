/**
 * Owns a trace of the VM on one input. Two costs, kept apart:
 * - the submitter's, per inference: run the program once on plain numbers (executeSteps: no
 *   hashing, no BigInt on the common path), recording only the memory writes (step, address,
 *   old, new) and the accumulator every `checkpointInterval` steps; then, when the claim is made
 *   (proveOutput, stateAt(totalSteps)), the final memory root — the program's memory tree (built
 *   once per model) with only the words that differ from it rehashed, each node above them once
 *   (the nonzero input words and the written words), plus the state hash. Nothing else is hashed.
 *   Given the request's commitments (`request`: InferenceRequested's initialState and inputRoot,
 *   which the registry hashed on-chain), the input subtree is one known node of the tree: its
 *   root is checked against the initial state and no node under it is hashed for the claim.
 * - the dispute's, only when the game asks for a state: the memory root after w writes comes from
 *   the same tree moved backward or forward along the write log (every word the crossed writes
 *   touched set to its value then, each node above them rehashed once; roots memoized per w;
 *   with a request, the input subtree hashed from the input words when a proof first reads one),
 *   and acc at step k is replayed on the fast path from the checkpoint below k. A bisection's
 *   queries halve their write distance each round, so a whole dispute costs at most about two
 *   passes over the write log, never a hash per step.
 *
 * A run that traps (executeInstruction's `trap`: a value out of range, an int256 overflow) stops
 * there: the state after the trapping step and every later one is the trapped state
 * (trappedStateOf), the one-step proofs from those states carry no memory, and the result is the
 * error result (proveOutput: the empty output). The trap names the layer, tensor and element.
 */
import type { Hex } from 'viem';
import { OverflowError, ShapeError, UsageError, VerificationError } from '../errors.ts';
import { instructionAt, layerOfStep, type VmProgram } from './compileProgram.ts';
import { encodeStepProof } from './encodeStepProof.ts';
import { executeSteps } from './executeSteps.ts';
import { operandsOf, type VmTrapCause } from './executeInstruction.ts';
import { createMerkleOverlay, encodeSafeInteger, fromHex, hashLeaf, keccakBytes, runSchedule, scheduledNodesOf, scheduleNodes, scheduleUpdate, siblingsOf, toHex, type Hash, type MerkleOverlay, type UpdateSchedule } from './merkle.ts';
import { planClaim, type ClaimPlan } from './planClaim.ts';
import type { Engine } from '../engine/createEngine.ts';
import { checkInputRange, encodeOutputProof, hashVmState, initialStateFromInputRoot, trappedPreimageOf, type RequestCommitment, type VmState } from './vmState.ts';

export interface CreateTraceParameters {
  program: VmProgram;
  /** Quantized inputs (integers at scale 2^s) by input name, as runEngine takes them, or all
   * inputs flattened in graph order. */
  input: Record<string, ArrayLike<number>> | readonly (number | bigint)[];
  /** A dishonest trace (for actors and tests): add `delta` to the result of step `step` (the
   * word it writes, or acc when it writes none) and run on from the wrong state. */
  fault?: { step: number; delta: bigint };
  /** Steps between accumulator checkpoints (default 1024). */
  checkpointInterval?: number;
  /** The request's commitments (OpmlRegistry's InferenceRequested event: initialState, and the
   * inputRoot the registry hashed on-chain). Given, inputRoot is checked against initialState
   * (the registered input siblings, then the state hash: a VerificationError if they disagree)
   * and the memory tree takes the input subtree as that one known node: a claim hashes only the
   * nodes outside it. Its inner nodes are hashed only when a step proof reads an input word
   * (dispute time), and then must give inputRoot back. Without it, the input words are hashed. */
  request?: RequestCommitment;
  /** The submitter's engine (createEngine on the model the program was compiled from). Given, the
   * claim — the final state and the output proof — is made from one engine inference (the final
   * memory is the engine's layer outputs, placed where planClaim says), and the VM is run only
   * when a state before the end or a step proof is asked for (a dispute); that run is checked
   * against the claim. Without it, or for a program planClaim refuses, an input the engine
   * rejects, or a `fault`, the VM is run at once. */
  engine?: Engine;
}

/** Calldata for IStepper.step. */
export interface VmStepProof {
  step: number;
  preState: Hex;
  postState: Hex;
  /** abi.encode(VmModelHeader, VmState, Instruction, bytes32[], MemoryProof ×3). */
  proof: Hex;
}

export interface VmOutputProof {
  finalState: Hex;
  finalPreimage: VmState;
  /** The output region, flattened (outputs in graph order). */
  output: bigint[];
  outputSiblings: Hex[];
  /** abi.encode(VmState, bytes32[]): the `proof` of verifyOutput. */
  proof: Hex;
}

/** Where and why a run trapped (the engine rejects the same input with an OverflowError whose
 * layer, tensor, index and value these match). */
export interface VmTrap extends VmTrapCause {
  /** The trapping step: the state after it (stateAt(step + 1)) and every later one is trapped. */
  step: number;
  layer: string;
  op: string;
  tensor: string;
  /** The element of the layer's output tensor the step computes. */
  index: number;
}

export interface VmTrace {
  program: VmProgram;
  /** Where the claim came from: the engine's layer outputs (the VM run deferred to a dispute), or
   * the VM's run, and why not the engine when one was given. */
  claimFrom: { source: 'engine' } | { source: 'vm'; why: string };
  /** Set when the run traps; the result is then the error result (empty output). */
  trap?: VmTrap;
  totalSteps: number;
  /** All inputs flattened in graph order. */
  input: bigint[];
  /** Number of memory writes in the whole run. */
  writeCount: number;
  /** The state commitment before step `step` (stateAt(totalSteps) is the final state). */
  stateAt(step: number): Hex;
  preimageAt(step: number): VmState;
  proveStep(step: number): VmStepProof;
  /** Outputs by name, row-major integers (what runEngine returns); empty arrays when trapped. */
  outputs: Record<string, number[]>;
  proveOutput(): VmOutputProof;
  /** Siblings of the output subtree in the memory after the last write (for forged results). */
  memoryOutputSiblings(): Hex[];
  /** Keccak hashes spent on the memory tree so far: the check of the request's inputRoot (its
   * path to the memory root), the final memory's root (leaves and nodes that differ from the
   * program's tree; with a request, none under the input subtree root), the input subtree if a
   * proof needed it, and every move a state or proof asked for since. The program's tree, built
   * once per model by compileProgram, is not counted; nor are state hashes. */
  hashCount(): number;
}

export type CreateTraceResult = VmTrace;

/** All inputs flattened in graph order, as numbers, each checked to be an integer in the value
 * range (the engine and the VM refuse the rest; the same messages either way). A plain array: a
 * typed array this size is allocated outside V8's heap, which cost a claim more than its engine
 * inference (and its garbage collections). */
function flattenInput(program: VmProgram, input: CreateTraceParameters['input']): number[] {
  return Array.isArray(input) ? flattenList(program, input) : flattenByName(program, input as Record<string, ArrayLike<number>>);
}

function inputOutOfRange(program: VmProgram, index: number, value: number | bigint): OverflowError {
  const region = program.inputs.find((r) => index >= r.offset && index < r.offset + r.length)!;
  return new OverflowError(`opml trace of '${program.modelName}': input '${region.name}' element ${index - region.offset} = ${value} is outside the ${program.valueBits}-bit value range`, {
    hint: 'the engine rejects this input too; quantize it with the model\'s scaleBits or raise --value-bits',
    details: { layer: 'input', tensor: region.name, index: index - region.offset, value: value.toString() },
  });
}

function flattenList(program: VmProgram, input: readonly (number | bigint)[]): number[] {
  const total = program.layout.inputLength;
  if (input.length !== total)
    throw new ShapeError(`opml trace of '${program.modelName}': ${input.length} input values, the model takes ${total}`, {
      hint: 'pass the quantized inputs flattened in graph order',
      details: { expected: total, actual: input.length },
    });
  const high = 2 ** (program.valueBits - 1);
  const flat: number[] = [];
  for (let index = 0; index < total; index++) {
    const value = input[index];
    if (typeof value === 'bigint') {
      if (value >= BigInt(high) || value < -BigInt(high)) throw inputOutOfRange(program, index, value);
      flat.push(Number(value));
      continue;
    }
    if (!Number.isSafeInteger(value))
      throw new ShapeError(`opml trace of '${program.modelName}': input element ${index} = ${value} is not an integer`, {
        hint: 'quantize the input first (quantizeInputs)',
        details: { index, value },
      });
    if (value >= high || value < -high) throw inputOutOfRange(program, index, value);
    flat.push(value);
  }
  return flat;
}

function flattenByName(program: VmProgram, byName: Record<string, ArrayLike<number>>): number[] {
  const high = 2 ** (program.valueBits - 1);
  const flat: number[] = [];
  for (const region of program.inputs) {
    const values = byName[region.name];
    if (!values)
      throw new UsageError(`opml trace of '${program.modelName}': no value for input '${region.name}'`, {
        hint: `the model's inputs are ${program.inputs.map((r) => `'${r.name}' [${r.dims}]`).join(', ')}`,
        details: { input: region.name },
      });
    if (values.length !== region.length)
      throw new ShapeError(`opml trace of '${program.modelName}': input '${region.name}' has ${values.length} values, expected ${region.length}`, {
        hint: `dims [${region.dims}]`,
        details: { input: region.name, expected: region.length, actual: values.length },
      });
    for (let i = 0; i < region.length; i++) {
      const value = values[i];
      if (!Number.isSafeInteger(value))
        throw new ShapeError(`opml trace: input '${region.name}' element ${i} = ${value} is not an integer`, { hint: 'quantize the input first (quantizeInputs)', details: { input: region.name, index: i } });
      if (value >= high || value < -high) throw inputOutOfRange(program, region.offset + i, value);
      flat.push(value);
    }
  }
  return flat;
}

/**
 * Leaf hashes by word value, shared by every trace of a program: a leaf is keccak256(abi.encode(
 * int256 v)), a pure function of v, and a submitter's inferences keep writing the same values
 * (a digit's pixels take a few dozen, activations are valueBits-bit integers), so after its first
 * claims a submitter hashes only the nodes (mnist-mlp-784-56-10: 136 of the claim's 558 hashes
 * were leaves). Bounded: at most LEAF_MEMO_LIMIT values (2 MiB of digests at 2^16), past which
 * new values are hashed each time. hashCount() counts the hashes a trace really made.
 */
const leafMemos = new WeakMap<VmProgram, Map<number, Hash>>();
const LEAF_MEMO_LIMIT = 2 ** 16;
function leafMemoOf(program: VmProgram): Map<number, Hash> {
  let memo = leafMemos.get(program);
  if (!memo) {
    memo = new Map();
    leafMemos.set(program, memo);
  }
  return memo;
}

/** The claim schedule of a program (merkle.ts scheduleUpdate): its written words under the
 * memory tree, the request's input subtree root the known node. Made once per program. */
const claimSchedules = new WeakMap<VmProgram, UpdateSchedule>();
function claimScheduleOf(program: VmProgram, plan: ClaimPlan): UpdateSchedule {
  let schedule = claimSchedules.get(program);
  if (!schedule) {
    const { layout } = program;
    schedule = scheduleUpdate(program.memoryTree, Array.from(plan.addresses), { level: layout.inputDepth, position: layout.inputOffset / 2 ** layout.inputDepth });
    claimSchedules.set(program, schedule);
  }
  return schedule;
}

/** Memories up to 2^24 words (128 MiB of doubles) are held densely, to 2^memoryDepth words. */
const DENSE_MEMORY_DEPTH = 24;

export function createTrace(parameters: CreateTraceParameters): CreateTraceResult {
  const { program, fault, engine, request, input } = parameters;
  const { layout, memoryDepth } = program;

  // The claim from the engine where it can be (planClaim): the final memory is the engine's layer
  // outputs at the words the plan names, acc is 0, nothing traps. Else the VM, when the trace is made.
  let claimFrom: VmTrace['claimFrom'] = { source: 'vm', why: 'no engine was given' };
  let planned: Planned | undefined;
  let inputWords: number[] | undefined;
  if (engine && fault) claimFrom = { source: 'vm', why: 'a dishonest trace (fault) runs the VM' };
  else if (engine) {
    const { plan, refused } = planClaim(program, engine.model);
    if (!plan) claimFrom = { source: 'vm', why: `planClaim refused the program: ${refused}` };
    else {
      // Inputs by name go to the engine as given: it checks every element as it copies it in, so
      // the trace copies them unchecked after it; only when the engine refuses does the trace
      // check them itself (its errors name the trace). Inputs as one list are split by name.
      let accepted = true;
      try {
        if (Array.isArray(input)) {
          inputWords = flattenInput(program, input);
          const byName: Record<string, number[]> = {};
          for (const region of program.inputs)
            byName[region.name] = region.offset === 0 && region.length === inputWords.length ? inputWords : inputWords.slice(region.offset, region.offset + region.length);
          engine.run(byName);
        } else {
          engine.run(input as Record<string, ArrayLike<number>>);
          inputWords = copyCheckedInput(program, input as Record<string, ArrayLike<number>>);
        }
      } catch (error) {
        if (!(error instanceof OverflowError || error instanceof UsageError || error instanceof ShapeError)) throw error;
        // The trace's own check, where the engine made the first: it throws the trace's error for
        // a malformed input or one outside the value range.
        inputWords ??= flattenInput(program, input);
        if (!(error instanceof OverflowError)) throw error;
        // A layer's value overflows: the VM traps on this input, its run names the step, and the
        // claim is the error result.
        accepted = false;
        claimFrom = { source: 'vm', why: `the engine rejects the input (${error.message}); the VM traps` };
      }
      if (accepted) {
        const values: number[] = new Array(plan.words);
        let at = 0;
        for (const segment of plan.segments) {
          const tensor = engine.view(segment.tensor);
          for (let i = segment.element, end = segment.element + segment.length; i < end; i++) values[at++] = tensor[i];
        }
        planned = { plan, values };
        claimFrom = { source: 'engine' };
      }
    }
  }
  inputWords ??= flattenInput(program, input);

  // The request's input root: checked against its initial state before a claim is made on it.
  let hashes = 0;
  let inputRoot: Hash | undefined;
  if (request) {
    if (!isWordHex(request.inputRoot) || !isWordHex(request.initialState))
      throw new UsageError(`opml trace of '${program.modelName}': the request's inputRoot and initialState must be 32-byte hex words`, {
        hint: 'pass the InferenceRequested event\'s initialState and inputRoot as they were emitted',
        details: { inputRoot: request.inputRoot, initialState: request.initialState },
      });
    inputRoot = fromHex(request.inputRoot);
    const initialState = initialStateFromInputRoot({ layout, inputRoot });
    hashes += memoryDepth - layout.inputDepth;
    if (initialState !== request.initialState && initialState !== request.initialState.toLowerCase())
      throw new VerificationError(`opml trace of '${program.modelName}': the request's inputRoot ${request.inputRoot} does not give its initialState ${request.initialState} (it gives ${initialState})`, {
        hint: 'the event or the node that served it lies, or the request is another model\'s: read initialState from the registry\'s requests(requestId) and inputRoot from its InferenceRequested log',
        details: { inputRoot: request.inputRoot, initialState: request.initialState, derived: initialState },
      });
  }
  return new Trace({ program, fault, checkpointInterval: parameters.checkpointInterval ?? 1024, request, inputRoot, inputWords, claimFrom, planned, hashes });
}

/** Whether `hex` is a 0x-prefixed 32-byte hex word (by its characters: a regular expression cost a
 * claim two of them per request). */
function isWordHex(hex: unknown): hex is Hex {
  if (typeof hex !== 'string' || hex.length !== 66 || hex.charCodeAt(0) !== 48 || (hex.charCodeAt(1) | 32) !== 120) return false;
  for (let i = 2; i < 66; i++) {
    const c = hex.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** The inputs by name in graph order, copied as they are: the engine has checked them (each an
 * integer in the value range, each input its length). */
function copyCheckedInput(program: VmProgram, byName: Record<string, ArrayLike<number>>): number[] {
  const { inputs } = program;
  if (inputs.length === 1) return copyValues(byName[inputs[0].name]);
  const flat: number[] = [];
  for (const region of inputs) for (const value of copyValues(byName[region.name])) flat.push(value);
  return flat;
}

/** A plain array's copy in one step (a typed array's element by element). */
function copyValues(values: ArrayLike<number>): number[] {
  return Array.isArray(values) ? values.slice() : Array.from(values);
}

let proofScratch = new Uint8Array(32 * 64);

/** A claim from the engine's schedule: its root, the output proof's siblings and bytes, the final
 * state, and the run's nodes, which a dispute's overlay adopts. */
interface Claimed {
  root: Hex;
  outputSiblings: Hex[];
  run: { leaves: (Hash | undefined)[]; unchanged: boolean[]; knownNode: Hash; generation: number };
  proof: Hex;
  state: Hex;
}

/** A claim from the engine: the plan and the final value of each of its words. */
interface Planned {
  plan: ClaimPlan;
  values: number[];
}

/**
 * The trace: a class, so that a trace costs one object and no closures (under tsx, every closure
 * a function makes is also named with Object.defineProperty: createTrace's two dozen cost a claim
 * more than its engine inference). The public methods are bound once, for callers that pass
 * `trace.stateAt` around. `input` is converted to BigInts when first read (a claim never reads it).
 */
class Trace implements VmTrace {
  readonly program: VmProgram;
  readonly claimFrom: VmTrace['claimFrom'];
  trap: VmTrap | undefined;
  readonly totalSteps: number;
  readonly writeCount: number;
  readonly outputs: Record<string, number[]> = {};

  private readonly fault: CreateTraceParameters['fault'];
  private readonly checkpointInterval: number;
  private readonly request: RequestCommitment | undefined;
  /** The request's inputRoot as bytes. */
  private readonly inputRoot: Hash | undefined;
  private readonly inputWords: number[];
  private readonly planned: Planned | undefined;
  private hashes: number;
  private inputValues: bigint[] | undefined;
  private readonly memoryLength: number;
  private readonly inputSpan: number;
  private initialWords: Float64Array | undefined;
  /** The memory after the last step: the VM's, or the initial memory with the plan's words set. */
  private finalWords: Float64Array | undefined;
  // The run (executeSteps: numbers, no hashing): writes and acc checkpoints only — at once
  // without an engine claim, else when a dispute first asks for a state before the end.
  private readonly writeStep: number[] = [];
  private readonly writeAddr: number[] = [];
  private readonly writeOld: number[] = [];
  private readonly writeNew: number[] = [];
  private readonly history = new Map<number, number[]>();
  private readonly checkpoints: bigint[] = [];
  private finalAcc = 0n;
  private ran = false;
  // The memory tree, built only when a commitment is asked for: the final memory first, then
  // moved along the write log to the version a state needs.
  private tree: MerkleOverlay | undefined;
  private cursor: number;
  /** Whether the tree holds the input subtree's inner nodes: always without a request, and with
   * one only once a proof reads an input word (or a run writes into the input subtree). */
  private inputHeld: boolean;
  private readonly leaves: Map<number, Hash>;
  /** The output proof's siblings lie inside the input subtree only if the two regions overlap. */
  private readonly outputNeedsInput: boolean;
  /** A claim from the engine on a request needs no overlay: the program's claim schedule. */
  private readonly scheduled: UpdateSchedule | undefined;
  private claimed: Claimed | undefined;
  private readonly roots = new Map<number, Hex>();
  private readonly states = new Map<number, Hex>();

  constructor(fields: {
    program: VmProgram; fault: CreateTraceParameters['fault']; checkpointInterval: number; request: RequestCommitment | undefined; inputRoot: Hash | undefined;
    inputWords: number[]; claimFrom: VmTrace['claimFrom']; planned: Planned | undefined; hashes: number;
  }) {
    const { program } = fields;
    const { layout, memoryDepth } = program;
    this.program = program;
    this.claimFrom = fields.claimFrom;
    this.totalSteps = program.totalSteps;
    this.fault = fields.fault;
    this.checkpointInterval = fields.checkpointInterval;
    this.request = fields.request;
    this.inputRoot = fields.inputRoot;
    this.inputWords = fields.inputWords;
    this.planned = fields.planned;
    this.hashes = fields.hashes;
    // Memory before step 0 (made when first needed): dense up to 2^memoryDepth words where that
    // is small, so every address the VM can reach is read on the fast path.
    this.memoryLength = Math.max(program.initialMemory.length, memoryDepth <= DENSE_MEMORY_DEPTH ? 2 ** memoryDepth : 0);
    this.inputSpan = 2 ** layout.inputDepth;
    if (!this.planned) this.run();
    this.writeCount = this.planned ? this.planned.plan.writeCount : this.writeStep.length;
    this.cursor = this.writeCount;
    this.inputHeld = !this.request;
    if (!this.inputHeld) {
      if (this.planned) this.inputHeld = this.planned.plan.writesInput;
      else for (const addr of this.history.keys()) if (this.inInputSubtree(addr)) { this.inputHeld = true; break; }
    }
    this.leaves = leafMemoOf(program);
    const outputEnd = layout.outputOffset + 2 ** layout.outputDepth;
    this.outputNeedsInput = layout.outputOffset < layout.inputOffset + this.inputSpan && layout.inputOffset < outputEnd;
    this.scheduled = this.planned && !this.inputHeld && !this.outputNeedsInput ? claimScheduleOf(program, this.planned.plan) : undefined;
    for (const region of program.outputs)
      this.outputs[region.name] = this.trap ? [] : Array.from(this.finalValues(region.offset, region.length));
    this.stateAt = this.stateAt.bind(this);
    this.preimageAt = this.preimageAt.bind(this);
    this.proveStep = this.proveStep.bind(this);
    this.proveOutput = this.proveOutput.bind(this);
    this.memoryOutputSiblings = this.memoryOutputSiblings.bind(this);
    this.hashCount = this.hashCount.bind(this);
  }

  get input(): bigint[] {
    this.inputValues ??= this.inputWords.map((value) => BigInt(value));
    return this.inputValues;
  }

  hashCount(): number {
    return this.hashes;
  }

  private inInputSubtree(addr: number): boolean {
    const { inputOffset } = this.program.layout;
    return addr >= inputOffset && addr < inputOffset + this.inputSpan;
  }

  private writtenWords(): Iterable<number> {
    return this.planned?.plan.addresses ?? this.history.keys();
  }

  private initialMemory(): Float64Array {
    if (!this.initialWords) {
      this.initialWords = new Float64Array(this.memoryLength);
      this.initialWords.set(this.program.initialMemory);
      this.initialWords.set(this.inputWords, this.program.layout.inputOffset);
    }
    return this.initialWords;
  }

  private finalMemory(): Float64Array {
    if (this.finalWords) return this.finalWords;
    if (!this.planned) {
      this.run();
      return this.finalWords!;
    }
    const words = this.initialMemory().slice();
    const { addresses } = this.planned.plan;
    for (let i = 0; i < addresses.length; i++) words[addresses[i]] = this.planned.values[i];
    this.finalWords = words;
    return words;
  }

  private run(): void {
    if (this.ran) return;
    this.ran = true;
    const { program, fault, checkpointInterval, totalSteps, writeStep, writeAddr, writeOld, writeNew, history, checkpoints } = this;
    const stepped = this.initialMemory().slice();
    const recordWrite = (step: number, addr: number, value: number) => {
      const list = history.get(addr);
      if (list) list.push(writeStep.length);
      else history.set(addr, [writeStep.length]);
      writeStep.push(step);
      writeAddr.push(addr);
      writeOld.push(stepped[addr]);
      writeNew.push(value);
    };
    let acc = 0n;
    let trap: VmTrap | undefined;
    for (let from = 0; from < totalSteps && !trap; from += checkpointInterval) {
      checkpoints.push(acc);
      const result = executeSteps({ program, from, to: Math.min(totalSteps, from + checkpointInterval), acc, memory: stepped, onWrite: recordWrite, fault });
      if (result.trap) {
        const { step, cause } = result.trap;
        const layer = layerOfStep(program, step);
        trap = { ...cause, step, layer: layer.name, op: layer.op, tensor: layer.tensor, index: instructionAt(program, step).dst - layer.outBase };
      } else acc = result.acc;
    }
    if (this.planned) {
      // The claim was made from the engine: the VM must give the same final memory and acc.
      const disagree = (what: string) => {
        throw new VerificationError(`opml trace of '${program.modelName}': the claim made from the engine and the VM's run disagree (${what}); the claim is wrong`, {
          hint: 'the engine and the VM must compute the same integers (docs/fixed-point.md): this is a bug in one of them — report it with the model and input; meanwhile make claims without an engine',
          details: { model: program.modelName },
        });
      };
      if (trap) disagree(`the VM traps at step ${trap.step} (${trap.layer}), the engine does not`);
      if (acc !== 0n) disagree(`acc ends at ${acc}, the plan says 0`);
      if (writeStep.length !== this.planned.plan.writeCount) disagree(`${writeStep.length} writes, the plan says ${this.planned.plan.writeCount}`);
      const claimed = this.finalMemory();
      for (let addr = 0; addr < this.memoryLength; addr++)
        if (stepped[addr] !== claimed[addr]) disagree(`word ${addr} is ${stepped[addr]} after the VM's run, ${claimed[addr]} in the claim`);
    } else this.finalWords = stepped;
    this.trap = trap;
    this.finalAcc = trap ? 0n : acc;
  }

  /** Steps after which the state is trapped: states at k > trappedAfter are trapped. */
  private trappedAfter(): number {
    return this.trap ? this.trap.step : Infinity;
  }

  /** Number of writes made by steps before `step`. */
  private versionAt(step: number): number {
    if (step >= this.totalSteps) return this.writeCount;
    this.run();
    let low = 0;
    let high = this.writeCount;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.writeStep[middle] < step) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Memory word `addr` before step `step`. */
  private wordAt(addr: number, step: number): number {
    this.run();
    const writes = this.history.get(addr);
    let value = addr < this.memoryLength ? this.initialMemory()[addr] : 0;
    if (writes) for (const w of writes) { if (this.writeStep[w] < step) value = this.writeNew[w]; else break; }
    return value;
  }

  /** acc before `step`: replayed on the fast path from the checkpoint below (no hashing). */
  private accAt(step: number): bigint {
    if (step === this.totalSteps) return this.finalAcc;
    this.run();
    const checkpoint = Math.floor(step / this.checkpointInterval);
    const from = checkpoint * this.checkpointInterval;
    // The memory before `from`: the initial words with the writes before it applied.
    const replayed = this.initialMemory().slice();
    for (let w = 0, end = this.versionAt(from); w < end; w++) replayed[this.writeAddr[w]] = this.writeNew[w];
    return executeSteps({ program: this.program, from, to: step, acc: this.checkpoints[checkpoint], memory: replayed, fault: this.fault }).acc;
  }

  private leafOf(value: number): Hash {
    let leaf = this.leaves.get(value);
    if (!leaf) {
      leaf = hashLeaf(value);
      this.hashes++;
      if (this.leaves.size < LEAF_MEMO_LIMIT) this.leaves.set(value, leaf);
    }
    return leaf;
  }

  /** The final memory's tree (the program's tree with the input words and the written words
   * that differ rehashed once each, per node, not per write), built when first asked for. */
  private memoryTree(): MerkleOverlay {
    if (this.tree) return this.tree;
    const { program, inputWords } = this;
    const { layout } = program;
    const built = createMerkleOverlay(program.memoryTree);
    if (this.claimed && this.scheduled) {
      // The claim's schedule already hashed every node above the written words that changed:
      // adopted, not hashed again (the input subtree stays the known node until a proof reads an
      // input word).
      const { run } = this.claimed;
      let nodes = scheduledNodesOf(this.scheduled, run.generation);
      if (!nodes) {
        // Another claim has used the node area since: this claim's schedule runs again (its
        // hashes counted), and its nodes are read back at once.
        const again = runSchedule({ schedule: this.scheduled, base: program.memoryTree, leaves: run.leaves, unchanged: run.unchanged, knownNode: run.knownNode });
        this.hashes += again.hashed;
        nodes = scheduledNodesOf(this.scheduled, again.generation)!;
      }
      built.adopt(scheduleNodes(this.scheduled, { leaves: run.leaves, knownNode: run.knownNode, nodes }));
      this.tree = built;
      return built;
    }
    const base = program.initialMemory;
    const memory = this.finalMemory();
    const indices: number[] = [];
    const consider = (addr: number) => {
      if (memory[addr] !== (addr < base.length ? base[addr] : 0)) indices.push(addr);
    };
    if (this.inputHeld) for (let i = 0; i < inputWords.length; i++) consider(layout.inputOffset + i);
    // Written words are distinct, and an input word a step writes is considered once, as an input word.
    for (const addr of this.writtenWords()) if (!(this.inputHeld && this.inInputSubtree(addr) && addr < layout.inputOffset + inputWords.length)) consider(addr);
    // The leaves first: `hashes += update(…, leaves hashed inline)` read `hashes` before the
    // leaves counted themselves, and lost them.
    const leafHashes = indices.map((addr) => this.leafOf(memory[addr]));
    const known = this.inputHeld ? undefined : { level: layout.inputDepth, position: layout.inputOffset / this.inputSpan, node: this.inputRoot! };
    this.hashes += built.update(indices, leafHashes, known);
    this.tree = built;
    return built;
  }

  /** The input subtree's inner nodes, hashed from the input words (a dispute's proof reads one):
   * no step writes there (else they are held from the start), so they are the same at every
   * version; the subtree must hash back to the request's inputRoot. */
  private holdInput(): void {
    if (this.inputHeld) return;
    const { program, inputWords, request } = this;
    const { layout } = program;
    const current = this.memoryTree();
    const indices: number[] = [];
    for (let i = 0; i < inputWords.length; i++) if (inputWords[i] !== 0) indices.push(layout.inputOffset + i);
    const leafHashes = indices.map((addr) => this.leafOf(inputWords[addr - layout.inputOffset]));
    this.hashes += current.update(indices, leafHashes);
    this.inputHeld = true;
    const rebuilt = toHex(current.node(layout.inputDepth, layout.inputOffset / this.inputSpan));
    if (rebuilt !== request!.inputRoot.toLowerCase())
      throw new VerificationError(`opml trace of '${program.modelName}': the input does not hash to the request's inputRoot ${request!.inputRoot} (it hashes to ${rebuilt})`, {
        hint: 'the request\'s input and its inputRoot come from different requests; take both from the same InferenceRequested log',
        details: { inputRoot: request!.inputRoot, rebuilt },
      });
  }

  /** The tree moved along the write log to `version`: each word the crossed writes touched gets
   * its value then, and each node above them is rehashed once. */
  private moveTo(version: number): MerkleOverlay {
    const current = this.memoryTree();
    if (version === this.cursor) return current;
    this.run();
    const target = new Map<number, number>();
    if (version > this.cursor) for (let w = this.cursor; w < version; w++) target.set(this.writeAddr[w], this.writeNew[w]);
    else for (let w = this.cursor - 1; w >= version; w--) target.set(this.writeAddr[w], this.writeOld[w]);
    const indices = [...target.keys()];
    const leafHashes = indices.map((addr) => this.leafOf(target.get(addr)!));
    this.hashes += current.update(indices, leafHashes);
    this.cursor = version;
    return current;
  }

  /** The final root and the output's siblings from the claim schedule (its written words always,
   * each node above them once, in one WebAssembly call); a dispute builds the overlay later, and
   * must find the same root. The schedule writes the root and the siblings into the output
   * proof's bytes, abi.encode((totalSteps, 0, root), bytes32[] siblings), whose first three words
   * are also the final state's preimage: one hex conversion makes the proof, the root and the
   * siblings (slices of it), one hash the final state. */
  private claim(): Claimed {
    if (this.claimed) return this.claimed;
    const { values } = this.planned!;
    const { program } = this;
    const { layout, memoryDepth } = program;
    const initial = this.planned!.plan.initialValues;
    const memo = this.leaves;
    // A word that ends where it began keeps the base tree's leaf: no leaf, and no hash above it
    // unless a sibling changed.
    const leafHashes: (Hash | undefined)[] = new Array(values.length);
    const unchanged: boolean[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      unchanged[i] = value === initial[i];
      leafHashes[i] = unchanged[i] ? undefined : memo.get(value) ?? this.leafOf(value);
    }
    const siblingCount = memoryDepth - layout.outputDepth;
    // The proof's bytes in a reused buffer (a new one this size is allocated outside V8's heap):
    // nothing keeps them past this call, only the hex made from them.
    if (proofScratch.length < 32 * (5 + siblingCount)) proofScratch = new Uint8Array(32 * (5 + siblingCount));
    const bytes = proofScratch.subarray(0, 32 * (5 + siblingCount));
    bytes.fill(0, 0, 160);
    encodeSafeInteger(this.totalSteps, bytes, 0); // pc; acc (word 1) is 0 on a claim from the engine
    encodeSafeInteger(0x80, bytes, 96); // the siblings' offset
    encodeSafeInteger(siblingCount, bytes, 128);
    const knownNode = this.inputRoot!;
    const { hashed, generation } = runSchedule({
      schedule: this.scheduled!, base: program.memoryTree, leaves: leafHashes, unchanged, knownNode,
      siblingsFrom: { index: layout.outputOffset, level: layout.outputDepth }, into: { bytes, root: 64, siblings: 160 },
    });
    this.hashes += hashed;
    const proof = toHex(bytes);
    const outputSiblings: Hex[] = new Array(siblingCount);
    for (let i = 0; i < siblingCount; i++) outputSiblings[i] = `0x${proof.slice(2 + 64 * (5 + i), 2 + 64 * (6 + i))}`;
    const root: Hex = `0x${proof.slice(2 + 128, 2 + 192)}`;
    this.claimed = { root, outputSiblings, run: { leaves: leafHashes, unchanged, knownNode, generation }, proof, state: toHex(keccakBytes(bytes.subarray(0, 96))) };
    return this.claimed;
  }

  private rootAt(version: number): Hex {
    let root = this.roots.get(version);
    if (!root) {
      root = this.scheduled && version === this.writeCount && !this.tree ? this.claim().root : toHex(this.moveTo(version).root());
      this.roots.set(version, root);
    }
    return root;
  }

  private checkStep(step: number, last: number): void {
    if (!Number.isInteger(step) || step < 0 || step > last)
      throw new UsageError(`opml trace of '${this.program.modelName}': step ${step} is outside [0, ${last}]`, { hint: `the program has ${this.totalSteps} steps`, details: { step } });
  }

  preimageAt(step: number): VmState {
    this.checkStep(step, this.totalSteps);
    if (step < this.totalSteps) this.run();
    if (step > this.trappedAfter()) return trappedPreimageOf(step);
    return { pc: step, acc: this.accAt(step), memRoot: this.rootAt(this.versionAt(step)) };
  }

  stateAt(step: number): Hex {
    let state = this.states.get(step);
    if (!state) {
      state = hashVmState(this.preimageAt(step));
      this.states.set(step, state);
    }
    return state;
  }

  proveStep(step: number): VmStepProof {
    this.checkStep(step, this.totalSteps - 1);
    this.run();
    const { program } = this;
    const pre = this.preimageAt(step);
    const instruction = instructionAt(program, step);
    // From a trapped state the verifier reads no memory: the memory proofs stay empty.
    const operands = step > this.trappedAfter() ? {} : operandsOf(instruction, pre.acc);
    for (const addr of [operands.readA, operands.readB, operands.write]) if (addr !== undefined && this.inInputSubtree(addr)) this.holdInput();
    const tree = this.moveTo(this.versionAt(step));
    const memoryProof = (addr: number | undefined) =>
      addr === undefined || addr >= 2 ** program.memoryDepth ? undefined : { value: BigInt(this.wordAt(addr, step)), siblings: tree.siblings(addr).map(toHex) };
    const proof = encodeStepProof({
      header: program.header,
      pre,
      instruction,
      instructionSiblings: siblingsOf(program.programTree, step).map(toHex),
      readA: memoryProof(operands.readA),
      readB: memoryProof(operands.readB),
      write: memoryProof(operands.write),
    });
    return { step, preState: hashVmState(pre), postState: this.stateAt(step + 1), proof };
  }

  /** The final value of each word of [offset, offset + length). */
  private finalValues(offset: number, length: number): ArrayLike<number> {
    if (this.planned) {
      // The plan's words are ascending: a written region is a run of them.
      const { addresses } = this.planned.plan;
      let low = 0;
      let high = addresses.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (addresses[middle] < offset) low = middle + 1;
        else high = middle;
      }
      if (low + length <= addresses.length && addresses[low] === offset && addresses[low + length - 1] === offset + length - 1)
        return this.planned.values.slice(low, low + length);
    }
    return this.finalMemory().subarray(offset, offset + length);
  }

  memoryOutputSiblings(): Hex[] {
    if (this.scheduled && !this.tree) return this.claim().outputSiblings;
    if (this.outputNeedsInput) this.holdInput();
    const { layout } = this.program;
    return this.moveTo(this.writeCount).siblings(layout.outputOffset, layout.outputDepth).map(toHex);
  }

  proveOutput(): VmOutputProof {
    if (this.scheduled && !this.tree) {
      // The claim from the engine: its schedule made the proof and the final state at once.
      const { root, outputSiblings, proof, state } = this.claim();
      const { layout } = this.program;
      const output = Array.from(this.finalValues(layout.outputOffset, layout.outputLength), (v) => BigInt(v));
      this.states.set(this.totalSteps, state);
      return { finalState: state, finalPreimage: { pc: this.totalSteps, acc: 0n, memRoot: root }, output, outputSiblings: outputSiblings.slice(), proof };
    }
    const finalPreimage = this.preimageAt(this.totalSteps);
    if (this.trap) {
      // The error result: the trapped final state, the empty output, no siblings.
      return { finalState: hashVmState(finalPreimage), finalPreimage, output: [], outputSiblings: [], proof: encodeOutputProof({ finalState: finalPreimage, outputSiblings: [] }) };
    }
    const siblings = this.memoryOutputSiblings();
    const { layout } = this.program;
    const output = Array.from(this.finalValues(layout.outputOffset, layout.outputLength), (v) => BigInt(v));
    return { finalState: hashVmState(finalPreimage), finalPreimage, output, outputSiblings: siblings, proof: encodeOutputProof({ finalState: finalPreimage, outputSiblings: siblings }) };
  }
}
