/**
 * Worker thread for multiplyGenerator.ts: fixed-base scalar multiplication of one bn128
 * generator (G1 or G2) by many scalars, on ffjavascript's own wasm curve code (the same field
 * and point encoding snarkjs writes: affine, little-endian Montgomery, "LEM").
 *
 * Plain JavaScript on purpose: a worker is started from a file path, without the tsx loader.
 *
 * Method (a fixed-base window table): for a window width of c bits the table holds
 * d·2^(c·w)·G for every window w and digit d in 1..2^c−1, in affine form. A scalar
 * s = Σ d_w·2^(c·w) (s < 2^(c·⌈254/c⌉)) then costs one addition per non-zero digit (⌈254/c⌉ at
 * most) instead of ~254 doublings and ~127 additions of a double-and-add; the additions of a
 * whole job are done window by window in affine coordinates with batched inversions.
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

// Field operations on coordinates (Fq for G1, Fq2 for G2).
const field = (name) => wasm[`${coordinates === 1 ? 'f1m' : 'f2m'}_${name}`];
const fieldBytes = n8q * coordinates;
const fSub = field('sub');
const fMul = field('mul');
const fSquare = field('square');
const fCopy = field('copy');
const fIsZero = field('isZero');
const fBatchInverse = field('batchInverse');
const copyAffine = fn('copyAffine');
const zeroAffine = fn('zeroAffine');
const toJacobian = fn('toJacobian');
const toAffine = fn('toAffine');
const isZeroJacobian = fn('isZero');

/**
 * Window-major, with affine accumulators: in every window all pending additions acc_i += T[d_i]
 * share one batch inversion of their (x2 − x1), so an addition costs ~6 field multiplications
 * instead of a mixed jacobian addition's ~11. The rare pair with equal x (doubling, or a sum
 * that is the point at infinity) takes the jacobian path on its own.
 */
function multiply(scalars) {
  const count = scalars.byteLength / scalarBytes;
  setFreePointer(jobBase, 0);
  const pAccumulators = alloc(count * sizeAffine);
  const pDenominators = alloc(count * fieldBytes);
  const pInverses = alloc(count * fieldBytes);
  const pLambda = alloc(fieldBytes);
  const pX3 = alloc(fieldBytes);
  const pT = alloc(fieldBytes);
  const pJacobian = alloc(sizeJacobian, 2 * (count + 2) * fieldBytes + 65536);
  const isZero = new Uint8Array(count).fill(1);
  const pendingAccumulator = new Int32Array(count);
  const pendingTable = new Int32Array(count);
  const stride = digitsPerWindow * sizeAffine;
  for (let w = 0; w < windows; w++) {
    const pWindow = pTable + w * stride - sizeAffine;
    const bit = w * windowBits;
    let pending = 0;
    for (let i = 0; i < count; i++) {
      const digit = readDigit(scalars, i * scalarBytes, bit);
      if (digit === 0) continue;
      const pEntry = pWindow + digit * sizeAffine;
      const pAcc = pAccumulators + i * sizeAffine;
      if (isZero[i]) {
        copyAffine(pEntry, pAcc);
        isZero[i] = 0;
        continue;
      }
      const pDenominator = pDenominators + pending * fieldBytes;
      fSub(pEntry, pAcc, pDenominator);
      if (fIsZero(pDenominator)) {
        toJacobian(pAcc, pJacobian);
        addMixed(pJacobian, pEntry, pJacobian);
        if (isZeroJacobian(pJacobian)) isZero[i] = 1;
        else toAffine(pJacobian, pAcc);
        continue;
      }
      pendingAccumulator[pending] = pAcc;
      pendingTable[pending] = pEntry;
      pending++;
    }
    if (pending === 0) continue;
    fBatchInverse(pDenominators, fieldBytes, pending, pInverses, fieldBytes);
    for (let k = 0; k < pending; k++) {
      const pAcc = pendingAccumulator[k];
      const pEntry = pendingTable[k];
      fSub(pEntry + fieldBytes, pAcc + fieldBytes, pLambda); // y2 − y1
      fMul(pLambda, pInverses + k * fieldBytes, pLambda); // λ = (y2 − y1) / (x2 − x1)
      fSquare(pLambda, pX3);
      fSub(pX3, pAcc, pX3);
      fSub(pX3, pEntry, pX3); // x3 = λ² − x1 − x2
      fSub(pAcc, pX3, pT);
      fCopy(pX3, pAcc);
      fMul(pLambda, pT, pT);
      fSub(pT, pAcc + fieldBytes, pAcc + fieldBytes); // y3 = λ(x1 − x3) − y1
    }
  }
  for (let i = 0; i < count; i++) if (isZero[i]) zeroAffine(pAccumulators + i * sizeAffine);
  return new Uint8Array(memory.buffer, pAccumulators, count * sizeAffine).slice();
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
