/**
 * The submitter's claim from the engine (planClaim + createTrace's `engine`, issue 13 §3): on
 * every zoo model and several inputs, with and without the request's input root, it is the VM's
 * claim byte for byte (final state, output, siblings, proof bytes), and a dispute on it gets the
 * VM's states and step proofs. Where the engine cannot stand in — a layer with working memory of
 * its own (softmax, leakyRelu), an input the engine rejects (the VM traps there), a dishonest
 * trace — the VM makes the claim, and says why. An engine that lies is caught the first time a
 * dispute runs the VM, naming the word; an engine of another model is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/createEngine.ts';
import { UsageError, VerificationError } from '../src/errors.ts';
import { compileProgram } from '../src/opml/compileProgram.ts';
import { createTrace } from '../src/opml/createTrace.ts';
import { findTrappingInput } from '../src/opml/findTrappingInput.ts';
import { planClaim } from '../src/opml/planClaim.ts';
import { requestCommitmentOf } from '../src/opml/vmState.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import type { QuantizedModel } from '../src/quant/types.ts';
import { nhwcConv } from './linear-ops-fixtures.ts';
import { createAllOpsInput, createAllOpsModel, createIntegerPrng } from './opml-vm-fixtures.ts';
import { smoothInputs, smoothModel } from './smooth-fixtures.ts';

function zoo(name: string): { model: QuantizedModel; inputs: Record<string, number[]> } {
  const model = quantizeModel({ file: `models/${name}.onnx` });
  const raw = JSON.parse(readFileSync(`models/inputs/${name}.json`, 'utf8'));
  return { model, inputs: quantizeInputs({ model, inputs: raw.inputs ?? raw }) };
}

/** The sample input, then two variants: every value moved by a seeded amount (kept in range). */
function inputsOf(model: QuantizedModel, sample: Record<string, number[]>): Record<string, number[]>[] {
  const random = createIntegerPrng(3);
  const high = 2 ** (model.valueBits - 2);
  const variant = (spread: number) => Object.fromEntries(Object.entries(sample).map(([name, values]) =>
    [name, values.map((v) => Math.max(-high, Math.min(high - 1, v + random(-spread, spread))))]));
  return [sample, variant(20), variant(200)];
}

describe('opml claim from the engine', () => {
  for (const name of ['linreg', 'mnist-mlp-196-24-10', 'mnist-mlp-784-56-10', 'mnist-cnn', 'mnist-cnn-bn-sigmoid']) {
    it(`${name}: the VM's claim byte for byte on three inputs, with and without a request; a dispute gets the VM's states`, () => {
      const { model, inputs } = zoo(name);
      const program = compileProgram({ model });
      const engine = createEngine({ model });
      for (const input of inputsOf(model, inputs)) {
        const vm = createTrace({ program, input });
        const request = requestCommitmentOf({ layout: program.layout, input: vm.input });
        for (const withRequest of [false, true]) {
          const claimed = createTrace({ program, input, engine, request: withRequest ? request : undefined });
          expect(claimed.claimFrom).toEqual({ source: 'engine' });
          expect(claimed.writeCount).toBe(vm.writeCount);
          expect(claimed.outputs).toEqual(vm.outputs);
          expect(claimed.proveOutput()).toEqual(vm.proveOutput());
          // The dispute runs the VM (and checks the claim against it): the same states and proofs.
          const middle = Math.floor(program.totalSteps / 2);
          expect(claimed.stateAt(middle)).toBe(vm.stateAt(middle));
          expect(claimed.proveStep(middle)).toEqual(vm.proveStep(middle));
          expect(claimed.stateAt(program.totalSteps)).toBe(vm.stateAt(program.totalSteps));
        }
      }
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`the all-ops model (conv, pools, matmul, add, scalarMul, views; seed ${seed}): the VM's claim and states`, () => {
      const model = createAllOpsModel(seed);
      const input = createAllOpsInput(seed + 10);
      const program = compileProgram({ model });
      const claimed = createTrace({ program, input, engine: createEngine({ model }) });
      const vm = createTrace({ program, input });
      expect(claimed.claimFrom).toEqual({ source: 'engine' });
      expect(claimed.proveOutput()).toEqual(vm.proveOutput());
      const step = Math.floor(program.totalSteps / 3);
      expect(claimed.proveStep(step)).toEqual(vm.proveStep(step));
    });
  }

  it('hashes what the VM\'s claim hashes on every zoo model (the nodes above the words that changed), and a dispute after another claim hashes its schedule again', () => {
    const counts: Record<string, { vm: number; engine: number }> = {};
    for (const name of ['linreg', 'mnist-mlp-196-24-10', 'mnist-mlp-784-56-10', 'mnist-cnn', 'mnist-cnn-bn-sigmoid']) {
      const { model, inputs } = zoo(name);
      const program = compileProgram({ model });
      const engine = createEngine({ model });
      const [input, other] = inputsOf(model, inputs);
      const request = requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input }).input });
      // The VM's claim first fills the leaf memo: both counts below are nodes only.
      const vm = createTrace({ program, input, request });
      vm.proveOutput();
      const vmHashes = createTrace({ program, input, request });
      vmHashes.proveOutput();
      const claimed = createTrace({ program, input, request, engine });
      expect(claimed.proveOutput()).toEqual(vm.proveOutput());
      counts[name] = { vm: vmHashes.hashCount(), engine: claimed.hashCount() };

      // Another claim of the program reuses the node area the first one's nodes were in: the
      // first's dispute runs its schedule again (those hashes counted) and gets the VM's states.
      const otherRequest = requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input: other }).input });
      const direct = createTrace({ program, input, request, engine });
      direct.proveOutput();
      const atOnce = direct.hashCount();
      const middle = Math.floor(program.totalSteps / 2);
      direct.stateAt(middle);
      const disputeHashes = direct.hashCount() - atOnce;
      const later = createTrace({ program, input, request, engine });
      later.proveOutput();
      createTrace({ program, input: other, request: otherRequest, engine }).proveOutput();
      const before = later.hashCount();
      expect(later.stateAt(middle)).toBe(vm.stateAt(middle));
      expect(later.proveStep(middle)).toEqual(vm.proveStep(middle));
      expect(later.hashCount() - before).toBeGreaterThan(disputeHashes);
    }
    expect(Object.fromEntries(Object.entries(counts).map(([name, { vm, engine }]) => [name, engine - vm]))).toEqual(
      Object.fromEntries(Object.keys(counts).map((name) => [name, 0])));
  });

  it('an engine claim refuses what the trace refuses without one: its own messages for a malformed input or request', () => {
    const { model, inputs } = zoo('mnist-mlp-196-24-10');
    const program = compileProgram({ model });
    const engine = createEngine({ model });
    const name = Object.keys(inputs)[0];
    const request = requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input: inputs }).input });
    const bad: Record<string, unknown>[] = [
      { [name]: inputs[name].slice(1) },
      { [name]: inputs[name].map((v, i) => (i === 5 ? v + 0.5 : v)) },
      { [name]: inputs[name].map((v, i) => (i === 7 ? 2 ** (model.valueBits - 1) : v)) },
      {},
    ];
    for (const input of bad) {
      let expected: unknown;
      try { createTrace({ program, input: input as Record<string, number[]> }); } catch (error) { expected = error; }
      expect(expected).toBeInstanceOf(Error);
      expect(() => createTrace({ program, input: input as Record<string, number[]>, engine })).toThrow(expected as Error);
      expect(() => createTrace({ program, input: input as Record<string, number[]>, engine })).toThrow((expected as Error).constructor as typeof Error);
    }
    // A request word with a character that is not hex, or one short, is refused before a hash; an
    // initialState in upper case is the same word.
    for (const inputRoot of [`${request.inputRoot.slice(0, 65)}g`, `${request.inputRoot.slice(0, 65)}\u0010`, request.inputRoot.slice(0, 65)])
      expect(() => createTrace({ program, input: inputs, engine, request: { ...request, inputRoot: inputRoot as `0x${string}` } })).toThrow(/must be 32-byte hex words/);
    const upper = `0x${request.initialState.slice(2).toUpperCase()}` as `0x${string}`;
    expect(createTrace({ program, input: inputs, engine, request: { ...request, initialState: upper } }).proveOutput())
      .toEqual(createTrace({ program, input: inputs, engine, request }).proveOutput());
  });

  it('a program with working memory of its own (softmax, leakyRelu) is claimed by the VM, which says why; the claim is the same', () => {
    const cases = [
      { model: smoothModel(), input: { x: smoothInputs()[4] }, op: 'softmax' },
      (() => { const leaky = nhwcConv(); return { model: quantizeModel({ file: leaky.file }), input: leaky.inputs, op: 'leakyRelu' }; })(),
    ];
    for (const { model, input: raw, op } of cases) {
      const program = compileProgram({ model });
      const input = op === 'leakyRelu' ? quantizeInputs({ model, inputs: raw }) : raw;
      const planned = planClaim(program, model);
      expect(planned.refused).toMatch(new RegExp(`^layer '.+' \\(${op}\\) writes word \\d+ at step \\d+, outside its output '.+' \\(words \\d+–\\d+\\): working memory no engine tensor holds$`));
      const claimed = createTrace({ program, input, engine: createEngine({ model }) });
      expect(claimed.claimFrom).toEqual({ source: 'vm', why: `planClaim refused the program: ${planned.refused}` });
      expect(claimed.proveOutput()).toEqual(createTrace({ program, input }).proveOutput());
    }
  });

  it('an input the engine rejects is claimed by the VM: the trap and the error result are the VM\'s', () => {
    const { model } = zoo('mnist-mlp-784-56-10');
    const program = compileProgram({ model });
    const trapping = findTrappingInput({ program })!;
    expect(trapping).toBeDefined();
    const vm = createTrace({ program, input: trapping.input });
    const claimed = createTrace({ program, input: trapping.input, engine: createEngine({ model }) });
    expect(claimed.claimFrom.source).toBe('vm');
    expect((claimed.claimFrom as { why: string }).why).toMatch(/^the engine rejects the input \(.*outside.*\); the VM traps$/s);
    expect(claimed.trap).toEqual(vm.trap);
    expect(claimed.proveOutput()).toEqual(vm.proveOutput());
    expect(claimed.proveOutput().output).toEqual([]);
  });

  it('a dishonest trace (fault) runs the VM even with an engine', () => {
    const { model, inputs } = zoo('mnist-mlp-196-24-10');
    const program = compileProgram({ model });
    const fault = { step: 100, delta: 5n };
    const claimed = createTrace({ program, input: inputs, engine: createEngine({ model }), fault });
    expect(claimed.claimFrom).toEqual({ source: 'vm', why: 'a dishonest trace (fault) runs the VM' });
    expect(claimed.proveOutput()).toEqual(createTrace({ program, input: inputs, fault }).proveOutput());
  });

  it('an engine that lies makes a wrong claim, caught when a dispute first runs the VM; an engine of another model is refused', () => {
    const { model, inputs } = zoo('mnist-mlp-196-24-10');
    const program = compileProgram({ model });
    const honest = createEngine({ model });
    // Element 3 of the first tensor the final memory holds (the hidden ReLU's) off by one, as a
    // bug in a kernel would make it.
    const first = planClaim(program, model).plan!.segments[0];
    const lying: Engine = {
      ...honest,
      view(name) {
        const values = honest.view(name);
        if (name !== first.tensor) return values;
        const changed = values.slice();
        changed[first.element + 3] += 1;
        return changed;
      },
    };
    const request = requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input: inputs }).input });
    const claimed = createTrace({ program, input: inputs, engine: lying, request });
    const truth = createTrace({ program, input: inputs, request });
    expect(claimed.proveOutput().finalState).not.toBe(truth.proveOutput().finalState);
    expect(() => claimed.stateAt(1)).toThrow(VerificationError);
    expect(() => createTrace({ program, input: inputs, engine: lying, request }).proveStep(0))
      .toThrow(new RegExp(`the claim made from the engine and the VM's run disagree \\(word ${first.address + 3} is -?\\d+ after the VM's run, -?\\d+ in the claim\\); the claim is wrong`));

    const other = zoo('linreg').model;
    expect(() => createTrace({ program, input: inputs, engine: createEngine({ model: other }) })).toThrow(UsageError);
    expect(() => createTrace({ program, input: inputs, engine: createEngine({ model: other }) })).toThrow(/the engine runs model 'linreg'/);
  });
});
