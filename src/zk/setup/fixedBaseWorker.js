/**
 * Worker thread for multiplyGenerator.ts: fixed-base scalar multiplication of one bn128
 * generator (G1 or G2) by many scalars, on ffjavascript's own wasm curve code (the same field
 * and point encoding snarkjs writes: affine, little-endian Montgomery, "LEM").
 *
 * Plain JavaScript on purpose: a worker is started from a file path, without the tsx loader.
 *
 * Method (a fixed-base window table, "comb" in the loose sense): for a window width of c bits
 * the table holds d·2^(c·w)·G for every window w and digit d in 1..2^c−1, in affine form. A
 * scalar s = Σ d_w·2^(c·w) then costs one mixed addition per non-zero digit (⌈254/c⌉ at most)
 * instead of ~254 doublings and ~127 additions of a double-and-add, and the accumulators of a
 * whole chunk are turned affine with one batch inversion (g1m_batchToAffine).
 */
import { parentPort, workerData } from 'node:worker_threads';

const { code, prefix, pGenerator, windowBits } = workerData;
const n8q = 32;
const coordinates = prefix === 'g1m' ? 1 : 2; // G2 coordinates live in Fq2
const sizeJacobian = n8q * 3 * coordinates;
const sizeAffine = n8q * 2 * coordinates;
const scalarBytes = 32;
const scalarBits = 254;

const memory = new WebAssembly.Memory({ initial: 25 });
const module = await WebAssembly.compile(code);
const instance = await WebAssembly.instantiate(module, { env: { memory } });
const wasm = instance.exports;
const fn = (name) => wasm[`${prefix}_${name}`];
const add = fn('add');
const addMixed = fn('addMixed');
const zero = fn('zero');
const copy = fn('copy');
const batchToAffine = fn('batchToAffine');

// The wasm code keeps its own free-memory pointer at address 0 and uses the space above it as
// scratch (batchToAffine's batch inversion takes n field elements there): every allocation
// here moves that pointer too, and keeps room for the scratch of a whole job above it.
let freePointer = new Uint32Array(memory.buffer, 0, 1)[0];
function setFreePointer(pointer, scratchBytes) {
  freePointer = pointer;
  new Uint32Array(memory.buffer, 0, 1)[0] = pointer;
  const needed = pointer + scratchBytes - memory.buffer.byteLength;
  if (needed > 0) memory.grow(Math.ceil(needed / 65536) + 1);
  new Uint32Array(memory.buffer, 0, 1)[0] = pointer;
}
function alloc(length, scratchBytes = 0) {
  const pointer = (freePointer + 7) & ~7;
  setFreePointer(pointer + length, scratchBytes);
  return pointer;
}

// Table: digitsPerWindow affine points per window, window-major.
const windows = Math.ceil(scalarBits / windowBits);
const digitsPerWindow = (1 << windowBits) - 1;
const pTable = alloc(windows * digitsPerWindow * sizeAffine);
{
  const pTableJacobian = alloc(digitsPerWindow * sizeJacobian);
  const pWindowBase = alloc(sizeJacobian, 4 * digitsPerWindow * n8q * coordinates + 65536);
  copy(pGenerator, pWindowBase);
  for (let w = 0; w < windows; w++) {
    copy(pWindowBase, pTableJacobian);
    for (let d = 1; d < digitsPerWindow; d++) {
      add(pTableJacobian + (d - 1) * sizeJacobian, pWindowBase, pTableJacobian + d * sizeJacobian);
    }
    // Next window base: 2^c · base = (2^c − 1)·base + base.
    add(pTableJacobian + (digitsPerWindow - 1) * sizeJacobian, pWindowBase, pWindowBase);
    batchToAffine(pTableJacobian, digitsPerWindow, pTable + w * digitsPerWindow * sizeAffine);
  }
  setFreePointer(pTableJacobian, 0); // the table's jacobian scratch is reused by the jobs
}
const jobBase = freePointer;

function readDigit(u8, byteOffset, bitOffset) {
  // Up to 16 bits starting at bitOffset of the little-endian scalar at byteOffset.
  const byte = bitOffset >>> 3;
  const shift = bitOffset & 7;
  let value = u8[byteOffset + byte] | ((u8[byteOffset + byte + 1] ?? 0) << 8) | ((u8[byteOffset + byte + 2] ?? 0) << 16);
  if (byte + 1 >= scalarBytes) value &= 0xff;
  else if (byte + 2 >= scalarBytes) value &= 0xffff;
  return (value >>> shift) & digitsPerWindow;
}

function multiply(scalars) {
  const count = scalars.byteLength / scalarBytes;
  setFreePointer(jobBase, 0);
  const pAccumulators = alloc(count * sizeJacobian);
  const pOut = alloc(count * sizeAffine, 4 * count * n8q * coordinates + 65536);
  const stride = digitsPerWindow * sizeAffine;
  for (let i = 0; i < count; i++) zero(pAccumulators + i * sizeJacobian);
  // Window-major: one window's slice of the table (2^c − 1 points) stays in cache while every
  // accumulator of the job takes its digit from it.
  for (let w = 0; w < windows; w++) {
    const pWindow = pTable + w * stride - sizeAffine;
    const bit = w * windowBits;
    for (let i = 0; i < count; i++) {
      const digit = readDigit(scalars, i * scalarBytes, bit);
      if (digit !== 0) addMixed(pAccumulators + i * sizeJacobian, pWindow + digit * sizeAffine, pAccumulators + i * sizeJacobian);
    }
  }
  batchToAffine(pAccumulators, count, pOut);
  return new Uint8Array(memory.buffer, pOut, count * sizeAffine).slice();
}

parentPort.on('message', (message) => {
  if (message.type === 'stop') {
    parentPort.close();
    return;
  }
  try {
    const points = multiply(message.scalars);
    parentPort.postMessage({ id: message.id, points }, [points.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error?.stack ?? error) });
  }
});
parentPort.postMessage({ type: 'ready' });
