/**
 * The fractional sumcheck of LogUp-GKR (Papini–Haböck, "Improving logarithmic derivative lookups
 * using GKR", 2023): proves Σ_i p_i / q_i = P / Q for tables p, q of 2^d entries with a binary
 * tree of fraction additions, one layer at a time, without committing to any inverse.
 *
 * Layer k has 2^k fractions; siblings are entries 2i and 2i+1 (index bit 0, the first MLE
 * variable), so with P0[i] = p_{k+1}[2i], P1[i] = p_{k+1}[2i+1] (same for Q):
 *   p_k = P0·Q1 + P1·Q0,   q_k = Q0·Q1.
 * The prover sends the two root children; then for k = 1 … d − 1, given claims p̃_k(ρ), q̃_k(ρ),
 * one degree-3 sumcheck over k variables proves
 *   p̃_k(ρ) + λ·q̃_k(ρ) = Σ_x eq(ρ, x)·(P0·Q1 + P1·Q0 + λ·Q0·Q1)(x)
 * and a fresh μ moves the claims to p̃_{k+1}(μ, r) = P0(r) + μ·(P1(r) − P0(r)) (same for q).
 * What is left are claims p̃(ρ), q̃(ρ) on the leaves, which the lookup (proveLogUp.ts) reduces
 * to committed or verifier-computable polynomials.
 */
import { EXT_WORDS, createExtVector, extAdd, extCopy, extFromSigned, extMul, extSub } from '../field/extension.ts';
import { concatPoints, eqTable, tableSize } from '../multilinear.ts';
import { proveSumcheck, type SumcheckProof, type SumcheckTerm } from '../sumcheck/proveSumcheck.ts';
import type { Transcript } from '../transcript.ts';

export interface FractionalSumProof {
  /** p_1[0], p_1[1], q_1[0], q_1[1] (or the single leaf p, q when d = 0): 4 ext elements or 2. */
  rootChildren: Uint32Array;
  /** One sumcheck per layer k = 1 … d − 1 (k variables each). */
  layers: SumcheckProof[];
}

export interface ProveFractionalSumParameters {
  transcript: Transcript;
  label: string;
  /** Numerators and denominators, 2^d extension entries each (not modified). */
  p: Uint32Array;
  q: Uint32Array;
}

export interface FractionalSumClaims {
  /** P and Q of the root fraction (4 words each). */
  rootP: Uint32Array;
  rootQ: Uint32Array;
  /** ρ: d extension elements, where the leaf claims hold. */
  leafPoint: Uint32Array;
  leafP: Uint32Array;
  leafQ: Uint32Array;
}

export interface ProveFractionalSumResult extends FractionalSumClaims {
  proof: FractionalSumProof;
}

/** The terms eq·P0·Q1 + eq·P1·Q0 + λ·eq·Q0·Q1 over tables [eq, P0, P1, Q0, Q1]. */
export function fractionLayerTerms(lambda: Uint32Array): SumcheckTerm[] {
  const one = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  return [
    { coefficient: one, factors: [0, 1, 4] },
    { coefficient: one, factors: [0, 2, 3] },
    { coefficient: lambda, factors: [0, 3, 4] },
  ];
}

/** Root-from-children: P = p0·q1 + p1·q0, Q = q0·q1 (children = [p0, p1, q0, q1]). */
export function combineChildren(children: Uint32Array): { p: Uint32Array; q: Uint32Array } {
  const p = new Uint32Array(4);
  const q = new Uint32Array(4);
  const t = new Uint32Array(4);
  extMul(p, 0, children, 0, children, 12);
  extMul(t, 0, children, 4, children, 8);
  extAdd(p, 0, p, 0, t, 0);
  extMul(q, 0, children, 8, children, 12);
  return { p, q };
}

/** (1 − μ)·a + μ·b. */
export function lineAt(a: Uint32Array, ai: number, b: Uint32Array, bi: number, mu: Uint32Array): Uint32Array {
  const out = new Uint32Array(4);
  extSub(out, 0, b, bi, a, ai);
  extMul(out, 0, out, 0, mu, 0);
  extAdd(out, 0, out, 0, a, ai);
  return out;
}

export function proveFractionalSum({ transcript, label, p, q }: ProveFractionalSumParameters): ProveFractionalSumResult {
  const depth = Math.log2(tableSize(p));
  if (depth === 0) {
    const rootChildren = concatPoints(p.subarray(0, 4), q.subarray(0, 4));
    transcript.absorbField(`${label}/root`, rootChildren);
    return { proof: { rootChildren, layers: [] }, rootP: p.slice(0, 4), rootQ: q.slice(0, 4), leafPoint: new Uint32Array(0), leafP: p.slice(0, 4), leafQ: q.slice(0, 4) };
  }
  // layers[k] = (p_k, q_k) for k = depth … 1
  const ps: Uint32Array[] = [];
  const qs: Uint32Array[] = [];
  ps[depth] = p;
  qs[depth] = q;
  const t = new Uint32Array(4);
  for (let k = depth - 1; k >= 1; k--) {
    const size = 2 ** k;
    const pk = createExtVector(size);
    const qk = createExtVector(size);
    const pc = ps[k + 1];
    const qc = qs[k + 1];
    for (let i = 0; i < size; i++) {
      const e = 8 * i;
      extMul(pk, 4 * i, pc, e, qc, e + 4);
      extMul(t, 0, pc, e + 4, qc, e);
      extAdd(pk, 4 * i, pk, 4 * i, t, 0);
      extMul(qk, 4 * i, qc, e, qc, e + 4);
    }
    ps[k] = pk;
    qs[k] = qk;
  }
  const rootChildren = concatPoints(ps[1].subarray(0, 8), qs[1].subarray(0, 8));
  const { p: rootP, q: rootQ } = combineChildren(rootChildren);
  transcript.absorbField(`${label}/root`, rootChildren);
  let mu = transcript.squeezeExtension(`${label}/mu`);
  let point: Uint32Array = mu;
  let claimP = lineAt(rootChildren, 0, rootChildren, 4, mu);
  let claimQ = lineAt(rootChildren, 8, rootChildren, 12, mu);
  const layers: SumcheckProof[] = [];
  for (let k = 1; k < depth; k++) {
    const size = 2 ** k;
    const children = [createExtVector(size), createExtVector(size), createExtVector(size), createExtVector(size)];
    const pc = ps[k + 1];
    const qc = qs[k + 1];
    for (let i = 0; i < size; i++) {
      extCopy(children[0], 4 * i, pc, 8 * i);
      extCopy(children[1], 4 * i, pc, 8 * i + 4);
      extCopy(children[2], 4 * i, qc, 8 * i);
      extCopy(children[3], 4 * i, qc, 8 * i + 4);
    }
    const lambda = transcript.squeezeExtension(`${label}/lambda`);
    const { proof, challenges } = proveSumcheck({
      transcript,
      label: `${label}/layer${k}`,
      tables: [eqTable(point), ...children],
      terms: fractionLayerTerms(lambda),
    });
    layers.push(proof);
    mu = transcript.squeezeExtension(`${label}/mu`);
    const f = proof.finalEvaluations;
    claimP = lineAt(f, 4, f, 8, mu);
    claimQ = lineAt(f, 12, f, 16, mu);
    point = concatPoints(mu, challenges);
  }
  return { proof: { rootChildren, layers }, rootP, rootQ, leafPoint: point, leafP: claimP, leafQ: claimQ };
}


