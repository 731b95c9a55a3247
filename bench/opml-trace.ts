/**
 * The opML trace's two costs, before and after (issue 13 §3; not a test): per model, the
 * submitter's per-inference work — make the claim the registry takes, the final state and the
 * output proof — beside the engine's warm inference (createEngine once, then run: the yardstick,
 * goal ≤ 10×), and the dispute's — the states a k-ary bisection asks the honest party for plus
 * the one-step proof (replayBisection, lie at the middle step), after the claim. The claim two
 * ways, interleaved: `submitter`, from one engine inference (createTrace's `engine`: planClaim's
 * words, the claim schedule; the VM runs when the dispute first asks for a state), and
 * `submitterVm`, from running the VM (`run` alone is that run) — what every claim did before.
 * Each sample is the mean over `--inputs` inputs taken in turn (the model's first held-out
 * digits), so the leaf memo holds what a stream of requests leaves in it. Keccak hashes of the Merkle trees and leaves are
 * counted by merkle.ts's keccakCallCount where it has one, else by wrapping js-sha3 (older code
 * hashed everything there); the one state hash per state, through viem, is not counted.
 *
 * The submitter starts from the request (issue 13 §3): OpmlRegistry.requestInference hashes the
 * input subtree on-chain and emits its root with the initial state (InferenceRequested), so every
 * trace here is given { initialState, inputRoot } — computed once per model outside the timings,
 * as the registry would — and its measured cost includes checking inputRoot against initialState
 * but no hash under the input subtree root (a dispute's proof that reads an input word hashes it
 * then, counted in the dispute). `--hash-input` gives no request: the submitter hashes the input
 * as before (and a `--src` checkout older than this change ignores the request anyway).
 *
 * `--src DIR` runs another checkout's src/opml (e.g. the code before this change, exported with
 * `git archive <commit> src | tar -x -C DIR/..`) with this checkout's bisection replay and engine.
 * Timings: wall-clock medians and CPU-time means of warm repetitions in one process, per model in
 * three phases: the engine alone (`engineAlone`), then two each interleaved so that a change of
 * load hits its tasks alike: (engine, submitter), then (engine, run, submitterVm) — `engine` and
 * `engineVmPhase` are the yardsticks of each (the VM's allocations left collector work that slowed
 * whatever task ran next; the claim's own garbage slows the engine beside it on small models).
 * The load average is recorded. Writes one JSON file atomically.
 *
 * Run: `npx tsx bench/opml-trace.ts [--models a,b] [--samples 20] [--inputs 16] [--src DIR] [--hash-input] [--label after] [--out FILE]`
 */
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'linreg,mnist-mlp-196-24-10,mnist-mlp-784-56-10,mnist-cnn,mlp-w1024' },
    samples: { type: 'string', default: '20' },
    src: { type: 'string' },
    label: { type: 'string', default: 'current' },
    out: { type: 'string', default: 'results/opml-trace/results.json' },
    arities: { type: 'string', default: '2,16' },
    'hash-input': { type: 'boolean', default: false },
    inputs: { type: 'string', default: '16' },
  },
});
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 1) {
  process.stderr.write(`opml-trace: --samples ${values.samples} is not a positive integer\n`);
  process.exit(2);
}

// Count keccak calls before any trace module captures js-sha3's function.
const require = createRequire(import.meta.url);
const sha3 = require('js-sha3') as { keccak256: { arrayBuffer: (data: Uint8Array) => ArrayBuffer } };
let keccakCalls = 0;
const original = sha3.keccak256.arrayBuffer;
sha3.keccak256.arrayBuffer = (data: Uint8Array) => {
  keccakCalls++;
  return original(data);
};

const srcRoot = path.resolve(values.src ?? 'src');
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(srcRoot, file)).href)) as T;
// This checkout's merkle.ts counts its own keccak calls (its leaves and nodes bypass js-sha3).
const merkle = await load<{ keccakCallCount?: () => number }>('opml/merkle.ts');
const hashesSoFar = () => merkle.keccakCallCount?.() ?? keccakCalls;
const { compileProgram } = await load<typeof import('../src/opml/compileProgram.ts')>('opml/compileProgram.ts');
const { createTrace } = await load<typeof import('../src/opml/createTrace.ts')>('opml/createTrace.ts');
const { replayBisection } = await import('../src/opml/game/replayBisection.ts');
const { requestCommitmentOf } = await import('../src/opml/vmState.ts');
const { createEngine } = await import('../src/engine/createEngine.ts');
const { loadBenchModel } = await import('../src/bench/table2/loadBenchModel.ts');
const { collectEnvironment } = await import('../src/bench/collectEnvironment.ts');
const { writeFileAtomic } = await import('../src/bench/writeFileAtomic.ts');
const { sampleInputs } = await import('../src/zoo/sampleInputs.ts');
const { UsageError } = await import('../src/errors.ts');
const { quantizeInputs } = await import('../src/quant/quantizeInputs.ts');

// A full collection between phases (V8's gc(), reached without a command-line flag), then half a
// second for its concurrent sweeping to end: right after gc() the engine ran 2-3x slower while the
// sweeper threads worked beside it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const collectGarbage = () => {
  gc();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
};

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
interface Timed { wallMsMedian: number; cpuMsMean: number; wallMs: number[] }
/** Runs each task `repeat` × 3 times and for 0.3 s untimed (warm code, warm memo), then `samples` rounds of
 * every task in turn; a sample is the mean of `repeat` calls (one per input, in turn). */
function timeInterleaved(tasks: Record<string, () => void>, repeat: number): Record<string, Timed> {
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number> = {};
  // Warm: 3 rounds of `repeat` calls and at least 0.3 s per task, so that V8 has tiered its code
  // up (the engine's WebAssembly kernels ran Liftoff code for the first ~50 calls while TurboFan
  // compiled them on the other core: a first phase of engine samples came out 2-4x slow).
  for (const [name, task] of Object.entries(tasks)) {
    const warmStart = performance.now();
    for (let r = 0; r < 3 * repeat || performance.now() - warmStart < 300; r++) task();
    wall[name] = [];
    cpu[name] = 0;
  }
  for (let i = 0; i < samples; i++) {
    for (const [name, task] of Object.entries(tasks)) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let r = 0; r < repeat; r++) task();
      wall[name].push((performance.now() - start) / repeat);
      const used = process.cpuUsage(cpuStart);
      cpu[name] += (used.user + used.system) / 1000 / repeat;
    }
  }
  return Object.fromEntries(Object.keys(tasks).map((name) => [name, { wallMsMedian: median(wall[name]), cpuMsMean: cpu[name] / samples, wallMs: wall[name] }]));
}

const arities = values.arities!.split(',').filter(Boolean).map(Number);
const loadStart = loadavg()[0]!;
const inputCount = Number(values.inputs);
if (!Number.isInteger(inputCount) || inputCount < 1) {
  process.stderr.write(`opml-trace: --inputs ${values.inputs} is not a positive integer\n`);
  process.exit(2);
}
/** The model's first `count` sample inputs (held-out digits for MNIST models), quantized; the
 * bench model's one input for a model outside the zoo. */
function inputsOf(loaded: ReturnType<typeof loadBenchModel>, count: number): Record<string, number[]>[] {
  let samples;
  try {
    samples = sampleInputs({ name: loaded.name, count });
  } catch (error) {
    // Not a zoo model (sampleInputs refuses it by name): its one bench input.
    if (!(error instanceof UsageError)) throw error;
    return [loaded.inputs];
  }
  return samples.map((sample) => quantizeInputs({
    model: loaded.model,
    inputs: Object.fromEntries(Object.entries(sample).map(([name, t]) => [name, { dims: t.dims, data: Array.from(t.data) }])),
  }));
}

const models = [];
for (const name of values.models!.split(',').filter(Boolean)) {
  const loaded = loadBenchModel({ model: name });
  const program = compileProgram({ model: loaded.model });
  const engine = createEngine({ model: loaded.model });
  const inputs = inputsOf(loaded, inputCount);
  const input = inputs[0];
  // What each request emits (the registry's on-chain hashing, not the submitter's cost).
  const requests = inputs.map((one) => (values['hash-input'] ? undefined : requestCommitmentOf({ layout: program.layout, input: createTrace({ program, input: one }).input })));
  const request = requests[0];
  // The program's first claim, before any other trace of it: every leaf hashed (the leaf memo,
  // shared by a program's traces, is empty). The timed tasks take the inputs in turn, so the
  // memo holds what a submitter's stream of requests leaves in it, not one input's leaves.
  const beforeFirst = hashesSoFar();
  createTrace({ program, input, request, engine }).proveOutput();
  const firstClaimHashes = hashesSoFar() - beforeFirst;
  let turn = 0;
  const next = () => { turn = (turn + 1) % inputs.length; return turn; };
  // Three phases, each from a collected heap (no phase pays for the garbage of the one before it),
  // each with the engine as its yardstick: the engine alone (no other task's garbage; the claim's
  // own slowed the engine beside it on small models); the engine and the claim from the engine,
  // interleaved (what a submitter's process does per request); the engine, the VM run and the VM
  // claim, interleaved. Not one mix of all of them: a VM run allocates its write log and
  // checkpoints, and the collector's work it left behind (concurrent marking on the other core,
  // write barriers) landed in whichever task came next — in one mixed run the claim's fastest
  // sample was 70 µs against 61 µs alone, and its CPU time 1.5× its wall.
  const engineTask = () => { engine.run(inputs[next()]); };
  collectGarbage();
  const alonePhase = timeInterleaved({ engine: engineTask }, inputs.length);
  collectGarbage();
  const claimPhase = timeInterleaved({
    engine: engineTask,
    submitter: () => { const i = next(); createTrace({ program, input: inputs[i], request: requests[i], engine }).proveOutput(); },
  }, inputs.length);
  collectGarbage();
  const vmPhase = timeInterleaved({
    engine: engineTask,
    run: () => { const i = next(); createTrace({ program, input: inputs[i], request: requests[i] }); },
    submitterVm: () => { const i = next(); createTrace({ program, input: inputs[i], request: requests[i] }).proveOutput(); },
  }, inputs.length);
  const timed = { engineAlone: alonePhase.engine, engine: claimPhase.engine, submitter: claimPhase.submitter, engineVmPhase: vmPhase.engine, run: vmPhase.run, submitterVm: vmPhase.submitterVm };
  const claimFrom = createTrace({ program, input, request, engine }).claimFrom;
  const beforeRun = hashesSoFar();
  const counted = createTrace({ program, input, request, engine });
  const runHashes = hashesSoFar() - beforeRun;
  const claim = counted.proveOutput();
  const claimHashes = hashesSoFar() - beforeRun - runHashes;
  const beforeVm = hashesSoFar();
  const vmClaim = createTrace({ program, input, request }).proveOutput();
  const vmClaimHashes = hashesSoFar() - beforeVm;
  if (vmClaim.finalState !== claim.finalState) throw new Error(`opml-trace: ${name}: the engine's claim ${claim.finalState} is not the VM's ${vmClaim.finalState}`);
  const disputes = [];
  const trapped = counted.trap !== undefined;
  for (const arity of trapped ? [] : arities) {
    const disputedStep = Math.max(0, Math.ceil(program.totalSteps / 2) - 1);
    const replay = (trace: ReturnType<typeof createTrace>) => replayBisection({
      trace: { stateAt: trace.stateAt, proveStep: trace.proveStep, totalSteps: program.totalSteps, layerStarts: program.layout.layerBoundaries },
      arity, disputedStep,
    });
    const claimed = createTrace({ program, input, request, engine });
    claimed.proveOutput();
    const beforeDispute = hashesSoFar();
    const played = replay(claimed);
    const hashes = hashesSoFar() - beforeDispute;
    const wall: number[] = [];
    for (let i = 0; i < Math.min(samples, 10); i++) {
      const trace = createTrace({ program, input, request, engine });
      trace.proveOutput();
      const start = performance.now();
      replay(trace);
      wall.push(performance.now() - start);
    }
    disputes.push({ arity, disputedStep, rounds: played.rounds, statesAsked: played.statesAsked, keccakHashes: hashes, wallMsMedian: median(wall), wallMs: wall });
  }
  const row = {
    model: name,
    steps: program.totalSteps,
    writes: counted.writeCount,
    memoryDepth: program.memoryDepth,
    finalState: claim.finalState,
    trapStep: counted.trap?.step,
    claimFrom,
    engineAlone: timed.engineAlone,
    engine: timed.engine,
    engineVmPhase: timed.engineVmPhase,
    run: { ...timed.run },
    submitterVm: { ...timed.submitterVm, keccakHashes: vmClaimHashes },
    submitter: { ...timed.submitter, keccakHashes: runHashes + claimHashes, keccakHashesFirstClaim: firstClaimHashes },
    submitterOverEngine: { wall: timed.submitter.wallMsMedian / timed.engine.wallMsMedian, cpu: timed.submitter.cpuMsMean / timed.engine.cpuMsMean },
    submitterOverEngineAlone: { wall: timed.submitter.wallMsMedian / timed.engineAlone.wallMsMedian, cpu: timed.submitter.cpuMsMean / timed.engineAlone.cpuMsMean },
    submitterVmOverEngine: { wall: timed.submitterVm.wallMsMedian / timed.engineVmPhase.wallMsMedian, cpu: timed.submitterVm.cpuMsMean / timed.engineVmPhase.cpuMsMean },
    disputes,
  };
  models.push(row);
  process.stderr.write(`opml-trace ${values.label}: ${name}: engine ${timed.engine.wallMsMedian.toFixed(3)} ms, VM run ${timed.run.wallMsMedian.toFixed(3)} ms, VM claim ${timed.submitterVm.wallMsMedian.toFixed(3)} ms (${row.submitterVmOverEngine.wall.toFixed(1)}×), claim from ${claimFrom.source}${request ? ' on the request\'s input root' : ''} ${timed.submitter.wallMsMedian.toFixed(3)} ms (${row.submitterOverEngine.wall.toFixed(1)}× engine beside it, ${row.submitterOverEngineAlone.wall.toFixed(1)}× engine alone, ${runHashes + claimHashes} hashes, first claim ${firstClaimHashes})` +
    disputes.map((d) => `; dispute k=${d.arity} ${d.wallMsMedian.toFixed(2)} ms, ${d.keccakHashes} hashes`).join('') + '\n');
}

writeFileAtomic({
  file: path.resolve(values.out!),
  content: `${JSON.stringify({
    schema: 'opzk-bench/opml-trace@1',
    createdAt: new Date().toISOString(),
    label: values.label,
    src: values.src ?? 'src',
    command: `npx tsx bench/opml-trace.ts --models ${values.models} --samples ${samples} --inputs ${inputCount}${values.src ? ` --src ${values.src}` : ''}${values['hash-input'] ? ' --hash-input' : ''} --label ${values.label}`,
    units: { wallMsMedian: 'ms per inference (wall clock, median of samples)', cpuMsMean: 'ms per inference (process CPU time, mean of samples)', keccakHashes: 'keccak256 calls of the Merkle trees and leaves (js-sha3)', keccakHashesFirstClaim: 'the same, for the program\'s first claim (no leaf memoized yet)', submitterOverEngine: 'submitter / engine (the claim phase)', submitterOverEngineAlone: 'submitter / engineAlone (the engine timed on its own first)', submitterVmOverEngine: 'submitterVm / engineVmPhase (the VM phase)' },
    settings: { samples, arities, submitterStartsFrom: values['hash-input'] ? 'the input words (hashed by the submitter)' : 'the request\'s inputRoot (InferenceRequested), checked against its initialState', disputedStep: 'ceil(steps / 2) - 1 (the Security row\'s step cheat)', input: `the model's first ${inputCount} sample inputs (sampleInputs; held-out digits), in turn; a sample is the mean over them`, claim: 'submitter: from the engine (createTrace engine); submitterVm: from the VM run', phases: 'engine alone; engine + submitter interleaved; engine + run + submitterVm interleaved; a full gc() and 0.5 s before each', warmUp: '3 x --inputs calls and at least 0.3 s per task, untimed' },
    environment: collectEnvironment(),
    cpuCount: cpus().length,
    loadAverage1m: { start: loadStart, end: loadavg()[0]! },
    models,
  }, null, 2)}\n`,
});
