/**
 * The exhaustive-search harness of test/zk-templates.test.ts for template tests in other files:
 * compile a main, compute a witness, and enumerate every satisfying assignment of the free wires
 * (bits over {0,1}, others over a window), so a test can assert that the honest output is the
 * only witness. test/zk-templates.test.ts and the other template tests share it.
 */
import { BN254_PRIME, calculateWitness, type CircuitInput } from '../src/zk/calculateWitness.ts';
import { checkWitness } from '../src/zk/checkWitness.ts';
import { compileCircuit, type CompileCircuitResult } from '../src/zk/compileCircuit.ts';
import { readR1cs, type ReadR1csResult } from '../src/zk/readR1cs.ts';
import { readSym } from '../src/zk/readSym.ts';
import { writeCircuitSource } from '../src/zk/writeCircuitSource.ts';

export const p = BN254_PRIME;
export const field = (x: number | bigint) => ((BigInt(x) % p) + p) % p;

export interface Built {
  compiled: CompileCircuitResult;
  r1cs: ReadR1csResult;
  wires: Map<string, number>;
}

/** Compiles `main`; `publicInputs` keeps main inputs that --O2 would otherwise substitute away. */
export async function build(include: string, main: string, publicInputs: string[] = []): Promise<Built> {
  const visibility = publicInputs.length ? ` {public [${publicInputs.join(', ')}]}` : '';
  const { circuitFile } = await writeCircuitSource({ source: `pragma circom 2.1.0;\ninclude "${include}.circom";\ncomponent main${visibility} = ${main};\n` });
  const compiled = await compileCircuit({ circuitFile });
  const r1cs = await readR1cs({ file: compiled.r1csFile, loadConstraints: true });
  return { compiled, r1cs, wires: await readSym({ file: compiled.symFile }) };
}

export async function outputOf(built: Built, input: CircuitInput): Promise<bigint> {
  const { witness } = await calculateWitness({ wasmFile: built.compiled.wasmFile, input });
  checkWitness({ r1cs: built.r1cs, witness });
  return witness[built.wires.get('main.out')!]!;
}

/**
 * Every satisfying assignment, given fixed wires: free wires whose name is a bit of a Num2Bits
 * range over {0,1}, the others over [-window, window]. Constraints are checked as soon as all
 * their wires are assigned, so the search stays small for the widths used here.
 */
export function solveAll(r1cs: ReadR1csResult, wires: Map<string, number>, fixed: Map<number, bigint>, window: number): Array<Map<number, bigint>> {
  const names = new Map<number, string>();
  for (const [name, wire] of wires) names.set(wire, name);
  const free: number[] = [];
  for (let wire = 1; wire < r1cs.nWires; wire++) if (!fixed.has(wire)) free.push(wire);
  const domain = (wire: number): bigint[] => {
    const name = names.get(wire) ?? '';
    if (/Bits\.out\[|decompose\.out\[|difference\.out\[|belowDivisor\.out\[/.test(name)) return [0n, 1n];
    return Array.from({ length: 2 * window + 1 }, (_, i) => field(i - window));
  };
  const assignment = new Map(fixed);
  assignment.set(0, 1n);
  const order = [0, ...fixed.keys(), ...free];
  const position = new Map(order.map((wire, i) => [wire, i]));
  // Each constraint is checked at the position of its last wire in the search order.
  const checksAt = new Map<number, number[]>();
  r1cs.constraints!.forEach((constraint, index) => {
    const last = Math.max(0, ...[...constraint.a, ...constraint.b, ...constraint.c].map(([wire]) => position.get(wire)!));
    checksAt.set(last, [...(checksAt.get(last) ?? []), index]);
  });
  const evaluate = (combination: Array<[number, bigint]>) => combination.reduce((sum, [wire, k]) => (sum + k * assignment.get(wire)!) % p, 0n);
  const holds = (index: number) => {
    const c = r1cs.constraints![index]!;
    return (evaluate(c.a) * evaluate(c.b) - evaluate(c.c)) % p === 0n;
  };
  const prefix = order.length - free.length;
  for (let i = 0; i < prefix; i++) for (const index of checksAt.get(i) ?? []) if (!holds(index)) return [];
  const solutions: Array<Map<number, bigint>> = [];
  const search = (depth: number) => {
    if (depth === order.length) {
      solutions.push(new Map(assignment));
      return;
    }
    const wire = order[depth]!;
    for (const value of domain(wire)) {
      assignment.set(wire, value);
      if ((checksAt.get(depth) ?? []).every(holds)) search(depth + 1);
    }
    assignment.delete(wire);
  };
  search(prefix);
  return solutions;
}

export const signed = (x: bigint) => (x > (p - 1n) / 2n ? x - p : x);
