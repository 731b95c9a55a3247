/**
 * The Fiat–Shamir transcript of every gkr proof: a SHA-256 hash chain.
 *
 * state₀ = SHA-256("opzk-gkr/1" ‖ domainSeparator); absorbing a message sets
 * state ← SHA-256(state ‖ 0x01 ‖ len(label) ‖ label ‖ len(bytes) ‖ bytes); squeezing sets
 * state ← SHA-256(state ‖ 0x02 ‖ len(label) ‖ label ‖ counter) and reads the challenge from
 * that digest. Lengths are 4-byte little-endian, so no two different message sequences hash
 * alike (the framing is injective). Prover and verifier run the same sequence of calls; the
 * statement (model hash, commitment roots, public inputs and outputs) is absorbed first, so a
 * proof replayed against another statement draws other challenges.
 *
 * Challenges: an extension element takes one 32-byte digest, 16 bytes per base coordinate,
 * reduced mod p without rejection (bias ≤ p/2^128 ≈ 2^-64 per coordinate, counted in
 * docs/gkr.md). Indices below a power of two take 4 bytes each, masked (no bias).
 *
 * Field vectors are absorbed as their bytes (little-endian words = the 8-byte LE encodings).
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { baseFromWords128 } from './field/goldilocks.ts';

if (endianness() !== 'LE') throw new Error('gkr transcript: field vectors are hashed as little-endian bytes; this machine is big-endian');

const PROTOCOL_LABEL = 'opzk-gkr/1';
const encoder = new TextEncoder();

function u32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

export class Transcript {
  private state: Uint8Array;

  constructor(domainSeparator: string) {
    this.state = createHash('sha256').update(PROTOCOL_LABEL).update(u32le(domainSeparator.length)).update(domainSeparator).digest();
  }

  /** Absorbs a labelled byte string (a prover message or part of the statement). */
  absorbBytes(label: string, bytes: Uint8Array): void {
    const labelBytes = encoder.encode(label);
    this.state = createHash('sha256')
      .update(this.state)
      .update(Uint8Array.of(1))
      .update(u32le(labelBytes.length))
      .update(labelBytes)
      .update(u32le(bytes.length))
      .update(bytes)
      .digest();
  }

  /** Absorbs field elements (base or extension vector words). */
  absorbField(label: string, words: Uint32Array): void {
    this.absorbBytes(label, new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  }

  /** Absorbs a small non-negative integer (a count, a size, a flag). */
  absorbNumber(label: string, value: number): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
    this.absorbBytes(label, bytes);
  }

  private squeezeDigest(label: string, counter: number): Uint8Array {
    const labelBytes = encoder.encode(label);
    this.state = createHash('sha256')
      .update(this.state)
      .update(Uint8Array.of(2))
      .update(u32le(labelBytes.length))
      .update(labelBytes)
      .update(u32le(counter))
      .digest();
    return this.state;
  }

  /** One challenge in F_p²: 4 words [c0.lo, c0.hi, c1.lo, c1.hi]. */
  squeezeExtension(label: string): Uint32Array {
    const digest = this.squeezeDigest(label, 0);
    const view = new DataView(digest.buffer, digest.byteOffset, 32);
    const w = (i: number): number => view.getUint32(4 * i, true);
    const out = new Uint32Array(4);
    baseFromWords128(out, 0, w(0), w(1), w(2), w(3));
    baseFromWords128(out, 2, w(4), w(5), w(6), w(7));
    return out;
  }

  /** `count` challenges in F_p², as one vector of 4·count words. */
  squeezeExtensions(label: string, count: number): Uint32Array {
    const out = new Uint32Array(4 * count);
    for (let i = 0; i < count; i++) out.set(this.squeezeExtension(label), 4 * i);
    return out;
  }

  /** `count` indices uniform in [0, bound), bound a power of two ≤ 2^32 (column openings). */
  squeezeIndices(label: string, count: number, bound: number): Uint32Array {
    if (!Number.isInteger(Math.log2(bound)) || bound < 1 || bound > 2 ** 32)
      throw new RangeError(`gkr transcript: index bound ${bound} is not a power of two ≤ 2^32`);
    const out = new Uint32Array(count);
    const mask = bound - 1;
    for (let i = 0, counter = 0; i < count; counter++) {
      const digest = this.squeezeDigest(label, counter);
      const view = new DataView(digest.buffer, digest.byteOffset, 32);
      for (let j = 0; j < 8 && i < count; j++, i++) out[i] = bound === 2 ** 32 ? view.getUint32(4 * j, true) : view.getUint32(4 * j, true) & mask;
    }
    return out;
  }
}
