/**
 * The opML trace VM in TypeScript: running a compiled program to the end gives exactly the
 * engine's integers (hand-written model using every op, and the zoo's small models), stateAt
 * equals a naive full rehash, the initial state and output binding twins agree with the trace,
 * a range violation traps where the engine throws its OverflowError (same layer, tensor, element,
 * value) and the run's result is the error result, and a fault changes every later state.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, VerificationError } from '../src/errors.ts';
import { compileProgram, instructionAt, type VmProgram } from '../src/opml/compileProgram.ts';
import { operandsOf, VM_OP_NAMES } from '../src/opml/executeInstruction.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { replayBisection } from '../src/opml/game/replayBisection.ts';
import { executeInstruction } from '../src/opml/executeInstruction.ts';
import { buildMerkleTree, hashLeaf, rootOf, toHex } from '../src/opml/merkle.ts';
import { decodeVmLayout, encodeVmLayout, hashVmState, initialStateOf, modelRootOf, requestCommitmentOf, trappedStateOf, verifyOutputOf } from '../src/opml/vmState.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { createAllOpsInput, createAllOpsModel } from './opml-vm-fixtures.ts';

/** The state before `step`, by re-running from scratch and hashing the whole memory. */
function naiveStateAt(program: VmProgram, input: bigint[], step: number) {
  return hashVmState(naivePreimageAt(program, input, step));
}

/** The step-by-step VM: executeInstruction on BigInts from step 0, then the whole memory tree
 * built from scratch (buildMerkleTree: no overlay, no memo, no fast path). */
function naivePreimageAt(program: VmProgram, input: bigint[], step: number) {
  const memory = Array.from(program.initialMemory, (v) => BigInt(v));
  input.forEach((v, i) => (memory[program.layout.inputOffset + i] = v));
  let acc = 0n;
  for (let k = 0; k < step; k++) {
    const result = executeInstruction({
      instruction: instructionAt(program, k), acc, read: (addr) => memory[addr] ?? 0n,
      scaleBits: program.scaleBits, valueBits: program.valueBits, memoryDepth: program.memoryDepth,
    });
    acc = result.acc;
    if (result.write) memory[result.write.addr] = result.write.value;
  }
  const tree = buildMerkleTree({ depth: program.memoryDepth, usedLength: memory.length, leafHash: (i) => hashLeaf(memory[i]) });
  const { outputOffset, outputLength } = program.layout;
  return { pc: step, acc, memRoot: toHex(rootOf(tree)), output: memory.slice(outputOffset, outputOffset + outputLength).map((v) => v ?? 0n) };
}

function zoo(name: string): { model: QuantizedModel; inputs: Record<string, number[]> } {
  const model = quantizeModel({ file: `models/${name}.onnx` });
  const raw = JSON.parse(readFileSync(`models/inputs/${name}.json`, 'utf8'));
  return { model, inputs: quantizeInputs({ model, inputs: raw.inputs ?? raw }) };
}

describe('opml VM: all ops', () => {
  for (const seed of [1, 2, 3]) {
    it(`matches runEngine bit for bit (seed ${seed})`, () => {
      const model = createAllOpsModel(seed);
      const inputs = createAllOpsInput(seed + 10);
      const engine = runEngine({ model, inputs });
      const trace = createTrace({ program: compileProgram({ model }), input: inputs });
      for (const output of engine.outputs) expect(trace.outputs[output.name]).toEqual(output.data);
    });
  }

  it('has the step count of its MACs plus one step per output element (three for an add of two activations)', () => {
    const program = compileProgram({ model: createAllOpsModel(1) });
    expect(program.totalSteps).toBe(1198);
    expect(program.layers.map((layer) => [layer.name, layer.stepCount])).toEqual([
      ['conv1', 498], ['relu1', 36], ['maxpool1', 36], ['avgpool1', 246], ['avgpool2', 60], ['add1', 36], ['scale1', 36],
      ['flatten1', 0], ['fc1', 76], ['reshape2', 0], ['transpose1', 0], ['gram', 117], ['transpose2', 0], ['flatten2', 0],
      ['add2', 12], ['add3', 36], ["output 'z'", 9],
    ]);
    expect(program.layout.layerBoundaries).toEqual([0, 498, 534, 570, 816, 876, 912, 948, 1024, 1141, 1153, 1189]);
    // add3 adds two activations: ACC, ACC, AVG 1 per element, so no step reads two words and writes a third.
    const add3 = program.layers.find((layer) => layer.name === 'add3')!;
    const ops = Array.from({ length: 3 }, (_, i) => program.columns.op[add3.firstStep + i]);
    expect(ops).toEqual([1, 1, 4]);
    expect(program.columns.imm[add3.firstStep + 2]).toBe(1);
    for (let step = 0; step < program.totalSteps; step++) expect(program.columns.op[step] === 6 && (program.columns.flags[step]! & 8) === 0).toBe(false);
    expect(program.layout).toMatchObject({ memoryDepth: 9, inputOffset: 0, inputLength: 50, inputDepth: 6, outputOffset: 64, outputLength: 13, outputDepth: 4 });
  });

  it('stateAt equals a naive full rehash, and the initial state its twin', () => {
    const model = createAllOpsModel(2);
    const inputs = createAllOpsInput(12);
    const program = compileProgram({ model });
    const trace = createTrace({ program, input: inputs, checkpointInterval: 64 });
    for (const step of [0, 1, 497, 498, 700, 1000, 1161, 1173, 1174]) expect(trace.stateAt(step)).toBe(naiveStateAt(program, trace.input, step));
    expect(trace.stateAt(0)).toBe(initialStateOf({ layout: program.layout, input: trace.input }));
    const proof = trace.proveStep(600);
    expect(proof.preState).toBe(trace.stateAt(600));
    expect(proof.postState).toBe(trace.stateAt(601));
  });

  it('binds the output to the final state, and rejects another output', () => {
    const program = compileProgram({ model: createAllOpsModel(3) });
    const trace = createTrace({ program, input: createAllOpsInput(13) });
    const binding = trace.proveOutput();
    expect(binding.finalState).toBe(trace.stateAt(program.totalSteps));
    expect(binding.output.map(Number)).toEqual([...trace.outputs.y, ...trace.outputs.z]);
    verifyOutputOf({ layout: program.layout, ...binding });
    const wrong = [...binding.output];
    wrong[5] += 1n;
    expect(() => verifyOutputOf({ layout: program.layout, ...binding, output: wrong })).toThrow(VerificationError);
    expect(() => verifyOutputOf({ layout: program.layout, ...binding, finalPreimage: trace.preimageAt(program.totalSteps - 1) })).toThrow(VerificationError);
  });

  it('encodes the layout losslessly and derives the model root from it', () => {
    const program = compileProgram({ model: createAllOpsModel(1) });
    expect(decodeVmLayout(encodeVmLayout(program.layout))).toEqual(program.layout);
    expect(modelRootOf(program.layout)).toBe(program.modelRoot);
  });

  it('traps where the engine throws its OverflowError (layer, tensor, element, value); the result is the error result', () => {
    const model = createAllOpsModel(1);
    const inputs = { x: createAllOpsInput(11).x.map((v) => v * 20000) };
    let engineError: OverflowError | undefined;
    try { runEngine({ model, inputs }); } catch (error) { engineError = error as OverflowError; }
    expect(engineError).toBeInstanceOf(OverflowError);
    const program = compileProgram({ model });
    const trace = createTrace({ program, input: inputs });
    expect(trace.trap).toMatchObject({ kind: 'range' });
    for (const key of ['layer', 'tensor', 'index', 'value'] as const) expect(String(trace.trap![key])).toBe(String(engineError!.details[key]));
    const at = trace.trap!.step;
    expect(trace.stateAt(at)).toBe(naiveStateAt(program, trace.input, at));
    for (const step of [at + 1, at + 2, program.totalSteps]) expect(trace.stateAt(step)).toBe(trappedStateOf(step));
    const binding = trace.proveOutput();
    expect(binding).toMatchObject({ finalState: trappedStateOf(program.totalSteps), output: [], outputSiblings: [] });
    verifyOutputOf({ layout: program.layout, ...binding });
    expect(() => verifyOutputOf({ layout: program.layout, ...binding, output: [0n] })).toThrow(/only the error result/);
    // An input outside the range is still refused before the run (requestInference refuses it too).
    expect(() => createTrace({ program, input: { x: inputs.x.map((v, i) => (i === 3 ? 2 ** 23 : 0)) } })).toThrow(/input 'x' element 3/);
  });

  it('a fault changes the state after its step and no state before it', () => {
    const program = compileProgram({ model: createAllOpsModel(1) });
    const input = createAllOpsInput(11);
    const honest = createTrace({ program, input });
    for (const faultStep of [100, 497]) {
      const dishonest = createTrace({ program, input, fault: { step: faultStep, delta: 1n << 12n } });
      expect(dishonest.stateAt(faultStep)).toBe(honest.stateAt(faultStep));
      expect(dishonest.stateAt(faultStep + 1)).not.toBe(honest.stateAt(faultStep + 1));
      expect(dishonest.stateAt(program.totalSteps)).not.toBe(honest.stateAt(program.totalSteps));
    }
  });
});

describe('opml VM: zoo models', () => {
  const expected: Record<string, { steps: number; memoryDepth: number; writes: number }> = {
    linreg: { steps: 9, memoryDepth: 4, writes: 1 },
    'mnist-mlp-196-24-10': { steps: 5002, memoryDepth: 9, writes: 58 },
    'mnist-cnn': { steps: 9160, memoryDepth: 10, writes: 685 },
    'mnist-cnn-bn-sigmoid': { steps: 6010, memoryDepth: 10, writes: 310 },
  };
  for (const [name, figures] of Object.entries(expected)) {
    it(`${name}: runs to runEngine's integers in ${figures.steps} steps`, () => {
      const { model, inputs } = zoo(name);
      const program = compileProgram({ model });
      const trace = createTrace({ program, input: inputs });
      for (const output of runEngine({ model, inputs }).outputs) expect(trace.outputs[output.name]).toEqual(output.data);
      expect({ steps: program.totalSteps, memoryDepth: program.memoryDepth, writes: trace.writeCount }).toEqual(figures);
      const middle = Math.floor(program.totalSteps / 2);
      expect(trace.stateAt(middle)).toBe(naiveStateAt(program, trace.input, middle));
    });
  }

  it('mnist-cnn: the submitter hashes only the words that differ from the program\'s memory; a whole bisection rehashes each node its moves cross once', () => {
    const { model, inputs } = zoo('mnist-cnn');
    const program = compileProgram({ model });
    const trace = createTrace({ program, input: inputs });
    // Running the trace hashes nothing; the claim (final state + output proof) hashes the input
    // words that are not zero and the written words, each node above them once.
    expect(trace.hashCount()).toBe(0);
    const claim = trace.proveOutput();
    expect(claim.finalState).toBe(naiveStateAt(program, trace.input, program.totalSteps));
    const commitHashes = trace.hashCount();
    const target = Math.floor(program.totalSteps * 0.37);
    let low = 0;
    let high = program.totalSteps;
    trace.stateAt(low);
    trace.stateAt(high);
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      trace.stateAt(middle);
      if (middle <= target) low = middle;
      else high = middle;
    }
    const proof = trace.proveStep(low);
    expect(proof.postState).toBe(naiveStateAt(program, trace.input, low + 1));
    // Before, every write crossed cost its whole path (10 + 1 hashes), about twice: 15,048 hashes
    // after a tree build that rehashed the input subtree. Now the claim costs 1,049 (322 leaves,
    // one per distinct value, and 727 nodes, each once), and the whole bisection 1,110, most of
    // it the move back to the initial state (the submitter's first claim), which crosses every
    // write once. (Until the fix of hashCount's accounting the leaves of a batch were lost from
    // the count: it read 727 and 1,109.) Since ReLU writes over the conv output it reads
    // (allocateOver), 288 fewer distinct words are written (the same 685 writes): the claim costs
    // 636 and the bisection 869.
    expect({ steps: program.totalSteps, writes: trace.writeCount, commitHashes, disputeHashes: trace.hashCount() - commitHashes })
      .toEqual({ steps: 9160, writes: 685, commitHashes: 636, disputeHashes: 869 });
  });
});

describe('opml VM: submitter cost apart from dispute cost (issue 13 §3)', () => {
  it('mnist-mlp-784-56-10: the claim hashes only what it commits to; a k = 2 and a k = 16 bisection to step 21,999 hash about one batched pass over the writes', () => {
    const { model, inputs } = zoo('mnist-mlp-784-56-10');
    const program = compileProgram({ model });
    const counts: Record<string, number> = {};
    for (const arity of [2, 16]) {
      const trace = createTrace({ program, input: inputs });
      const claim = trace.proveOutput();
      // Bit-identical to today's reference (contracts/test/opml/vm/MnistStepFixtures.sol pins
      // the same model's states) and to a naive full rehash.
      if (arity === 2) expect(claim.finalState).toBe(naiveStateAt(program, trace.input, program.totalSteps));
      const claimHashes = trace.hashCount();
      counts[`claim k=${arity}`] = claimHashes;
      const dispute = replayBisection({
        trace: { stateAt: trace.stateAt, proveStep: trace.proveStep, totalSteps: program.totalSteps, layerStarts: program.layout.layerBoundaries },
        arity,
        disputedStep: 21_999,
      });
      expect(dispute.provedStep).toBe(21_999);
      counts[`rounds k=${arity}`] = dispute.rounds;
      counts[`states k=${arity}`] = dispute.statesAsked;
      counts[`dispute hashes k=${arity}`] = trace.hashCount() - claimHashes;
    }
    // The claim: 186 nonzero pixels and 122 written words, leaves by distinct value, each node
    // above them once (before: the input subtree rebuilt, 1,024 leaves, and 122 writes × 12
    // hashes). The dispute: the move back to the initial state crosses the 122 writes once, then
    // the bisection's states are cheap; k = 16 asks 59 states (5 rounds of 17 claims) over more
    // of the write log than k = 2's 19. The first claim's 558: 136 leaves (one per distinct
    // value) and 422 nodes; the second trace of the same program finds every leaf in the
    // program's leaf memo and hashes the 422 nodes alone (its dispute too: 615, not 616). The
    // final state's own hash is not a tree hash. (Until the fix of hashCount's accounting the
    // leaves were lost from the count: it read 422, 306, 615.) Since ReLU writes over the Gemm
    // output it reads (allocateOver), 66 distinct words are written, not 122: 558 → 488 and
    // 422 → 369, the dispute's 307 → 271 and 615 → 512.
    expect({ steps: program.totalSteps, ...counts }).toEqual({
      steps: 44_586, 'claim k=2': 488, 'claim k=16': 369,
      'rounds k=2': 17, 'states k=2': 19, 'dispute hashes k=2': 271,
      'rounds k=16': 5, 'states k=16': 59, 'dispute hashes k=16': 512,
    });
  });
});

describe('opml VM: the submitter\'s fast path against the step-by-step VM (issue 13 §3)', () => {
  // The claim the registry takes (final state, its preimage, the output and its proof) from the
  // fast path (executeSteps on doubles with its fused MAC runs, the Merkle overlay hashing only
  // the words that differ from the program's tree, the per-program leaf memo) equals, root for
  // root, the reference: every step through executeInstruction on BigInts and the whole memory
  // tree rebuilt. A second trace of the same program (every leaf memoized) gives the same bytes
  // and hashes the tree's nodes only.
  const expected: Record<string, { steps: number; firstClaimHashes: number; memoizedClaimHashes: number }> = {
    linreg: { steps: 9, firstClaimHashes: 20, memoizedClaimHashes: 11 },
    // (ReLU written over its input since allocateOver: 245/164, 1,049/727 and 558/422 before.)
    'mnist-mlp-196-24-10': { steps: 5002, firstClaimHashes: 214, memoizedClaimHashes: 142 },
    'mnist-cnn': { steps: 9160, firstClaimHashes: 636, memoizedClaimHashes: 431 },
    'mnist-mlp-784-56-10': { steps: 44_586, firstClaimHashes: 488, memoizedClaimHashes: 369 },
  };
  for (const [name, figures] of Object.entries(expected)) {
    it(`${name}: final state, memory root, acc and output equal the step-by-step VM's; a memoized claim is the same bytes`, () => {
      const { model, inputs } = zoo(name);
      const program = compileProgram({ model });
      const first = createTrace({ program, input: inputs });
      const claim = first.proveOutput();
      const reference = naivePreimageAt(program, first.input, program.totalSteps);
      expect(claim.finalPreimage).toEqual({ pc: reference.pc, acc: reference.acc, memRoot: reference.memRoot });
      expect(claim.finalState).toBe(hashVmState(reference));
      expect(claim.output).toEqual(reference.output);
      verifyOutputOf({ layout: program.layout, ...claim });
      const again = createTrace({ program, input: inputs });
      expect(again.proveOutput()).toEqual(claim);
      expect({ steps: program.totalSteps, firstClaimHashes: first.hashCount(), memoizedClaimHashes: again.hashCount() }).toEqual(figures);
    });
  }
});

describe('opml VM: the submitter starts from the request\'s input root (issue 13 §3)', () => {
  // OpmlRegistry.requestInference hashes the input subtree on-chain and emits its root with the
  // initial state (InferenceRequested). A trace given that root checks it against the initial
  // state (memoryDepth − inputDepth node hashes) and takes the input subtree as one known node:
  // the claim hashes only the nodes outside it — the written words' paths. The claim's bytes are
  // those of the trace that hashes the input (and of the step-by-step VM).
  // claimHashes: a program's first claim (leaves hashed once per distinct written value);
  // memoizedClaimHashes: the next one (leaves from the program's memo, nodes only). The same
  // claims from a trace that hashes the input (the fast-path test above): 20/11, 245/164,
  // 1,049/727 and 558/422. Each includes memoryDepth − inputDepth hashes checking the input root.
  const expected: Record<string, { steps: number; claimHashes: number; memoizedClaimHashes: number }> = {
    linreg: { steps: 9, claimHashes: 6, memoizedClaimHashes: 5 },
    // (ReLU written over its input since allocateOver: 95/62, 910/626 and 189/126 before.)
    'mnist-mlp-196-24-10': { steps: 5002, claimHashes: 64, memoizedClaimHashes: 40 },
    'mnist-cnn': { steps: 9160, claimHashes: 497, memoizedClaimHashes: 330 },
    'mnist-mlp-784-56-10': { steps: 44_586, claimHashes: 119, memoizedClaimHashes: 73 },
  };
  for (const [name, figures] of Object.entries(expected)) {
    it(`${name}: the claim from the request's input root is the same bytes and hashes only outside the input subtree`, () => {
      const { model, inputs } = zoo(name);
      const program = compileProgram({ model });
      const input = createTrace({ program, input: inputs }).input;
      const request = requestCommitmentOf({ layout: program.layout, input });
      expect(request.initialState).toBe(initialStateOf({ layout: program.layout, input }));
      const first = createTrace({ program, input: inputs, request });
      const claim = first.proveOutput();
      const claimHashes = first.hashCount();
      const again = createTrace({ program, input: inputs, request });
      expect(again.proveOutput()).toEqual(claim);
      const memoizedClaimHashes = again.hashCount();
      const hashing = createTrace({ program, input: inputs });
      expect(hashing.proveOutput()).toEqual(claim);
      const reference = naivePreimageAt(program, input, program.totalSteps);
      expect(claim.finalPreimage).toEqual({ pc: reference.pc, acc: reference.acc, memRoot: reference.memRoot });
      // The initial state is the request's without hashing the input (the claim's moves only).
      expect(again.stateAt(0)).toBe(request.initialState);
      expect({ steps: program.totalSteps, claimHashes, memoizedClaimHashes }).toEqual(figures);
    });
  }

  it('all ops: every 7th step proof, in order, and the claim from the request\'s root equal the hashing trace\'s', () => {
    // Moves back and forth across the write log before and after the input subtree is first
    // hashed (the first proof that reads an input word).
    const program = compileProgram({ model: createAllOpsModel(1) });
    const hashing = createTrace({ program, input: createAllOpsInput(11) });
    const trace = createTrace({ program, input: createAllOpsInput(11), request: requestCommitmentOf({ layout: program.layout, input: hashing.input }) });
    expect(trace.proveOutput()).toEqual(hashing.proveOutput());
    const steps = Array.from({ length: Math.ceil(program.totalSteps / 7) }, (_, i) => 7 * i);
    expect(steps.map((k) => trace.proveStep(k).proof)).toEqual(steps.map((k) => hashing.proveStep(k).proof));
    expect(trace.stateAt(0)).toBe(hashing.stateAt(0));
  });

  it('mnist-mlp-784-56-10: a dispute that reads an input word hashes the input subtree then, and its proofs are those of the hashing trace', () => {
    const { model, inputs } = zoo('mnist-mlp-784-56-10');
    const program = compileProgram({ model });
    const hashing = createTrace({ program, input: inputs });
    const request = requestCommitmentOf({ layout: program.layout, input: hashing.input });
    // The hashing trace's claim fills the leaf memo (written values and pixels): the figures
    // below are a steady-state submitter's, nodes only.
    hashing.proveOutput();
    const counts: Record<string, number> = {};
    for (const arity of [2, 16]) {
      const trace = createTrace({ program, input: inputs, request });
      trace.proveOutput();
      const claimHashes = trace.hashCount();
      const dispute = replayBisection({
        trace: { stateAt: trace.stateAt, proveStep: trace.proveStep, totalSteps: program.totalSteps, layerStarts: program.layout.layerBoundaries },
        arity,
        disputedStep: 21_999,
      });
      expect(dispute.provedStep).toBe(21_999);
      counts[`claim k=${arity}`] = claimHashes;
      counts[`dispute hashes k=${arity}`] = trace.hashCount() - claimHashes;
      // Step 21,999 (a MAC of the first Gemm) reads an input word: its proof needed the input
      // subtree's inner nodes, hashed at dispute time from the input words.
      const { readA, readB } = operandsOf(instructionAt(program, 21_999), 0n);
      expect([readA, readB].some((addr) => addr !== undefined && addr < program.layout.inputLength)).toBe(true);
      expect(trace.proveStep(21_999)).toEqual(hashing.proveStep(21_999));
      expect(trace.proveStep(43_960)).toEqual(hashing.proveStep(43_960));
    }
    // The claim: 1 hash to check the input root (memory depth 11 over a depth-10 input subtree)
    // and the 72 nodes outside the input subtree, against 369 when the input is hashed. The
    // dispute: 271 and 512 as for the hashing trace, plus 298 when the proof first reads a pixel:
    // the 297 input-subtree nodes the claim no longer hashes and the root above them again.
    // (Before ReLU wrote over its input: 126, 605, 126, 913.)
    expect(counts).toEqual({ 'claim k=2': 73, 'dispute hashes k=2': 569, 'claim k=16': 73, 'dispute hashes k=16': 810 });
  });

  it('refuses an inputRoot that does not give the request\'s initial state, and an input that does not hash to it', () => {
    const { model, inputs } = zoo('mnist-mlp-196-24-10');
    const program = compileProgram({ model });
    const input = createTrace({ program, input: inputs }).input;
    const request = requestCommitmentOf({ layout: program.layout, input });
    const flip = (hex: `0x${string}`) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}` as `0x${string}`;
    // A lying event: the input root (or the initial state) changed.
    expect(() => createTrace({ program, input: inputs, request: { ...request, inputRoot: flip(request.inputRoot) } }))
      .toThrow(/mnist-mlp-196-24-10': the request's inputRoot 0x[0-9a-f]{64} does not give its initialState/);
    expect(() => createTrace({ program, input: inputs, request: { ...request, initialState: flip(request.initialState) } }))
      .toThrow(VerificationError);
    expect(() => createTrace({ program, input: inputs, request: { ...request, inputRoot: '0x1234' } }))
      .toThrow(/must be 32-byte hex words/);
    // Another request's commitments, consistent with each other but not with this input: the
    // claim cannot see it (it never hashes the input), the first proof that reads an input word does.
    const other = input.map((v, i) => (i === 17 ? v + 1n : v));
    const otherRequest = requestCommitmentOf({ layout: program.layout, input: other });
    const trace = createTrace({ program, input: inputs, request: otherRequest });
    expect(trace.stateAt(0)).toBe(otherRequest.initialState);
    const reader = Array.from({ length: program.totalSteps }, (_, k) => k).find((k) => {
      const { a, b } = instructionAt(program, k);
      return [a, b].some((addr) => addr >= program.layout.inputOffset && addr < program.layout.inputOffset + program.layout.inputLength) && VM_OP_NAMES[instructionAt(program, k).op] === 'MAC';
    })!;
    expect(() => trace.proveStep(reader)).toThrow(/the input does not hash to the request's inputRoot/);
  });
});
