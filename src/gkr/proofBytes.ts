/**
 * A tiny length-prefixed byte format for gkr proofs (little-endian): so proofBytes is a real
 * byte count and tampering tests can flip any field. Readers throw VerificationError on
 * malformed input (a truncated or padded proof is a rejected proof, not a crash).
 */
import { VerificationError } from '../errors.ts';
import type { SumcheckProof } from './sumcheck/proveSumcheck.ts';

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;
  /** Where each length-prefixed message's payload starts and how long it is (for tampering tests). */
  readonly messages: { offset: number; length: number }[] = [];
  /** Rounds of all sumchecks written so far. */
  sumcheckRounds = 0;

  u32(value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, true);
    this.push(b);
  }

  bytes(value: Uint8Array): void {
    this.u32(value.length);
    this.messages.push({ offset: this.length, length: value.length });
    this.push(value);
  }

  words(value: Uint32Array): void {
    this.bytes(new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)));
  }

  sumcheck(proof: SumcheckProof): void {
    this.u32(proof.roundPolynomials.length);
    this.sumcheckRounds += proof.roundPolynomials.length;
    for (const g of proof.roundPolynomials) this.words(g);
    this.words(proof.finalEvaluations);
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(count: number, what: string): void {
    if (this.offset + count > this.data.length)
      throw new VerificationError(`gkr proof: truncated while reading ${what}`, {
        details: { check: 'proof bytes', offset: this.offset, need: count, size: this.data.length },
      });
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  bytes(what = 'bytes'): Uint8Array {
    const n = this.u32(what);
    this.need(n, what);
    const out = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  words(what = 'field elements'): Uint32Array {
    const b = this.bytes(what);
    if (b.length % 16 !== 0 && b.length % 8 !== 0)
      throw new VerificationError(`gkr proof: ${what} has ${b.length} bytes, not whole field elements`, { details: { check: 'proof bytes' } });
    const words = new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
    // canonical encodings only: a base element is < p, i.e. not (hi = 2^32 − 1 and lo ≥ 1)
    for (let i = 0; i < words.length; i += 2)
      if (words[i + 1] === 0xffffffff && words[i] !== 0)
        throw new VerificationError(`gkr proof: ${what} holds a non-canonical field element`, { details: { check: 'proof bytes', index: i / 2 } });
    return words;
  }

  sumcheck(what = 'sumcheck'): SumcheckProof {
    const rounds = this.u32(what);
    if (rounds > 64) throw new VerificationError(`gkr proof: ${what} claims ${rounds} rounds`, { details: { check: 'proof bytes' } });
    const roundPolynomials: Uint32Array[] = [];
    for (let r = 0; r < rounds; r++) roundPolynomials.push(this.words(`${what} round ${r}`));
    return { roundPolynomials, finalEvaluations: this.words(`${what} final evaluations`) };
  }

  end(): void {
    if (this.offset !== this.data.length)
      throw new VerificationError(`gkr proof: ${this.data.length - this.offset} trailing bytes`, { details: { check: 'proof bytes' } });
  }
}
