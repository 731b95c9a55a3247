/**
 * createMerkleOverlay against a tree rebuilt from scratch: the same root and siblings after
 * batches of leaf changes (forward and back), the base tree untouched, and the exact hash count
 * (one per distinct node above the changed leaves); the WebAssembly keccak against js-sha3.
 */
import { describe, expect, it } from 'vitest';
import { createIntegerPrng } from '../../test/opml-vm-fixtures.ts';
import sha3 from 'js-sha3';
import { hashNodeList, KECCAK_SINGLE_BLOCK_LIMIT, keccak256SingleBlock, NODE_AREA_OFFSET, nodeArea } from './keccakWasm.ts';
import { buildMerkleTree, createMerkleOverlay, hashLeaf, keccakBytes, keccakCallCount, rootOf, runSchedule, scheduledNodesOf, scheduleNodes, scheduleUpdate, siblingsOf, toHex } from './merkle.ts';

const treeOf = (words: number[], depth: number) => buildMerkleTree({ depth, usedLength: words.length, leafHash: (i) => hashLeaf(words[i]) });

describe('createMerkleOverlay', () => {
  it('gives the rebuilt tree\'s root and siblings after each batch, and leaves the base as it was', () => {
    const random = createIntegerPrng(5);
    const depth = 6;
    const words = Array.from({ length: 50 }, () => random(-1000, 1000));
    const base = treeOf(words, depth);
    const baseRoot = toHex(rootOf(base));
    const overlay = createMerkleOverlay(base);
    const current = [...words, ...Array.from({ length: 14 }, () => 0)];
    for (let batch = 0; batch < 20; batch++) {
      const indices = Array.from({ length: random(1, 12) }, () => random(0, 63));
      const values = indices.map(() => random(-5, 5));
      // A repeated index keeps its last value, as the leaves set in order do.
      indices.forEach((index, i) => (current[index] = values[i]));
      const last = new Map(indices.map((index, i) => [index, values[i]]));
      overlay.update([...last.keys()], [...last.values()].map((v) => hashLeaf(v)));
      const rebuilt = treeOf(current, depth);
      expect(toHex(overlay.root())).toBe(toHex(rootOf(rebuilt)));
      for (const index of [0, 17, 63]) expect(overlay.siblings(index).map(toHex)).toEqual(siblingsOf(rebuilt, index).map(toHex));
      expect(overlay.siblings(8, 3).map(toHex)).toEqual(siblingsOf(rebuilt, 8, 3).map(toHex));
    }
    expect(toHex(rootOf(base))).toBe(baseRoot);
  });

  it('hashes each node above the changed leaves once', () => {
    const base = treeOf([1, 2, 3, 4, 5, 6, 7, 8], 4);
    const leaf = hashLeaf(9);
    // Leaves 3, 4, 5 (depth 4): parents {1, 2}, then {0, 1}, then {0}, then the root: 6 hashes.
    expect(createMerkleOverlay(base).update([5, 3, 4], [leaf, leaf, leaf])).toBe(6);
    // One leaf: its path, depth hashes; the same leaf twice: the same path once.
    expect(createMerkleOverlay(base).update([15], [leaf])).toBe(4);
    expect(createMerkleOverlay(base).update([15, 15], [leaf, leaf])).toBe(4);
  });
});

describe('createMerkleOverlay with a known node (a request\'s input subtree root)', () => {
  it('gives the rebuilt tree\'s root with the known node hashed once above, and refuses a leaf under it', () => {
    // Depth 5: the known node is position 1 of level 3 (leaves 8..15), leaves 20 and 30 change.
    const base = Array.from({ length: 32 }, () => 0);
    const words = base.slice();
    for (let i = 8; i < 16; i++) words[i] = i * 7 - 40;
    words[20] = 5;
    words[30] = -9;
    const full = treeOf(words, 5);
    const overlay = createMerkleOverlay(treeOf(base, 5));
    const known = { level: 3, position: 1, node: full.levels[3].slice(32, 64) };
    // Level 4: the parents of 20 (node 2, level 3 → parent 1) and of the known node (parent 0);
    // 30's parent at level 3 is 3 → level 4 parent 1. Hashes: level 1: 2, level 2: 2, level 3: 2,
    // level 4: 2 (0 and 1), level 5: 1.
    expect(overlay.update([20, 30], [hashLeaf(5), hashLeaf(-9)], known)).toBe(9);
    expect(toHex(overlay.root())).toBe(toHex(rootOf(full)));
    expect(overlay.siblings(20).map(toHex)).toEqual(siblingsOf(full, 20).map(toHex));
    expect(toHex(overlay.node(3, 1))).toBe(toHex(known.node));
    expect(() => overlay.update([9], [hashLeaf(1)], known)).toThrow(/leaf 9 lies under the known node 1 of level 3/);
    expect(() => overlay.update([], [], { ...known, position: 4 })).toThrow(/no node 4 at level 3/);
    // The subtree hashed from its leaves later gives the known node back, and the same root.
    const inner = Array.from({ length: 8 }, (_, i) => 8 + i);
    overlay.update(inner, inner.map((i) => hashLeaf(words[i])));
    expect(toHex(overlay.node(3, 1))).toBe(toHex(known.node));
    expect(overlay.siblings(9).map(toHex)).toEqual(siblingsOf(full, 9).map(toHex));
  });
});

describe('scheduleUpdate / runSchedule (the claim\'s fixed rehash)', () => {
  it('gives the rebuilt tree\'s root and siblings on every run, with and without a known node, one hash per node above the leaves', () => {
    const random = createIntegerPrng(11);
    const depth = 7;
    const words = Array.from({ length: 100 }, () => random(-50, 50));
    const base = treeOf(words, depth);
    // Changed words: scattered ones, a run, and the last word of the tree; the known node is the
    // level-4 subtree of words 16..31.
    const positions = [3, 9, 40, 41, 42, 43, 44, 77, 127];
    const known = { level: 4, position: 1 };
    for (const withKnown of [false, true]) {
      const schedule = scheduleUpdate(base, [...positions].reverse(), withKnown ? known : undefined);
      for (let run = 0; run < 4; run++) {
        const current = [...words, ...Array.from({ length: 28 }, () => 0)];
        for (const position of positions) current[position] = random(-9, 9);
        if (withKnown) for (let i = 16; i < 32; i++) current[i] = random(-9, 9);
        const rebuilt = treeOf(current, depth);
        const leaves = positions.map((p) => hashLeaf(current[p]));
        const before = keccakCallCount();
        const { root, siblings } = runSchedule({
          schedule, base, leaves,
          knownNode: withKnown ? rebuilt.levels[4].slice(32, 64) : undefined,
          siblingsFrom: { index: 40, level: 2 },
        });
        expect(keccakCallCount() - before).toBe(schedule.nodeCount);
        expect(toHex(root)).toBe(toHex(rootOf(rebuilt)));
        expect(siblings.map(toHex)).toEqual(siblingsOf(rebuilt, 40, 2).map(toHex));
      }
      // The distinct nodes above the changed leaves, counted by hand: levels 1..7 hold
      // {1,4,20,21,22,38,63}, {0,2,10,11,19,31}, {0,1,5,9,15}, {0,2,4,7}, {0,1,2,3}, {0,1}, {0}:
      // 29. The known node (level 4, position 1) adds none: its parent, node 0 of level 5, is
      // above leaves 3 and 9 already.
      expect(schedule.nodeCount).toBe(29);
    }
    expect(() => scheduleUpdate(base, [20], known)).toThrow(/leaf 20 lies under the known node 1 of level 4/);
    expect(() => scheduleUpdate(base, [128])).toThrow(/outside a tree of depth 7/);
  });

  it('a run told which leaves kept their base value hashes only the nodes above the others, and gives the same tree', () => {
    const random = createIntegerPrng(14);
    const depth = 7;
    const words = Array.from({ length: 100 }, () => random(-50, 50));
    const base = treeOf(words, depth);
    const positions = [3, 9, 40, 41, 42, 43, 44, 77, 127];
    const schedule = scheduleUpdate(base, positions);
    // Each case: the positions whose words change (the others are written with their base value).
    // Levels 1..7 above each changed set, counted by hand as in the test above.
    const cases: { changed: number[]; hashes: number }[] = [
      { changed: positions, hashes: 29 },
      { changed: [], hashes: 0 },
      // 3 alone: its path, 7 nodes.
      { changed: [3], hashes: 7 },
      // 40 and 41 share their level-1 parent: 7 nodes.
      { changed: [40, 41], hashes: 7 },
      // 42 and 127: 7 + 7 less their shared level-7 root = 13.
      { changed: [42, 127], hashes: 13 },
    ];
    for (const { changed, hashes } of cases) {
      const current = [...words, ...Array.from({ length: 28 }, () => 0)];
      for (const position of changed) current[position] += 1 + random(0, 5);
      const rebuilt = treeOf(current, depth);
      // An unchanged leaf needs no hash: the run takes the base tree's.
      const leaves = positions.map((p) => (changed.includes(p) ? hashLeaf(current[p]) : undefined));
      const before = keccakCallCount();
      const run = runSchedule({ schedule, base, leaves, unchanged: positions.map((p) => !changed.includes(p)), siblingsFrom: { index: 42, level: 0 } });
      expect(run.hashed).toBe(hashes);
      expect(keccakCallCount() - before).toBe(hashes);
      expect(toHex(run.root)).toBe(toHex(rootOf(rebuilt)));
      expect(run.siblings.map(toHex)).toEqual(siblingsOf(rebuilt, 42).map(toHex));
      // The nodes a dispute adopts are the rebuilt tree's, the unhashed ones too.
      const overlay = createMerkleOverlay(base);
      overlay.adopt(scheduleNodes(schedule, { leaves, nodes: scheduledNodesOf(schedule, run.generation)! }));
      expect(toHex(overlay.root())).toBe(toHex(rootOf(rebuilt)));
      for (const index of [3, 44, 100]) expect(overlay.siblings(index).map(toHex)).toEqual(siblingsOf(rebuilt, index).map(toHex));
    }
    expect(() => runSchedule({ schedule, base, leaves: positions.map(() => hashLeaf(0)), unchanged: [true] })).toThrow(/1 unchanged flags for 9 leaves/);
    expect(() => runSchedule({ schedule, base, leaves: positions.map(() => undefined), unchanged: positions.map((p) => p !== 41) })).toThrow(/leaf 3 \(position 41\) changed and has no hash/);
  });

  it('an overlay that adopts a run\'s nodes is the rebuilt tree, without a hash, and moves on from there (its pool grown past 256 nodes)', () => {
    const random = createIntegerPrng(13);
    const depth = 10;
    const words = Array.from({ length: 1024 }, () => random(-50, 50));
    const base = treeOf(words, depth);
    const positions = Array.from({ length: 300 }, (_, i) => 3 * i + 1);
    const schedule = scheduleUpdate(base, positions);
    const current = words.slice();
    for (const position of positions) current[position] = random(-9, 9);
    const leaves = positions.map((p) => hashLeaf(current[p]));
    const { root, generation } = runSchedule({ schedule, base, leaves });
    const nodes = scheduledNodesOf(schedule, generation)!;
    const overlay = createMerkleOverlay(base);
    const before = keccakCallCount();
    overlay.adopt(scheduleNodes(schedule, { leaves, nodes }));
    expect(keccakCallCount()).toBe(before);
    // Read back once the area has been used again: gone.
    runSchedule({ schedule, base, leaves });
    expect(scheduledNodesOf(schedule, generation)).toBeUndefined();
    const rebuilt = treeOf(current, depth);
    expect(toHex(overlay.root())).toBe(toHex(rootOf(rebuilt)));
    expect(toHex(root)).toBe(toHex(rootOf(rebuilt)));
    for (const index of [0, 1, 500, 1023]) expect(overlay.siblings(index).map(toHex)).toEqual(siblingsOf(rebuilt, index).map(toHex));
    current[2] = 77;
    overlay.update([2], [hashLeaf(77)]);
    expect(toHex(overlay.root())).toBe(toHex(rootOf(treeOf(current, depth))));
    expect(() => overlay.adopt([{ level: 11, position: 0, node: root }])).toThrow(/no node 0 at level 11/);
  });

  it('hashNodeList hashes a list of nodes in order, a later one from an earlier one, as js-sha3 does', () => {
    const random = createIntegerPrng(12);
    const area = nodeArea(6 * 32 + 3 * 12);
    for (let i = 0; i < 96; i++) area[i] = random(0, 255);
    const slot = (k: number) => NODE_AREA_OFFSET + 32 * k;
    // node 3 = H(0 ‖ 1), node 4 = H(3 ‖ 2), node 5 = H(4 ‖ 4)
    const list = new Int32Array(area.buffer, NODE_AREA_OFFSET + 6 * 32, 9);
    list.set([slot(0), slot(1), slot(3), slot(3), slot(2), slot(4), slot(4), slot(4), slot(5)]);
    const bytes = (k: number) => area.slice(32 * k, 32 * k + 32);
    const [n0, n1, n2] = [bytes(0), bytes(1), bytes(2)];
    hashNodeList(list.byteOffset, 3);
    const h = (a: Uint8Array, b: Uint8Array) => Uint8Array.from(Buffer.from(sha3.keccak256(Uint8Array.from([...a, ...b])), 'hex'));
    const n3 = h(n0, n1);
    const n4 = h(n3, n2);
    expect(toHex(bytes(3))).toBe(toHex(n3));
    expect(toHex(bytes(4))).toBe(toHex(n4));
    expect(toHex(bytes(5))).toBe(toHex(h(n4, n4)));
  });
});

describe('keccakBytes in WebAssembly (one-block messages)', () => {
  it('equals js-sha3 on every length up to 135 bytes (random contents) and on the empty message\'s known digest', () => {
    const random = createIntegerPrng(9);
    for (let length = 0; length <= KECCAK_SINGLE_BLOCK_LIMIT; length++) {
      for (let trial = 0; trial < 4; trial++) {
        const data = Uint8Array.from({ length }, () => random(0, 255));
        expect(toHex(keccakBytes(data))).toBe(`0x${sha3.keccak256(data)}`);
      }
    }
    expect(toHex(keccakBytes(new Uint8Array(0)))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    // Past one block it is js-sha3's, and longer messages still hash right.
    const long = Uint8Array.from({ length: 192 }, () => random(0, 255));
    expect(toHex(keccakBytes(long))).toBe(`0x${sha3.keccak256(long)}`);
    expect(() => keccak256SingleBlock(long)).toThrow(RangeError);
  });
});
