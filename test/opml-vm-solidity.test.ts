/**
 * The Solidity one-step verifier against its TypeScript twin, on anvil: honest trace steps of
 * every instruction kind give trace.stateAt(k+1); random instructions on random states (valid,
 * invalid, overflowing) give the same post-state — the trapped state where either traps, never a
 * revert (the VM is total); every step of a trapping run is proven; tampered proofs revert with the
 * right error; initialState and the output binding agree between TS and Solidity; and the exact
 * execution gas of one step per instruction kind at the memory depth of mnist-mlp-784-56-10.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BaseError, decodeAbiParameters, decodeErrorResult, decodeFunctionResult, encodeAbiParameters, encodeFunctionData, hexToBytes,
  keccak256 as keccakHex, type Abi, type Address, type Hex,
} from 'viem';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { compileProgram, instructionAt, type VmProgram } from '../src/opml/compileProgram.ts';
import { createTrace, type VmTrace } from '../src/opml/createTrace.ts';
import { encodeStepProof, STEP_PROOF_ABI } from '../src/opml/encodeStepProof.ts';
import { executeInstruction, operandsOf, VM_OP_NAMES, VmFlag, VmOp, type VmInstruction } from '../src/opml/executeInstruction.ts';
import { buildMerkleTree, hashLeaf, rootOf, siblingsOf, toHex, updateLeaf, type Hash } from '../src/opml/merkle.ts';
import { encodeVmLayout, hashVmState, initialStateOf, modelRootOf, requestCommitmentOf, trappedStateOf, type VmModelHeader } from '../src/opml/vmState.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { createAllOpsInput, createAllOpsModel, createIntegerPrng } from './opml-vm-fixtures.ts';

let anvil: StartAnvilResult;
let clients: ChainClients;
let verifier: Address;
let probe: Address;
let verifierAbi: Abi;
let probeAbi: Abi;

beforeAll(async () => {
  const compiled = compileSolidity({ files: ['contracts/src/opml/vm/OneStepVerifier.sol', 'contracts/test/opml/vm/StepGasProbe.sol'] });
  const verifierContract = getCompiledContract(compiled, 'OneStepVerifier');
  const probeContract = getCompiledContract(compiled, 'StepGasProbe');
  verifierAbi = verifierContract.abi;
  probeAbi = probeContract.abi;
  anvil = await startAnvil({});
  clients = await createChainClients({ rpcUrl: anvil.rpcUrl });
  verifier = (await deployContract({ clients, contract: verifierContract })).address;
  probe = (await deployContract({ clients, contract: probeContract })).address;
});

afterAll(async () => {
  await anvil?.stop();
});

type Outcome = { postState: Hex; gas: number } | { error: string };

function revertName(error: unknown): string {
  const found = error instanceof BaseError ? error.walk((e) => typeof (e as { data?: unknown }).data === 'string') : undefined;
  const data = (found as { data?: Hex } | undefined)?.data;
  if (!data) return `no revert data: ${String(error).slice(0, 200)}`;
  try {
    return decodeErrorResult({ abi: verifierAbi, data }).errorName;
  } catch {
    return data.slice(0, 10);
  }
}

async function callStep(modelRoot: Hex, preState: Hex, proof: Hex): Promise<Outcome> {
  try {
    const { data } = await clients.publicClient.call({
      to: probe,
      data: encodeFunctionData({ abi: probeAbi, functionName: 'measure', args: [verifier, modelRoot, preState, proof] }),
    });
    const [postState, gas] = decodeFunctionResult({ abi: probeAbi, functionName: 'measure', data: data! }) as [Hex, bigint];
    return { postState, gas: Number(gas) };
  } catch (error) {
    return { error: revertName(error) };
  }
}

async function readVerifier(functionName: string, args: unknown[]): Promise<{ result?: unknown; error?: string }> {
  try {
    return { result: await clients.publicClient.readContract({ address: verifier, abi: verifierAbi, functionName, args }) };
  } catch (error) {
    return { error: revertName(error) };
  }
}

function allOps(): { program: VmProgram; trace: VmTrace } {
  const program = compileProgram({ model: createAllOpsModel(1) });
  return { program, trace: createTrace({ program, input: createAllOpsInput(11) }) };
}

/** One step on an arbitrary memory image: the proof and the TS VM's outcome. */
function buildCase(parameters: {
  memoryDepth: number; programDepth: number; pc: number; memory: bigint[]; acc: bigint;
  instruction: VmInstruction; scaleBits: number; valueBits: number;
}) {
  const { memoryDepth, programDepth, pc, memory, acc, instruction, scaleBits, valueBits } = parameters;
  const tree = buildMerkleTree({ depth: memoryDepth, usedLength: memory.length, leafHash: (i) => hashLeaf(memory[i]) });
  const instructionLeaf = hashLeafOfInstruction(instruction);
  const zero = new Uint8Array(32);
  const programTree = buildMerkleTree({
    depth: programDepth, usedLength: pc + 1, leafHash: (i) => (i === pc ? instructionLeaf : zero), padding: zeroPadding(programDepth),
  });
  const header: VmModelHeader = {
    programRoot: toHex(rootOf(programTree)), programDepth, memoryDepth, scaleBits, valueBits,
    layoutHash: '0x1111111111111111111111111111111111111111111111111111111111111111',
  };
  const pre = { pc, acc, memRoot: toHex(rootOf(tree)) };
  const size = 2 ** memoryDepth;
  const slot = (addr: number | undefined) =>
    addr === undefined ? undefined : { value: memory[addr % size] ?? 0n, siblings: siblingsOf(tree, addr % size).map(toHex) };
  const operands = operandsOf(instruction, acc);
  const proof = encodeStepProof({
    header, pre, instruction, instructionSiblings: siblingsOf(programTree, pc).map(toHex),
    readA: slot(operands.readA), readB: slot(operands.readB), write: slot(operands.write),
  });
  const result = executeInstruction({ instruction, acc, read: (addr) => memory[addr] ?? 0n, scaleBits, valueBits, memoryDepth });
  if (result.write && !result.trap) updateLeaf(tree, result.write.addr, hashLeaf(result.write.value));
  const expected = result.trap ? trappedStateOf(pc + 1) : hashVmState({ pc: pc + 1, acc: result.acc, memRoot: toHex(rootOf(tree)) });
  return { modelRoot: modelRootOf(header), preState: hashVmState(pre), proof, expected, trap: result.trap };
}

function hashLeafOfInstruction(instruction: VmInstruction): Hash {
  const encoded = encodeAbiParameters(STEP_PROOF_ABI[2].components.map((c) => ({ type: c.type })), [
    BigInt(instruction.op), BigInt(instruction.flags), BigInt(instruction.dst), BigInt(instruction.a), BigInt(instruction.b), instruction.imm,
  ]);
  return hexToHash(keccakHex(encoded));
}
const hexToHash = (hex: Hex): Hash => hexToBytes(hex);
function zeroPadding(depth: number): Hash[] {
  const table: Hash[] = [new Uint8Array(32)];
  for (let level = 1; level <= depth; level++) table.push(hexToHash(keccakHex(new Uint8Array([...table[level - 1], ...table[level - 1]]))));
  return table;
}

describe('opml OneStepVerifier', () => {
  it('executes every honest step kind of the all-ops trace to trace.stateAt(k+1)', async () => {
    const { program, trace } = allOps();
    const firstOfKind = new Map<string, number>();
    for (let step = 0; step < program.totalSteps; step++) {
      const instruction = instructionAt(program, step);
      const kind = `${VM_OP_NAMES[instruction.op]}/${instruction.flags}`;
      if (!firstOfKind.has(kind)) firstOfKind.set(kind, step);
    }
    expect([...firstOfKind.keys()].sort()).toEqual(
      ['ACC/0', 'ADD/8', 'AVG/0', 'COPY/0', 'MAC/0', 'MAC/8', 'MAX/0', 'MAX/1', 'MAX/2', 'MAX/3', 'RELU/0', 'RESCALE/0', 'SCALE/0'],
    );
    const steps = [...firstOfKind.values(), 0, 497, 498, program.totalSteps - 1];
    for (const step of steps) {
      const { preState, postState, proof } = trace.proveStep(step);
      const outcome = await callStep(program.modelRoot, preState, proof);
      expect(outcome, `step ${step}`).toMatchObject({ postState });
    }
  });

  it('executes every step of the clip, leakyRelu, mul and pad/concat lowerings to trace.stateAt(k+1)', async () => {
    // One small model per new layer (the MAX flag MIN of clip's upper bound, leakyRelu's SCALE into
    // a scratch word, mul's MAC + RESCALE, the pad fill and clip bounds as constant words).
    const base = { format: 'opzk-qmodel/1', source: { file: 'test', sha256: '0'.repeat(64), opset: 13, producer: 'hand-written' }, scaleBits: 8, valueBits: 16, hash: '0'.repeat(64) } as const;
    const models = [
      { ...base, name: 'clip', inputs: [{ name: 'x', dims: [1, 6] }], outputs: [{ name: 'y', dims: [1, 6] }], tensors: { x: [1, 6], y: [1, 6] }, constants: {},
        layers: [{ op: 'clip', name: 'clip', out: 'y', input: 'x', min: -100, max: 300 }] },
      { ...base, name: 'leaky', inputs: [{ name: 'x', dims: [1, 6] }], outputs: [{ name: 'y', dims: [1, 6] }], tensors: { x: [1, 6], y: [1, 6] }, constants: {},
        layers: [{ op: 'leakyRelu', name: 'leaky', out: 'y', input: 'x', alpha: 26 }] },
      { ...base, name: 'mul-pad', inputs: [{ name: 'x', dims: [2, 3] }], outputs: [{ name: 'y', dims: [3, 5] }], tensors: { x: [2, 3], p: [2, 3], m: [2, 3], y: [3, 5] },
        constants: { k: { dims: [3], data: [300, -17, 2], scaleExp: 1 }, c: { dims: [1, 3], data: [9, 8, 7], scaleExp: 1 } },
        layers: [
          { op: 'mul', name: 'square', out: 'p', a: 'x', b: 'x', accBits: 31 },
          { op: 'mul', name: 'scale', out: 'm', a: 'p', b: 'k', accBits: 25 },
          { op: 'concat', name: 'join', out: 'j', inputs: ['m', 'c'], axis: 0 },
          { op: 'pad', name: 'pad', out: 'y', input: 'j', pads: [0, 1, 0, 1], mode: 'constant', value: -5 },
        ] },
    ] as unknown as QuantizedModel[];
    models[2]!.tensors.j = [3, 3];
    const random = createIntegerPrng(31);
    for (const model of models) {
      const program = compileProgram({ model });
      const input = { x: Array.from({ length: model.inputs[0]!.dims.reduce((p, d) => p * d, 1) }, () => random(-400, 400)) };
      const trace = createTrace({ program, input });
      expect(trace.trap, model.name).toBeUndefined();
      for (let step = 0; step < program.totalSteps; step++) {
        const { preState, postState, proof } = trace.proveStep(step);
        expect(await callStep(program.modelRoot, preState, proof), `${model.name} step ${step}`).toMatchObject({ postState });
      }
    }
  });

  it('MAX with MIN: the minimum on-chain as in TypeScript; a claimed maximum instead is another post-state', async () => {
    const random = createIntegerPrng(5);
    const memory = Array.from({ length: 16 }, () => BigInt(random(-3000, 3000)));
    for (const [acc, flags] of [[-123456n, VmFlag.MIN], [0n, VmFlag.MIN | VmFlag.STORE], [4000n, VmFlag.MIN | VmFlag.STORE], [-9n, VmFlag.MIN | VmFlag.FIRST], [77n, VmFlag.MIN | VmFlag.FIRST | VmFlag.STORE]] as const) {
      const instruction = { op: VmOp.MAX, flags, dst: 9, a: 3, b: 0, imm: 0n };
      const built = buildCase({ memoryDepth: 4, programDepth: 3, pc: 5, memory, acc, instruction, scaleBits: 8, valueBits: 16 });
      expect(built.trap).toBeUndefined();
      expect(await callStep(built.modelRoot, built.preState, built.proof), `acc ${acc} flags ${flags}`).toMatchObject({ postState: built.expected });
      // The cheat: the same step read as a MAX without MIN (what a dishonest submitter would post).
      const cheat = buildCase({ memoryDepth: 4, programDepth: 3, pc: 5, memory, acc, instruction: { ...instruction, flags: flags & ~VmFlag.MIN }, scaleBits: 8, valueBits: 16 });
      if (flags & VmFlag.FIRST) expect(cheat.expected).toBe(built.expected);
      else expect(cheat.expected).not.toBe(built.expected);
    }
    // A flag beyond MIN (32) is still an undefined instruction: the trapped state, not a revert.
    const undefinedFlag = buildCase({ memoryDepth: 4, programDepth: 3, pc: 5, memory, acc: 0n, instruction: { op: VmOp.MAX, flags: 32 | VmFlag.MIN, dst: 9, a: 3, b: 0, imm: 0n }, scaleBits: 8, valueBits: 16 });
    expect(undefinedFlag.trap?.kind).toBe('instruction');
    expect(await callStep(undefinedFlag.modelRoot, undefinedFlag.preState, undefinedFlag.proof)).toMatchObject({ postState: trappedStateOf(6) });
  });

  it('proves the steps of a trapping run: before, at and after the trap, to trace.stateAt(k+1)', async () => {
    const program = compileProgram({ model: createAllOpsModel(1) });
    const trace = createTrace({ program, input: { x: createAllOpsInput(11).x.map((v) => v * 20000) } });
    const at = trace.trap!.step;
    for (const step of [0, at - 1, at, at + 1, at + 2, program.totalSteps - 1]) {
      const { preState, postState, proof } = trace.proveStep(step);
      expect(await callStep(program.modelRoot, preState, proof), `step ${step}`).toMatchObject({ postState });
    }
    expect(trace.stateAt(at + 1)).toBe(trappedStateOf(at + 1));
    const binding = trace.proveOutput();
    expect(await readVerifier('verifyOutput', [program.modelRoot, encodeVmLayout(program.layout), binding.finalState, [], binding.proof])).toEqual({ result: undefined });
    expect(await readVerifier('verifyOutput', [program.modelRoot, encodeVmLayout(program.layout), binding.finalState, [0n], binding.proof])).toEqual({ error: 'OutputMismatch' });
  });

  it('agrees with the TypeScript VM on random instructions over random states', async () => {
    const random = createIntegerPrng(2024);
    const pick = <T,>(items: readonly T[]) => items[random(0, items.length - 1)];
    const randomWord = (): bigint => {
      switch (random(0, 5)) {
        case 0: return BigInt(random(-300, 300));
        case 1: return BigInt(random(-(2 ** 20), 2 ** 20)) * BigInt(random(1, 2 ** 20));
        case 2: return (1n << BigInt(random(0, 40))) - BigInt(random(0, 1));
        case 3: return -(1n << BigInt(random(0, 40)));
        case 4: return (random(0, 1) ? 1n : -1n) * ((1n << BigInt(random(120, 254))) + BigInt(random(0, 1000)));
        default: return random(0, 1) ? (1n << 255n) - 1n - BigInt(random(0, 3)) : -(1n << 255n) + BigInt(random(0, 3));
      }
    };
    const counts = { ran: 0, trapped: 0 };
    const reasons: Record<string, number> = {};
    for (let round = 0; round < 160; round++) {
      const memoryDepth = 4;
      const memory = Array.from({ length: 16 }, randomWord);
      const op = random(0, 12) === 0 ? random(9, 300) : random(0, 8);
      const validFlags = op === VmOp.MAX ? random(0, 3) : op === VmOp.RESCALE ? pick([0, VmFlag.BIAS])
        : op === VmOp.MAC || op === VmOp.ADD ? pick([0, VmFlag.IMM]) : 0;
      const instruction: VmInstruction = {
        op,
        flags: random(0, 15) === 0 ? random(0, 15) : validFlags,
        dst: random(0, 20) === 0 ? random(16, 40) : random(0, 15),
        a: random(0, 20) === 0 ? random(16, 40) : random(0, 15),
        b: random(0, 20) === 0 ? random(16, 40) : random(0, 15),
        imm: random(0, 3) === 0 ? randomWord() : BigInt(random(-3, 300)),
      };
      const scaleBits = random(0, 30) === 0 ? pick([0, 254, 255, 300]) : random(1, 16);
      const valueBits = random(0, 30) === 0 ? pick([0, 1, 255, 256]) : random(scaleBits + 1, 60);
      const testCase = buildCase({ memoryDepth, programDepth: 3, pc: random(0, 7), memory, acc: randomWord(), instruction, scaleBits, valueBits });
      const outcome = await callStep(testCase.modelRoot, testCase.preState, testCase.proof);
      // Never a revert: a trap is the trapped state, proven like any other step.
      expect(outcome, JSON.stringify({ round, instruction: { ...instruction, imm: String(instruction.imm) } })).toMatchObject({ postState: testCase.expected });
      if (testCase.trap) {
        counts.trapped++;
        reasons[testCase.trap.kind] = (reasons[testCase.trap.kind] ?? 0) + 1;
      } else counts.ran++;
    }
    // Fixed seed: both outcomes and every kind of trap are exercised (these 70 steps reverted
    // before traps: 12 addresses outside memory, 32 undefined instructions, 16 out of range, 10
    // int256 overflows).
    expect(counts).toEqual({ ran: 90, trapped: 70 });
    expect(reasons).toEqual({ instruction: 44, range: 16, int256: 10 });
  });

  it('reverts on tampered proofs and states', async () => {
    // An ADD of two words: two reads and a write (the compiler lowers an add of two activations to
    // ACC, ACC, AVG, but the verifier still defines ADD, so its every proof part is checked).
    const random = createIntegerPrng(7);
    const memory = Array.from({ length: 64 }, () => BigInt(random(-3000, 3000)));
    const built = buildCase({ memoryDepth: 11, programDepth: 16, pc: 23130, memory, acc: -123456n, instruction: { op: VmOp.ADD, flags: 0, dst: 9, a: 3, b: 40, imm: 0n }, scaleBits: 8, valueBits: 16 });
    const program = { modelRoot: built.modelRoot };
    const honest = { preState: built.preState, postState: built.expected as Hex, proof: built.proof };
    expect(await callStep(program.modelRoot, honest.preState, honest.proof)).toMatchObject({ postState: honest.postState });
    const decoded = decodeAbiParameters(STEP_PROOF_ABI, honest.proof);
    const reencode = (change: (parts: any[]) => void): Hex => {
      const parts = structuredClone(decoded) as unknown as any[];
      change(parts);
      return encodeAbiParameters(STEP_PROOF_ABI, parts as never);
    };
    const flip = (hex: Hex): Hex => `0x${(BigInt(hex) ^ 1n).toString(16).padStart(64, '0')}`;
    const cases: [string, Hex, Hex, Hex, string][] = [
      ['wrong leaf (read A)', program.modelRoot, honest.preState, reencode((p) => { p[4].value += 1n; }), 'MemoryMismatch'],
      ['wrong leaf (read B)', program.modelRoot, honest.preState, reencode((p) => { p[5].value -= 1n; }), 'MemoryMismatch'],
      ['wrong old word (write)', program.modelRoot, honest.preState, reencode((p) => { p[6].value += 7n; }), 'MemoryMismatch'],
      ['wrong sibling', program.modelRoot, honest.preState, reencode((p) => { p[4].siblings[3] = flip(p[4].siblings[3]); }), 'MemoryMismatch'],
      ['wrong write sibling', program.modelRoot, honest.preState, reencode((p) => { p[6].siblings[0] = flip(p[6].siblings[0]); }), 'MemoryMismatch'],
      ['short proof', program.modelRoot, honest.preState, reencode((p) => { p[4].siblings.pop(); }), 'ProofLengthMismatch'],
      ['wrong instruction', program.modelRoot, honest.preState, reencode((p) => { p[2].a += 1n; }), 'InstructionMismatch'],
      ['wrong instruction sibling', program.modelRoot, honest.preState, reencode((p) => { p[3][0] = flip(p[3][0]); }), 'InstructionMismatch'],
      ['wrong pre-state', program.modelRoot, honest.postState, honest.proof, 'StateMismatch'],
      ['preimage with another acc', program.modelRoot, honest.preState, reencode((p) => { p[1].acc += 1n; }), 'StateMismatch'],
      ['header with another scale', program.modelRoot, honest.preState, reencode((p) => { p[0].scaleBits += 1n; }), 'ModelMismatch'],
      ['another model', flip(program.modelRoot), honest.preState, honest.proof, 'ModelMismatch'],
    ];
    for (const [name, modelRoot, preState, proof, error] of cases) expect(await callStep(modelRoot, preState, proof), name).toEqual({ error });
  });

  it('computes the same initial state as TypeScript and binds the output the same way', async () => {
    for (const { program, input } of [
      (() => { const p = compileProgram({ model: createAllOpsModel(2) }); return { program: p, input: createAllOpsInput(12) }; })(),
      (() => {
        const model = quantizeModel({ file: 'models/mnist-mlp-196-24-10.onnx' });
        const raw = JSON.parse(readFileSync('models/inputs/mnist-mlp-196-24-10.json', 'utf8'));
        return { program: compileProgram({ model }), input: quantizeInputs({ model, inputs: raw.inputs ?? raw }) };
      })(),
    ]) {
      const trace = createTrace({ program, input });
      const layout = encodeVmLayout(program.layout);
      // The state and the input subtree root the registry emits (InferenceRequested), as TypeScript has them.
      const request = requestCommitmentOf({ layout: program.layout, input: trace.input });
      expect(await readVerifier('initialState', [program.modelRoot, layout, trace.input])).toEqual({ result: [trace.stateAt(0), request.inputRoot] });
      expect(request.initialState).toBe(trace.stateAt(0));
      expect(initialStateOf({ layout: program.layout, input: trace.input })).toBe(trace.stateAt(0));
      const tooBig = [...trace.input];
      tooBig[1] = 1n << BigInt(program.valueBits - 1);
      expect(await readVerifier('initialState', [program.modelRoot, layout, tooBig])).toEqual({ error: 'InputOutOfRange' });
      const high = 1n << BigInt(program.valueBits - 1);
      for (const value of [-high - 1n, -(1n << 255n), (1n << 255n) - 1n]) {
        const outside = [...trace.input];
        outside[outside.length - 1] = value;
        expect(await readVerifier('initialState', [program.modelRoot, layout, outside])).toEqual({ error: 'InputOutOfRange' });
      }
      const edges = trace.input.map((_, i) => (i % 2 === 0 ? -high : high - 1n));
      const edgeRequest = requestCommitmentOf({ layout: program.layout, input: edges });
      expect(await readVerifier('initialState', [program.modelRoot, layout, edges])).toEqual({ result: [edgeRequest.initialState, edgeRequest.inputRoot] });
      expect(await readVerifier('initialState', [program.modelRoot, layout, trace.input.slice(1)])).toEqual({ error: 'InputLengthMismatch' });
      expect(await readVerifier('initialState', [flipRoot(program.modelRoot), layout, trace.input])).toEqual({ error: 'ModelMismatch' });

      const binding = trace.proveOutput();
      expect(await readVerifier('verifyOutput', [program.modelRoot, layout, binding.finalState, binding.output, binding.proof])).toEqual({ result: undefined });
      const wrong = binding.output.map((v, i) => (i === 0 ? v + 1n : v));
      expect(await readVerifier('verifyOutput', [program.modelRoot, layout, binding.finalState, wrong, binding.proof])).toEqual({ error: 'OutputMismatch' });
      const earlier = trace.preimageAt(program.totalSteps - 1);
      const earlierProof = encodeAbiParameters([{ type: 'tuple', components: [{ name: 'pc', type: 'uint256' }, { name: 'acc', type: 'int256' }, { name: 'memRoot', type: 'bytes32' }] }, { type: 'bytes32[]' }],
        [{ pc: BigInt(earlier.pc), acc: earlier.acc, memRoot: earlier.memRoot }, binding.outputSiblings]);
      expect(await readVerifier('verifyOutput', [program.modelRoot, layout, trace.stateAt(program.totalSteps - 1), binding.output, earlierProof])).toEqual({ error: 'NotFinal' });
      expect(await readVerifier('verifyOutput', [program.modelRoot, layout, trace.stateAt(program.totalSteps - 1), binding.output, binding.proof])).toEqual({ error: 'StateMismatch' });
    }
  });
});

describe('opml OneStepVerifier gas', () => {
  it('measures one step per instruction kind at the depths of mnist-mlp-784-56-10', async () => {
    const model = quantizeModel({ file: 'models/mnist-mlp-784-56-10.onnx' });
    const raw = JSON.parse(readFileSync('models/inputs/mnist-mlp-784-56-10.json', 'utf8'));
    const program = compileProgram({ model });
    expect({ memoryDepth: program.memoryDepth, programDepth: program.programDepth, totalSteps: program.totalSteps }).toEqual({ memoryDepth: 11, programDepth: 16, totalSteps: 44586 });
    const trace = createTrace({ program, input: quantizeInputs({ model, inputs: raw.inputs ?? raw }) });
    const real: Record<string, number> = {};
    const proofBytes: Record<string, number> = {};
    const transactionGas: Record<string, number> = {};
    for (const [kind, step] of [['MAC+IMM', 1000], ['RESCALE', 784], ['RELU', 43960]] as const) {
      expect(VM_OP_NAMES[instructionAt(program, step).op]).toBe(kind.split('+')[0]);
      const { preState, postState, proof } = trace.proveStep(step);
      const outcome = await callStep(program.modelRoot, preState, proof);
      expect(outcome).toMatchObject({ postState });
      real[kind] = (outcome as { gas: number }).gas;
      proofBytes[`mnist ${kind}`] = (proof.length - 2) / 2;
      // A whole transaction calling step directly: 21,000 + calldata + execution.
      transactionGas[`mnist ${kind}`] = Number(await clients.publicClient.estimateGas({
        account: clients.addresses[0], to: verifier,
        data: encodeFunctionData({ abi: verifierAbi, functionName: 'step', args: [program.modelRoot, preState, proof] }),
      }));
    }
    // The endpoint checks, as stand-alone transactions (784 inputs → a 1024-leaf subtree hashed on-chain).
    const layout = encodeVmLayout(program.layout);
    const binding = trace.proveOutput();
    const endpointGas = {
      initialState: Number(await clients.publicClient.estimateGas({
        account: clients.addresses[0], to: verifier,
        data: encodeFunctionData({ abi: verifierAbi, functionName: 'initialState', args: [program.modelRoot, layout, trace.input] }),
      })),
      verifyOutput: Number(await clients.publicClient.estimateGas({
        account: clients.addresses[0], to: verifier,
        data: encodeFunctionData({ abi: verifierAbi, functionName: 'verifyOutput', args: [program.modelRoot, layout, binding.finalState, binding.output, binding.proof] }),
      })),
    };

    const random = createIntegerPrng(99);
    const memory = Array.from({ length: 64 }, () => BigInt(random(-3000, 3000)));
    const synthetic: Record<string, number> = {};
    const kinds: [string, VmInstruction][] = [
      ['MAC', { op: VmOp.MAC, flags: 0, dst: 9, a: 3, b: 40, imm: 0n }],
      ['MAC+IMM', { op: VmOp.MAC, flags: VmFlag.IMM, dst: 9, a: 3, b: 0, imm: -93n }],
      ['ACC', { op: VmOp.ACC, flags: 0, dst: 9, a: 3, b: 0, imm: 0n }],
      ['MAX', { op: VmOp.MAX, flags: VmFlag.FIRST, dst: 9, a: 3, b: 0, imm: 0n }],
      ['MAX+STORE', { op: VmOp.MAX, flags: VmFlag.STORE, dst: 9, a: 3, b: 0, imm: 0n }],
      ['MAX+MIN', { op: VmOp.MAX, flags: VmFlag.MIN, dst: 9, a: 3, b: 0, imm: 0n }],
      ['MAX+MIN+STORE', { op: VmOp.MAX, flags: VmFlag.MIN | VmFlag.STORE, dst: 9, a: 3, b: 0, imm: 0n }],
      ['RESCALE', { op: VmOp.RESCALE, flags: 0, dst: 9, a: 0, b: 0, imm: 4321n }],
      ['RESCALE+BIAS', { op: VmOp.RESCALE, flags: VmFlag.BIAS, dst: 9, a: 3, b: 0, imm: 0n }],
      ['AVG', { op: VmOp.AVG, flags: 0, dst: 9, a: 0, b: 0, imm: 9n }],
      ['SCALE', { op: VmOp.SCALE, flags: 0, dst: 9, a: 3, b: 0, imm: -77n }],
      ['ADD', { op: VmOp.ADD, flags: 0, dst: 9, a: 3, b: 40, imm: 0n }],
      ['ADD+IMM', { op: VmOp.ADD, flags: VmFlag.IMM, dst: 9, a: 3, b: 0, imm: 55n }],
      ['RELU', { op: VmOp.RELU, flags: 0, dst: 9, a: 3, b: 0, imm: 0n }],
      ['COPY', { op: VmOp.COPY, flags: 0, dst: 9, a: 3, b: 0, imm: 0n }],
    ];
    for (const [kind, instruction] of kinds) {
      const testCase = buildCase({ memoryDepth: 11, programDepth: 16, pc: 23130, memory, acc: -123456n, instruction, scaleBits: 8, valueBits: 16 });
      const outcome = await callStep(testCase.modelRoot, testCase.preState, testCase.proof);
      expect(outcome, kind).toMatchObject({ postState: testCase.expected });
      synthetic[kind] = (outcome as { gas: number }).gas;
      proofBytes[kind] = (testCase.proof.length - 2) / 2;
      transactionGas[kind] = Number(await clients.publicClient.estimateGas({
        account: clients.addresses[0], to: verifier,
        data: encodeFunctionData({ abi: verifierAbi, functionName: 'step', args: [testCase.modelRoot, testCase.preState, testCase.proof] }),
      }));
    }
    // Execution gas of IStepper.step as the calling contract sees it (the CALL included). The trap
    // checks (issue 9: a trapped pre-state, overflow-checked add/mul, the trap flag) cost 167–276
    // gas a step over the reverting verifier (MAC+IMM 19,112 → 19,322, RELU 25,473 → 25,726). The
    // MIN flag of MAX (clip's upper bound) made MAX 26 gas dearer (19,071 → 19,097) and MAX+STORE 34
    // (25,697 → 25,731). Since ReLU writes over the word it reads (allocateOver), its real step
    // reads and writes one word, whose old value is the Gemm output it overwrites, not a fresh
    // zero word: 22 gas more (25,726 → 25,748).
    expect(real).toEqual({ 'MAC+IMM': 19322, RESCALE: 22684, RELU: 25748 });
    expect(synthetic).toEqual({
      MAC: 23115, 'MAC+IMM': 19344, ACC: 19134, MAX: 19097, 'MAX+STORE': 25731, 'MAX+MIN': 19154, 'MAX+MIN+STORE': 25751,
      RESCALE: 22629, 'RESCALE+BIAS': 26507, AVG: 22850, SCALE: 26509, ADD: 29956, 'ADD+IMM': 26184, RELU: 25761, COPY: 25750,
    });
    for (const gas of [...Object.values(real), ...Object.values(synthetic)]) expect(gas).toBeLessThanOrEqual(100_000);
    // The proof's calldata: 1,440 bytes + 352 per memory word touched (value + 11 siblings + ABI words).
    expect(proofBytes).toEqual({
      'mnist MAC+IMM': 1792, 'mnist RESCALE': 1792, 'mnist RELU': 2144, MAC: 2144, 'MAC+IMM': 1792, ACC: 1792, MAX: 1792,
      'MAX+STORE': 2144, 'MAX+MIN': 1792, 'MAX+MIN+STORE': 2144, RESCALE: 1792, 'RESCALE+BIAS': 2144, AVG: 1792, SCALE: 2144, ADD: 2496,
      'ADD+IMM': 2144, RELU: 2144, COPY: 2144,
    });
    // A stand-alone transaction calling step (21,000 + calldata, which under Prague's EIP-7623
    // floor dominates, + execution); in a dispute the game's own transaction carries the proof.
    // mnist RELU was 86,930 before ReLU wrote over its input: the same bytes, but the write's old
    // value is the Gemm output, not a zero word, and calldata prices nonzero bytes higher.
    expect(transactionGas).toEqual({
      'mnist MAC+IMM': 71920, 'mnist RESCALE': 72760, 'mnist RELU': 87830, MAC: 86900, 'MAC+IMM': 72790, ACC: 71860, MAX: 71890,
      'MAX+STORE': 86990, 'MAX+MIN': 71860, 'MAX+MIN+STORE': 86990, RESCALE: 72790, 'RESCALE+BIAS': 86960, AVG: 72760, SCALE: 87920,
      ADD: 102000, 'ADD+IMM': 87020, RELU: 86960, COPY: 86960,
    });
    // eth_estimateGas figures (rounded by the node's search); initialState moved 423,522 → 423,562,
    // then → 423,636 when it also returned the input subtree root (issue 13 §3: the registry emits it).
    // verifyOutput 56,050 → 56,020 when ReLU wrote over its input (other output siblings).
    expect(endpointGas).toEqual({ initialState: 423636, verifyOutput: 56020 });
  });
});

const flipRoot = (hex: Hex): Hex => `0x${(BigInt(hex) ^ 1n).toString(16).padStart(64, '0')}`;
