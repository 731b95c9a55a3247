/**
 * choosePower against snarkjs itself: for hand-made r1cs files sized to sit exactly on a power
 * boundary, snarkjs's setup must reject a locally generated ptau one power too small and accept
 * the power choosePower names; then Groth16, PLONK and FFLONK proofs made with those zkeys
 * verify, a tampered public signal does not, and the Groth16 zkey passes `zkey verify`.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeFileHandlesAfter } from '../src/zk/closeFileHandlesAfter.ts';
import { choosePower, type ProofSystem } from '../src/zk/setup/choosePower.ts';
import { generateLocalPtau } from '../src/zk/setup/generateLocalPtau.ts';
import { encodeWtns } from '../src/zk/calculateWitness.ts';

const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * A chain circuit: public out, nPub public inputs y_j, private x, intermediates a_1..a_m.
 *   x·x = a_1 + y_0 + … + y_(T−1);  a_i·x = a_(i+1) + y_0 + … + y_(T−1);  a_m·1 = out.
 * Groth16 rows = (m + 1) + nPub + 1; PLONK/FFLONK gates = nPub + 1 + m·(1 + T) + 1.
 */
function writeChainCircuit(dir: string, name: string, { m, T, nPub = 2 }: { m: number; T: number; nPub?: number }): { r1csFile: string; wtnsFile: string; publicSignals: string[] } {
  const out = 1;
  const y = (j: number): number => 2 + j;
  const x = 2 + nPub;
  const a = (i: number): number => x + i; // a_1 .. a_m
  const nWires = x + m + 1;
  type Lc = Array<[number, bigint]>;
  const ys: Lc = Array.from({ length: T }, (_, j) => [y(j), 1n]);
  const constraints: Array<[Lc, Lc, Lc]> = [[[[x, 1n]], [[x, 1n]], [[a(1), 1n], ...ys]]];
  for (let i = 1; i < m; i++) constraints.push([[[a(i), 1n]], [[x, 1n]], [[a(i + 1), 1n], ...ys]]);
  constraints.push([[[a(m), 1n]], [[0, 1n]], [[out, 1n]]]);

  const witness = new Array<bigint>(nWires).fill(0n);
  witness[0] = 1n;
  for (let j = 0; j < nPub; j++) witness[y(j)] = BigInt(j + 5);
  witness[x] = 3n;
  const ySum = ys.reduce((sum, [wire]) => sum + witness[wire], 0n);
  witness[a(1)] = (((witness[x] * witness[x] - ySum) % r) + r) % r;
  for (let i = 1; i < m; i++) witness[a(i + 1)] = (((witness[a(i)] * witness[x] - ySum) % r) + r) % r;
  witness[out] = witness[a(m)];

  const field = (value: bigint): number[] => Array.from({ length: 32 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
  const u32 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
  const u64 = (value: number): number[] => [...u32(value), 0, 0, 0, 0];
  const header = [...u32(32), ...field(r), ...u32(nWires), ...u32(1), ...u32(nPub), ...u32(1), ...u64(nWires), ...u32(constraints.length)];
  const body: number[] = [];
  for (const constraint of constraints) for (const lc of constraint) {
    body.push(...u32(lc.length));
    for (const [wire, coefficient] of lc) body.push(...u32(wire), ...field(coefficient));
  }
  const map: number[] = [];
  for (let i = 0; i < nWires; i++) map.push(...u64(i));
  const section = (id: number, data: number[]): number[] => [...u32(id), ...u64(data.length), ...data];
  const bytes = new Uint8Array([...[0x72, 0x31, 0x63, 0x73], ...u32(1), ...u32(3), ...section(1, header), ...section(2, body), ...section(3, map)]);
  const r1csFile = path.join(dir, `${name}.r1cs`);
  const wtnsFile = path.join(dir, `${name}.wtns`);
  writeFileSync(r1csFile, bytes);
  writeFileSync(wtnsFile, encodeWtns({ witness }));
  return { r1csFile, wtnsFile, publicSignals: [witness[out], ...Array.from({ length: nPub }, (_, j) => witness[y(j)])].map(String) };
}

let dir: string;
const ptauFiles = new Map<number, string>();
const errors: string[] = [];
const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => errors.push(message) };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'opzk-setup-power-'));
  for (let power = 3; power <= 8; power++) {
    const file = path.join(dir, `p${power}.ptau`);
    await generateLocalPtau({ power, file });
    ptauFiles.set(power, file);
  }
});

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(system: ProofSystem, r1csFile: string, power: number, zkeyFile: string): Promise<{ ok: boolean; message: string }> {
  errors.length = 0;
  rmSync(zkeyFile, { force: true });
  const ptau = ptauFiles.get(power)!;
  try {
    let result: unknown;
    // snarkjs leaves its files open when it refuses the ptau: closeFileHandlesAfter closes them.
    if (system === 'groth16') result = await closeFileHandlesAfter({ run: () => snarkjs.zKey.newZKey(r1csFile, ptau, zkeyFile, logger) });
    else if (system === 'plonk') result = await closeFileHandlesAfter({ run: () => snarkjs.plonk.setup(r1csFile, ptau, zkeyFile, logger) });
    else result = await closeFileHandlesAfter({ run: () => snarkjs.fflonk.setup(r1csFile, ptau, zkeyFile, logger) });
    return { ok: result !== -1 && existsSync(zkeyFile), message: errors.join('\n') };
  } catch (error) {
    return { ok: false, message: String((error as Error).message) };
  }
}

describe('choosePower matches snarkjs at the boundary', () => {
  const cases: Array<{ system: ProofSystem; m: number; T: number; rows: number; additionGates: number; circuitPower: number; power: number; rejection: RegExp }> = [
    { system: 'groth16', m: 11, T: 0, rows: 15, additionGates: 0, circuitPower: 4, power: 4, rejection: /circuit too big/ },
    { system: 'groth16', m: 12, T: 0, rows: 16, additionGates: 0, circuitPower: 5, power: 5, rejection: /circuit too big/ },
    { system: 'plonk', m: 4, T: 2, rows: 16, additionGates: 8, circuitPower: 4, power: 4, rejection: /circuit too big/ },
    { system: 'plonk', m: 13, T: 0, rows: 17, additionGates: 0, circuitPower: 5, power: 5, rejection: /circuit too big/ },
    { system: 'fflonk', m: 10, T: 0, rows: 14, additionGates: 0, circuitPower: 4, power: 7, rejection: /not big enough/ },
    { system: 'fflonk', m: 11, T: 0, rows: 15, additionGates: 0, circuitPower: 5, power: 8, rejection: /not big enough/ },
  ];
  for (const c of cases) {
    it(`${c.system} with ${c.rows} rows needs power ${c.power}`, async () => {
      const circuit = writeChainCircuit(dir, `${c.system}-${c.m}-${c.T}`, c);
      const chosen = await choosePower({ system: c.system, r1csFile: circuit.r1csFile });
      expect(chosen).toEqual({ system: c.system, power: c.power, circuitPower: c.circuitPower, rows: c.rows, additionGates: c.additionGates, exact: true });
      const zkeyFile = path.join(dir, `${c.system}-${c.m}.zkey`);
      const tooSmall = await setup(c.system, circuit.r1csFile, c.power - 1, zkeyFile);
      expect(tooSmall.ok).toBe(false);
      expect(tooSmall.message).toMatch(c.rejection);
      const enough = await setup(c.system, circuit.r1csFile, c.power, zkeyFile);
      expect(enough).toEqual({ ok: true, message: '' });
    });
  }

  it('counts from the header alone for Groth16, and a lower bound for PLONK', async () => {
    expect(await choosePower({ system: 'groth16', constraints: 12, publicInputs: 2, outputs: 1 })).toMatchObject({ power: 4, rows: 15, exact: true });
    expect(await choosePower({ system: 'plonk', constraints: 5, publicInputs: 2, outputs: 1 })).toMatchObject({ power: 3, rows: 8, exact: false });
    await expect(choosePower({ system: 'groth16', constraints: -1, publicInputs: 0, outputs: 0 })).rejects.toThrow(/constraints must be a non-negative integer/);
  });
});

describe('proofs with a locally generated ptau', () => {
  for (const system of ['groth16', 'plonk', 'fflonk'] as const) {
    it(`${system}: a proof verifies, a tampered one does not`, async () => {
      const circuit = writeChainCircuit(dir, `proof-${system}`, { m: 5, T: 1 });
      const { power } = await choosePower({ system, r1csFile: circuit.r1csFile });
      const zkeyFile = path.join(dir, `proof-${system}.zkey`);
      expect((await setup(system, circuit.r1csFile, power, zkeyFile)).ok).toBe(true);
      if (system === 'groth16') {
        // verifyFromR1cs never closes the ptau it reopens (sameRatioH), even on success.
        expect(await closeFileHandlesAfter({ run: () => snarkjs.zKey.verifyFromR1cs(circuit.r1csFile, ptauFiles.get(power)!, zkeyFile, logger) })).toBe(true);
      }
      const prover = snarkjs[system];
      const { proof, publicSignals } = await prover.prove(zkeyFile, circuit.wtnsFile);
      expect(publicSignals).toEqual(circuit.publicSignals);
      const vkey = await snarkjs.zKey.exportVerificationKey(zkeyFile);
      expect(await prover.verify(vkey, publicSignals, proof)).toBe(true);
      const tampered = [String((BigInt(publicSignals[0]) + 1n) % r), ...publicSignals.slice(1)];
      expect(await prover.verify(vkey, tampered, proof)).toBe(false);
    });
  }
});
