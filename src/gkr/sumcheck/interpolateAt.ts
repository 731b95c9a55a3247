/**
 * g(r) from a round polynomial's evaluations g(0), …, g(d): Lagrange interpolation over the
 * integer nodes 0..d, shared by the sumcheck prover (to track the running claim) and verifier.
 */
import { EXT_WORDS, extAdd, extFromSigned, extMul, extMulBase, extSub } from '../field/extension.ts';
import { baseFromSigned, baseInverse } from '../field/goldilocks.ts';

// 1 / Π_{m≠k} (k − m) per number of nodes, computed once (an inversion is ~100 multiplications).
const inverseDenominators = new Map<number, Uint32Array>();

function lagrangeDenominators(points: number): Uint32Array {
  let cached = inverseDenominators.get(points);
  if (!cached) {
    cached = new Uint32Array(2 * points);
    for (let k = 0; k < points; k++) {
      let denominatorInteger = 1;
      for (let m = 0; m < points; m++) if (m !== k) denominatorInteger *= k - m;
      baseFromSigned(cached, 2 * k, denominatorInteger);
      baseInverse(cached, 2 * k, cached, 2 * k);
    }
    inverseDenominators.set(points, cached);
  }
  return cached;
}

/** g(r) from g(0), …, g(d) (Lagrange over the integer nodes 0..d). */
export function interpolateAt(evaluations: Uint32Array, r: Uint32Array): Uint32Array {
  const points = evaluations.length / EXT_WORDS;
  const denominators = lagrangeDenominators(points);
  const out = new Uint32Array(4);
  const term = new Uint32Array(4);
  const factor = new Uint32Array(4);
  const node = new Uint32Array(4);
  for (let k = 0; k < points; k++) {
    extFromSigned(term, 0, 1);
    for (let m = 0; m < points; m++) {
      if (m === k) continue;
      extFromSigned(node, 0, m);
      extSub(factor, 0, r, 0, node, 0);
      extMul(term, 0, term, 0, factor, 0);
    }
    extMulBase(term, 0, term, 0, denominators, 2 * k);
    extMul(term, 0, term, 0, evaluations, EXT_WORDS * k);
    extAdd(out, 0, out, 0, term, 0);
  }
  return out;
}

