/**
 * Thaler's matmul sumcheck, prover and verifier side by side: honest proofs verify (square,
 * padded and rectangular shapes); a changed A, B or C entry, each tampered round-polynomial
 * field and a replayed transcript are rejected. The limb-split folds agree with plain field
 * arithmetic on large values (the chunked and the fallback paths).
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extEquals, extFromSigned } from '../field/extension.ts';
import { baseAdd } from '../field/goldilocks.ts';
import { eqTable, evaluateMultilinear, evaluateSignedWithEq, log2Ceil } from '../multilinear.ts';
import { Transcript } from '../transcript.ts';
import { evaluateSignedMatrix, foldColumns, foldRows } from './foldMatrix.ts';
import { multiplyNative } from './multiplyNative.ts';
import { proveMatMul } from './proveMatMul.ts';
import { proveMatMulGkr, type MatMulGkrProof } from './proveMatMulGkr.ts';
import { verifyMatMul } from './verifyMatMul.ts';
import { verifyMatMulGkr } from './verifyMatMulGkr.ts';

function matrix(count: number, seed: number, magnitude = 1000): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s % (2 * magnitude + 1)) - magnitude;
  });
}

/** Pads a row-major rows × cols matrix to powers of two per axis (the MLE layout). */
function padded(values: Float64Array, rows: number, cols: number): number[] {
  const cp = 2 ** log2Ceil(cols);
  const out = new Array(2 ** log2Ceil(rows) * cp).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cp + j] = values[i * cols + j];
  return out;
}

const one = new Uint32Array(4);
extFromSigned(one, 0, 1);

describe('foldMatrix', () => {
  it('limb-split folds equal field arithmetic, including chunked (2^33) and fallback (2^40) magnitudes', () => {
    for (const magnitude of [1000, 2 ** 33, 2 ** 40]) {
      const rows = 5;
      const cols = 3;
      const m = matrix(rows * cols, 7, magnitude);
      const r = new Transcript('fold').squeezeExtensions('r', 3);
      const eq = eqTable(r);
      const byRows = foldRows({ matrix: m, rows, cols, eq, outputSize: 4 });
      const byCols = foldColumns({ matrix: m, rows, cols, eq, outputSize: 8 });
      for (let k = 0; k < cols; k++) {
        const column = Array.from({ length: rows }, (_, i) => m[i * cols + k]);
        expect(extEquals(byRows, EXT_WORDS * k, evaluateSignedWithEq(column, eq), 0)).toBe(true);
      }
      for (let i = 0; i < rows; i++) {
        const row = Array.from(m.subarray(i * cols, (i + 1) * cols));
        expect(extEquals(byCols, EXT_WORDS * i, evaluateSignedWithEq(row, eq), 0)).toBe(true);
      }
    }
  });

  it('evaluateSignedMatrix is the MLE of the axis-padded matrix', () => {
    const m = matrix(6 * 3, 11);
    const r = new Transcript('mle').squeezeExtensions('r', 5);
    const colPoint = r.subarray(0, 2 * EXT_WORDS);
    const rowPoint = r.subarray(2 * EXT_WORDS);
    const expected = evaluateMultilinear(Uint32Array.from(tableOf(padded(m, 6, 3))), r);
    expect(extEquals(evaluateSignedMatrix({ matrix: m, rows: 6, cols: 3, rowPoint, colPoint }), 0, expected, 0)).toBe(true);
  });
});

function tableOf(values: number[]): Uint32Array {
  const t = new Uint32Array(values.length * EXT_WORDS);
  values.forEach((v, i) => extFromSigned(t, EXT_WORDS * i, v));
  return t;
}

describe('Thaler matmul sumcheck', () => {
  it('rectangular 3×5 · 5×2: the final claims are the MLEs of A and B at the returned points', () => {
    const [m, k, n] = [3, 5, 2];
    const a = matrix(m * k, 1);
    const b = matrix(k * n, 2);
    const c = multiplyNative({ a, b, m, k, n });
    const prover = new Transcript('rect');
    const rowPoint = prover.squeezeExtensions('r1', log2Ceil(m));
    const colPoint = prover.squeezeExtensions('r2', log2Ceil(n));
    const proved = proveMatMul({ transcript: prover, label: 'mm', a, b, m, k, n, rowPoint, colPoint });
    const verifier = new Transcript('rect');
    verifier.squeezeExtensions('r1', log2Ceil(m));
    verifier.squeezeExtensions('r2', log2Ceil(n));
    const claimedValue = evaluateSignedMatrix({ matrix: c, rows: m, cols: n, rowPoint, colPoint });
    const claims = verifyMatMul({ transcript: verifier, label: 'mm', k, rowPoint, colPoint, claimedValue, proof: proved.proof });
    expect(proved.proof.roundPolynomials.length).toBe(3);
    expect(extEquals(claims.aEvaluation, 0, evaluateMultilinear(tableOf(padded(a, m, k)), claims.aPoint), 0)).toBe(true);
    expect(extEquals(claims.bEvaluation, 0, evaluateMultilinear(tableOf(padded(b, k, n)), claims.bPoint), 0)).toBe(true);
  });

  for (const n of [8, 6]) {
    it(`n = ${n}: the proof verifies; changed A, B, C entries and every tampered round field are rejected`, () => {
      const a = matrix(n * n, 3);
      const b = matrix(n * n, 4);
      const { c, proof, proofBytes } = proveMatMulGkr({ n, a, b });
      expect(Array.from(c)).toEqual(Array.from(multiplyNative({ a, b, m: n, k: n, n })));
      expect(proof.sumcheck.roundPolynomials.length).toBe(3);
      // n (4) + rounds (4) + 3 rounds × (4 + 48) + final (4 + 32) + empty commitment and opening (4 + 4)
      expect(proofBytes).toBe(4 + 4 + 3 * 52 + 36 + 8);
      verifyMatMulGkr({ a, b, c, proof });
      for (const [name, m] of [['A', a], ['B', b], ['C', c]] as const) {
        const changed = m.slice();
        changed[n + 1] += 1;
        const statement = { a, b, c, [name.toLowerCase()]: changed };
        expect(() => verifyMatMulGkr({ ...statement, proof } as never), name).toThrow(VerificationError);
      }
      let rejected = 0;
      proof.sumcheck.roundPolynomials.forEach((g, round) => {
        for (let e = 0; e < g.length; e += 2) {
          const bad: MatMulGkrProof = { n, sumcheck: { ...proof.sumcheck, roundPolynomials: proof.sumcheck.roundPolynomials.map((x) => x.slice()) } };
          baseAdd(bad.sumcheck.roundPolynomials[round], e, bad.sumcheck.roundPolynomials[round], e, one, 0);
          expect(() => verifyMatMulGkr({ a, b, c, proof: bad })).toThrow(VerificationError);
          rejected++;
        }
      });
      expect(rejected).toBe(3 * 3 * 2);
      const finalBad: MatMulGkrProof = { n, sumcheck: { ...proof.sumcheck, finalEvaluations: proof.sumcheck.finalEvaluations.slice() } };
      baseAdd(finalBad.sumcheck.finalEvaluations, 4, finalBad.sumcheck.finalEvaluations, 4, one, 0);
      expect(() => verifyMatMulGkr({ a, b, c, proof: finalBad })).toThrow(VerificationError);
    });
  }

  it('committed (A, B private): verifies from C alone; a changed C, a flipped commitment or opening byte are rejected', () => {
    const n = 8;
    const a = matrix(n * n, 9);
    const b = matrix(n * n, 10);
    const { c, proof } = proveMatMulGkr({ n, a, b, commit: true });
    expect(proof.commitment!.length).toBeGreaterThan(32);
    verifyMatMulGkr({ c, proof });
    const changed = c.slice();
    changed[5] += 1;
    expect(() => verifyMatMulGkr({ c: changed, proof })).toThrow(VerificationError);
    for (const field of ['commitment', 'opening'] as const) {
      const bytes = proof[field]!.slice();
      bytes[bytes.length >> 1] ^= 1;
      expect(() => verifyMatMulGkr({ c, proof: { ...proof, [field]: bytes } }), field).toThrow(VerificationError);
    }
    // A committed proof opened against other matrices: prove A'·B = C' and present C with A·B's commitment
    const other = proveMatMulGkr({ n, a: matrix(n * n, 11), b, commit: true });
    expect(() => verifyMatMulGkr({ c, proof: { ...proof, commitment: other.proof.commitment } })).toThrow(VerificationError);
  });

  it('a proof for one product replayed for another (same n) is rejected', () => {
    const n = 4;
    const first = proveMatMulGkr({ n, a: matrix(16, 5), b: matrix(16, 6) });
    const a = matrix(16, 7);
    const b = matrix(16, 8);
    const c = multiplyNative({ a, b, m: n, k: n, n });
    expect(() => verifyMatMulGkr({ a, b, c, proof: first.proof })).toThrow(VerificationError);
  });
});
