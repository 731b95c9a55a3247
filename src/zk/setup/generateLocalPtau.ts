/**
 * Owns: writing an INSECURE, snarkjs-compatible *prepared* powers-of-tau file (bn128) straight
 * from a known secret, without snarkjs's `powersoftau new` + `contribute` + `prepare phase2`
 * (whose group FFTs take 23 min at 2^16 on 2 cores).
 *
 * Every point in such a file is a known scalar times a generator, so the scalars are computed
 * as field elements and multiplied into G1/G2 (multiplyGenerator.ts):
 *   2  tauG1       τ^i·G1,   i < 2^(p+1)−1          3  tauG2     τ^i·G2,  i < 2^p
 *   4  alphaTauG1  α·τ^i·G1, i < 2^p                5  betaTauG1 β·τ^i·G1, i < 2^p
 *   6  betaG2      β·G2
 *   12..15         for every domain 2^k (k = 0..p; section 12 also k = p+1) the Lagrange
 *                  evaluations L_j(τ) = ω^j (τ^N − 1) / (N (τ − ω^j)) times the generator
 *                  (times α, β for 14, 15). This is exactly what snarkjs's `preparephase2`
 *                  computes by an inverse group FFT of sections 2..5; for k = p+1 snarkjs pads
 *                  tauG1's 2^(p+1)−1 points with a zero, so that domain's value is
 *                  L_j(τ) − τ^(N−1) ω^j / N.
 *   7  one contribution whose private keys ARE τ, α, β, with its proofs of knowledge and hash
 *      chain built as `powersoftau contribute` builds them, so `snarkjs powersoftau verify`
 *      accepts the file. Its name says INSECURE: the toxic waste is derived from `seed`.
 *
 * Layout, encodings (affine points, little-endian Montgomery) and section order are snarkjs
 * 0.7's (src/powersoftau_new.js, powersoftau_contribute.js, powersoftau_preparephase2.js).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { blake2b } from '@noble/hashes/blake2b';
import { buildBn128, ChaCha } from 'ffjavascript';
import { ToolError, UsageError } from '../../errors.ts';
import { multiplyGenerator } from './multiplyGenerator.ts';

export interface GenerateLocalPtauParameters {
  /** log2 of the largest domain the file serves (2^power constraints for Groth16). 1..27. */
  power: number;
  /** Where to write the .ptau; written to a temporary file first and renamed, so it appears whole or not at all. */
  file: string;
  /** Derives τ, α, β. Anyone who knows it can forge proofs. Default: a fixed, public string. */
  seed?: string;
  /** Worker threads for the point multiplications (default: all cores). */
  threads?: number;
}

export interface GenerateLocalPtauResult {
  file: string;
  power: number;
  /** Always true: the toxic waste is derived from `seed`. */
  insecure: true;
  /** Name written into the contribution record (visible in `snarkjs powersoftau verify`). */
  contributionName: string;
  bytes: number;
  /** Time spent, by phase, in milliseconds. */
  timingsMs: { scalars: number; points: number; contribution: number; write: number; total: number };
}

/** The public default seed: files made with it are reproducible byte for byte, and forgeable by anyone. */
export const defaultLocalPtauSeed = 'opzk-bench local insecure powers of tau';
export const localPtauContributionName = 'opzk-bench LOCAL INSECURE (toxic waste known)';
/** bn128's two-adicity: snarkjs's Lagrange sections stop at 2^28, and section 12 needs power+1. */
export const maxLocalPtauPower = 27;

const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

export async function generateLocalPtau(parameters: GenerateLocalPtauParameters): Promise<GenerateLocalPtauResult> {
  const { power, file } = parameters;
  if (!Number.isInteger(power) || power < 1 || power > maxLocalPtauPower) {
    throw new UsageError(`generateLocalPtau: power ${power} is out of range`, {
      hint: `use an integer from 1 to ${maxLocalPtauPower} (a prepared bn128 ptau holds Lagrange bases up to 2^(power+1) ≤ 2^28)`,
      details: { power },
    });
  }
  const seed = parameters.seed ?? defaultLocalPtauSeed;
  const started = performance.now();
  const curve = await buildBn128(true);
  const Fr = curve.Fr;
  try {
    // ---- Secrets, from the seed, in the order snarkjs's createPTauKey draws them. ----
    const rng = new ChaCha(seedWords(seed));
    const tauKey = Fr.fromRng(rng);
    const alphaKey = Fr.fromRng(rng);
    const betaKey = Fr.fromRng(rng);
    const tau: bigint = Fr.toObject(tauKey);
    const alpha: bigint = Fr.toObject(alphaKey);
    const beta: bigint = Fr.toObject(betaKey);

    // ---- Scalars ----
    const nTauG1 = 2 ** (power + 1) - 1;
    const nTau = 2 ** power;
    const tauPowers = new Array<bigint>(nTauG1);
    tauPowers[0] = 1n;
    for (let i = 1; i < nTauG1; i++) tauPowers[i] = (tauPowers[i - 1] * tau) % r;

    // G1 scalars, in file order: 2, 4, 5, 12, 14, 15. G2: 3, 6, 13.
    const lagrangeG1Count = 2 ** (power + 2) - 1; // domains 2^0..2^(p+1)
    const lagrangeCount = 2 ** (power + 1) - 1; // domains 2^0..2^p
    const g1Count = nTauG1 + 2 * nTau + lagrangeG1Count + 2 * lagrangeCount;
    const g2Count = nTau + 1 + lagrangeCount;
    const g1 = new ScalarWriter(g1Count);
    const g2 = new ScalarWriter(g2Count);
    for (let i = 0; i < nTauG1; i++) g1.push(tauPowers[i]);
    for (let i = 0; i < nTau; i++) g1.push((alpha * tauPowers[i]) % r);
    for (let i = 0; i < nTau; i++) g1.push((beta * tauPowers[i]) % r);
    for (let i = 0; i < nTau; i++) g2.push(tauPowers[i]);
    g2.push(beta);

    const lagrange: bigint[][] = [];
    for (let k = 0; k <= power + 1; k++) {
      const omega: bigint = Fr.toObject(Fr.w[k]);
      lagrange.push(lagrangeAt(tau, k, omega));
    }
    // Section 12's last domain: the coefficient of τ^(N−1) is missing (snarkjs pads with zero).
    {
      const k = power + 1;
      const N = 2 ** k;
      const omega: bigint = Fr.toObject(Fr.w[k]);
      const correction = (modPow(tau, BigInt(N - 1)) * modInverse(BigInt(N))) % r;
      let omegaJ = 1n;
      const last = lagrange[k];
      for (let j = 0; j < N; j++) {
        last[j] = (last[j] - ((correction * omegaJ) % r) + r) % r;
        omegaJ = (omegaJ * omega) % r;
      }
    }
    for (let k = 0; k <= power + 1; k++) for (const value of lagrange[k]) g1.push(value);
    for (const factor of [alpha, beta]) {
      for (let k = 0; k <= power; k++) for (const value of lagrange[k]) g1.push((factor * value) % r);
    }
    for (let k = 0; k <= power; k++) for (const value of lagrange[k]) g2.push(value);
    const scalarsDone = performance.now();

    // ---- Points ----
    const threads = parameters.threads;
    const g1Points = await multiplyGenerator({ group: 'G1', scalars: g1.bytes(), wasmCode: curve.tm.code, generatorPointer: curve.tm.pG1gen, threads });
    const g2Points = await multiplyGenerator({ group: 'G2', scalars: g2.bytes(), wasmCode: curve.tm.code, generatorPointer: curve.tm.pG2gen, threads });
    const pointsDone = performance.now();

    const sG1 = 64;
    const sG2 = 128;
    let o1 = 0;
    const takeG1 = (n: number): Uint8Array => g1Points.subarray(o1 * sG1, (o1 += n) * sG1);
    let o2 = 0;
    const takeG2 = (n: number): Uint8Array => g2Points.subarray(o2 * sG2, (o2 += n) * sG2);
    const section2 = takeG1(nTauG1);
    const section4 = takeG1(nTau);
    const section5 = takeG1(nTau);
    const section12 = takeG1(lagrangeG1Count);
    const section14 = takeG1(lagrangeCount);
    const section15 = takeG1(lagrangeCount);
    const section3 = takeG2(nTau);
    const section6 = takeG2(1);
    const section13 = takeG2(lagrangeCount);

    // ---- Contribution record (what `powersoftau contribute` writes) ----
    const firstChallenge = firstChallengeHash(curve, power);
    const key = {
      tau: publicKey(curve, 0, firstChallenge, tauKey, rng),
      alpha: publicKey(curve, 1, firstChallenge, alphaKey, rng),
      beta: publicKey(curve, 2, firstChallenge, betaKey, rng),
    };
    const responseHasher = blake2b.create({ dkLen: 64 });
    responseHasher.update(firstChallenge);
    for (const [G, section] of [[curve.G1, section2], [curve.G2, section3], [curve.G1, section4], [curve.G1, section5], [curve.G2, section6]] as const) {
      responseHasher.update(await G.batchLEMtoC(section));
    }
    const partialHash = toPartialHash(responseHasher);
    responseHasher.update(publicKeyBytes(curve, key, false));
    const responseHash = responseHasher.digest();
    const nextChallenger = createHash('blake2b512');
    nextChallenger.update(responseHash);
    for (const [G, section] of [[curve.G1, section2], [curve.G2, section3], [curve.G1, section4], [curve.G1, section5], [curve.G2, section6]] as const) {
      nextChallenger.update(await G.batchLEMtoU(section));
    }
    const nextChallenge = nextChallenger.digest();
    const contribution = concatBytes([
      section2.subarray(sG1, 2 * sG1), // τ·G1
      section3.subarray(sG2, 2 * sG2), // τ·G2
      section4.subarray(0, sG1), // α·G1
      section5.subarray(0, sG1), // β·G1
      section6, // β·G2
      publicKeyBytes(curve, key, true),
      partialHash,
      nextChallenge,
      u32(0), // type 0: a contribution, not a beacon
      contributionParameters(localPtauContributionName),
    ]);
    const contributionDone = performance.now();

    // ---- File ----
    const header = concatBytes([u32(32), bigintBytes(q), u32(power), u32(power)]);
    const sections: Array<[number, Uint8Array[]]> = [
      [1, [header]],
      [2, [section2]],
      [3, [section3]],
      [4, [section4]],
      [5, [section5]],
      [6, [section6]],
      [7, [u32(1), contribution]],
      [12, [section12]],
      [13, [section13]],
      [14, [section14]],
      [15, [section15]],
    ];
    const bytes = await writeBinFileAtomically(file, 'ptau', 1, sections);
    const done = performance.now();
    return {
      file,
      power,
      insecure: true,
      contributionName: localPtauContributionName,
      bytes,
      timingsMs: {
        scalars: scalarsDone - started,
        points: pointsDone - scalarsDone,
        contribution: contributionDone - pointsDone,
        write: done - contributionDone,
        total: done - started,
      },
    };
  } finally {
    await curve.terminate();
  }
}

/** L_j(τ) for j < 2^k over the domain generated by ω (a primitive 2^k-th root of unity). */
function lagrangeAt(tau: bigint, k: number, omega: bigint): bigint[] {
  const N = 2 ** k;
  const omegaPowers = new Array<bigint>(N);
  omegaPowers[0] = 1n;
  for (let j = 1; j < N; j++) omegaPowers[j] = (omegaPowers[j - 1] * omega) % r;
  // Batch inversion of (τ − ω^j).
  const differences = omegaPowers.map((w) => (tau - w + r) % r);
  const prefix = new Array<bigint>(N);
  let accumulator = 1n;
  for (let j = 0; j < N; j++) {
    if (differences[j] === 0n) throw new ToolError(`generateLocalPtau: τ is a 2^${k}-th root of unity; choose another seed`);
    prefix[j] = accumulator;
    accumulator = (accumulator * differences[j]) % r;
  }
  let inverse = modInverse(accumulator);
  const zOverN = (((modPow(tau, BigInt(N)) - 1n + r) % r) * modInverse(BigInt(N))) % r;
  const out = new Array<bigint>(N);
  for (let j = N - 1; j >= 0; j--) {
    const inverseJ = (inverse * prefix[j]) % r;
    inverse = (inverse * differences[j]) % r;
    out[j] = (((zOverN * omegaPowers[j]) % r) * inverseJ) % r;
  }
  return out;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % r;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % r;
    b = (b * b) % r;
    e >>= 1n;
  }
  return result;
}

function modInverse(value: bigint): bigint {
  return modPow(value, r - 2n);
}

/** Packs scalars as 32-byte little-endian words, the layout multiplyGenerator expects. */
class ScalarWriter {
  private readonly buffer: Uint8Array;
  private readonly view: DataView;
  private count = 0;
  constructor(private readonly capacity: number) {
    this.buffer = new Uint8Array(capacity * 32);
    this.view = new DataView(this.buffer.buffer);
  }
  push(value: bigint): void {
    const offset = this.count++ * 32;
    this.view.setBigUint64(offset, BigInt.asUintN(64, value), true);
    this.view.setBigUint64(offset + 8, BigInt.asUintN(64, value >> 64n), true);
    this.view.setBigUint64(offset + 16, BigInt.asUintN(64, value >> 128n), true);
    this.view.setBigUint64(offset + 24, value >> 192n, true);
  }
  bytes(): Uint8Array {
    if (this.count !== this.capacity) throw new ToolError(`generateLocalPtau: internal error, ${this.count} of ${this.capacity} scalars`);
    return this.buffer;
  }
}

function seedWords(seed: string): number[] {
  const hash = createHash('blake2b512').update(seed, 'utf8').digest();
  return Array.from({ length: 8 }, (_, i) => hash.readUInt32BE(i * 4));
}

// ---- The contribution's proof of knowledge (snarkjs src/keypair.js, powersoftau_utils.js) ----

interface PublicKey {
  g1_s: unknown;
  g1_sx: unknown;
  g2_spx: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Curve = any;

function publicKey(curve: Curve, personalization: number, challenge: Uint8Array, privateKey: Uint8Array, rng: unknown): PublicKey {
  const g1_s = curve.G1.toAffine(curve.G1.fromRng(rng));
  const g1_sx = curve.G1.toAffine(curve.G1.timesFr(g1_s, privateKey));
  const hash = blake2b.create({ dkLen: 64 });
  hash.update(new Uint8Array([personalization]));
  hash.update(challenge);
  hash.update(curve.G1.toUncompressed(g1_s));
  hash.update(curve.G1.toUncompressed(g1_sx));
  const digest = hash.digest();
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const g2_sp = curve.G2.toAffine(curve.G2.fromRng(new ChaCha(Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4)))));
  const g2_spx = curve.G2.toAffine(curve.G2.timesFr(g2_sp, privateKey));
  return { g1_s, g1_sx, g2_spx };
}

function publicKeyBytes(curve: Curve, key: { tau: PublicKey; alpha: PublicKey; beta: PublicKey }, montgomery: boolean): Uint8Array {
  const out = new Uint8Array(64 * 6 + 128 * 3);
  let position = 0;
  const write = (G: Curve, point: unknown, size: number): void => {
    if (montgomery) G.toRprLEM(out, position, point);
    else G.toRprUncompressed(out, position, point);
    position += size;
  };
  for (const k of [key.tau, key.alpha, key.beta]) {
    write(curve.G1, k.g1_s, 64);
    write(curve.G1, k.g1_sx, 64);
  }
  for (const k of [key.tau, key.alpha, key.beta]) write(curve.G2, k.g2_spx, 128);
  return out;
}

/** snarkjs's calculateFirstChallengeHash: the hash of a blank accumulator of this power. */
function firstChallengeHash(curve: Curve, power: number): Uint8Array {
  const hasher = createHash('blake2b512');
  hasher.update(createHash('blake2b512').digest());
  const g1 = new Uint8Array(64);
  const g2 = new Uint8Array(128);
  curve.G1.toRprUncompressed(g1, 0, curve.G1.g);
  curve.G2.toRprUncompressed(g2, 0, curve.G2.g);
  const repeat = (point: Uint8Array, n: number): void => {
    const block = Math.min(n, 4096);
    const buffer = new Uint8Array(block * point.byteLength);
    for (let i = 0; i < block; i++) buffer.set(point, i * point.byteLength);
    for (let done = 0; done < n; done += block) hasher.update(buffer.subarray(0, Math.min(block, n - done) * point.byteLength));
  };
  repeat(g1, 2 ** (power + 1) - 1);
  repeat(g2, 2 ** power);
  repeat(g1, 2 ** power);
  repeat(g1, 2 ** power);
  hasher.update(g2);
  return new Uint8Array(hasher.digest());
}

/** snarkjs misc.toPartialHash: noble's blake2b internal state, 216 bytes. */
function toPartialHash(hash: ReturnType<typeof blake2b.create>): Uint8Array {
  const state = hash as unknown as Record<string, number> & { buffer: Uint8Array; pos: number; length: number };
  const out = new Uint8Array(216);
  out.set(state.buffer);
  const words = new Uint32Array(out.buffer, 128, 22);
  const names = ['v0l', 'v0h', 'v1l', 'v1h', 'v2l', 'v2h', 'v3l', 'v3h', 'v4l', 'v4h', 'v5l', 'v5h', 'v6l', 'v6h', 'v7l', 'v7h'];
  names.forEach((name, i) => (words[i] = state[name]));
  words[18] = state.pos;
  words[16] = state.length - state.pos;
  return out;
}

function contributionParameters(name: string): Uint8Array {
  const nameBytes = new TextEncoder().encode(name.substring(0, 64));
  const parameters = new Uint8Array([1, nameBytes.byteLength, ...nameBytes]);
  return concatBytes([u32(parameters.byteLength), parameters]);
}

// ---- Binary file helpers (the iden3 binfile layout: magic, version, sections of id + u64 size) ----

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function bigintBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.byteLength;
  }
  return out;
}

async function writeBinFileAtomically(file: string, magic: string, version: number, sections: Array<[number, Uint8Array[]]>): Promise<number> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temporary, 'w');
  let bytes = 0;
  try {
    const write = async (data: Uint8Array): Promise<void> => {
      await handle.write(data);
      bytes += data.byteLength;
    };
    await write(concatBytes([new TextEncoder().encode(magic), u32(version), u32(sections.length)]));
    for (const [id, parts] of sections) {
      const size = parts.reduce((sum, part) => sum + part.byteLength, 0);
      const sectionHeader = new Uint8Array(12);
      const view = new DataView(sectionHeader.buffer);
      view.setUint32(0, id, true);
      view.setBigUint64(4, BigInt(size), true);
      await write(sectionHeader);
      for (const part of parts) await write(part);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(temporary, file);
  return bytes;
}
