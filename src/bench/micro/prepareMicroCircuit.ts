/**
 * Prepares one (op, N) circuit of the micro suite for proving, with the zk backend's adapters:
 * compile (r1cs counts), witness generation (checked against the integer reference, then timed),
 * and the setup of each proof system asked for (with a powers of tau from ensurePtau). The proofs
 * themselves are timed by measureMicroOp, interleaved over the op's whole ladder.
 */
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { calculateWitness } from '../../zk/calculateWitness.ts';
import { compileCircuit } from '../../zk/compileCircuit.ts';
import { setupCircuit, type SetupCircuitResult } from '../../zk/setupCircuit.ts';
import { writeCircuitSource } from '../../zk/writeCircuitSource.ts';
import { ensurePtau } from '../../zk/setup/ensurePtau.ts';
import { BN254_PRIME } from '../../zk/calculateWitness.ts';
import { rescale } from '../../engine/rescale.ts';
import { ToolError, VerificationError } from '../../errors.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { Progress } from '../createProgress.ts';
import type { CreateQuietTimerResult } from './createQuietTimer.ts';
import { buildSmoothTable, evaluateSmooth, evaluateSoftmaxRow } from '../../quant/smoothTable.ts';
import { MICRO_OPS, SOFTMAX_ROW, circuitInput, median, resultSignalName, systemsFor, type MicroOpId, type MicroProofSystem, type MicroSettings } from './microOps.ts';

export interface PrepareMicroCircuitParameters {
  op: MicroOpId;
  n: number;
  settings: MicroSettings;
  cacheDir: string;
  /** Times the witness samples on a quiet machine; without one they are timed as they come. */
  timer?: CreateQuietTimerResult;
  progress?: Progress;
}

export interface PrepareMicroCircuitResult {
  /** Constraints, wires, witness time, and per system the proving key size and the setup time. */
  measurements: Measurement[];
  constraints: number;
  /** The witness (.wtns bytes) every proof of this circuit uses. */
  wtns: Uint8Array;
  /** The proving key of each system that proves this circuit (microOps.ts systemsFor: PLONK only up to plonkMaxConstraints). */
  keys: Array<{ system: MicroProofSystem; zkeyFile: string }>;
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
    case 'sigmoid':
    case 'tanh': {
      const table = buildSmoothTable({ fn: op, scaleBits: s, valueBits: settings.valueBits, where: `micro ${op}` });
      return a.map((x) => BigInt(evaluateSmooth({ ...table, x })));
    }
    case 'softmax-8': {
      const table = buildSmoothTable({ fn: 'exp', scaleBits: s, valueBits: settings.valueBits, where: `micro ${op}` });
      const out: bigint[] = [];
      for (let row = 0; row < a.length; row += SOFTMAX_ROW)
        for (const value of evaluateSoftmaxRow({ ...table, scaleBits: s, row: a.slice(row, row + SOFTMAX_ROW) })) out.push(BigInt(value));
      return out;
    }
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

export async function prepareMicroCircuit({ op: opId, n, settings, cacheDir, timer, progress }: PrepareMicroCircuitParameters): Promise<PrepareMicroCircuitResult> {
  const op = MICRO_OPS[opId];
  const labels = { op: opId, n };
  const measurements: Measurement[] = [];
  progress?.phase(`compile n=${n}`);
  // Absolute: the witness calculator is loaded with require(), which resolves relative paths oddly.
  const { circuitFile } = await writeCircuitSource({ source: op.circuit(n, settings), cacheDir: resolve(cacheDir) });
  const compiled = await compileCircuit({ circuitFile });
  measurements.push(
    createMeasurement({ metric: 'constraints', labels, unit: 'constraints', kind: 'deterministic', value: compiled.constraints }),
    createMeasurement({ metric: 'nonLinearConstraints', labels, unit: 'constraints', kind: 'deterministic', value: compiled.nonLinearConstraints }),
    createMeasurement({ metric: 'wires', labels, unit: 'wires', kind: 'deterministic', value: compiled.wires }),
  );

  progress?.phase(`witness n=${n}`);
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
    const step = () => calculateWitness({ wasmFile: compiled.wasmFile, input });
    witness = timer ? (await timer.time(step)).value : await step();
    witnessMs.push(witness.witnessMs);
  }
  measurements.push({ ...createMeasurement({ metric: 'witnessTime', labels, unit: 'ms', kind: 'timing', samples: witnessMs }), median: median(witnessMs) });

  let insecureSetup = false;
  const keys: PrepareMicroCircuitResult['keys'] = [];
  const basePower = Math.max(Math.ceil(Math.log2(compiled.constraints + compiled.publicInputs + compiled.publicOutputs + 1)), 8);
  for (const system of systemsFor(settings, compiled.constraints)) {
    progress?.phase(`setup ${system} n=${n}`);
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
    keys.push({ system, zkeyFile: setup.zkeyFile });
  }
  return { measurements, constraints: compiled.constraints, wtns: witness.wtns, keys, insecureSetup };
}
