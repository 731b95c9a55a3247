/**
 * A SymbolicCs → iden3's `.r1cs` binary (version 1), the file circom writes and snarkjs reads:
 * "r1cs", version 1, 3 sections — 1 header (field size 32, BN254's prime, wires, public outputs,
 * public inputs, private inputs, labels, constraints), 2 constraints (A, B, C: term count, then
 * wire u32 + coefficient 32 bytes little-endian, normal form, wires ascending), 3 wire → label
 * (u64 each; the label is the wire here: the direct builder has no separate signal list).
 * Eliminated wires (SymbolicCs.output) are substituted by their definitions on the way out.
 */
import { FIELD_PRIME, type Lc, type SymbolicCs } from './constraintSystem.ts';

export interface WriteR1csFileParameters {
  cs: SymbolicCs;
  /** SymbolicCs.wireMap(). */
  wireMap: Int32Array;
}

export interface R1csFileStats {
  constraints: number;
  linearConstraints: number;
  nonLinearConstraints: number;
  wires: number;
  publicOutputs: number;
  publicInputs: number;
  privateInputs: number;
  labels: number;
}

export interface WriteR1csFileResult {
  bytes: Uint8Array;
  stats: R1csFileStats;
}

const N8 = 32;

export function writeR1csFile({ cs, wireMap }: WriteR1csFileParameters): WriteR1csFileResult {
  let wires = 0;
  for (const index of wireMap) if (index >= 0) wires++;
  const encoded = new Map<bigint, Uint8Array>();
  const encode = (value: bigint): Uint8Array => {
    let bytes = encoded.get(value);
    if (bytes) return bytes;
    bytes = new Uint8Array(N8);
    let rest = ((value % FIELD_PRIME) + FIELD_PRIME) % FIELD_PRIME;
    for (let i = 0; i < N8 && rest > 0n; i++) {
      bytes[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    if (encoded.size < 1 << 20) encoded.set(value, bytes);
    return bytes;
  };
  const chunks: Uint8Array[] = [];
  let constraintBytes = 0;
  let linear = 0;
  const writeCombination = (combination: Lc) => {
    const expanded = cs.expand(combination);
    const terms: Array<[number, bigint]> = [];
    for (const [wire, coefficient] of expanded) {
      if (coefficient % FIELD_PRIME === 0n) continue;
      const index = wireMap[wire]!;
      if (index < 0) throw new Error(`writeR1csFile: wire ${wire} is eliminated but was not expanded`);
      terms.push([index, coefficient]);
    }
    terms.sort((x, y) => x[0] - y[0]);
    const chunk = new Uint8Array(4 + terms.length * (4 + N8));
    const view = new DataView(chunk.buffer);
    view.setUint32(0, terms.length, true);
    let position = 4;
    for (const [index, coefficient] of terms) {
      view.setUint32(position, index, true);
      chunk.set(encode(coefficient), position + 4);
      position += 4 + N8;
    }
    chunks.push(chunk);
    constraintBytes += chunk.length;
    return terms.length;
  };
  for (const constraint of cs.constraints) {
    const a = writeCombination(constraint.a);
    const b = writeCombination(constraint.b);
    writeCombination(constraint.c);
    if (a === 0 || b === 0) linear++;
  }
  const counts = cs.counts();
  const headerSize = 4 + N8 + 4 * 4 + 8 + 4;
  const mapSize = wires * 8;
  const total = 12 + (12 + headerSize) + (12 + constraintBytes) + (12 + mapSize);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set([0x72, 0x31, 0x63, 0x73], 0); // "r1cs"
  view.setUint32(4, 1, true);
  view.setUint32(8, 3, true);
  let p = 12;
  view.setUint32(p, 1, true);
  view.setBigUint64(p + 4, BigInt(headerSize), true);
  p += 12;
  view.setUint32(p, N8, true);
  let prime = FIELD_PRIME;
  for (let i = 0; i < N8; i++) {
    bytes[p + 4 + i] = Number(prime & 0xffn);
    prime >>= 8n;
  }
  p += 4 + N8;
  view.setUint32(p, wires, true);
  view.setUint32(p + 4, counts.publicOutputs, true);
  view.setUint32(p + 8, counts.publicInputs, true);
  view.setUint32(p + 12, counts.privateInputs, true);
  view.setBigUint64(p + 16, BigInt(wires), true);
  view.setUint32(p + 24, cs.constraints.length, true);
  p += 28;
  view.setUint32(p, 2, true);
  view.setBigUint64(p + 4, BigInt(constraintBytes), true);
  p += 12;
  for (const chunk of chunks) {
    bytes.set(chunk, p);
    p += chunk.length;
  }
  view.setUint32(p, 3, true);
  view.setBigUint64(p + 4, BigInt(mapSize), true);
  p += 12;
  for (let wire = 0; wire < wires; wire++) view.setBigUint64(p + wire * 8, BigInt(wire), true);
  return {
    bytes,
    stats: {
      constraints: cs.constraints.length,
      linearConstraints: linear,
      nonLinearConstraints: cs.constraints.length - linear,
      wires,
      publicOutputs: counts.publicOutputs,
      publicInputs: counts.publicInputs,
      privateInputs: counts.privateInputs,
      labels: wires,
    },
  };
}
