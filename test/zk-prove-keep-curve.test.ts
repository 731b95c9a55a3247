/**
 * The provers' `keepCurve` option on a 3-constraint circuit: two proofs in a row share one curve
 * (one build of snarkjs's worker threads), the curve stays up until terminateCurve, and then no
 * worker is left; without the option every proof tears its curve down (the default callers rely
 * on). Both kept-curve proofs verify.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calculateWitness } from '../src/zk/calculateWitness.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { proveFflonk } from '../src/zk/proveFflonk.ts';
import { proveGroth16 } from '../src/zk/proveGroth16.ts';
import { provePlonk } from '../src/zk/provePlonk.ts';
import { setupCircuit } from '../src/zk/setupCircuit.ts';
import { ensurePtau } from '../src/zk/setup/ensurePtau.ts';
import { terminateCurve, type ProofSystem } from '../src/zk/types.ts';
import { verifyProof } from '../src/zk/verifyProof.ts';
import { writeCircuitSource } from '../src/zk/writeCircuitSource.ts';

const source = `pragma circom 2.1.0;
template Square3() {
    signal input a[3];
    signal b[3];
    for (var i = 0; i < 3; i++) b[i] <== a[i] * a[i];
    signal output first;
    first <== b[0];
}
component main = Square3();
`;

const curve = () => (globalThis as { curve_bn128?: { tm: { workers: unknown[] } } | null }).curve_bn128 ?? null;
/** Each snarkjs worker thread holds one MessagePort open in this process. */
const openPorts = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;
const provers = { groth16: proveGroth16, plonk: provePlonk, fflonk: proveFflonk } as const;

describe('keepCurve', () => {
  it.each(['groth16', 'plonk', 'fflonk'] as ProofSystem[])('%s: two proofs on one curve, terminated by the caller, no worker left', async (system) => {
    const { circuitFile } = await writeCircuitSource({ source, cacheDir: mkdtempSync(join(tmpdir(), 'opzk-keep-curve-')) });
    const compiled = await compileCircuit({ circuitFile });
    expect(compiled.constraints).toBe(3);
    const { wtns } = await calculateWitness({ wasmFile: compiled.wasmFile, input: { a: [3, 4, 5] } });
    // FFLONK needs about 9× the rows of the circuit.
    const ptau = await ensurePtau({ power: system === 'fflonk' ? 8 : 4 });
    const setup = await setupCircuit({ system, r1csFile: compiled.r1csFile, ptauFile: ptau.file });
    expect(curve()).toBeNull();
    const portsBefore = openPorts();

    const prove = provers[system];
    const first = await prove({ zkeyFile: setup.zkeyFile, wtns, keepCurve: true });
    const kept = curve();
    expect(kept).not.toBeNull();
    const workers = kept!.tm.workers.length;
    expect(workers).toBeGreaterThan(0);
    expect(openPorts()).toBe(portsBefore + workers);
    const second = await prove({ zkeyFile: setup.zkeyFile, wtns, keepCurve: true });
    expect(curve()).toBe(kept);
    expect(openPorts()).toBe(portsBefore + workers);
    expect(second.publicSignals).toEqual(['9']);

    await terminateCurve();
    expect(curve()).toBeNull();
    expect(openPorts()).toBe(portsBefore);

    // The default: the proof builds its own curve and tears it down.
    await prove({ zkeyFile: setup.zkeyFile, wtns });
    expect(curve()).toBeNull();
    expect(openPorts()).toBe(portsBefore);

    for (const proof of [first, second])
      expect((await verifyProof({ system, verificationKey: setup.verificationKey, proof: proof.proof, publicSignals: proof.publicSignals })).verified).toBe(true);
    expect(curve()).toBeNull();
  });
});
