/**
 * Commit / open / verify round trips against a BigInt reference of the multilinear extension,
 * and the attacker's side: every single-field change of a proof, and the consistent cheats a
 * prover could build around a false claim, are each rejected by the named check.
 */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extAdd, extFromBigInts, extMul, extInverse, extSub, extToBigInts } from '../field/extension.ts';
import { GOLDILOCKS_MODULUS as P, baseFromBigInt } from '../field/goldilocks.ts';
import { Transcript } from '../transcript.ts';
import { commitMultilinear } from './commitMultilinear.ts';
import { DIGEST_BYTES, countMerkleSiblings, openMerkleMulti } from './merkle.ts';
import { openMultilinear } from './openMultilinear.ts';
import { absorbRows, absorbStatement, squeezeColumnIndices, squeezeProximityCoefficients } from './openingTranscript.ts';
import { deserializeCommitment, deserializeOpeningProof, serializeCommitment, serializeOpeningProof } from './serializeOpening.ts';
import { combineRows, eqTable } from './tensor.ts';
import type { EvaluationClaim, OpeningProof } from './types.ts';
import { verifyOpening } from './verifyOpening.ts';

// ---- deterministic inputs and the BigInt reference -------------------------------------------

function* xorshift(seed: bigint): Generator<bigint> {
  let s = seed | 1n;
  const mask = (1n << 64n) - 1n;
  for (;;) {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    yield s % P;
  }
}

interface Table { words: Uint32Array; values: bigint[] }

/** Uniform field elements (and p − 1), or with `small` engine-like values in [−128, 128) as x mod p. */
function randomTable(variables: number, seed: bigint, small = false): Table {
  const gen = xorshift(seed);
  const values = Array.from({ length: 2 ** variables }, (_, i) => {
    if (i === 1) return P - 1n;
    const v = gen.next().value as bigint;
    return small ? ((v % 256n) - 128n + P) % P : v;
  });
  const words = new Uint32Array(2 * values.length);
  values.forEach((v, i) => baseFromBigInt(words, 2 * i, v));
  return { words, values };
}

function randomPoint(variables: number, seed: bigint): Uint32Array {
  const gen = xorshift(seed);
  const point = new Uint32Array(variables * EXT_WORDS);
  for (let i = 0; i < variables; i++) extFromBigInts(point, i * EXT_WORDS, gen.next().value as bigint, gen.next().value as bigint);
  return point;
}

type Ext = [bigint, bigint];
const extMulRef = ([a0, a1]: Ext, [b0, b1]: Ext): Ext => [(a0 * b0 + 7n * a1 * b1) % P, (a0 * b1 + a1 * b0) % P];

/** f(r) = Σ_x f[x] Π_i (bit_i(x) ? r_i : 1 − r_i), all in BigInt. */
function evaluateReference(values: bigint[], point: Uint32Array): Ext {
  const r: Ext[] = [];
  for (let i = 0; i < point.length / EXT_WORDS; i++) r.push(extToBigInts(point, i * EXT_WORDS));
  let acc: Ext = [0n, 0n];
  values.forEach((v, x) => {
    let term: Ext = [v, 0n];
    r.forEach((ri, i) => {
      term = extMulRef(term, (x >> i) & 1 ? ri : [(1n - ri[0] + P) % P, (P - ri[1]) % P]);
    });
    acc = [(acc[0] + term[0]) % P, (acc[1] + term[1]) % P];
  });
  return acc;
}

function rejection(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    return String(error.details.check);
  }
  return 'accepted';
}

const transcript = (): Transcript => {
  const t = new Transcript('gkr-commit-test');
  t.absorbBytes('statement', Uint8Array.of(1, 2, 3));
  return t;
};

// ---- round trips ---------------------------------------------------------------------------

describe('commitMultilinear / openMultilinear / verifyOpening', () => {
  const cases: { name: string; variables: number[]; claims: [number, number][]; logMessageLength?: number; rate?: 0.5 | 0.25; small?: boolean }[] = [
    { name: 'a constant (0 variables)', variables: [0], claims: [[0, 1]] },
    { name: 'a single-variable polynomial', variables: [1], claims: [[0, 2]] },
    { name: 'a non-square 16 × 8 matrix (7 variables, k = 8)', variables: [7], claims: [[0, 3]], logMessageLength: 3 },
    { name: '2^10 entries at rate 1/4', variables: [10], claims: [[0, 4]], rate: 0.25 },
    { name: 'three polynomials of different sizes, four claims, one shared opening', variables: [9, 4, 6], claims: [[0, 5], [0, 6], [1, 7], [2, 8]] },
    { name: 'small signed engine values (the prover\'s small-entry path)', variables: [8, 3], claims: [[0, 9], [1, 10]], small: true },
  ];
  for (const c of cases) {
    it(`round trip: ${c.name}`, () => {
      const tables = c.variables.map((n, i) => randomTable(n, BigInt(100 + i), c.small));
      const { commitment, proverData } = commitMultilinear({
        polynomials: tables.map((t) => t.words),
        logMessageLength: c.logMessageLength,
        rate: c.rate,
      });
      const claims: EvaluationClaim[] = c.claims.map(([polynomial, seed]) => ({ polynomial, point: randomPoint(c.variables[polynomial], BigInt(seed)) }));
      const { values, proof } = openMultilinear({ proverData, claims, transcript: transcript() });
      claims.forEach((claim, i) => expect(extToBigInts(values, i * EXT_WORDS)).toEqual(evaluateReference(tables[claim.polynomial].values, claim.point)));
      expect(rejection(() => verifyOpening({ commitment, claims, values, proof, transcript: transcript() }))).toBe('accepted');

      // bytes: the layout of serializeOpening.ts, exactly
      const { shape } = commitment;
      const k = 2 ** shape.logMessageLength;
      const opened = proof.columns.length / (2 * shape.rowCount);
      const siblings = proof.merkleSiblings.length / DIGEST_BYTES;
      const bytes = serializeOpeningProof(proof);
      const rowBytes = claims.reduce((sum, claim) => sum + 4 + 2 ** shape.polynomials[claim.polynomial].columnVariables * 16, 0);
      expect(bytes.length).toBe(20 + k * 16 + rowBytes + opened * shape.rowCount * 8 + siblings * 32);
      expect(opened).toBeLessThanOrEqual(commitment.columnOpenings);
      const commitmentBytes = serializeCommitment(commitment);
      expect(commitmentBytes.length).toBe(38 + c.variables.length);
      const reread = deserializeCommitment(commitmentBytes);
      expect(reread.shape).toEqual(shape);
      expect(rejection(() => verifyOpening({ commitment: reread, claims, values, proof: deserializeOpeningProof(bytes), transcript: transcript() }))).toBe('accepted');
    });
  }

  it('opens t columns (repeats merged) and sends the pruned multi-proof: t = 144 for k = 32, N = 128', () => {
    // the short code's exact distance (d = 97, e = 48) gives 144, not the asymptotic 148
    const table = randomTable(10, 9n);
    const { commitment, proverData } = commitMultilinear({ polynomials: [table.words], logMessageLength: 5, rate: 0.25 });
    expect(commitment.columnOpenings).toBe(144);
    const claims = [{ polynomial: 0, point: randomPoint(10, 10n) }];
    const t = transcript();
    const { proof } = openMultilinear({ proverData, claims, transcript: t });
    // replay the verifier's index derivation to count what must be sent
    const replay = transcript();
    const { values } = openMultilinear({ proverData, claims, transcript: new Transcript('x') });
    absorbStatement(replay, commitment, claims, values);
    squeezeProximityCoefficients(replay, commitment.shape.rowCount);
    absorbRows(replay, proof.proximityRow, proof.evaluationRows);
    const indices = squeezeColumnIndices(replay, 144, 128);
    expect(proof.columns.length).toBe(indices.length * 2 * commitment.shape.rowCount);
    expect(proof.merkleSiblings.length).toBe(32 * countMerkleSiblings(128, indices));
  });
});

// ---- the attacker's side -------------------------------------------------------------------

/**
 * When the transcript draws other columns than the proof opens, the verifier stops at one of two
 * checks depending on whether the number of DISTINCT drawn columns happens to agree: 'opened
 * columns' (it does not) or 'merkle path' (it does, and the columns hash to other leaves).
 */
const WRONG_COLUMNS = ['opened columns', 'merkle path'];

describe('verifyOpening rejects', () => {
  // k = 128, N = 256 at rate 1/2: the 241 draws hit ~157 distinct columns, so the multi-proof
  // is not empty and a different transcript opens a different set.
  const tables = [randomTable(10, 21n), randomTable(5, 22n)];
  const { commitment, proverData } = commitMultilinear({ polynomials: tables.map((t) => t.words), logMessageLength: 7, rate: 0.5 });
  const claims: EvaluationClaim[] = [
    { polynomial: 0, point: randomPoint(10, 31n) },
    { polynomial: 1, point: randomPoint(5, 32n) },
  ];
  const honest = openMultilinear({ proverData, claims, transcript: transcript() });
  const verify = (over: { proof?: OpeningProof; values?: Uint32Array; claims?: EvaluationClaim[]; root?: Uint8Array; t?: Transcript }) =>
    rejection(() =>
      verifyOpening({
        commitment: over.root ? { ...commitment, root: over.root } : commitment,
        claims: over.claims ?? claims,
        values: over.values ?? honest.values,
        proof: over.proof ?? honest.proof,
        transcript: over.t ?? transcript(),
      }),
    );
  const cloneProof = (p: OpeningProof): OpeningProof => ({
    ...p,
    proximityRow: p.proximityRow.slice(),
    evaluationRows: p.evaluationRows.map((r) => r.slice()),
    columns: p.columns.slice(),
    merkleSiblings: p.merkleSiblings.slice(),
  });

  /**
   * A prover that claims `values` for `forgedClaims`, sends `evaluationRows` and the proximity row
   * (honest for the γ it draws, unless `proximityRow` maps it), then answers the queries honestly.
   */
  function forge(
    values: Uint32Array,
    evaluationRows: Uint32Array[],
    { forgedClaims = claims, proximityRow = (row: Uint32Array) => row }: { forgedClaims?: EvaluationClaim[]; proximityRow?: (row: Uint32Array) => Uint32Array } = {},
  ): OpeningProof {
    const t = transcript();
    const { shape } = commitment;
    const m = shape.rowCount;
    const k = 2 ** shape.logMessageLength;
    absorbStatement(t, commitment, forgedClaims, values);
    const gamma = squeezeProximityCoefficients(t, m);
    const proximity = proximityRow(combineRows(proverData.matrix, 0, m, k, gamma));
    absorbRows(t, proximity, evaluationRows);
    const indices = squeezeColumnIndices(t, commitment.columnOpenings, k << shape.logBlowup);
    const columns = new Uint32Array(indices.length * 2 * m);
    indices.forEach((j, i) => columns.set(proverData.encodedColumns.subarray(2 * m * j, 2 * m * (j + 1)), 2 * m * i));
    return { proximityRow: proximity, evaluationRows, columnLength: m, columns, merkleSiblings: openMerkleMulti({ tree: proverData.tree, leafIndices: indices }) };
  }

  it('nothing when honest (and the opening is a strict subset of the columns)', () => {
    expect(verify({})).toBe('accepted');
    expect(honest.proof.columns.length / (2 * commitment.shape.rowCount)).toBeLessThan(256);
    expect(honest.proof.merkleSiblings.length).toBeGreaterThan(0);
  });

  it('a changed value', () => {
    const values = honest.values.slice();
    values[4] ^= 1;
    expect(verify({ values })).toBe('evaluation value');
  });

  it('a changed entry of an evaluation row (its sum no longer matches)', () => {
    const proof = cloneProof(honest.proof);
    proof.evaluationRows[1][8] ^= 1;
    expect(verify({ proof })).toBe('evaluation value');
  });

  it('a changed entry of the proximity row (other columns are drawn than the proof opens)', () => {
    const proof = cloneProof(honest.proof);
    proof.proximityRow[0] ^= 1;
    expect(WRONG_COLUMNS).toContain(verify({ proof }));
  });

  it('a changed proximity row answered consistently by a cheating prover', () => {
    const proof = forge(honest.values, honest.proof.evaluationRows, {
      proximityRow: (row) => {
        row[6] ^= 1;
        return row;
      },
    });
    expect(verify({ proof })).toBe('proximity column');
  });

  it('a false value with an evaluation row made to sum to it (the row is then not q_row·U)', () => {
    // u_0 += δ·e_0 / q_col[0] shifts ⟨u_0, q_col⟩ by exactly δ
    const values = honest.values.slice();
    const delta = new Uint32Array([5, 0, 0, 0]);
    extAdd(values, 0, values, 0, delta, 0);
    const qCol = eqTable(claims[0].point, 0, commitment.shape.polynomials[0].columnVariables);
    const shift = new Uint32Array(4);
    extInverse(shift, 0, qCol, 0);
    extMul(shift, 0, shift, 0, delta, 0);
    const rows = honest.proof.evaluationRows.map((r) => r.slice());
    extAdd(rows[0], 0, rows[0], 0, shift, 0);
    expect(verify({ values, proof: forge(values, rows) })).toBe('evaluation column');
  });

  it('the same false value with the sum kept and the point-consistent columns of ANOTHER matrix (a second commitment)', () => {
    const other = commitMultilinear({ polynomials: [randomTable(10, 41n).words, tables[1].words], logMessageLength: 7, rate: 0.5 });
    const opened = openMultilinear({ proverData: other.proverData, claims, transcript: transcript() });
    // the other matrix's honest opening, checked against the first root
    expect(WRONG_COLUMNS).toContain(verify({ values: opened.values, proof: opened.proof }));
  });

  it('a changed column entry', () => {
    const proof = cloneProof(honest.proof);
    proof.columns[3] ^= 1;
    expect(verify({ proof })).toBe('merkle path');
  });

  it('a wrong Merkle path', () => {
    const proof = cloneProof(honest.proof);
    proof.merkleSiblings[proof.merkleSiblings.length - 1] ^= 1;
    expect(verify({ proof })).toBe('merkle path');
    proof.merkleSiblings = honest.proof.merkleSiblings.subarray(0, honest.proof.merkleSiblings.length - 32);
    expect(verify({ proof })).toBe('merkle path');
  });

  it('a wrong root', () => {
    const root = commitment.root.slice();
    root[31] ^= 1;
    // the root is absorbed first, so every query moves: the opened columns are the wrong ones
    expect(WRONG_COLUMNS).toContain(verify({ root }));
  });

  it('a replayed transcript: the same proof against a transcript in another state', () => {
    const other = new Transcript('gkr-commit-test');
    other.absorbBytes('statement', Uint8Array.of(1, 2, 4));
    expect(verify({ t: other })).not.toBe('accepted');
    // and replaying the opening a second time on the transcript that already absorbed it
    const used = transcript();
    verifyOpening({ commitment, claims, values: honest.values, proof: honest.proof, transcript: used });
    expect(verify({ t: used })).not.toBe('accepted');
  });

  it('a point other than the one opened (in a column variable, and in a row variable)', () => {
    for (const coordinate of [0, 7]) {
      const point = claims[0].point.slice();
      point[coordinate * EXT_WORDS] ^= 1;
      const moved = [{ polynomial: 0, point }, claims[1]];
      expect(verify({ claims: moved })).not.toBe('accepted');
    }
    // the row-variable move with a consistent prover: the sum still matches, the columns do not
    const point = claims[0].point.slice();
    point[7 * EXT_WORDS] ^= 1;
    const moved = [{ polynomial: 0, point }, claims[1]];
    expect(verify({ claims: moved, proof: forge(honest.values, honest.proof.evaluationRows, { forgedClaims: moved }) })).toBe('evaluation column');
  });

  it('a non-canonical field element and a proof of the wrong shape', () => {
    const proof = cloneProof(honest.proof);
    proof.proximityRow[1] = 0xffffffff;
    proof.proximityRow[0] = 5;
    expect(verify({ proof })).toBe('proof shape');
    expect(verify({ proof: { ...honest.proof, evaluationRows: honest.proof.evaluationRows.slice(0, 1) } })).toBe('proof shape');
    const bytes = serializeOpeningProof(honest.proof);
    expect(rejection(() => deserializeOpeningProof(bytes.subarray(0, bytes.length - 1)))).toBe('proof shape');
  });

  it('(sanity) the forging helper reproduces the honest proof when given honest rows', () => {
    const again = forge(honest.values, honest.proof.evaluationRows);
    expect(serializeOpeningProof(again)).toEqual(serializeOpeningProof(honest.proof));
    // and the extension helpers used above agree with the reference
    const a = randomPoint(1, 3n);
    const b = randomPoint(1, 4n);
    const d = new Uint32Array(4);
    extSub(d, 0, a, 0, b, 0);
    extAdd(d, 0, d, 0, b, 0);
    expect(d).toEqual(a);
  });
});
