/**
 * Measures one (op, N) circuit of the micro suite with the zk backend's adapters: compile (r1cs
 * counts), witness generation (checked against the integer reference, then timed), and for each
 * proof system the setup (with a powers of tau from ensurePtau) and timed proofs.
 */
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { calculateWitness } from '../../zk/calculateWitness.ts';
import { compileCircuit } from '../../zk/compileCircuit.ts';
import { proveGroth16 } from '../../zk/proveGroth16.ts';
import { provePlonk } from '../../zk/provePlonk.ts';
import { setupCircuit, type SetupCircuitResult } from '../../zk/setupCircuit.ts';
import { writeCircuitSource } from '../../zk/writeCircuitSource.ts';
import { ensurePtau } from '../../zk/setup/ensurePtau.ts';
import { BN254_PRIME } from '../../zk/calculateWitness.ts';
import { rescale } from '../../engine/rescale.ts';
import { ToolError, VerificationError } from '../../errors.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { Progress } from '../createProgress.ts';
import { MICRO_OPS, circuitInput, resultSignalName, type MicroOpId, type MicroSettings } from './microOps.ts';

export interface MeasureMicroCircuitParameters {
  op: MicroOpId;
  n: number;
  settings: MicroSettings;
  cacheDir: string;
  progress?: Progress;
}

export interface MeasureMicroCircuitResult {
  measurements: Measurement[];
  /** Whether every ptau used was generated locally with a known secret (always true unless a ceremony file is configured). */
  insecureSetup: boolean;
}

/** The outputs the circuit must produce, from the integer semantics (docs/fixed-point.md). */
export function referenceOutputs(op: MicroOpId, values: { a: number[]; b?: number[] }, settings: MicroSettings): bigint[] {
  const { a, b } = values;
  const s = settings.scaleBits;
  switch (op) {
    case 'mul': return a.map((x, i) => BigInt(x) * BigInt(b![i]!));
    case 'fixed-mul': return a.map((x, i) => BigInt(rescale({ value: x * b![i]!, scaleBits: s })));
    case 'dot': return [BigInt(rescale({ value: a.reduce((sum, x, i) => sum + x * b![i]!, 0), scaleBits: s }))];
    default: return a.map((x) => BigInt(Math.max(x, 0)));
  }
}

/** Witness index of each named signal, from circom's .sym file (`label,witnessIndex,component,name`; -1 when eliminated). */
async function readSymbols(symFile: string): Promise<Map<string, number>> {
  const symbols = new Map<string, number>();
  for (const line of (await readFile(symFile, 'utf8')).split('\n')) {
    const [, index, , name] = line.split(',');
    if (name !== undefined) symbols.set(name.trim(), Number(index));
  }
  return symbols;
}

function fieldToSigned(value: bigint): bigint {
  return value > BN254_PRIME / 2n ? value - BN254_PRIME : value;
}

export async function measureMicroCircuit({ op: opId, n, settings, cacheDir, progress }: MeasureMicroCircuitParameters): Promise<MeasureMicroCircuitResult> {
  const op = MICRO_OPS[opId];
  const labels = { op: opId, n };
  const measurements: Measurement[] = [];
  progress?.phase('compile');
  // Absolute: the witness calculator is loaded with require(), which resolves relative paths oddly.
  const { circuitFile } = await writeCircuitSource({ source: op.circuit(n, settings), cacheDir: resolve(cacheDir) });
  const compiled = await compileCircuit({ circuitFile });
  measurements.push(
    createMeasurement({ metric: 'constraints', labels, unit: 'constraints', kind: 'deterministic', value: compiled.constraints }),
    createMeasurement({ metric: 'nonLinearConstraints', labels, unit: 'constraints', kind: 'deterministic', value: compiled.nonLinearConstraints }),
    createMeasurement({ metric: 'wires', labels, unit: 'wires', kind: 'deterministic', value: compiled.wires }),
  );

  progress?.phase('witness');
  const values = op.inputs(n, settings);
  const input = circuitInput(op, values);
  const expected = referenceOutputs(opId, values, settings);
  let witness = await calculateWitness({ wasmFile: compiled.wasmFile, input });
  const symbols = await readSymbols(compiled.symFile);
  const outputs = expected.map((_, i) => {
    // circom --O2 may substitute the first result by the output `first` that copies it.
    const named = symbols.get(resultSignalName(op, i));
    const wire = named !== undefined && named >= 0 ? named : i === 0 ? symbols.get('main.first') : undefined;
    if (wire === undefined || wire < 0)
      throw new VerificationError(`micro ${opId} n=${n}: result signal ${resultSignalName(op, i)} is not in the witness`, { hint: 'circom eliminated it or the main was generated wrong', details: { symFile: compiled.symFile } });
    return fieldToSigned(witness.witness[wire]!);
  });
  const mismatch = expected.findIndex((value, i) => outputs[i] !== value);
  if (mismatch >= 0)
    throw new VerificationError(`micro ${opId} n=${n}: circuit output ${mismatch} is ${outputs[mismatch]}, the integer reference says ${expected[mismatch]}`, {
      hint: 'the generated main or a template disagrees with docs/fixed-point.md',
      details: { op: opId, n, index: mismatch, circuit: circuitFile },
    });
  const witnessMs: number[] = [];
  for (let i = 0; i < settings.samples; i++) {
    witness = await calculateWitness({ wasmFile: compiled.wasmFile, input });
    witnessMs.push(witness.witnessMs);
  }
  measurements.push(createMeasurement({ metric: 'witnessTime', labels, unit: 'ms', kind: 'timing', samples: witnessMs }));

  let insecureSetup = false;
  const basePower = Math.max(Math.ceil(Math.log2(compiled.constraints + compiled.publicInputs + compiled.publicOutputs + 1)), 8);
  for (const system of settings.proofSystems) {
    progress?.phase(`setup ${system}`);
    // PLONK needs more rows than R1CS constraints (public inputs, addition gates): try larger ptau files until one fits.
    let setup: SetupCircuitResult | undefined;
    let power = system === 'groth16' ? basePower : basePower + 1;
    for (let attempt = 0; !setup; attempt++) {
      const ptau = await ensurePtau({ power });
      insecureSetup ||= ptau.insecure;
      try {
        setup = await setupCircuit({ system, r1csFile: compiled.r1csFile, ptauFile: ptau.file });
      } catch (error) {
        if (!(error instanceof ToolError) || attempt >= 3) throw error;
        power = ptau.power + 1;
      }
    }
    measurements.push(createMeasurement({ metric: 'provingKeyBytes', labels: { ...labels, system }, unit: 'bytes', kind: 'deterministic', value: setup.zkeyBytes }));
    if (!setup.cached) measurements.push(createMeasurement({ metric: 'setupTime', labels: { ...labels, system }, unit: 'ms', kind: 'info', value: setup.setupMs, note: 'one run; absent when the key came from the cache' }));
    const proveMs: number[] = [];
    let proofBytes = 0;
    for (let i = 0; i < settings.samples; i++) {
      progress?.phase(`prove ${system} ${i + 1}/${settings.samples}`);
      const proof = system === 'groth16'
        ? await proveGroth16({ zkeyFile: setup.zkeyFile, wtns: witness.wtns })
        : await provePlonk({ zkeyFile: setup.zkeyFile, wtns: witness.wtns });
      proveMs.push(proof.proveMs);
      proofBytes = proof.proofBytes;
    }
    measurements.push(
      createMeasurement({ metric: 'proveTime', labels: { ...labels, system }, unit: 'ms', kind: 'timing', samples: proveMs }),
      createMeasurement({ metric: 'proofBytes', labels: { ...labels, system }, unit: 'bytes', kind: 'deterministic', value: proofBytes }),
    );
  }
  return { measurements, insecureSetup };
}
