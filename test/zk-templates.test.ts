/**
 * The Circom templates one by one: exact constraint counts (from the r1cs, --O2), values equal
 * to the engine's integer semantics, and soundness: with small bit widths every assignment of
 * the remaining wires is enumerated (bits over {0,1}, other wires over a window of integers),
 * and the only satisfying one must be the honest output — so a wrong output, a wrong quotient,
 * a remainder out of range, a flipped sign bit or an out-of-range activation has no witness.
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../src/errors.ts';
import { calculateWitness } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { poseidonChainConstraints } from '../src/zk/commitWeights.ts';
import { build, field, outputOf, p, signed, solveAll } from './zk-template-search.ts';

describe('template constraint counts (--O2, from the r1cs header)', () => {
  it.each([
    ['Rescale', 'Rescale(8, 16)', 24],
    ['RangeCheck', 'RangeCheck(16)', 16],
    ['Relu', 'Relu(16)', 17],
    ['ReluFull', 'ReluFull()', 517],
    ['Add', 'Add(16)', 16],
    ['ScalarMul', 'ScalarMul(-384, 8, 16)', 24],
    ['MaxPool', 'Max2(16)', 18],
    ['AvgPool', 'RoundDiv(4, 16)', 20],
    ['AvgPool', 'RoundDiv(9, 16)', 24],
    ['AvgPool', 'RoundDiv(1, 16)', 16],
    ['Gemm', 'Gemm(2, 3, 2, 8, 16)', 2 * 2 * 3 + 4 * 24],
    ['Gemm', 'GemmConst(2, 3, 2, [[1,2],[3,-4],[5,6]], [[0,1],[2,3]], 8, 16)', 4 * 24],
    ['MatMul', 'MatMul(1, 4, 2, 8, 16)', 8 + 2 * 24],
    // 3×3 input, 2×2 kernel, pad 1 top/left: per axis the windows hold 1, 2, 2 in-bounds
    // taps, so (1+2+2)² = 25 products; padded taps cost nothing.
    ['Conv2D', 'Conv2D(1, 3, 3, 1, 2, 2, 3, 3, [1,1,0,0], [1,1], [1,1], 8, 16)', 25 + 9 * 24],
    ['Conv2D', 'Conv2DConst(1, 3, 3, 1, 2, 2, 3, 3, [1,1,0,0], [1,1], [1,1], [[[[1,2],[3,4]]]], [7], 8, 16)', 9 * 24],
    ['MaxPool', 'MaxPool(1, 3, 3, 2, 2, 2, 2, [0,0,0,0], [1,1], [1,1], 16)', 4 * 3 * 18],
    ['AvgPool', 'AvgPool(1, 3, 3, 2, 2, 2, 2, [0,0,0,0], [1,1], [1,1], 0, 16)', 4 * 20],
  ])('%s: %s has exactly %i constraints, all non-linear', async (include, main, expected) => {
    const { compiled } = await build(include, main);
    expect(compiled.constraints).toBe(expected);
    expect(compiled.linearConstraints).toBe(0);
  });

  // circomlib's Poseidon(16) is 609 constraints; constant inputs (the first chunk's 0 state, the
  // zero padding of the last chunk) let the simplifier drop a few.
  it('PoseidonChain(16): two Poseidon(16), as poseidonChainConstraints counts them', async () => {
    const { compiled } = await build('PoseidonChain', 'PoseidonChain(16)');
    expect(compiled.constraints).toBe(1173); // 2 × 609 − 3 × (1 zero state + 14 zero pads)
    expect(poseidonChainConstraints(16)).toBe(1173);
    expect(poseidonChainConstraints(15)).toBe(606);
  });
});

describe('template values (docs/fixed-point.md)', () => {
  it('Rescale rounds half up, as a floor division (-3 >> 1 = -2 for s = 1)', async () => {
    const rescale = await build('Rescale', 'Rescale(8, 16)');
    for (const acc of [0, 127, 128, -128, -129, -384, 383, 384, 8_388_479, -8_388_736])
      expect(signed(await outputOf(rescale, { in: acc }))).toBe(BigInt(Math.floor((acc + 128) / 256)));
    const half = await build('Rescale', 'Rescale(1, 16)');
    expect(signed(await outputOf(half, { in: -4 }))).toBe(-2n); // floor((-4 + 1) / 2)
  });

  it('Rescale has no witness when the quotient leaves the value range', async () => {
    const rescale = await build('Rescale', 'Rescale(8, 16)');
    await expect(outputOf(rescale, { in: 8_388_480 })).rejects.toThrow(VerificationError); // q = 32768
    await expect(outputOf(rescale, { in: -8_388_737 })).rejects.toThrow(VerificationError); // q = -32769
  });

  it('Relu and ReluFull agree with max(x, 0) at the range edges', async () => {
    const bounded = await build('Relu', 'Relu(16)');
    const full = await build('ReluFull', 'ReluFull()');
    for (const x of [-32768, -1, 0, 1, 32767]) {
      expect(signed(await outputOf(bounded, { in: x }))).toBe(BigInt(Math.max(x, 0)));
      expect(signed(await outputOf(full, { in: x }))).toBe(BigInt(Math.max(x, 0)));
    }
    await expect(outputOf(bounded, { in: 32768 })).rejects.toThrow(VerificationError);
    await expect(outputOf(bounded, { in: -32769 })).rejects.toThrow(VerificationError);
  });

  it('RoundDiv is floor((S + floor(c/2)) / c) for negative sums too', async () => {
    const divide = await build('AvgPool', 'RoundDiv(3, 16)');
    for (const sum of [-5, -4, -2, -1, 0, 1, 2, 4, 98_301])
      expect(signed(await outputOf(divide, { in: sum }))).toBe(BigInt(Math.floor((sum + 1) / 3)));
  });
});

describe('template soundness: exhaustive search over the remaining wires', () => {
  const window = 40;

  it('Rescale(2, 4): exactly one witness, the right quotient, or none out of range', async () => {
    const built = await build('Rescale', 'Rescale(2, 4)');
    const input = built.wires.get('main.in')!;
    const output = built.wires.get('main.out')!;
    for (let acc = -40; acc <= 40; acc++) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[input, field(acc)]]), window);
      const q = Math.floor((acc + 2) / 4);
      if (q >= -8 && q <= 7) {
        expect(solutions.length, `acc ${acc}`).toBe(1);
        expect(signed(solutions[0]!.get(output)!)).toBe(BigInt(q));
      } else expect(solutions.length, `acc ${acc}`).toBe(0);
    }
  });

  it('Relu(4): exactly one witness, max(x, 0), and none for an out-of-range activation', async () => {
    const built = await build('Relu', 'Relu(4)');
    const input = built.wires.get('main.in')!;
    const output = built.wires.get('main.out')!;
    for (let x = -12; x <= 12; x++) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[input, field(x)]]), window);
      if (x >= -8 && x <= 7) {
        expect(solutions.length, `x ${x}`).toBe(1);
        expect(signed(solutions[0]!.get(output)!)).toBe(BigInt(Math.max(x, 0)));
      } else expect(solutions.length, `x ${x}`).toBe(0);
    }
  });

  it('Max2(4): exactly one witness, the maximum', async () => {
    const built = await build('MaxPool', 'Max2(4)');
    const [a, b, output] = ['main.a', 'main.b', 'main.out'].map((name) => built.wires.get(name)!);
    for (let x = -8; x <= 7; x += 3)
      for (let y = -8; y <= 7; y += 2) {
        const solutions = solveAll(built.r1cs, built.wires, new Map([[a!, field(x)], [b!, field(y)]]), window);
        expect(solutions.length, `${x}, ${y}`).toBe(1);
        expect(signed(solutions[0]!.get(output!)!)).toBe(BigInt(Math.max(x, y)));
      }
  });

  it('RoundDiv(3, 4): exactly one witness (remainder proven < 3), none when the quotient is out of range', async () => {
    const built = await build('AvgPool', 'RoundDiv(3, 4)');
    const input = built.wires.get('main.in')!;
    const output = built.wires.get('main.out')!;
    for (let sum = -30; sum <= 30; sum++) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[input, field(sum)]]), window);
      const q = Math.floor((sum + 1) / 3);
      if (q >= -8 && q <= 7) {
        expect(solutions.length, `sum ${sum}`).toBe(1);
        expect(signed(solutions[0]!.get(output)!)).toBe(BigInt(q));
      } else expect(solutions.length, `sum ${sum}`).toBe(0);
    }
  });

  it('Add(4): exactly one witness, none when the sum leaves the range', async () => {
    // a and b public: a private input used only linearly is substituted away by --O2 (the
    // statement is then only about `out`).
    const built = await build('Add', 'Add(4)', ['a', 'b']);
    const [a, b, output] = ['main.a', 'main.b', 'main.out'].map((name) => built.wires.get(name)!);
    for (const [x, y] of [[3, 4], [-8, 0], [7, 1], [-8, -1], [5, -9]] as const) {
      const solutions = solveAll(built.r1cs, built.wires, new Map([[a!, field(x)], [b!, field(y)]]), window);
      if (x + y >= -8 && x + y <= 7) {
        expect(solutions.length).toBe(1);
        expect(signed(solutions[0]!.get(output!)!)).toBe(BigInt(x + y));
      } else expect(solutions.length).toBe(0);
    }
  });
});

describe('ReluFull (circomlib-ml) tampering', () => {
  it('a flipped bit or a wrong output fails the constraint check', async () => {
    const built = await build('ReluFull', 'ReluFull()');
    const { witness } = await calculateWitness({ wasmFile: built.compiled.wasmFile, input: { in: 5 } });
    checkWitness({ r1cs: built.r1cs, witness });
    const flipped = [...witness];
    const bit = built.wires.get('main.bits.out[1]')!;
    flipped[bit] = 1n - flipped[bit]!;
    expect(() => checkWitness({ r1cs: built.r1cs, witness: flipped })).toThrow(VerificationError);
    const wrong = [...witness];
    wrong[built.wires.get('main.out')!] = 0n;
    expect(() => checkWitness({ r1cs: built.r1cs, witness: wrong })).toThrow(VerificationError);
  });

  it('is NOT sound: Num2Bits(254) accepts the bits of x + p, and then Relu(5) = 0 is proven', async () => {
    // Build the aliased witness: the bits of 5 + p (< 2^254) and CompConstant's wires for them,
    // taken from a witness of Sign() alone, matched by signal name.
    const relu = await build('ReluFull', 'ReluFull()');
    const sign = await build('sign', 'Sign()');
    const aliased = 5n + p;
    const bits = Array.from({ length: 254 }, (_, i) => (aliased >> BigInt(i)) & 1n);
    const { witness: signWitness } = await calculateWitness({ wasmFile: sign.compiled.wasmFile, input: { in: bits } });
    const { witness } = await calculateWitness({ wasmFile: relu.compiled.wasmFile, input: { in: 5 } });
    const forged = [...witness];
    for (const [name, wire] of relu.wires) {
      if (name.startsWith('main.sign.')) {
        const source = sign.wires.get(`main.${name.slice('main.sign.'.length)}`);
        if (source !== undefined) forged[wire] = signWitness[source]!;
      }
      const bitMatch = /^main\.bits\.out\[(\d+)\]$/.exec(name);
      if (bitMatch) forged[wire] = bits[Number(bitMatch[1])]!;
    }
    forged[relu.wires.get('main.isPositive')!] = 0n;
    forged[relu.wires.get('main.out')!] = 0n;
    expect(() => checkWitness({ r1cs: relu.r1cs, witness: forged })).not.toThrow();
    // The bounded Relu has no such witness (exhaustive search above); here the same claim fails.
    expect(forged[relu.wires.get('main.out')!]).toBe(0n);
  });
});
