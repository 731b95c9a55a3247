/**
 * The WAT assembler: exact bytes for the spec's classic `add` module (what wat2wasm emits), LEB
 * encodings at their edges run through V8, the kernels module valid with its two exports, and an
 * error naming the line for each thing outside the subset.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../errors.ts';
import { assembleWat } from './assembleWat.ts';
import { assembleDotKernels } from './loadDotKernels.ts';

const run = (source: string, name: string, ...args: number[]) =>
  (new WebAssembly.Instance(new WebAssembly.Module(assembleWat({ source, file: 'test.wat' }))).exports[name] as (...a: number[]) => number | bigint)(...args);

describe('assembleWat', () => {
  it('assembles (func $add (param i32 i32) (result i32)) to the bytes wat2wasm gives', () => {
    const bytes = assembleWat({ file: 'add.wat', source: '(module (func $add (export "add") (param $a i32) (param $b i32) (result i32)\n local.get $a\n local.get $b\n i32.add))' });
    expect(Array.from(bytes)).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type section: (i32, i32) → i32
      0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
      0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export "add" = function 0
      0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code: local.get 0, local.get 1, i32.add, end
    ]);
    expect(run('(module (func $add (export "add") (param $a i32) (param $b i32) (result i32) local.get $a local.get $b i32.add))', 'add', 2, 40)).toBe(42);
  });

  it('encodes signed constants at the LEB edges exactly (63, 64, -64, -65, ±2^31, ±2^63)', () => {
    for (const value of [0, 63, 64, -64, -65, 127, 128, -(2 ** 31), 2 ** 31 - 1])
      expect(run(`(module (func (export "f") (result i32) i32.const ${value}))`, 'f')).toBe(value);
    for (const value of [-(2n ** 63n), 2n ** 63n - 1n, -(2n ** 52n) - 1n])
      expect(run(`(module (func (export "f") (result i64) i64.const ${value}))`, 'f')).toBe(value);
  });

  it('resolves labels by depth: a loop summing 1 … n with br_if to the loop and to the block', () => {
    const source = `(module (func (export "sum") (param $n i32) (result i32) (local $s i32)
      block $done
        local.get $n
        i32.eqz
        br_if $done
        loop $next
          local.get $s
          local.get $n
          i32.add
          local.set $s
          local.get $n
          i32.const 1
          i32.sub
          local.tee $n
          br_if $next
        end
      end
      local.get $s))`;
    expect(run(source, 'sum', 100)).toBe(5050);
    expect(run(source, 'sum', 0)).toBe(0);
  });

  it('assembles kernels.wat into a valid module exporting dot_i16x8 and dot_i32x4', () => {
    const bytes = assembleDotKernels();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'dot_i16x8', kind: 'function' }, { name: 'dot_i32x4', kind: 'function' }]);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('gives for kernels.wat the very bytes wabt gives (so the WAT a reviewer reads is what runs)', () => {
    // wabt's wat2wasm (npm wabt 1.0.39) on the same file:
    //   npx --yes -p wabt@1.0.39 wat2wasm src/engine/wasm/kernels.wat -o /tmp/k.wasm && sha256sum /tmp/k.wasm
    // A change to kernels.wat changes this hash: re-run that command and paste its hash here, so that
    // the assembler and wabt are checked against each other on every kernel version.
    expect(createHash('sha256').update(assembleDotKernels()).digest('hex')).toBe('4d685bff36c9e27546d021ff1f192c21d7c363bd4685ae52aa24eb18e628a02c');
  });

  it('names the line of an unknown instruction, local or label, and refuses folded instructions', () => {
    const fail = (source: string) => {
      try {
        assembleWat({ source, file: 'bad.wat' });
      } catch (error) {
        expect(error).toBeInstanceOf(InputFileError);
        return (error as Error).message;
      }
      throw new Error('assembled');
    };
    expect(fail('(module (func $f\n  i32.const 1\n  i32.popcnt\n  drop))')).toMatch(/^bad\.wat:3 \(func \$f\): unknown instruction 'i32\.popcnt'/);
    expect(fail('(module (func $f\n local.get $x drop))')).toMatch(/^bad\.wat:2 \(func \$f\): unknown local '\$x'/);
    expect(fail('(module (func $f\n block $a\n br $b\n end))')).toMatch(/^bad\.wat:3 \(func \$f\): unknown label '\$b'/);
    expect(fail('(module (func $f (result i32) (i32.add (i32.const 1) (i32.const 2))))')).toMatch(/folded instructions/);
    expect(fail('(module (func $f block $a))')).toMatch(/without 'end'/);
    expect(fail('(module (table 1 funcref))')).toMatch(/outside the assembler's WAT subset/);
  });
});
