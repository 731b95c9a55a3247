/**
 * Owns the submitter's shortcut to a claim (issue 13 §3): which of the engine's tensors each word
 * of a program's final memory holds, so that an honest submitter makes its claim — the final
 * state, (totalSteps, acc, memory root) — from one engine inference instead of stepping the VM.
 * The engine and the VM compute the same integers (docs/fixed-point.md; test/opml-vm.test.ts
 * holds them to each other bit for bit), and a lowering writes element i of its layer's output
 * at the i-th address `allocate` gave it, so the final value of a word is the element of the
 * last layer that writes it. The plan is static (the program is straight-line; which steps write
 * where does not depend on the input) and is made once per program, from its instruction columns:
 * - every word a step writes must lie in the output of the step's own layer; a layer that writes
 *   working memory of its own (softmax's exponentials and row maxima, leakyRelu's scaled value:
 *   `scratch`) holds values no engine tensor has, and the plan is refused with the reason;
 * - the accumulator after the last step must be 0 whatever the input: scanning back from the end
 *   over the steps that leave it alone (SCALE, ADD, RELU, COPY, DIV), the first step that sets it
 *   must clear it (RESCALE, AVG, LUT, MAX with STORE); a program that ends with a value in acc is
 *   refused.
 * createTrace runs the VM instead when the plan is refused, when the engine rejects the input
 * (the VM traps there: the claim is the error result), and for a dishonest trace; when a dispute
 * later asks for a state before the end, it runs the VM and checks the claim against it.
 */
import { UsageError } from '../errors.ts';
import type { QuantizedModel } from '../quant/types.ts';
import { sizeOf } from '../tensor/sizeOf.ts';
import type { VmProgram } from './compileProgram.ts';
import { operandsOf, VmFlag, VmOp } from './executeInstruction.ts';

/** A run of consecutive words holding consecutive elements of one tensor. */
export interface ClaimSegment {
  /** First word. */
  address: number;
  /** The engine tensor (Engine.view) and its first element. */
  tensor: string;
  element: number;
  length: number;
}

export interface ClaimPlan {
  /** The words some step writes, ascending, as runs of one tensor's elements. */
  segments: ClaimSegment[];
  /** The same words, one by one. */
  addresses: Uint32Array;
  /** Number of words written (the sum of the segments' lengths). */
  words: number;
  /** Memory writes of a whole run (a word written twice counts twice): VmTrace.writeCount. */
  writeCount: number;
  /** The program's initial memory at each of `addresses` (a word that ends there changed nothing). */
  initialValues: number[];
  /** Whether some written word lies inside the input subtree. */
  writesInput: boolean;
}

export type PlanClaimResult = { plan: ClaimPlan; refused?: undefined } | { plan?: undefined; refused: string };

const plans = new WeakMap<VmProgram, PlanClaimResult>();

/** The plan of `program` (compiled from `model`), made once per program; `refused` says why a
 * program has none. */
export function planClaim(program: VmProgram, model: QuantizedModel): PlanClaimResult {
  if (model.hash !== program.modelHash)
    throw new UsageError(`opml claim of '${program.modelName}': the engine runs model '${model.name}' (hash ${model.hash.slice(0, 12)}…), not the program's (${program.modelHash.slice(0, 12)}…)`, {
      hint: 'create the engine from the quantized model the program was compiled from',
      details: { program: program.modelHash, engine: model.hash },
    });
  let result = plans.get(program);
  if (!result) {
    result = makePlan(program, model);
    plans.set(program, result);
  }
  return result;
}

/** Ops that leave acc as it is (every other op sets it, to 0 or to a value). */
const KEEPS_ACC = new Set<number>([VmOp.SCALE, VmOp.ADD, VmOp.RELU, VmOp.COPY, VmOp.DIV]);

function makePlan(program: VmProgram, model: QuantizedModel): PlanClaimResult {
  const { op: ops, flags, dst, a, b, imm } = program.columns;
  const { totalSteps } = program;

  // Back from the end to the last step that sets acc; if none does, acc is the initial 0.
  for (let step = totalSteps - 1; step >= 0; step--) {
    const op = ops[step];
    if (KEEPS_ACC.has(op)) continue;
    const clears = op === VmOp.RESCALE || op === VmOp.AVG || op === VmOp.LUT || (op === VmOp.MAX && (flags[step] & VmFlag.STORE) !== 0);
    if (!clears) return { refused: `the accumulator after the last step depends on the input (step ${step}, op ${op}, leaves a value in it)` };
    break;
  }

  // Every word's last writer, as (layer, element of its output).
  const size = 2 ** program.memoryDepth;
  const writerLayer = new Int32Array(size).fill(-1);
  const writerElement = new Int32Array(size);
  const layers = program.layers;
  let writeCount = 0;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    if (layer.stepCount === 0) continue;
    const dims = model.tensors[layer.tensor];
    if (!dims) return { refused: `layer '${layer.name}' writes '${layer.tensor}', which is not an engine tensor` };
    const length = sizeOf(dims);
    for (let step = layer.firstStep; step < layer.firstStep + layer.stepCount; step++) {
      if (ops[step] === VmOp.MAC) continue; // MAC only reads
      const { write } = operandsOf({ op: ops[step], flags: flags[step], dst: dst[step], a: a[step], b: b[step], imm: BigInt(imm[step]) });
      if (write === undefined) continue;
      const element = write - layer.outBase;
      if (element < 0 || element >= length || write >= size)
        return { refused: `layer '${layer.name}' (${layer.op}) writes word ${write} at step ${step}, outside its output '${layer.tensor}' (words ${layer.outBase}–${layer.outBase + length - 1}): working memory no engine tensor holds` };
      writerLayer[write] = l;
      writerElement[write] = element;
      writeCount++;
    }
  }

  const segments: ClaimSegment[] = [];
  let words = 0;
  for (let address = 0; address < size; address++) {
    const l = writerLayer[address];
    if (l < 0) continue;
    words++;
    const last = segments[segments.length - 1];
    const tensor = layers[l].tensor;
    if (last && last.address + last.length === address && last.tensor === tensor && last.element + last.length === writerElement[address]) last.length++;
    else segments.push({ address, tensor, element: writerElement[address], length: 1 });
  }
  const addresses = new Uint32Array(words);
  let at = 0;
  for (const segment of segments) for (let i = 0; i < segment.length; i++) addresses[at++] = segment.address + i;
  const initial = program.initialMemory;
  const initialValues = Array.from(addresses, (addr) => (addr < initial.length ? initial[addr] : 0));
  const { inputOffset, inputDepth } = program.layout;
  const writesInput = addresses.some((addr) => addr >= inputOffset && addr < inputOffset + 2 ** inputDepth);
  return { plan: { segments, addresses, words, writeCount, initialValues, writesInput } };
}
