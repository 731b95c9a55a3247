/**
 * The templates of the affine and structural operators (Mul, MulConst, Clip, LeakyRelu): exact
 * constraint counts (--O2), values equal to the engine's integer semantics at and past the range
 * edges, and soundness by exhaustive search at small widths — the honest output is the only
 * witness, and an out-of-range input or result has none — plus a tampered witness rejected.
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../src/errors.ts';
import { calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { build, field, outputOf, signed, solveAll } from './zk-template-search.ts';

const rescale = (acc: number, s: number) => Math.floor((acc + 2 ** (s - 1)) / 2 ** s);
const clip = (x: number, low: number, high: number) => Math.min(Math.max(x, low), high);
const leaky = (x: number, alpha: number, s: number) => (x >= 0 ? x : rescale(x * alpha, s));

describe('constraint counts (--O2, from the r1cs header)', () => {
  it.each([
    ['Mul', 'Mul(8, 16)', 1 + 24],
    ['Mul', 'MulConst(-300, 1000, 8, 16)', 24],
    ['Clip', 'Clip(-300, 500, 16)', 2 * 17 + 2],
    ['Clip', 'Clip(0, 1536, 16)', 2 * 17 + 2],
    ['LeakyRelu', 'LeakyRelu(3, 8, 16)', 16 + 24 + 1],
  ])('%s: %s has exactly %i constraints, all non-linear', async (include, main, expected) => {
    const { compiled } = await build(include, main);
    expect(compiled.constraints).toBe(expected);
    expect(compiled.linearConstraints).toBe(0);
  });
});

describe('values at the range edges (docs/fixed-point.md)', () => {
  it('Clip(0, 1536, 16) is ReLU6 at scale 2^8; inputs past the 16-bit range have no witness', async () => {
    const built = await build('Clip', 'Clip(0, 1536, 16)');
    for (const x of [-32768, -1, 0, 1, 1535, 1536, 1537, 32767]) expect(signed(await outputOf(built, { in: x }))).toBe(BigInt(clip(x, 0, 1536)));
  });

  it('Clip with the bounds at the range ends is the identity', async () => {
    const built = await build('Clip', 'Clip(-32768, 32767, 16)');
    for (const x of [-32768, -5, 0, 32767]) expect(signed(await outputOf(built, { in: x }))).toBe(BigInt(x));
  });

  it('LeakyRelu(26, 8, 16) (alpha 0.1): x for x ≥ 0, rescale(26x) below, at the range edges', async () => {
    const built = await build('LeakyRelu', 'LeakyRelu(26, 8, 16)');
    for (const x of [-32768, -129, -5, -1, 0, 1, 32767]) expect(signed(await outputOf(built, { in: x }))).toBe(BigInt(leaky(x, 26, 8)));
    await expect(outputOf(built, { in: 32768 })).rejects.toThrow(VerificationError);
    await expect(outputOf(built, { in: -32769 })).rejects.toThrow(VerificationError);
  });

  it('Mul and MulConst: rescale(a·b + bias), no witness when the result leaves the range', async () => {
    const mul = await build('Mul', 'Mul(8, 16)');
    for (const [a, b, bias] of [[300, -200, 0], [-32768, 256, 0], [32767, 256, 127], [-1, 1, 0], [181, 181, -5000]])
      expect(signed(await outputOf(mul, { a, b, bias }))).toBe(BigInt(rescale(a! * b! + bias!, 8)));
    await expect(outputOf(mul, { a: 32767, b: 257, bias: 0 })).rejects.toThrow(VerificationError); // 32895 > 32767
    const constant = await build('Mul', 'MulConst(-300, 1000, 8, 16)');
    for (const a of [-27958, -1, 0, 1, 27965]) expect(signed(await outputOf(constant, { a }))).toBe(BigInt(rescale(a * -300 + 1000, 8)));
    await expect(outputOf(constant, { a: -27959 })).rejects.toThrow(VerificationError); // rescale = 32768
    await expect(outputOf(constant, { a: 27966 })).rejects.toThrow(VerificationError); // rescale = -32769
  });
});

describe('soundness: exhaustive search over the remaining wires', () => {
  const window = 40;

  it('Clip(-3, 4, 4): exactly one witness, the clipped value; none where the decompositions cannot hold', async () => {
    const built = await build('Clip', 'Clip(-3, 4, 4)');
    const input = built.wires.get('main.in')!;
    const output = built.wires.get('main.out')!;
    for (let x = -20; x <= 20; x++) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[input, field(x)]]), window);
      // in − low + 16 and in − high − 1 + 16 must both fit 5 bits: x ∈ [-11, 12] (⊇ the 4-bit range).
      if (x >= -11 && x <= 12) {
        expect(solutions.length, `x ${x}`).toBe(1);
        expect(signed(solutions[0]!.get(output)!)).toBe(BigInt(clip(x, -3, 4)));
      } else expect(solutions.length, `x ${x}`).toBe(0);
    }
  });

  it('LeakyRelu(1, 2, 4) (alpha 0.25): exactly one witness, none for an out-of-range activation', async () => {
    const built = await build('LeakyRelu', 'LeakyRelu(1, 2, 4)');
    const input = built.wires.get('main.in')!;
    const output = built.wires.get('main.out')!;
    for (let x = -12; x <= 12; x++) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[input, field(x)]]), window);
      if (x >= -8 && x <= 7) {
        expect(solutions.length, `x ${x}`).toBe(1);
        expect(signed(solutions[0]!.get(output)!)).toBe(BigInt(leaky(x, 1, 2)));
      } else expect(solutions.length, `x ${x}`).toBe(0);
    }
  });

  it('Mul(2, 4): exactly one witness, none when the product leaves the range', async () => {
    const built = await build('Mul', 'Mul(2, 4)', ['a', 'b', 'bias']);
    const [a, b, bias, output] = ['main.a', 'main.b', 'main.bias', 'main.out'].map((name) => built.wires.get(name)!);
    for (const [x, y, c] of [[3, 4, 0], [-8, 3, 1], [7, 4, 2], [-8, -4, 0], [5, -5, -3], [7, 5, 0], [-7, 5, -2]] as const) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[a!, field(x)], [b!, field(y)], [bias!, field(c)]]), window);
      const q = rescale(x * y + c, 2);
      if (q >= -8 && q <= 7) {
        expect(solutions.length, `${x}·${y}+${c}`).toBe(1);
        expect(signed(solutions[0]!.get(output!)!)).toBe(BigInt(q));
      } else expect(solutions.length, `${x}·${y}+${c}`).toBe(0);
    }
  });
});

describe('tampered witnesses', () => {
  it.each([
    ['Clip', 'Clip(0, 1536, 16)', { in: 2000 }, ['main.highBits.out[3]', 'main.lowBits.out[0]', 'main.atLeastLow']],
    ['LeakyRelu', 'LeakyRelu(26, 8, 16)', { in: -700 }, ['main.range.bits[14]', 'main.scaled.remainderBits.out[0]', 'main.scaled.out']],
    ['Mul', 'Mul(8, 16)', { a: 300, b: -200, bias: 5 }, ['main.rescale.remainderBits.out[3]', 'main.product']],
  ])('%s: a flipped selector/remainder bit or a wrong output fails the constraint check', async (include, main, input, tampered) => {
    const built = await build(include, main);
    const { witness } = await calculateWitness({ wasmFile: built.compiled.wasmFile, input });
    checkWitness({ r1cs: built.r1cs, witness });
    for (const name of tampered) {
      const wire = built.wires.get(name);
      expect(wire, name).toBeDefined();
      const forged = [...witness];
      forged[wire!] = /\.(out|bits)\[/.test(name) ? 1n - forged[wire!]! : forged[wire!]! + 1n;
      expect(() => checkWitness({ r1cs: built.r1cs, witness: forged }), name).toThrow(VerificationError);
    }
    const wrong = [...witness];
    wrong[built.wires.get('main.out')!] = wrong[built.wires.get('main.out')!]! + 1n;
    expect(() => checkWitness({ r1cs: built.r1cs, witness: wrong })).toThrow(VerificationError);
  });
});
