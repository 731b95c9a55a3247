/**
 * The local powers-of-tau generator against snarkjs (byte for byte against its own `prepare
 * phase2`, and `powersoftau verify`), the fixed-base multiplier against ffjavascript, and
 * ensurePtau's cache, atomic writes and external-file checks.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBn128 } from 'ffjavascript';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError, UsageError } from '../src/errors.ts';
import { ensurePtau, localPtauFileName } from '../src/zk/setup/ensurePtau.ts';
import { generateLocalPtau, localPtauContributionName } from '../src/zk/setup/generateLocalPtau.ts';
import { multiplyGenerator } from '../src/zk/setup/multiplyGenerator.ts';
import { readPtauHeader } from '../src/zk/setup/readPtauHeader.ts';

let dir: string;
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Expected size of a prepared bn128 ptau of power p with our one named contribution. */
function preparedPtauBytes(p: number): number {
  const contribution = 4 + 64 * 3 + 128 * 2 + 64 * 6 + 128 * 3 + 216 + 64 + 4 + 4 + 2 + Buffer.byteLength(localPtauContributionName);
  const sections = [44, (2 ** (p + 1) - 1) * 64, 2 ** p * 128, 2 ** p * 64, 2 ** p * 64, 128, contribution, (2 ** (p + 2) - 1) * 64, (2 ** (p + 1) - 1) * 128, (2 ** (p + 1) - 1) * 64, (2 ** (p + 1) - 1) * 64];
  return 12 + sections.length * 12 + sections.reduce((a, b) => a + b, 0);
}

/** Copies a ptau keeping only sections 1–7 (what `powersoftau contribute` leaves, before prepare). */
function writeUnprepared(from: string, to: string): void {
  const bytes = readFileSync(from);
  const parts: Buffer[] = [];
  let position = 12;
  let kept = 0;
  for (let i = 0; i < bytes.readUInt32LE(8); i++) {
    const id = bytes.readUInt32LE(position);
    const size = Number(bytes.readBigUInt64LE(position + 4));
    if (id <= 7) {
      parts.push(bytes.subarray(position, position + 12 + size));
      kept++;
    }
    position += 12 + size;
  }
  const head = Buffer.from(bytes.subarray(0, 12));
  head.writeUInt32LE(kept, 8);
  writeFileSync(to, Buffer.concat([head, ...parts]));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'opzk-setup-'));
});

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe('generateLocalPtau', () => {
  it('writes what snarkjs prepare phase2 writes, and passes powersoftau verify', async () => {
    const file = path.join(dir, 'p6.ptau');
    const result = await generateLocalPtau({ power: 6, file });
    expect(result).toMatchObject({ file, power: 6, insecure: true, contributionName: localPtauContributionName, bytes: preparedPtauBytes(6) });
    expect(statSync(file).size).toBe(preparedPtauBytes(6));

    // snarkjs recomputes sections 12–15 from 2–5 by inverse group FFTs: the result must be our file.
    const unprepared = path.join(dir, 'p6-unprepared.ptau');
    const reprepared = path.join(dir, 'p6-reprepared.ptau');
    writeUnprepared(file, unprepared);
    await snarkjs.powersOfTau.preparePhase2(unprepared, reprepared, quietLogger);
    expect(sha256(reprepared)).toBe(sha256(file));

    expect(await snarkjs.powersOfTau.verify(file, quietLogger)).toBe(true);
    expect(await readPtauHeader({ file })).toEqual({
      file,
      curve: 'bn128',
      power: 6,
      ceremonyPower: 6,
      prepared: true,
      sectionIds: [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15],
      contributionNames: [localPtauContributionName],
      bytes: preparedPtauBytes(6),
    });
  });

  it('is deterministic in the seed', async () => {
    const a = path.join(dir, 'seed-a.ptau');
    const b = path.join(dir, 'seed-b.ptau');
    const c = path.join(dir, 'seed-c.ptau');
    await generateLocalPtau({ power: 4, file: a });
    await generateLocalPtau({ power: 4, file: b, threads: 1 });
    await generateLocalPtau({ power: 4, file: c, seed: 'other' });
    expect(sha256(a)).toBe('51ddd52463458cde9e7db067cf9e4ec0b321380e90b90a559b5db3305e87ab8e');
    expect(sha256(b)).toBe(sha256(a));
    expect(sha256(c)).toBe('c60f057844c894eab0a30167d4b83aa11f2d7c4e979eed9a17a1f957608e9808');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects a power it cannot serve', async () => {
    await expect(generateLocalPtau({ power: 28, file: path.join(dir, 'x.ptau') })).rejects.toThrow(UsageError);
    await expect(generateLocalPtau({ power: 0, file: path.join(dir, 'x.ptau') })).rejects.toThrow(/power 0 is out of range/);
  });
});

describe('multiplyGenerator', () => {
  it('matches ffjavascript scalar multiplication for every window width', async () => {
    const curve = await buildBn128(true);
    const values = [0n, 1n, 2n, 255n, 256n, 2n ** 253n + 12345n, curve.r - 1n];
    for (let i = 0; i < 40; i++) values.push((BigInt(i + 7) ** 61n * 0x9e3779b97f4a7c15n) % curve.r);
    const scalars = new Uint8Array(values.length * 32);
    values.forEach((value, i) => {
      for (let b = 0; b < 32; b++) scalars[i * 32 + b] = Number((value >> BigInt(8 * b)) & 0xffn);
    });
    for (const group of ['G1', 'G2'] as const) {
      const G = curve[group];
      const size = group === 'G1' ? 64 : 128;
      const expected = new Uint8Array(values.length * size);
      values.forEach((value, i) => G.toRprLEM(expected, i * size, G.toAffine(G.timesScalar(G.g, value))));
      for (const windowBits of [4, 8, 11]) {
        const points = await multiplyGenerator({ group, scalars, wasmCode: curve.tm.code, generatorPointer: group === 'G1' ? curve.tm.pG1gen : curve.tm.pG2gen, windowBits, threads: 1 });
        expect(Buffer.from(points).equals(Buffer.from(expected))).toBe(true);
      }
    }
  });

  it('handles an addition that doubles or cancels (equal x) in the last window', async () => {
    // With the top window at bit `shift`, s = r puts −d·2^shift·G in the accumulator before the
    // top digit d adds d·2^shift·G (a sum at infinity); s = 2·(d+1)·2^shift − r makes the
    // accumulator equal to the table point (a doubling).
    const curve = await buildBn128(true);
    for (const windowBits of [4, 8]) {
      const shift = windowBits * (Math.ceil(254 / windowBits) - 1);
      const d = curve.r >> BigInt(shift);
      const values = [curve.r, 2n * (d + 1n) * (1n << BigInt(shift)) - curve.r, 5n];
      const scalars = new Uint8Array(values.length * 32);
      values.forEach((value, i) => {
        for (let b = 0; b < 32; b++) scalars[i * 32 + b] = Number((value >> BigInt(8 * b)) & 0xffn);
      });
      for (const group of ['G1', 'G2'] as const) {
        const G = curve[group];
        const size = group === 'G1' ? 64 : 128;
        const expected = new Uint8Array(values.length * size);
        values.forEach((value, i) => G.toRprLEM(expected, i * size, G.toAffine(G.timesScalar(G.g, value))));
        const points = await multiplyGenerator({ group, scalars, wasmCode: curve.tm.code, generatorPointer: group === 'G1' ? curve.tm.pG1gen : curve.tm.pG2gen, windowBits, threads: 1 });
        expect(Buffer.from(points).equals(Buffer.from(expected))).toBe(true);
        expect(Buffer.from(points.subarray(0, size)).equals(Buffer.alloc(size))).toBe(true);
      }
    }
  });
});

describe('ensurePtau', () => {
  it('generates once per power, reuses a larger file, and leaves no partial files', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = await ensurePtau({ power: 5, cacheDir });
    expect(first).toEqual({ file: path.join(cacheDir, localPtauFileName(5)), power: 5, source: 'local-insecure', insecure: true, sha256: sha256(first.file), cached: false, builtMs: first.builtMs });
    // The generation time is recorded beside the file, and a later call reads the same figure back (issue 14).
    expect(first.builtMs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(`${first.file}.build.json`, 'utf8'))).toEqual({ builtMs: first.builtMs });
    const mtime = statSync(first.file).mtimeMs;
    expect(await ensurePtau({ power: 5, cacheDir })).toEqual({ ...first, cached: true });
    expect(await ensurePtau({ power: 3, cacheDir })).toEqual({ ...first, cached: true });
    expect(statSync(first.file).mtimeMs).toBe(mtime);

    const [a, b] = await Promise.all([ensurePtau({ power: 6, cacheDir }), ensurePtau({ power: 6, cacheDir })]);
    expect(a).toEqual(b);
    expect(a.power).toBe(6);
    expect(readdirSync(cacheDir).sort()).toEqual([localPtauFileName(5), `${localPtauFileName(5)}.build.json`, localPtauFileName(6), `${localPtauFileName(6)}.build.json`]);
  });

  it('ignores a live temporary file, removes a stale one, and replaces a truncated file', async () => {
    const cacheDir = path.join(dir, 'cache-broken');
    mkdirSync(cacheDir, { recursive: true });
    const good = path.join(dir, 'good-p4.ptau');
    await generateLocalPtau({ power: 4, file: good });
    const target = path.join(cacheDir, localPtauFileName(4));
    const live = `${target}.999.abcdef.tmp`;
    const stale = `${target}.998.abcdef.tmp`;
    writeFileSync(live, readFileSync(good).subarray(0, 1000));
    writeFileSync(stale, readFileSync(good).subarray(0, 1000));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    writeFileSync(target, readFileSync(good).subarray(0, 5000));
    const result = await ensurePtau({ power: 4, cacheDir });
    expect(result.file).toBe(target);
    expect(result.sha256).toBe(sha256(good));
    expect(readdirSync(cacheDir).sort()).toEqual([localPtauFileName(4), path.basename(live), `${localPtauFileName(4)}.build.json`]);
  });

  it('uses OPZK_CACHE_DIR when no cacheDir is given', async () => {
    const saved = process.env.OPZK_CACHE_DIR;
    process.env.OPZK_CACHE_DIR = path.join(dir, 'env-cache');
    try {
      const result = await ensurePtau({ power: 2 });
      expect(result.file).toBe(path.join(dir, 'env-cache', 'ptau', localPtauFileName(2)));
      expect(existsSync(result.file)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.OPZK_CACHE_DIR;
      else process.env.OPZK_CACHE_DIR = saved;
    }
  });

  it('accepts a prepared external file of enough power and says what is wrong with others', async () => {
    const external = path.join(dir, 'external-p5.ptau');
    await generateLocalPtau({ power: 5, file: external });
    expect(await ensurePtau({ power: 4, ptauFile: external })).toEqual({ file: external, power: 5, source: 'external', insecure: true, sha256: sha256(external), cached: true });

    const tooSmall = ensurePtau({ power: 8, ptauFile: external });
    await expect(tooSmall).rejects.toThrow(InputFileError);
    await expect(ensurePtau({ power: 8, ptauFile: external })).rejects.toThrow(`${external}: powers-of-tau file has power 5, the circuit needs power 8`);

    const unprepared = path.join(dir, 'external-unprepared.ptau');
    writeUnprepared(external, unprepared);
    await expect(ensurePtau({ power: 4, ptauFile: unprepared })).rejects.toThrow(/not prepared for phase 2[\s\S]*prepare phase2/);

    const truncated = path.join(dir, 'external-truncated.ptau');
    writeFileSync(truncated, readFileSync(external).subarray(0, 3000));
    await expect(ensurePtau({ power: 4, ptauFile: truncated })).rejects.toThrow(`${truncated}: truncated powers-of-tau file`);

    const notPtau = path.join(dir, 'not-a-ptau.bin');
    writeFileSync(notPtau, 'r1cs and more bytes than a header');
    await expect(ensurePtau({ power: 4, ptauFile: notPtau })).rejects.toThrow(`${notPtau}: not a powers-of-tau file (magic 'r1cs', expected 'ptau')`);

    const missing = path.join(dir, 'missing.ptau');
    await expect(ensurePtau({ power: 4, ptauFile: missing })).rejects.toThrow(`${missing}: cannot open the powers-of-tau file`);
    await expect(ensurePtau({ power: 0 })).rejects.toThrow(UsageError);
  });
});
