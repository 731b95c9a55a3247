/**
 * A WebAssembly text (WAT) assembler for the small subset the engine's kernels use, so that the
 * kernels live as readable WAT (`kernels.wat`) and no binary or toolchain is committed: a module
 * with imported memories, functions (named params, results, locals, an `export`) whose bodies are
 * flat instruction sequences (`block`/`loop` … `end`, no folded S-expressions), the scalar
 * integer/float instructions listed in OPCODES and the fixed-width SIMD (v128) ones. The subset is
 * standard WAT, and for kernels.wat the output is byte for byte what wabt's `wat2wasm` gives
 * (assembleWat.test.ts holds the hash). Anything outside the subset is an error naming the line
 * and the token, never a silently wrong byte.
 */
import { InputFileError } from '../../errors.ts';

type Immediate = 'none' | 'local' | 'label' | 'blocktype' | 'i32' | 'i64' | 'memarg' | 'lane' | 'shuffle';

interface Opcode {
  bytes: number[];
  immediate: Immediate;
  /** log2 of the natural alignment of a memory access (the default `align=`). */
  alignLog2?: number;
}

const simd = (code: number, immediate: Immediate = 'none', alignLog2?: number): Opcode => ({ bytes: [0xfd, ...unsignedLeb(code)], immediate, alignLog2 });
const plain = (code: number, immediate: Immediate = 'none', alignLog2?: number): Opcode => ({ bytes: [code], immediate, alignLog2 });

/** Opcodes from the WebAssembly core spec 2.0 (§5.4, binary format) and its fixed-width SIMD section. */
const OPCODES: Record<string, Opcode> = {
  block: plain(0x02, 'blocktype'),
  loop: plain(0x03, 'blocktype'),
  end: plain(0x0b),
  br: plain(0x0c, 'label'),
  br_if: plain(0x0d, 'label'),
  return: plain(0x0f),
  drop: plain(0x1a),
  'local.get': plain(0x20, 'local'),
  'local.set': plain(0x21, 'local'),
  'local.tee': plain(0x22, 'local'),
  'i32.load': plain(0x28, 'memarg', 2),
  'i64.load': plain(0x29, 'memarg', 3),
  'f64.load': plain(0x2b, 'memarg', 3),
  'i32.load16_s': plain(0x2e, 'memarg', 1),
  'i32.store': plain(0x36, 'memarg', 2),
  'i64.store': plain(0x37, 'memarg', 3),
  'f64.store': plain(0x39, 'memarg', 3),
  'i32.store16': plain(0x3b, 'memarg', 1),
  'i32.const': plain(0x41, 'i32'),
  'i64.const': plain(0x42, 'i64'),
  'i32.eqz': plain(0x45),
  'i32.eq': plain(0x46),
  'i32.ne': plain(0x47),
  'i32.lt_s': plain(0x48),
  'i32.lt_u': plain(0x49),
  'i32.gt_s': plain(0x4a),
  'i32.gt_u': plain(0x4b),
  'i32.le_s': plain(0x4c),
  'i32.ge_s': plain(0x4e),
  'i32.ge_u': plain(0x4f),
  'i32.add': plain(0x6a),
  'i32.sub': plain(0x6b),
  'i32.mul': plain(0x6c),
  'i32.shl': plain(0x74),
  'i64.add': plain(0x7c),
  'f64.add': plain(0xa0),
  'i64.extend_i32_s': plain(0xac),
  'f64.convert_i32_s': plain(0xb7),
  'f64.convert_i64_s': plain(0xb9),
  'v128.load': simd(0x00, 'memarg', 4),
  'v128.store': simd(0x0b, 'memarg', 4),
  'i8x16.shuffle': simd(0x0d, 'shuffle'),
  'i32x4.splat': simd(0x11),
  'i64x2.splat': simd(0x12),
  'i32x4.extract_lane': simd(0x1b, 'lane'),
  'i64x2.extract_lane': simd(0x1d, 'lane'),
  'v128.load32_splat': simd(0x09, 'memarg', 2),
  'i16x8.narrow_i32x4_s': simd(0x85),
  'i32x4.add': simd(0xae),
  'i32x4.mul': simd(0xb5),
  'i32x4.dot_i16x8_s': simd(0xba),
  'i64x2.add': simd(0xce),
  'i64x2.extmul_low_i32x4_s': simd(0xdc),
  'i64x2.extmul_high_i32x4_s': simd(0xdd),
  'i32x4.trunc_sat_f64x2_s_zero': simd(0xfc),
};

const VALUE_TYPES: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...unsignedLeb(content.length), ...content];

interface Token { text: string; line: number }
type Node = Token | { list: Node[]; line: number };
const isList = (node: Node): node is { list: Node[]; line: number } => 'list' in node;

function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (source.startsWith(';;', i)) { while (i < source.length && source[i] !== '\n') i++; continue; }
    if (source.startsWith('(;', i)) throw new InputFileError(`${file}:${line}: block comments '(; … ;)' are outside the assembler's WAT subset`, { hint: 'use line comments (;;)' });
    if (c === '(' || c === ')') { tokens.push({ text: c, line }); i++; continue; }
    if (c === '"') {
      const end = source.indexOf('"', i + 1);
      if (end < 0) throw new InputFileError(`${file}:${line}: unterminated string`);
      tokens.push({ text: source.slice(i, end + 1), line });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < source.length && !/[\s()]/.test(source[j]!)) j++;
    tokens.push({ text: source.slice(i, j), line });
    i = j;
  }
  return tokens;
}

function parse(tokens: Token[], file: string): Node[] {
  const stack: { list: Node[]; line: number }[] = [{ list: [], line: 1 }];
  for (const token of tokens) {
    if (token.text === '(') {
      const node = { list: [] as Node[], line: token.line };
      stack.at(-1)!.list.push(node);
      stack.push(node);
    } else if (token.text === ')') {
      if (stack.length === 1) throw new InputFileError(`${file}:${token.line}: unbalanced ')'`);
      stack.pop();
    } else stack.at(-1)!.list.push(token);
  }
  if (stack.length !== 1) throw new InputFileError(`${file}:${stack.at(-1)!.line}: unclosed '('`);
  return stack[0]!.list;
}

const head = (node: Node) => (isList(node) && node.list[0] && !isList(node.list[0]) ? node.list[0].text : undefined);
const atom = (node: Node | undefined, file: string, what: string): string => {
  if (!node || isList(node)) throw new InputFileError(`${file}:${node?.line ?? '?'}: expected ${what}`);
  return node.text;
};

function parseInteger(text: string, file: string, line: number): bigint {
  const clean = text.replaceAll('_', '');
  if (!/^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(clean)) throw new InputFileError(`${file}:${line}: '${text}' is not an integer`);
  return clean.startsWith('-') ? -BigInt(clean.slice(1)) : BigInt(clean);
}

interface FunctionType { params: number[]; results: number[] }

export interface AssembleWatParameters {
  source: string;
  /** For error messages. */
  file: string;
}

/** The module's binary (magic, version, type/import/function/export/code sections). */
export function assembleWat({ source, file }: AssembleWatParameters): Uint8Array<ArrayBuffer> {
  const top = parse(tokenize(source, file), file);
  if (top.length !== 1 || head(top[0]!) !== 'module') throw new InputFileError(`${file}: expected one (module …)`);
  const fields = (top[0] as { list: Node[] }).list.slice(1);

  const types: FunctionType[] = [];
  const typeIndex = (type: FunctionType) => {
    const key = JSON.stringify(type);
    const found = types.findIndex((t) => JSON.stringify(t) === key);
    if (found >= 0) return found;
    types.push(type);
    return types.length - 1;
  };
  const imports: number[][] = [];
  const functionTypes: number[] = [];
  const exports: number[][] = [];
  const bodies: number[][] = [];
  const functions = fields.filter((f) => head(f) === 'func');

  for (const field of fields) {
    const kind = head(field);
    const line = field.line;
    if (kind === 'import') {
      // (import "module" "name" (memory min [max]))
      const list = (field as { list: Node[] }).list;
      const moduleName = JSON.parse(atom(list[1], file, 'an import module name'));
      const name = JSON.parse(atom(list[2], file, 'an import name'));
      const description = list[3]!;
      if (head(description) !== 'memory') throw new InputFileError(`${file}:${line}: only memory imports are in the assembler's subset`);
      const limits = (description as { list: Node[] }).list.slice(1).map((n) => Number(parseInteger(atom(n, file, 'a page count'), file, line)));
      imports.push([
        ...unsignedLeb(utf8(moduleName).length), ...utf8(moduleName),
        ...unsignedLeb(utf8(name).length), ...utf8(name),
        0x02, ...(limits.length === 2 ? [0x01, ...unsignedLeb(limits[0]!), ...unsignedLeb(limits[1]!)] : [0x00, ...unsignedLeb(limits[0]!)]),
      ]);
    } else if (kind !== 'func') throw new InputFileError(`${file}:${line}: '(${kind} …)' is outside the assembler's WAT subset (import, func)`);
  }

  for (const [functionIndex, field] of functions.entries()) {
    const list = (field as { list: Node[] }).list;
    const locals = new Map<string, number>();
    const params: number[] = [];
    const results: number[] = [];
    const localTypes: number[] = [];
    let position = 1;
    const first = list[1];
    const functionName = first && !isList(first) && first.text.startsWith('$') ? (position++, first.text) : `#${functionIndex}`;
    const where = (line: number) => `${file}:${line} (func ${functionName})`;
    for (; position < list.length && isList(list[position]!); position++) {
      const item = list[position] as { list: Node[]; line: number };
      const itemKind = head(item);
      if (itemKind !== 'param' && itemKind !== 'local' && itemKind !== 'result' && itemKind !== 'export')
        throw new InputFileError(`${where(item.line)}: '(${itemKind} …)' inside a func is outside the assembler's subset (folded instructions are not supported; write them flat)`);
      const words = item.list.slice(1).map((n) => atom(n, file, `a name or a type in (${itemKind} …)`));
      if (itemKind === 'export') {
        const name = utf8(JSON.parse(words[0]!));
        exports.push([...unsignedLeb(name.length), ...name, 0x00, ...unsignedLeb(functionIndex)]);
        continue;
      }
      // (param $name type) names one; (param type type …) declares unnamed ones.
      const named = words[0]?.startsWith('$');
      const typeWords = named ? words.slice(1) : words;
      for (const typeWord of typeWords) {
        const type = VALUE_TYPES[typeWord];
        if (type === undefined) throw new InputFileError(`${where(item.line)}: unknown value type '${typeWord}'`, { hint: `types: ${Object.keys(VALUE_TYPES).join(', ')}` });
        if (itemKind === 'result') { results.push(type); continue; }
        if (named) locals.set(words[0]!, params.length + localTypes.length);
        if (itemKind === 'param') {
          if (localTypes.length) throw new InputFileError(`${where(item.line)}: a param after a local`);
          params.push(type);
        } else localTypes.push(type);
      }
    }
    functionTypes.push(typeIndex({ params, results }));

    const code: number[] = [];
    const labels: (string | undefined)[] = [];
    const body = list.slice(position);
    for (let i = 0; i < body.length; i++) {
      const node = body[i]!;
      if (isList(node)) throw new InputFileError(`${where(node.line)}: folded instructions are outside the assembler's subset; write them flat`);
      const opcode = OPCODES[node.text];
      if (!opcode) throw new InputFileError(`${where(node.line)}: unknown instruction '${node.text}'`, { hint: 'add it to OPCODES in src/engine/wasm/assembleWat.ts with its opcode from the spec' });
      code.push(...opcode.bytes);
      const next = () => {
        const n = body[++i];
        return atom(n, file, `an immediate for '${node.text}' at line ${node.line}`);
      };
      const peek = () => { const n = body[i + 1]; return n && !isList(n) ? n.text : undefined; };
      switch (opcode.immediate) {
        case 'none':
          if (node.text === 'end') {
            if (labels.length === 0) throw new InputFileError(`${where(node.line)}: 'end' without block or loop`);
            labels.pop();
          }
          break;
        case 'blocktype':
          labels.push(peek()?.startsWith('$') ? next() : undefined);
          code.push(0x40); // no block results in the subset
          break;
        case 'label': {
          const label = next();
          const depth = label.startsWith('$') ? labels.length - 1 - labels.lastIndexOf(label) : Number(label);
          if (label.startsWith('$') && !labels.includes(label)) throw new InputFileError(`${where(node.line)}: unknown label '${label}'`);
          code.push(...unsignedLeb(depth));
          break;
        }
        case 'local': {
          const name = next();
          const index = name.startsWith('$') ? locals.get(name) : Number(name);
          if (index === undefined || !Number.isInteger(index)) throw new InputFileError(`${where(node.line)}: unknown local '${name}'`);
          code.push(...unsignedLeb(index));
          break;
        }
        case 'i32':
        case 'i64': {
          const value = parseInteger(next(), file, node.line);
          const bits = opcode.immediate === 'i32' ? 32n : 64n;
          if (value < -(1n << (bits - 1n)) || value >= 1n << bits) throw new InputFileError(`${where(node.line)}: ${value} does not fit ${opcode.immediate}`);
          code.push(...signedLeb(BigInt.asIntN(Number(bits), value)));
          break;
        }
        case 'memarg': {
          let offset = 0;
          let alignLog2 = opcode.alignLog2!;
          while (peek()?.startsWith('offset=') || peek()?.startsWith('align=')) {
            const [key, value] = next().split('=') as [string, string];
            const n = Number(parseInteger(value, file, node.line));
            if (key === 'offset') offset = n;
            else {
              alignLog2 = Math.log2(n);
              if (!Number.isInteger(alignLog2) || alignLog2 > opcode.alignLog2!) throw new InputFileError(`${where(node.line)}: align=${value} is not a power of two up to the natural alignment`);
            }
          }
          code.push(...unsignedLeb(alignLog2), ...unsignedLeb(offset));
          break;
        }
        case 'lane':
          code.push(Number(parseInteger(next(), file, node.line)));
          break;
        case 'shuffle':
          for (let lane = 0; lane < 16; lane++) {
            const value = Number(parseInteger(next(), file, node.line));
            if (value < 0 || value > 31) throw new InputFileError(`${where(node.line)}: shuffle lane ${value} is outside 0..31`);
            code.push(value);
          }
          break;
      }
    }
    if (labels.length) throw new InputFileError(`${where(field.line)}: ${labels.length} block(s) or loop(s) without 'end'`);
    // Locals as runs of one type (count, type), in declaration order: what wat2wasm emits.
    const runs: number[][] = [];
    for (const type of localTypes) {
      const last = runs.at(-1);
      if (last && last[1] === type) last[0]!++;
      else runs.push([1, type]);
    }
    const localGroups = vector(runs.map(([count, type]) => [...unsignedLeb(count!), type!]));
    const functionBody = [...localGroups, ...code, 0x0b];
    bodies.push([...unsignedLeb(functionBody.length), ...functionBody]);
  }

  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types.map((t) => [0x60, ...vector(t.params.map((p) => [p])), ...vector(t.results.map((r) => [r]))]))),
    ...(imports.length ? section(2, vector(imports)) : []),
    ...section(3, vector(functionTypes.map((t) => unsignedLeb(t)))),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ];
  return Uint8Array.from(bytes);
}
