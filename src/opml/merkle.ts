/**
 * Owns the keccak Merkle trees of the trace VM (memory and program), in raw bytes for speed:
 * leaf(v) = keccak256(abi.encode(int256 v)), node(l, r) = keccak256(l ‖ r), leaf i's path goes
 * right at level j when bit j of i is 1 — the same as contracts/src/opml/vm/LibVmState.sol.
 * A tree is its levels as flat byte arrays (32 bytes per node); subtrees past `usedLength`
 * are all-zero memory and take their hash from the precomputed zero-subtree table, so building
 * costs about 2·usedLength hashes, not 2^(depth+1).
 */
import sha3 from 'js-sha3';
import { hexToBytes, type Hex } from 'viem';
import { hashNodeList, KECCAK_SINGLE_BLOCK_LIMIT, keccak256NodeInto, keccak256Pair, keccak256SingleBlock, NODE_AREA_OFFSET, nodeArea, nodeAreaGeneration, nodeAreaView } from './keccakWasm.ts';

export type Hash = Uint8Array;

const keccakArrayBuffer = sha3.keccak256.arrayBuffer;
let keccakCalls = 0;

/** keccak256(data): one-block messages (leaves, nodes) in WebAssembly, longer ones in js-sha3. */
export function keccakBytes(data: Uint8Array): Hash {
  keccakCalls++;
  if (data.length <= KECCAK_SINGLE_BLOCK_LIMIT) return keccak256SingleBlock(data);
  return new Uint8Array(keccakArrayBuffer(data));
}

/** keccakBytes calls in this process so far (bench/opml-trace.ts counts the trace's hashes with it). */
export const keccakCallCount = (): number => keccakCalls;

const leafScratch = new Uint8Array(32);
const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;

/** abi.encode(int256 value): 32 bytes, two's complement, big-endian. */
export function encodeInt256(value: bigint, into: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  if (value < INT256_MIN || value > INT256_MAX) throw new RangeError(`${value} does not fit in int256`);
  let word = BigInt.asUintN(256, value);
  for (let i = 31; i >= 0; i--) {
    into[offset + i] = Number(word & 0xffn);
    word >>= 8n;
  }
  return into;
}

/** abi.encode(int256 value) of a safe integer without BigInt: two 32-bit halves, sign-extended. */
export function encodeSafeInteger(value: number, into: Uint8Array, offset = 0): Uint8Array {
  const high = Math.floor(value / 4294967296);
  const low = value - high * 4294967296;
  into.fill(high < 0 ? 0xff : 0, offset, offset + 24);
  const highBits = high >>> 0;
  into[offset + 24] = highBits >>> 24; into[offset + 25] = (highBits >>> 16) & 0xff;
  into[offset + 26] = (highBits >>> 8) & 0xff; into[offset + 27] = highBits & 0xff;
  into[offset + 28] = low >>> 24; into[offset + 29] = (low >>> 16) & 0xff;
  into[offset + 30] = (low >>> 8) & 0xff; into[offset + 31] = low & 0xff;
  return into;
}

/** keccak256(abi.encode(int256 value)). */
export function hashLeaf(value: bigint | number): Hash {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return keccakBytes(encodeSafeInteger(value, leafScratch));
  return keccakBytes(encodeInt256(BigInt(value), leafScratch));
}

/** keccak256(left ‖ right), the 32 bytes of each from its offset. */
export function hashNode(left: Uint8Array, right: Uint8Array, leftOffset = 0, rightOffset = 0): Hash {
  if (leftOffset < 0 || leftOffset + 32 > left.length || rightOffset < 0 || rightOffset + 32 > right.length)
    throw new RangeError(`a Merkle node's children are 32 bytes: [${leftOffset}, +32) of ${left.length} and [${rightOffset}, +32) of ${right.length}`);
  keccakCalls++;
  return keccak256Pair(left, leftOffset, right, rightOffset);
}

const zeroTable: Hash[] = [];
/** zeroHashes(d)[j] = root of an all-zero-word subtree of depth j, j = 0..d. */
export function zeroHashes(depth: number): Hash[] {
  if (zeroTable.length === 0) zeroTable.push(hashLeaf(0));
  while (zeroTable.length <= depth) {
    const below = zeroTable[zeroTable.length - 1];
    zeroTable.push(hashNode(below, below));
  }
  return zeroTable.slice(0, depth + 1);
}

export interface MerkleTree {
  depth: number;
  /** levels[j]: 2^(depth-j) nodes of 32 bytes (levels[depth] is the root). */
  levels: Uint8Array[];
}

export interface BuildMerkleTreeParameters {
  depth: number;
  /** Leaves [0, usedLength) come from leafHash; the rest are zero-words' leaves (or `padding`). */
  usedLength: number;
  leafHash: (index: number) => Hash;
  /** Hash of an unused leaf's subtree per level (default: zero memory words). */
  padding?: Hash[];
}

/** Builds a full tree; unused subtrees are filled from the padding table without hashing. */
export function buildMerkleTree(parameters: BuildMerkleTreeParameters): MerkleTree {
  const { depth, usedLength, leafHash } = parameters;
  const padding = parameters.padding ?? zeroHashes(depth);
  if (usedLength > 2 ** depth) throw new RangeError(`${usedLength} leaves do not fit in depth ${depth}`);
  const levels: Uint8Array[] = [];
  let width = 2 ** depth;
  let used = usedLength;
  const leaves = new Uint8Array(width * 32);
  for (let i = 0; i < width; i++) leaves.set(i < used ? leafHash(i) : padding[0], i * 32);
  levels.push(leaves);
  for (let level = 1; level <= depth; level++) {
    const below = levels[level - 1];
    width /= 2;
    used = Math.ceil(used / 2);
    const nodes = new Uint8Array(width * 32);
    for (let i = 0; i < width; i++) {
      nodes.set(i < used ? hashNode(below, below, 64 * i, 64 * i + 32) : padding[level], i * 32);
    }
    levels.push(nodes);
  }
  return { depth, levels };
}

export function rootOf(tree: MerkleTree): Hash {
  return tree.levels[tree.depth].slice(0, 32);
}

/** Sets leaf `index` and rehashes its path (depth hashes). */
export function updateLeaf(tree: MerkleTree, index: number, leaf: Hash): void {
  tree.levels[0].set(leaf, index * 32);
  let position = index;
  for (let level = 1; level <= tree.depth; level++) {
    const below = tree.levels[level - 1];
    const left = (position & ~1) * 32;
    position = Math.floor(position / 2);
    tree.levels[level].set(hashNode(below, below, left, left + 32), position * 32);
  }
}

/**
 * A copy-on-write view of a tree: the nodes that differ from `base` live in a map, every other
 * node is read from `base`, which is never written. Setting k leaves costs one hash per distinct
 * node above them — a node over several changed leaves is hashed once, not once per leaf as
 * updateLeaf would — and no copy of the base tree (copying a depth-11 memory tree cost more
 * than the hashes of a digit's commitment).
 */
export interface MerkleOverlay {
  depth: number;
  /** Sets leaf `indices[i]` to `leaves[i]` and rehashes the nodes above them; returns the number
   * of hashes. `known`: a node set to a hash known from elsewhere (a request's input subtree
   * root), taken as is — nothing below it is hashed or stored, so no leaf may lie under it — and
   * rehashed above with the leaves' paths, a parent they share hashed once. */
  update(indices: readonly number[], leaves: readonly Hash[], known?: KnownNode): number;
  /** Takes nodes whose hashes are known (a claim schedule's run over this tree's base) as they
   * are: no hash. They must be exactly the nodes such an update would have hashed (the caller's
   * contract; runSchedule's nodes are). */
  adopt(nodes: readonly { level: number; position: number; node: Hash }[]): void;
  /** The node at `position` of `level` (level 0: leaves). */
  node(level: number, position: number): Hash;
  root(): Hash;
  /** Siblings of the level-`fromLevel` node above leaf `index`, as siblingsOf on the updated tree. */
  siblings(index: number, fromLevel?: number): Hash[];
}

/** A node of a Merkle tree whose hash is known without its subtree. */
export interface KnownNode {
  level: number;
  position: number;
  node: Hash;
}

export function createMerkleOverlay(base: MerkleTree): MerkleOverlay {
  const { depth } = base;
  if (depth > 52) throw new RangeError(`a Merkle overlay of depth ${depth} cannot number its nodes exactly`);
  // Heap numbering: the root is 1, node p of level j is 2^(depth − j) + p. A changed node's 32
  // bytes live in `pool` at byte slotOf(node) (pool grows by doubling); nodes are hashed straight
  // from base or pool into pool through 32-bit word views (keccak256NodeInto), no array per node.
  // Slots by node number: a dense table up to depth 16 (256 KiB), a map beyond.
  const slotTable = depth <= 16 ? new Int32Array(2 ** (depth + 1)).fill(-1) : undefined;
  const slotMap = new Map<number, number>();
  const slotOf = {
    get: (node: number): number | undefined => {
      if (slotTable) { const slot = slotTable[node]; return slot < 0 ? undefined : slot; }
      return slotMap.get(node);
    },
    set: (node: number, slot: number) => { if (slotTable) slotTable[node] = slot; else slotMap.set(node, slot); },
  };
  let pool = new Uint8Array(32 * 256);
  let poolWords = new Int32Array(pool.buffer);
  const baseWords = base.levels.map((level) => new Int32Array(level.buffer, level.byteOffset, level.length / 4));
  let used = 0;
  const slotFor = (node: number): number => {
    let slot = slotOf.get(node);
    if (slot === undefined) {
      if (used + 32 > pool.length) {
        const grown = new Uint8Array(pool.length * 2);
        grown.set(pool);
        pool = grown;
        poolWords = new Int32Array(pool.buffer);
      }
      slot = used;
      used += 32;
      slotOf.set(node, slot);
    }
    return slot;
  };
  const nodeAt = (level: number, position: number): Hash => {
    const slot = slotOf.get(2 ** (depth - level) + position);
    return slot === undefined ? base.levels[level].slice(position * 32, position * 32 + 32) : pool.slice(slot, slot + 32);
  };
  return {
    depth,
    update(indices, leaves, known) {
      if (known) {
        if (!Number.isInteger(known.level) || known.level < 0 || known.level > depth || !Number.isInteger(known.position) || known.position < 0 || known.position >= 2 ** (depth - known.level))
          throw new RangeError(`no node ${known.position} at level ${known.level} in a tree of depth ${depth}`);
        for (const index of indices)
          if (Math.floor(index / 2 ** known.level) === known.position)
            throw new RangeError(`leaf ${index} lies under the known node ${known.position} of level ${known.level}: its subtree is not held`);
        const slot = slotFor(2 ** (depth - known.level) + known.position); // before reading `pool`: it may grow it
        pool.set(known.node, slot);
      }
      // The leaves in the order given (a repeated index keeps its last leaf), then the distinct
      // positions in increasing order, so siblings are neighbours and each parent comes once.
      for (let i = 0; i < indices.length; i++) {
        const slot = slotFor(2 ** depth + indices[i]); // before reading `pool`: it may grow it
        pool.set(leaves[i], slot);
      }
      const sorted = Float64Array.from(indices).sort();
      let positions: number[] = [];
      for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) positions.push(sorted[i]);
      let hashes = 0;
      for (let level = 1; level <= depth; level++) {
        if (known && known.level === level - 1) {
          // The known node joins the changed positions of its level, in order, once.
          let at = 0;
          while (at < positions.length && positions[at] < known.position) at++;
          if (positions[at] !== known.position) positions.splice(at, 0, known.position);
        }
        const below = baseWords[level - 1];
        const parents: number[] = [];
        for (const position of positions) {
          const parent = Math.floor(position / 2);
          if (parents[parents.length - 1] === parent) continue;
          parents.push(parent);
          const firstChild = 2 ** (depth - level + 1) + 2 * parent;
          const leftSlot = slotOf.get(firstChild);
          const rightSlot = slotOf.get(firstChild + 1);
          // The parent's slot first: it may grow the pool, which the children are read from.
          const target = slotFor(2 ** (depth - level) + parent);
          keccakCalls++;
          keccak256NodeInto(
            leftSlot === undefined ? below : poolWords, leftSlot === undefined ? 16 * parent : leftSlot / 4,
            rightSlot === undefined ? below : poolWords, rightSlot === undefined ? 16 * parent + 8 : rightSlot / 4,
            poolWords, target / 4,
          );
          hashes++;
        }
        positions = parents;
      }
      return hashes;
    },
    adopt(nodes) {
      for (const { level, position, node } of nodes) {
        if (!Number.isInteger(level) || level < 0 || level > depth || !Number.isInteger(position) || position < 0 || position >= 2 ** (depth - level))
          throw new RangeError(`no node ${position} at level ${level} in a tree of depth ${depth}`);
        const slot = slotFor(2 ** (depth - level) + position); // before reading `pool`: it may grow it
        pool.set(node, slot);
      }
    },
    root: () => nodeAt(depth, 0),
    node: (level, position) => nodeAt(level, position),
    siblings(index, fromLevel = 0) {
      const siblings: Hash[] = [];
      let position = Math.floor(index / 2 ** fromLevel);
      for (let level = fromLevel; level < depth; level++) {
        siblings.push(nodeAt(level, position ^ 1));
        position = Math.floor(position / 2);
      }
      return siblings;
    },
  };
}

/** Siblings of leaf `index`, level 0 first (what rootFromPath and the verifier take). */
export function siblingsOf(tree: MerkleTree, index: number, fromLevel = 0): Hash[] {
  const siblings: Hash[] = [];
  let position = Math.floor(index / 2 ** fromLevel);
  for (let level = fromLevel; level < tree.depth; level++) {
    const sibling = position ^ 1;
    siblings.push(tree.levels[level].slice(sibling * 32, sibling * 32 + 32));
    position = Math.floor(position / 2);
  }
  return siblings;
}

/** The root reached from `node` at `index` of its level through `siblings`. */
export function rootFromPath(node: Hash, index: number | bigint, siblings: readonly Hash[]): Hash {
  let current = node;
  if (typeof index === 'number' && Number.isSafeInteger(index) && index >= 0) {
    // A number index (every memory position the VM has) without BigInt arithmetic per level.
    let position = index;
    for (const sibling of siblings) {
      current = position % 2 === 1 ? hashNode(sibling, current) : hashNode(current, sibling);
      position = Math.floor(position / 2);
    }
    return current;
  }
  let position = BigInt(index);
  for (const sibling of siblings) {
    current = (position & 1n) === 1n ? hashNode(sibling, current) : hashNode(current, sibling);
    position >>= 1n;
  }
  return current;
}

/** Root of a depth-`depth` subtree whose first leaves hold `values`, the rest zero words. */
export function subtreeRoot(values: readonly (bigint | number)[], depth: number): Hash {
  return rootOf(buildMerkleTree({ depth, usedLength: values.length, leafHash: (i) => hashLeaf(values[i]) }));
}

/** Lower-case 0x-hex of `bytes` (as viem's bytesToHex), through one reused Buffer: native code,
 * half viem's time on a 32-byte word and a sixth on a claim's output proof. (Buffer.from(bytes.buffer)
 * would be slower: reading `.buffer` of a small typed array moves its bytes off V8's heap.) */
export function toHex(bytes: Uint8Array): Hex {
  if (bytes.length > hexScratch.length) hexScratch = Buffer.alloc(Math.max(bytes.length, 2 * hexScratch.length));
  hexScratch.set(bytes, 0);
  return `0x${hexScratch.toString('hex', 0, bytes.length)}`;
}
let hexScratch = Buffer.alloc(1024);
export const fromHex = (hex: Hex): Hash => hexToBytes(hex);

/**
 * A fixed rehash of a tree whose changed leaves are always the same positions (a program's
 * written words: the straight-line program writes the same words on every input), made once and
 * run per claim: the nodes above the changed leaves, each once, hashed in one WebAssembly call
 * (keccakWasm's nodes) from a layout in its memory — the leaves, an optional known node (a
 * request's input subtree root), the rehashed nodes level by level, then the unchanged siblings
 * taken from the base tree. A claim of 128 nodes then costs the 128 permutations and little else
 * (the overlay's per-node bookkeeping had cost about as much again). A run told which leaves
 * still hold their base value hashes only the nodes above the others (a node over unchanged
 * children is the base tree's), as the overlay does.
 */
export interface UpdateSchedule {
  depth: number;
  /** The changed leaves, ascending. */
  positions: Uint32Array;
  /** Nodes hashed by a run whose every leaf changed (the most a run hashes). */
  nodeCount: number;
  /** Bytes of the node area a run lays out. */
  areaBytes: number;
  knownSlot: number;
  /** The base tree's leaves at the positions (a run starts the leaf slots so: a leaf that kept its
   * value needs no hash). */
  leafBase: Uint8Array;
  /** The rehashed nodes' slots, [hashedSlot, hashedSlot + nodeCount), in hashing order, and
   * their base tree hashes (a run starts them so; the nodes it hashes overwrite theirs). */
  hashedSlot: number;
  hashedBase: Uint8Array;
  /** The unchanged siblings, 32 bytes each, in their slots' order from baseSlot (copied in per run). */
  baseBytes: Uint8Array;
  baseSlot: number;
  /** Per rehashed node, in order: its left child's, right child's and own slot. */
  childSlots: Int32Array;
  /** Where a run writes the list of the nodes it hashes (three i32 byte offsets each). */
  listOffset: number;
  /** Heap number (2^(depth − level) + position) → slot, for every node the schedule holds. */
  slots: Map<number, number>;
  known?: { level: number; position: number };
  /** Per slot, whether a run changed it (a run's scratch). */
  changedSlots: Uint8Array;
  /** pathOf's results by "index/level". */
  paths: Map<string, Int32Array>;
}

export function scheduleUpdate(base: MerkleTree, positions: readonly number[], known?: { level: number; position: number }): UpdateSchedule {
  const { depth } = base;
  if (depth > 52) throw new RangeError(`a schedule of depth ${depth} cannot number its nodes exactly`);
  const sorted = Uint32Array.from(new Set(positions)).sort();
  for (const position of sorted) {
    if (position >= 2 ** depth) throw new RangeError(`leaf ${position} is outside a tree of depth ${depth}`);
    if (known && Math.floor(position / 2 ** known.level) === known.position)
      throw new RangeError(`leaf ${position} lies under the known node ${known.position} of level ${known.level}`);
  }
  const heap = (level: number, position: number) => 2 ** (depth - level) + position;
  const slots = new Map<number, number>();
  sorted.forEach((position, i) => slots.set(heap(0, position), i));
  const knownSlot = sorted.length;
  if (known) slots.set(heap(known.level, known.position), knownSlot);
  // The hashed nodes, level by level, and the unchanged children they read (base siblings).
  const hashed: { level: number; position: number }[] = [];
  const baseNodes: { level: number; position: number }[] = [];
  let level0: number[] = Array.from(sorted);
  for (let level = 1; level <= depth; level++) {
    if (known && known.level === level - 1 && !level0.includes(known.position)) level0 = [...level0, known.position].sort((a, b) => a - b);
    const parents: number[] = [];
    // The children a run sets: the leaves, the known node, the nodes hashed at the level below.
    const set = new Set(level0);
    for (const position of level0) {
      const parent = Math.floor(position / 2);
      if (parents[parents.length - 1] === parent) continue;
      parents.push(parent);
      for (const child of [2 * parent, 2 * parent + 1])
        if (!set.has(child)) baseNodes.push({ level: level - 1, position: child });
      hashed.push({ level, position: parent });
    }
    level0 = parents;
  }
  const nodeBytes = (node: { level: number; position: number }) => base.levels[node.level].subarray(node.position * 32, node.position * 32 + 32);
  const leafBase = new Uint8Array(sorted.length * 32);
  sorted.forEach((position, i) => leafBase.set(nodeBytes({ level: 0, position }), i * 32));
  let nextSlot = knownSlot + 1;
  const hashedSlot = nextSlot;
  const hashedBase = new Uint8Array(hashed.length * 32);
  hashed.forEach((node, i) => {
    slots.set(heap(node.level, node.position), nextSlot++);
    hashedBase.set(nodeBytes(node), i * 32);
  });
  const baseSlot = nextSlot;
  const baseBytes = new Uint8Array(baseNodes.length * 32);
  baseNodes.forEach((node, i) => {
    slots.set(heap(node.level, node.position), nextSlot++);
    baseBytes.set(nodeBytes(node), i * 32);
  });
  const listOffset = NODE_AREA_OFFSET + nextSlot * 32;
  const childSlots = new Int32Array(hashed.length * 3);
  const slotOf = (level: number, position: number) => slots.get(heap(level, position))!;
  hashed.forEach((node, i) => {
    childSlots[3 * i] = slotOf(node.level - 1, 2 * node.position);
    childSlots[3 * i + 1] = slotOf(node.level - 1, 2 * node.position + 1);
    childSlots[3 * i + 2] = slotOf(node.level, node.position);
  });
  return {
    depth, positions: sorted, nodeCount: hashed.length, areaBytes: nextSlot * 32 + hashed.length * 12, knownSlot, leafBase,
    hashedSlot, hashedBase, baseBytes, baseSlot, childSlots, listOffset, slots, known, changedSlots: new Uint8Array(nextSlot), paths: new Map(),
  };
}

/** Runs a schedule: `leaves[i]` is the new leaf at positions[i], `knownNode` the known node's
 * hash; `unchanged[i]`, where given and true, says leaf i is the base tree's (its value did not
 * change: leaves[i] may then be left out), so that only the nodes above a changed leaf or the
 * known node are hashed. Returns
 * the root, the siblings of the level-`siblingsFrom.level` node above leaf `siblingsFrom.index`
 * (as siblingsOf on the updated tree), read from the run or the base tree, the number of nodes
 * hashed, and the run's generation: its rehashed nodes stay in keccakWasm's node area until the
 * next run (or nodeArea call), and scheduledNodesOf copies them out while they do. With `into`, the root is written
 * at into.bytes[into.root..+32] and the siblings one after the other from
 * into.bytes[into.siblings] (the claim lays out its output proof so), and the returned root and
 * siblings are views of those bytes. */
export function runSchedule(parameters: {
  schedule: UpdateSchedule;
  base: MerkleTree;
  leaves: readonly (Hash | undefined)[];
  unchanged?: ArrayLike<boolean>;
  knownNode?: Hash;
  siblingsFrom?: { index: number; level: number };
  into?: { bytes: Uint8Array; root: number; siblings: number };
}): { root: Hash; siblings: Hash[]; hashed: number; generation: number } {
  const { schedule, base, leaves, knownNode, siblingsFrom, unchanged } = parameters;
  if (leaves.length !== schedule.positions.length) throw new RangeError(`the schedule changes ${schedule.positions.length} leaves, not ${leaves.length}`);
  if (unchanged && unchanged.length !== leaves.length) throw new RangeError(`${unchanged.length} unchanged flags for ${leaves.length} leaves`);
  if (Boolean(knownNode) !== Boolean(schedule.known)) throw new RangeError('the known node is given exactly when the schedule has one');
  const area = nodeArea(schedule.areaBytes);
  const { changedSlots, childSlots, nodeCount, hashedSlot, listOffset } = schedule;
  area.set(schedule.leafBase, 0);
  for (let i = 0; i < leaves.length; i++) {
    if (unchanged?.[i]) {
      changedSlots[i] = 0;
      continue;
    }
    const leaf = leaves[i];
    if (!leaf) throw new RangeError(`leaf ${i} (position ${schedule.positions[i]}) changed and has no hash`);
    area.set(leaf, 32 * i);
    changedSlots[i] = 1;
  }
  if (knownNode) area.set(knownNode, 32 * schedule.knownSlot);
  changedSlots[schedule.knownSlot] = 1;
  area.set(schedule.hashedBase, 32 * hashedSlot);
  area.set(schedule.baseBytes, 32 * schedule.baseSlot);
  // The list of the nodes to hash: those over a changed child (children come first). The others
  // keep their base hashes, and leave their parents unchanged unless a sibling changed.
  const list = new Int32Array(area.buffer, listOffset, 3 * nodeCount);
  let hashed = 0;
  for (let n = 0; n < nodeCount; n++) {
    const left = childSlots[3 * n], right = childSlots[3 * n + 1], out = childSlots[3 * n + 2];
    const changed = changedSlots[left] | changedSlots[right];
    changedSlots[out] = changed;
    if (!changed) continue;
    list[3 * hashed] = NODE_AREA_OFFSET + 32 * left;
    list[3 * hashed + 1] = NODE_AREA_OFFSET + 32 * right;
    list[3 * hashed + 2] = NODE_AREA_OFFSET + 32 * out;
    hashed++;
  }
  hashNodeList(listOffset, hashed);
  keccakCalls += hashed;
  const { depth } = schedule;
  const into = parameters.into ?? { bytes: new Uint8Array(32 * (1 + (siblingsFrom ? depth - siblingsFrom.level : 0))), root: 0, siblings: 32 };
  const { bytes } = into;
  if (into.root < 0 || into.root + 32 > bytes.length) throw new RangeError(`the root does not fit at byte ${into.root} of ${bytes.length}`);
  const siblings: Hash[] = [];
  if (siblingsFrom) {
    if (into.siblings < 0 || into.siblings + 32 * (depth - siblingsFrom.level) > bytes.length)
      throw new RangeError(`${depth - siblingsFrom.level} siblings do not fit at byte ${into.siblings} of ${bytes.length}`);
    const path = pathOf(schedule, siblingsFrom.index, siblingsFrom.level);
    for (let i = 0; i < path.length; i += 2) {
      const level = siblingsFrom.level + i / 2;
      siblings.push(copyNodeBytes(path[i] < 0 ? base.levels[level] : area, path[i] < 0 ? path[i + 1] : path[i], bytes, into.siblings + 32 * siblings.length));
    }
  }
  const rootSlot = schedule.slots.get(1);
  const root = copyNodeBytes(rootSlot === undefined ? base.levels[depth] : area, rootSlot === undefined ? 0 : 32 * rootSlot, bytes, into.root);
  // The rehashed nodes are not copied out here (a copy cost a claim about as much as ten of its
  // node hashes): a dispute, rare, reads them while the area is still this run's, else runs again.
  return { root, siblings, hashed, generation: nodeAreaGeneration() };
}

/** A copy of the rehashed nodes of the run of `schedule` that returned `generation`, if the node
 * area still holds them (no run or nodeArea call since); undefined if not. */
export function scheduledNodesOf(schedule: UpdateSchedule, generation: number): Uint8Array | undefined {
  if (generation !== nodeAreaGeneration()) return undefined;
  // The area as the run left it: a view without starting a generation (nodeArea would).
  const area = nodeAreaView(schedule.areaBytes);
  return area.slice(32 * schedule.hashedSlot, 32 * (schedule.hashedSlot + schedule.nodeCount));
}

/** Where the siblings of the level-`level` node above leaf `index` are after a run: per level,
 * (byte offset in the node area, 0) if the schedule holds it, else (−1, byte offset in the base
 * tree's level). Made once per schedule and path. */
function pathOf(schedule: UpdateSchedule, index: number, level: number): Int32Array {
  const key = `${index}/${level}`;
  let path = schedule.paths.get(key);
  if (!path) {
    const { depth } = schedule;
    path = new Int32Array(2 * (depth - level));
    let position = Math.floor(index / 2 ** level);
    for (let at = level; at < depth; at++) {
      const sibling = position ^ 1;
      const slot = schedule.slots.get(2 ** (depth - at) + sibling);
      path[2 * (at - level)] = slot === undefined ? -1 : 32 * slot;
      path[2 * (at - level) + 1] = slot === undefined ? 32 * sibling : 0;
      position = Math.floor(position / 2);
    }
    schedule.paths.set(key, path);
  }
  return path;
}

/** Copies from[start..+32] to bytes[to..+32] and returns that view. */
function copyNodeBytes(from: Uint8Array, start: number, bytes: Uint8Array, to: number): Hash {
  for (let i = 0; i < 32; i++) bytes[to + i] = from[start + i];
  return bytes.subarray(to, to + 32);
}

/** The nodes a run of `schedule` set — the leaves (the base tree's where left out), the known
 * node, the rehashed nodes (those it did not hash hold their base hashes) — for
 * MerkleOverlay.adopt: `nodes` is scheduledNodesOf's copy. */
export function scheduleNodes(schedule: UpdateSchedule, run: { leaves: readonly (Hash | undefined)[]; knownNode?: Hash; nodes: Uint8Array }): { level: number; position: number; node: Hash }[] {
  const { depth } = schedule;
  const nodes: { level: number; position: number; node: Hash }[] = [];
  for (const [heap, slot] of schedule.slots) {
    let node: Hash | undefined;
    if (slot < schedule.knownSlot) node = run.leaves[slot] ?? schedule.leafBase.slice(32 * slot, 32 * slot + 32);
    else if (slot === schedule.knownSlot) node = run.knownNode;
    else if (slot < schedule.baseSlot) node = run.nodes.slice(32 * (slot - schedule.hashedSlot), 32 * (slot - schedule.hashedSlot + 1));
    if (!node) continue;
    let level = depth;
    while (2 ** (depth - level + 1) <= heap) level--;
    nodes.push({ level, position: heap - 2 ** (depth - level), node });
  }
  return nodes;
}
