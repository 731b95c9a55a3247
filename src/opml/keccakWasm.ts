/**
 * Owns a WebAssembly keccak-f[1600] for the trace's Merkle hashes: the leaves (32 bytes) and the
 * nodes (64 bytes) are single-block messages, and hashing them dominates the submitter's claim
 * and the dispute's states (issue 13 §3). WebAssembly has 64-bit lanes and rotates; JavaScript
 * (js-sha3) emulates each lane with two 32-bit halves, about 4× slower.
 *
 * The module is generated here, byte by byte, from the specification (FIPS 202 §3.2: θ, ρ, π,
 * χ, ι over 24 rounds, lanes A[x + 5y] little-endian): no build step, no binary in the tree. One
 * exported function `permute()` absorbs the 17-lane (136-byte) block at memory offset 0 into a
 * zero state, permutes it, and leaves the state's first 4 lanes (the digest) at offset 0.
 * JavaScript writes the message with keccak's padding (0x01 … 0x80) first. src/opml/merkle.test.ts
 * holds it to js-sha3 on every length it takes and on random messages.
 */

/** keccak's rate for a 256-bit digest, bytes: a message up to RATE − 1 bytes is one block. */
const RATE = 136;

const ROTATIONS = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
const ROUND_CONSTANTS = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n, 0x000000000000808bn, 0x0000000080000001n,
  0x8000000080008081n, 0x8000000000008009n, 0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n, 0x8000000000008002n, 0x8000000000000080n,
  0x000000000000800an, 0x800000008000000an, 0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];

const unsignedLeb = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
};

const signedLeb = (value: bigint): number[] => {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
};

/**
 * Lanes held complemented (stored as ~A[i]) between rounds: the lane-complementing transform of
 * the Keccak team's implementation overview (§2.2; XKCP's "Bebigokimisa" lanes). θ, ρ and π
 * are linear and carry complements through (roundsCode tracks them per lane), and χ's
 * a ^ (~b & c) is computed in one of four equivalent forms per lane so that its output is
 * complemented exactly on these lanes again, needing a NOT (an i64 XOR with −1: WebAssembly has
 * no and-not) on 8 lanes of 25 per round, not on all 25: about 8% off a permutation here
 * (0.58 against 0.63 µs). The functions complement these lanes on the way in (a message lane with
 * a NOT as it is loaded, a constant lane when it is generated) and lanes 1 and 2 of the digest on
 * the way out.
 */
const COMPLEMENTED = new Set([1, 2, 8, 12, 17, 20]);

/** Appends a NOT (i64.const −1; i64.xor) of the value on the stack if `lane` is held complemented. */
function complementLane(code: number[], lane: number): void {
  if (COMPLEMENTED.has(lane)) code.push(0x42, 0x7f, 0x85);
}

/** Which lanes B[j] (after θ, ρ, π) hold complemented when the round starts with COMPLEMENTED. */
function complementedAfterPi(): boolean[] {
  const a = Array.from({ length: 25 }, (_, i) => COMPLEMENTED.has(i));
  const c = Array.from({ length: 5 }, (_, x) => a[x] !== a[x + 5] !== a[x + 10] !== a[x + 15] !== a[x + 20]);
  const d = Array.from({ length: 5 }, (_, x) => c[(x + 4) % 5] !== c[(x + 1) % 5]);
  const b: boolean[] = new Array(25);
  for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y] !== d[x];
  return b;
}

/** The 24 rounds of keccak-f[1600] over the locals A[0..24] (B, C, D: working lanes), from
 * `base`; the lanes in COMPLEMENTED are complemented before and after. */
function roundsCode(code: number[], base: number): void {
  const get = (local: number) => code.push(0x20, ...unsignedLeb(base + local));
  const set = (local: number) => code.push(0x21, ...unsignedLeb(base + local));
  const i64Const = (value: bigint) => code.push(0x42, ...signedLeb(BigInt.asIntN(64, value)));
  const XOR = 0x85;
  const AND = 0x83;
  const OR = 0x84;
  const ROTL = 0x89;
  const NOT = () => { i64Const(-1n); code.push(XOR); };
  const A = (i: number) => i;
  const B = (i: number) => 25 + i;
  const C = (x: number) => 50 + x;
  const D = (x: number) => 55 + x;
  const flipped = complementedAfterPi();
  for (let round = 0; round < 24; round++) {
    // θ
    for (let x = 0; x < 5; x++) {
      get(A(x));
      for (let y = 1; y < 5; y++) { get(A(x + 5 * y)); code.push(XOR); }
      set(C(x));
    }
    for (let x = 0; x < 5; x++) {
      get(C((x + 4) % 5));
      get(C((x + 1) % 5)); i64Const(1n); code.push(ROTL);
      code.push(XOR);
      set(D(x));
    }
    for (let i = 0; i < 25; i++) { get(A(i)); get(D(i % 5)); code.push(XOR); set(A(i)); }
    // ρ and π: B[y + 5·((2x + 3y) mod 5)] = rotl(A[x + 5y], r[x + 5y])
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) {
        get(A(x + 5 * y));
        if (ROTATIONS[x + 5 * y] !== 0) { i64Const(BigInt(ROTATIONS[x + 5 * y])); code.push(ROTL); }
        set(B(y + 5 * ((2 * x + 3 * y) % 5)));
      }
    }
    // χ: A[x + 5y] = B[x + 5y] ^ (~B[x+1 + 5y] & B[x+2 + 5y]), on stored lanes s = B or ~B. The
    // term t = ~b1 & b2 is s1 & s2 when only b1 is stored complemented, ~t = s1 | s2 when only b2
    // is, and costs one NOT otherwise (t = ~s1 & s2 or s1 & ~s2; ~t = s1 | ~s2 or ~s1 | s2).
    // The stored output s0 ^ t′ is complemented iff b0's and t′'s flags differ: t′ is chosen so
    // that it is on COMPLEMENTED's lanes; where no form gives that for free, a NOT follows.
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        const j0 = x + 5 * y, j1 = ((x + 1) % 5) + 5 * y, j2 = ((x + 2) % 5) + 5 * y;
        const negated = COMPLEMENTED.has(j0) !== flipped[j0]; // t′ must be ~t
        get(B(j0));
        if (flipped[j1] && !flipped[j2]) { get(B(j1)); get(B(j2)); code.push(AND); if (negated) NOT(); }
        else if (!flipped[j1] && flipped[j2]) { get(B(j1)); get(B(j2)); code.push(OR); if (!negated) NOT(); }
        else if (!flipped[j1]) {
          if (negated) { get(B(j1)); get(B(j2)); NOT(); code.push(OR); } else { get(B(j1)); NOT(); get(B(j2)); code.push(AND); }
        } else if (negated) { get(B(j1)); NOT(); get(B(j2)); code.push(OR); } else { get(B(j1)); get(B(j2)); NOT(); code.push(AND); }
        code.push(XOR);
        set(A(j0));
      }
    }
    // ι
    get(A(0)); i64Const(ROUND_CONSTANTS[round]); code.push(XOR); set(A(0));
  }
}

/** A function body: its local declarations, then `code`, then `end`. */
function functionBody(locals: number[][], code: number[]): number[] {
  const body = [...unsignedLeb(locals.length), ...locals.flat(), ...code, 0x0b];
  return [...unsignedLeb(body.length), ...body];
}

/** permute(): absorbs the 17-lane block at offset 0 into a zero state, permutes, leaves the
 * digest (lanes 0..3) at offset 0. Locals A[0..24], B[25..49], C[50..54], D[55..59]. */
function permuteBody(): number[] {
  const code: number[] = [];
  for (let i = 0; i < RATE / 8; i++) {
    code.push(0x41, 0); // i32.const 0
    code.push(0x29, 3, ...unsignedLeb(i * 8)); // i64.load align=8 offset=8i
    complementLane(code, i);
    code.push(0x21, ...unsignedLeb(i)); // local.set A[i]
  }
  for (let i = RATE / 8; i < 25; i++) code.push(0x42, COMPLEMENTED.has(i) ? 0x7f : 0, 0x21, ...unsignedLeb(i)); // capacity lanes: 0 (−1 complemented)
  roundsCode(code, 0);
  for (let i = 0; i < 4; i++) {
    code.push(0x41, 0, 0x20, ...unsignedLeb(i));
    complementLane(code, i);
    code.push(0x37, 3, ...unsignedLeb(i * 8)); // i64.store align=8 offset=8i
  }
  return functionBody([[...unsignedLeb(60), 0x7e]], code);
}

/**
 * nodes(list, count): `count` Merkle nodes, each keccak256(mem[left..+32] ‖ mem[right..+32])
 * stored at mem[out..+32], where (left, right, out) are the i32 byte offsets at list + 12·i,
 * taken in order (a node may be the child of a later one). One call hashes a whole claim's nodes:
 * no call, copy or padding per node from JavaScript. Params list (0), count (1); locals
 * left (2), right (3), out (4), then the lanes A..D from 5.
 */
function nodesBody(): number[] {
  const code: number[] = [];
  const LIST = 0, COUNT = 1, LEFT = 2, RIGHT = 3, OUT = 4, LANES = 5;
  const getLocal = (local: number) => code.push(0x20, ...unsignedLeb(local));
  const setLocal = (local: number) => code.push(0x21, ...unsignedLeb(local));
  code.push(0x02, 0x40); // block
  code.push(0x03, 0x40); // loop
  getLocal(COUNT); code.push(0x45, 0x0d, 1); // i32.eqz; br_if 1 (out of the block)
  for (const [local, offset] of [[LEFT, 0], [RIGHT, 4], [OUT, 8]]) {
    getLocal(LIST); code.push(0x28, 2, offset); setLocal(local); // i32.load align=4 offset
  }
  // The block: lanes 0..3 the left child, 4..7 the right, lane 8 the pad byte 0x01, lane 16 the
  // final 0x80 (byte 135), every other lane 0.
  // (COMPLEMENTED's lanes complemented: lanes 1 and 2 as they are loaded, the constants here.)
  for (let i = 0; i < 25; i++) {
    if (i < 8) {
      getLocal(i < 4 ? LEFT : RIGHT); code.push(0x29, 3, ...unsignedLeb((i % 4) * 8));
      complementLane(code, i);
    } else {
      const lane = i === 8 ? 1n : i === 16 ? 0x8000000000000000n : 0n;
      code.push(0x42, ...signedLeb(BigInt.asIntN(64, COMPLEMENTED.has(i) ? ~lane : lane)));
    }
    setLocal(LANES + i);
  }
  roundsCode(code, LANES);
  for (let i = 0; i < 4; i++) {
    getLocal(OUT); getLocal(LANES + i);
    complementLane(code, i);
    code.push(0x37, 3, ...unsignedLeb(i * 8));
  }
  getLocal(LIST); code.push(0x41, 12, 0x6a); setLocal(LIST); // list += 12
  getLocal(COUNT); code.push(0x41, 1, 0x6b); setLocal(COUNT); // count -= 1
  code.push(0x0c, 0); // br 0 (the loop)
  code.push(0x0b, 0x0b); // end loop, end block
  return functionBody([[3, 0x7f], [...unsignedLeb(60), 0x7e]], code);
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...unsignedLeb(content.length), ...content];
  const name = (text: string) => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x02, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x00]), // types: () → (), (i32, i32) → ()
    ...section(3, [0x02, 0x00, 0x01]), // function 0: type 0, function 1: type 1
    ...section(5, [0x01, 0x00, 0x01]), // one memory, min 1 page
    ...section(7, [0x03, ...name('memory'), 0x02, 0x00, ...name('permute'), 0x00, 0x00, ...name('nodes'), 0x00, 0x01]),
    ...section(10, [0x02, ...permuteBody(), ...nodesBody()]),
  ]);
}

interface Loaded {
  memory: WebAssembly.Memory;
  block: Uint8Array;
  words: Int32Array;
  permute: () => void;
  nodes: (list: number, count: number) => void;
}
let instance: Loaded | undefined;

function views(loaded: Omit<Loaded, 'block' | 'words'>): Loaded {
  const { buffer } = loaded.memory;
  return { ...loaded, block: new Uint8Array(buffer, 0, RATE), words: new Int32Array(buffer, 0, RATE / 4) };
}

function load(): Loaded {
  const compiled = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
  instance = views({ memory: compiled.exports.memory as WebAssembly.Memory, permute: compiled.exports.permute as () => void, nodes: compiled.exports.nodes as Loaded['nodes'] });
  return instance;
}

/** Where hashNodeList's work area starts in the module's memory (past the block). */
export const NODE_AREA_OFFSET = 256;

/**
 * The module's memory from NODE_AREA_OFFSET on, at least `bytes` long (grown when needed), for a
 * caller to lay out children and a node list in before hashNodeList. A view from an earlier
 * call is stale once the memory grows: take a new one per use. Each call starts a new
 * generation (nodeAreaGeneration): the area is the caller's until the next call.
 */
export function nodeArea(bytes: number): Uint8Array {
  areaGeneration++;
  let loaded = instance ?? load();
  const needed = NODE_AREA_OFFSET + bytes;
  if (needed > loaded.memory.buffer.byteLength) {
    loaded.memory.grow(Math.ceil((needed - loaded.memory.buffer.byteLength) / 65536));
    loaded = instance = views(loaded);
  }
  return new Uint8Array(loaded.memory.buffer, NODE_AREA_OFFSET, bytes);
}

/** The node area as the last nodeArea call's caller left it, `bytes` long (no more than that call
 * asked for), without starting a generation: for reading a run back. */
export function nodeAreaView(bytes: number): Uint8Array {
  const loaded = instance ?? load();
  if (NODE_AREA_OFFSET + bytes > loaded.memory.buffer.byteLength) throw new RangeError(`the node area holds fewer than ${bytes} bytes`);
  return new Uint8Array(loaded.memory.buffer, NODE_AREA_OFFSET, bytes);
}

let areaGeneration = 0;
/** Counts nodeArea calls: a caller that laid out the area and reads it back later finds its
 * contents still there only if no nodeArea call came in between (this number is the same). */
export const nodeAreaGeneration = (): number => areaGeneration;

/** Hashes `count` nodes listed at byte `listOffset` of the module's memory (absolute offsets,
 * three i32 each: left, right, out; see nodesBody), in order. */
export function hashNodeList(listOffset: number, count: number): void {
  (instance ?? load()).nodes(listOffset, count);
}

/** keccak256(data) for data shorter than 136 bytes (one block); a new 32-byte array. */
export function keccak256SingleBlock(data: Uint8Array): Uint8Array {
  if (data.length >= RATE) throw new RangeError(`keccak256SingleBlock takes fewer than ${RATE} bytes, not ${data.length}`);
  const { block, permute } = instance ?? load();
  block.set(data, 0);
  block.fill(0, data.length, RATE);
  block[data.length] = 0x01;
  block[RATE - 1] |= 0x80;
  permute();
  return block.slice(0, 32);
}

export const KECCAK_SINGLE_BLOCK_LIMIT = RATE - 1;

/** keccak256(left[leftOffset..+32] ‖ right[rightOffset..+32]), a new 32-byte array: a Merkle node
 * written into the block directly (no 64-byte message first). */
export function keccak256Pair(left: Uint8Array, leftOffset: number, right: Uint8Array, rightOffset: number): Uint8Array {
  const { block, permute } = instance ?? load();
  if (leftOffset === 0 && left.length === 32) block.set(left, 0);
  else block.set(left.subarray(leftOffset, leftOffset + 32), 0);
  if (rightOffset === 0 && right.length === 32) block.set(right, 32);
  else block.set(right.subarray(rightOffset, rightOffset + 32), 32);
  block.fill(0, 64, RATE);
  block[64] = 0x01;
  block[RATE - 1] = 0x80;
  permute();
  return block.slice(0, 32);
}

/**
 * keccak256(left[leftWord..+8] ‖ right[rightWord..+8]) written to out[outWord..+8], all three as
 * 32-bit word views: a Merkle node hashed without a new array per hash and copied a word, not a
 * byte, at a time (the overlay's batched updates hash hundreds of nodes a claim; byte copies and
 * a fresh digest array per node cost about half as much again as the permutation).
 */
export function keccak256NodeInto(left: Int32Array, leftWord: number, right: Int32Array, rightWord: number, out: Int32Array, outWord: number): void {
  const { block, words, permute } = instance ?? load();
  for (let i = 0; i < 8; i++) words[i] = left[leftWord + i];
  for (let i = 0; i < 8; i++) words[8 + i] = right[rightWord + i];
  for (let i = 16; i < RATE / 4; i++) words[i] = 0;
  block[64] = 0x01;
  block[RATE - 1] = 0x80;
  permute();
  for (let i = 0; i < 8; i++) out[outWord + i] = words[i];
}
