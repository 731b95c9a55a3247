/**
 * The trace VM's LUT and DIV (sigmoid, tanh, softmax; docs/fixed-point.md) in TypeScript and in
 * the Solidity one-step verifier, on anvil: the VM reproduces the engine bit for bit on inputs at
 * and past every clamp bound; every step of such a trace is proven on-chain to trace.stateAt(k+1)
 * within 100,000 gas; LUT and DIV on random states (parameters valid and not, divisors ≤ 0,
 * addresses past memory) give the same post-state as TypeScript, never a revert; and a step with
 * another table word, or a forged post-state, is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseError, decodeAbiParameters, decodeErrorResult, decodeFunctionResult, encodeAbiParameters, encodeFunctionData, type Abi, type Address, type Hex } from 'viem';
import { compileSolidity, getCompiledContract } from '../src/chain/compileSolidity.ts';
import { createChainClients, type ChainClients } from '../src/chain/createChainClients.ts';
import { deployContract } from '../src/chain/deployContract.ts';
import { startAnvil, type StartAnvilResult } from '../src/chain/startAnvil.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { compileProgram, instructionAt } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { encodeStepProof, STEP_PROOF_ABI } from '../src/opml/encodeStepProof.ts';
import { encodeInstruction, executeInstruction, operandsOf, packLutImmediate, VM_OP_NAMES, VmOp, type VmInstruction } from '../src/opml/executeInstruction.ts';
import { buildMerkleTree, hashLeaf, keccakBytes, rootOf, siblingsOf, toHex, updateLeaf, type Hash } from '../src/opml/merkle.ts';
import { hashVmState, modelRootOf, trappedStateOf, type VmModelHeader } from '../src/opml/vmState.ts';
import { createIntegerPrng } from './opml-vm-fixtures.ts';
import { smoothInputs, smoothModel } from './smooth-fixtures.ts';

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
}, 120_000);

afterAll(async () => {
  await anvil?.stop();
});

type Outcome = { postState: Hex; gas: number } | { error: string };

async function callStep(modelRoot: Hex, preState: Hex, proof: Hex): Promise<Outcome> {
  try {
    const { data } = await clients.publicClient.call({
      to: probe,
      data: encodeFunctionData({ abi: probeAbi, functionName: 'measure', args: [verifier, modelRoot, preState, proof] }),
    });
    const [postState, gas] = decodeFunctionResult({ abi: probeAbi, functionName: 'measure', data: data! }) as [Hex, bigint];
    return { postState, gas: Number(gas) };
  } catch (error) {
    const found = error instanceof BaseError ? error.walk((e) => typeof (e as { data?: unknown }).data === 'string') : undefined;
    const data = (found as { data?: Hex } | undefined)?.data;
    if (!data) return { error: `no revert data: ${String(error).slice(0, 200)}` };
    try {
      return { error: decodeErrorResult({ abi: verifierAbi, data }).errorName };
    } catch {
      return { error: data.slice(0, 10) };
    }
  }
}

/** One step of `instruction` at pc 5 on an arbitrary memory image: its proof and the TS outcome. */
function buildCase(parameters: { memory: bigint[]; acc: bigint; instruction: VmInstruction; scaleBits: number; valueBits: number }) {
  const { memory, acc, instruction, scaleBits, valueBits } = parameters;
  const memoryDepth = 4;
  const programDepth = 3;
  const pc = 5;
  const tree = buildMerkleTree({ depth: memoryDepth, usedLength: memory.length, leafHash: (i) => hashLeaf(memory[i]) });
  const zero = new Uint8Array(32);
  const padding: Hash[] = [zero];
  for (let level = 1; level <= programDepth; level++) padding.push(keccakBytes(new Uint8Array([...padding[level - 1], ...padding[level - 1]])));
  const leaf = keccakBytes(Uint8Array.from(Buffer.from(encodeInstruction(instruction).slice(2), 'hex')));
  const programTree = buildMerkleTree({ depth: programDepth, usedLength: pc + 1, leafHash: (i) => (i === pc ? leaf : zero), padding });
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
  return { modelRoot: modelRootOf(header), preState: hashVmState(pre), proof, expected, result };
}

describe('trace VM: sigmoid, tanh, softmax', () => {
  it('the TypeScript VM reproduces the engine on inputs at and past every clamp bound (122 steps)', () => {
    const model = smoothModel();
    const program = compileProgram({ model });
    // 12 sigmoid + 12 tanh elements × (MAX, LUT) + 2 softmax rows × (6·6 + 1).
    expect(program.totalSteps).toBe(122);
    expect(program.layers.map((layer) => [layer.op, layer.stepCount])).toEqual([['smooth', 24], ['smooth', 24], ['softmax', 74]]);
    for (const x of smoothInputs()) {
      const trace = createTrace({ program, input: { x } });
      expect(trace.trap).toBeUndefined();
      for (const output of runEngine({ model, inputs: { x } }).outputs) expect(trace.outputs[output.name], output.name).toEqual(output.data);
    }
  });

  it('the tables are in the initial memory, so the model root commits to every knot', () => {
    const model = smoothModel();
    const program = compileProgram({ model });
    const knots = model.constants.sigmoid_table!.data;
    // The sigmoid table's 128 packed words sit in the initial memory: knot·2^32 + slope.
    const words = Array.from({ length: 128 }, (_, j) => knots[j]! * 2 ** 32 + (knots[j + 1]! - knots[j]!));
    const memory = Array.from(program.initialMemory);
    const at = memory.findIndex((_, i) => words.every((word, j) => memory[i + j] === word));
    expect(at).toBeGreaterThan(0);
    const changed = structuredClone(model);
    changed.constants.sigmoid_table!.data[64] += 1;
    expect(compileProgram({ model: changed }).modelRoot).not.toBe(program.modelRoot);
  });

  it('every step of a trace at the clamp bounds is proven on-chain to stateAt(k+1), each within 100,000 gas', async () => {
    const program = compileProgram({ model: smoothModel() });
    const trace = createTrace({ program, input: { x: smoothInputs()[0]! } });
    const maxGas: Record<string, number> = {};
    for (let step = 0; step < program.totalSteps; step++) {
      const { preState, postState, proof } = trace.proveStep(step);
      const outcome = await callStep(program.modelRoot, preState, proof);
      expect(outcome, `step ${step}`).toMatchObject({ postState });
      const instruction = instructionAt(program, step);
      const kind = `${VM_OP_NAMES[instruction.op]}/${instruction.flags}`;
      maxGas[kind] = Math.max(maxGas[kind] ?? 0, (outcome as { gas: number }).gas);
    }
    // Execution gas of IStepper.step (the most per kind; memory depth 9, program depth 7). LUT and
    // DIV each touch two memory words (LUT: the table word and the output), as RELU does. MAX
    // costs ~26 gas more since it learned the MIN flag (Clip's upper bound).
    expect(maxGas).toEqual({ 'ACC/0': 15783, 'DIV/0': 22715, 'LUT/0': 23324, 'MAC/8': 16015, 'MAX/0': 15805, 'MAX/1': 15812, 'MAX/2': 21276, 'MAX/3': 21239 });
    for (const gas of Object.values(maxGas)) expect(gas).toBeLessThanOrEqual(100_000);
  }, 300_000);

  it('refuses a LUT step with another table word, and its honest post-state differs from a forged one', async () => {
    const program = compileProgram({ model: smoothModel() });
    const trace = createTrace({ program, input: { x: smoothInputs()[1]! } });
    const step = Array.from({ length: program.totalSteps }, (_, k) => k).find((k) => instructionAt(program, k).op === VmOp.LUT && instructionAt(program, k).dst > 0 && k > 2)!;
    const honest = trace.proveStep(step);
    const decoded = decodeAbiParameters(STEP_PROOF_ABI, honest.proof) as unknown as any[];
    const reencode = (change: (parts: any[]) => void): Hex => {
      const parts = structuredClone(decoded);
      change(parts);
      return encodeAbiParameters(STEP_PROOF_ABI, parts as never);
    };
    // The neighbouring knot's word: a value with the right siblings for another address.
    expect(await callStep(program.modelRoot, honest.preState, reencode((p) => { p[5].value += 1n << 32n; }))).toEqual({ error: 'MemoryMismatch' });
    expect(await callStep(program.modelRoot, honest.preState, reencode((p) => { p[5].value += 1n; }))).toEqual({ error: 'MemoryMismatch' });
    expect(await callStep(program.modelRoot, honest.preState, reencode((p) => { p[5].siblings.pop(); }))).toEqual({ error: 'ProofLengthMismatch' });
    // A different accumulator (another x) is another pre-state.
    expect(await callStep(program.modelRoot, honest.preState, reencode((p) => { p[1].acc += 1n; }))).toEqual({ error: 'StateMismatch' });
    const outcome = await callStep(program.modelRoot, honest.preState, honest.proof);
    expect(outcome).toMatchObject({ postState: honest.postState });
    expect(honest.postState).not.toBe(trace.stateAt(step));
  });

  it('LUT and DIV on random states agree with TypeScript, trapping where it traps (never a revert)', async () => {
    const random = createIntegerPrng(1111);
    const counts: Record<string, number> = {};
    for (let round = 0; round < 80; round++) {
      const scaleBits = random(0, 12) === 0 ? [0, 254, 255][random(0, 2)]! : random(4, 16);
      const valueBits = random(scaleBits + 2, 40);
      const segmentBits = random(0, 10) === 0 ? [0, 65, 200][random(0, 2)]! : random(1, 8);
      const segments = random(0, 10) === 0 ? 0 : random(1, 15);
      const lowest = random(-5000, 500);
      const lut = random(0, 1) === 1;
      // LUT: table words (knot·2^32 + slope); DIV: softmax's e_k (up to ~2^s); some arbitrary words.
      const memory = Array.from({ length: 16 }, () => (random(0, 4) === 0
        ? BigInt(random(-(2 ** 30), 2 ** 30)) * BigInt(random(1, 2 ** 30))
        : lut ? (BigInt(random(-300, 300)) << 32n) + BigInt(random(0, 200)) : BigInt(random(-5, 2 ** (scaleBits > 16 ? 16 : scaleBits)))));
      const instruction: VmInstruction = lut
        ? { op: VmOp.LUT, flags: 0, dst: random(0, 17), a: 0, b: random(0, 20) === 0 ? random(16, 40) : random(0, 6), imm: BigInt(packLutImmediate({ lowest, segments, segmentBits })) }
        : { op: VmOp.DIV, flags: 0, dst: random(0, 17), a: random(0, 17), b: 0, imm: 0n };
      const acc = random(0, 6) === 0 ? BigInt(-random(0, 5)) : random(0, 8) === 0 ? (1n << 254n) + BigInt(random(0, 9)) : BigInt(random(-6000, 6000));
      const built = buildCase({ memory, acc, instruction, scaleBits, valueBits });
      const outcome = await callStep(built.modelRoot, built.preState, built.proof);
      expect(outcome, JSON.stringify({ round, instruction: { ...instruction, imm: String(instruction.imm) }, acc: String(acc), scaleBits, valueBits })).toMatchObject({ postState: built.expected });
      const key = `${VM_OP_NAMES[instruction.op]} ${built.result.trap ? `trap:${built.result.trap.kind}` : 'ran'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    // Fixed seed: both ops run and trap in every way they can.
    expect(Object.keys(counts).sort()).toEqual(['DIV ran', 'DIV trap:instruction', 'DIV trap:int256', 'DIV trap:range', 'LUT ran', 'LUT trap:instruction', 'LUT trap:range']);
  }, 300_000);
});
