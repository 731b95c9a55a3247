/**
 * Owns the options the table2, scaling and quick suites share: which models, the width ladder,
 * the per-attempt time and memory limits, the dispute game's settings, the proof system, and
 * how zkML finality counts a block. Parses `opzk bench` option values into settings with every
 * default filled in (they are recorded in results.json, and a baseline comparison needs them).
 */
import { UsageError } from '../../../errors.ts';
import { readZoo } from '../../../zoo/readZoo.ts';
import { describeTrustedSetup } from '../../../zk/describeTrustedSetup.ts';
import { PROOF_SYSTEMS, type ProofSystem } from '../../../zk/types.ts';
import { MAX_TENSOR_ELEMENTS } from '../../../onnx/checkTensorDims.ts';

export interface Table2Settings extends Record<string, unknown> {
  /** Models measured as Table II rows (zoo names or .onnx paths), in order. */
  models: string[];
  /** The width ladder for Model Size, smallest first (empty: no ladder). */
  ladder: string[];
  /** The model whose gas, storage, finality and security figures the table shows. */
  referenceModel: string;
  /** Per attempt (one path of one model, in a child process): the per-inference budget (--time-limit), seconds of wall time outside the one-time steps. */
  timeLimitSeconds: number;
  /**
   * Per attempt: the one-time budget (--setup-time-limit), seconds: loading and quantizing the model,
   * circuit generation and compile, powers of tau, key setup, VM compile, gkr weight commitment; an
   * artefact taken from the cache is charged the build time recorded with it (attemptBudgets.ts).
   */
  setupTimeLimitSeconds: number;
  /** Timed runs of each per-inference step (trace, witness, prove, verify, gkr prove), the first included; Table II shows the median. */
  repetitions: number;
  /** Per attempt: resident memory cap of the child's process group, MiB. */
  memoryCapMiB: number;
  system: ProofSystem;
  arity: number;
  challengeWindowSeconds: number;
  clockSeconds: number;
  /** Bond in wei, decimal string. */
  bondWei: string;
  /** zkML finality = witness + prove + one block of this many seconds. */
  blockSeconds: number;
  /** Timed repetitions of native and engine inference. */
  inferenceSamples: number;
  /** Run each attempt in a child process with the limits (true) or in this process (false). */
  isolate: boolean;
  /** Play every cheat strategy (the Security row)... */
  cheats: boolean;
  /** ...on this model (default: the reference model). */
  cheatsModel: string;
  ptau: string;
  /** Also prove every model with the sumcheck/GKR prover (issue 10), beside `system` (default true; --no-gkr). */
  gkr?: boolean;
  /** gkr only: widths of the ladder continued beyond the zoo (mlp-w2048 …, writeWideMlp), after the ladder. */
  gkrBeyond?: number[];
  /**
   * zkML input mode of every zk attempt (`--inputs`, default public: the ladder's figures stay
   * comparable); table2 also measures the reference model in the other mode beside it.
   */
  zkInputs?: 'public' | 'hashed';
  /** Local anvils enforce EIP-170/EIP-3860 (default true); `--no-code-size-limit` lifts them, and the results say so. */
  codeSizeLimit?: boolean;
  /** Also measure the reference model in the other input mode (table2: true; quick keeps its budget: false). */
  zkInputsBeside?: boolean;
}

export const TABLE2_OPTIONS = {
  models: { type: 'string' },
  model: { type: 'string', multiple: true },
  ladder: { type: 'string' },
  'reference-model': { type: 'string' },
  'cheats-model': { type: 'string' },
  'time-limit': { type: 'string' },
  'setup-time-limit': { type: 'string' },
  repetitions: { type: 'string' },
  'memory-cap': { type: 'string' },
  system: { type: 'string' },
  arity: { type: 'string' },
  window: { type: 'string' },
  clock: { type: 'string' },
  bond: { type: 'string' },
  'block-seconds': { type: 'string' },
  'inference-samples': { type: 'string' },
  'no-gkr': { type: 'boolean' },
  'gkr-beyond': { type: 'string' },
  inputs: { type: 'string' },
  'no-code-size-limit': { type: 'boolean' },
} as const;

export const TABLE2_OPTIONS_HELP = (defaults: { models: string; ladder: string; timeLimitSeconds: number; setupTimeLimitSeconds?: number; repetitions?: number; memoryCapMiB: number; referenceModel: string; cheatsModel?: string; gkrBeyond?: number[] }) => [
  `--models LIST          comma-separated zoo names or .onnx paths (default ${defaults.models})`,
  '--model FILE           add a model (repeatable): a zoo name or an .onnx path',
  `--ladder LIST          the width ladder for Model Size, smallest first (default ${defaults.ladder}; 'none' for no ladder)`,
  `--reference-model M    the model of the computation, gas, storage, finality and tampering figures (default ${defaults.referenceModel})`,
  `--cheats-model M       the model every cheat strategy of the dispute game is played on (default ${defaults.cheatsModel ?? 'the reference model'})`,
  `--time-limit S         per attempt (one path of one model, in a child process): seconds for the per-inference work — witness, prove, verify, trace, and the on-chain and tampering checks (default ${defaults.timeLimitSeconds})`,
  `--setup-time-limit S   per attempt: seconds for the one-time work — load + quantize, circuit compile, powers of tau, key setup, VM compile, gkr commitment; a cached artefact counts the time its build took (default ${defaults.setupTimeLimitSeconds ?? defaults.timeLimitSeconds})`,
  `--repetitions K        timed runs of each per-inference step (trace, witness, prove, verify, gkr prove), the first included; medians with their range (default ${defaults.repetitions ?? 1}; the runs after the first stop within a quarter of --time-limit)`,
  `--memory-cap MIB       per attempt: resident memory cap of the child process group (default ${defaults.memoryCapMiB})`,
  '--system S             groth16 | plonk | fflonk (default groth16)',
  '--arity K --window S --clock S --bond WEI   the dispute game (default 2, 3600 s, the window, 10^18 wei)',
  '--block-seconds S      zkML finality adds one block of S seconds (default 12, Ethereum\'s slot)',
  '--inference-samples K  timed native/engine inferences per model (default 5)',
  '--no-gkr               leave out the sumcheck/GKR prover (by default every model is also proved with it, beside --system)',
  '--inputs M             zkML input mode: public (every pixel a public signal) | hashed (a Poseidon commitment, the input posted as calldata) (default public; table2 also runs the reference model in the other mode, scaling does not)',
  '--no-code-size-limit   lift EIP-170/EIP-3860 on the local anvils (default: enforced as on mainnet; a verifier over 24,576 bytes is then recorded as refused, not measured)',
  `--gkr-beyond W,W       gkr only: continue the ladder past the zoo with mlp-w<W> (784→W→10, random weights, generated) (default ${defaults.gkrBeyond?.join(',') || 'none'}; 'none' for none)`,
];

/** The zoo's width ladder (mlp-w8 … mlp-w1024), smallest first. */
export function zooWidthLadder(): string[] {
  return readZoo().models.map((m) => m.name).filter((name) => /^mlp-w\d+$/.test(name)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

function integer(suite: string, option: string, text: unknown, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`bench --suite ${suite}: --${option} '${text}' is not an integer ≥ ${min}`, { hint: `e.g. --${option} ${fallback}`, details: { option, value: text } });
  return value;
}

function list(text: unknown): string[] | undefined {
  if (text === undefined) return undefined;
  return String(text).split(',').map((part) => part.trim()).filter(Boolean);
}

function gkrBeyond(suite: string, text: unknown, fallback: number[]): number[] {
  const widths = list(text);
  if (!widths) return fallback;
  if (widths.length === 1 && widths[0] === 'none') return [];
  return widths.map((w) => {
    const width = Number(w);
    if (!Number.isInteger(width) || width <= 1024 || (width & (width - 1)) !== 0)
      throw new UsageError(`bench --suite ${suite}: --gkr-beyond '${w}' is not a power of two above 1024 (the zoo's ladder ends at mlp-w1024)`, { hint: 'e.g. --gkr-beyond 2048,4096', details: { width: w } });
    if (784 * width > MAX_TENSOR_ELEMENTS)
      throw new UsageError(`bench --suite ${suite}: --gkr-beyond ${width}: mlp-w${width}'s first weight has 784 × ${width} elements, more than the importer's ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS)`, { hint: 'the widest importable is 16384', details: { width } });
    return width;
  }).sort((a, b) => a - b);
}

export interface ResolveTable2SettingsParameters {
  suite: string;
  values: Record<string, unknown>;
  defaults: { models: string[]; ladder: string[]; referenceModel: string; timeLimitSeconds: number; setupTimeLimitSeconds?: number; repetitions?: number; memoryCapMiB: number; isolate: boolean; cheats?: boolean; cheatsModel?: string; gkrBeyond?: number[] };
}

export function resolveTable2Settings({ suite, values, defaults }: ResolveTable2SettingsParameters): Table2Settings {
  const extra = (values.model as string[] | undefined) ?? [];
  const models = [...new Set([...(list(values.models) ?? defaults.models), ...extra])];
  const ladderText = list(values.ladder);
  const ladder = ladderText?.length === 1 && ladderText[0] === 'none' ? [] : (ladderText ?? defaults.ladder);
  const system = (values.system as string | undefined) ?? 'groth16';
  if (!(PROOF_SYSTEMS as readonly string[]).includes(system))
    throw new UsageError(`bench --suite ${suite}: --system '${system}' is not one of ${PROOF_SYSTEMS.join(', ')}`, { details: { system } });
  const challengeWindowSeconds = integer(suite, 'window', values.window, 3600);
  let bondWei: string;
  try {
    bondWei = BigInt((values.bond as string | undefined) ?? 10n ** 18n).toString();
  } catch (error) {
    throw new UsageError(`bench --suite ${suite}: --bond '${values.bond}' is not a whole number of wei`, { hint: 'e.g. --bond 1000000000000000000', cause: error });
  }
  const referenceModel = (values['reference-model'] as string | undefined) ?? defaults.referenceModel;
  const zkInputs = (values.inputs as string | undefined) ?? 'public';
  if (zkInputs !== 'public' && zkInputs !== 'hashed')
    throw new UsageError(`bench --suite ${suite}: --inputs '${zkInputs}' is not one of public, hashed`, { hint: 'e.g. --inputs hashed', details: { inputs: zkInputs } });
  if (models.length === 0 && ladder.length === 0) throw new UsageError(`bench --suite ${suite}: no models and no ladder: nothing to measure`, { hint: 'give --models or --ladder' });
  return {
    models,
    ladder,
    referenceModel,
    timeLimitSeconds: integer(suite, 'time-limit', values['time-limit'], defaults.timeLimitSeconds),
    setupTimeLimitSeconds: integer(suite, 'setup-time-limit', values['setup-time-limit'], defaults.setupTimeLimitSeconds ?? defaults.timeLimitSeconds),
    repetitions: integer(suite, 'repetitions', values.repetitions, defaults.repetitions ?? 1),
    memoryCapMiB: integer(suite, 'memory-cap', values['memory-cap'], defaults.memoryCapMiB, 64),
    system: system as ProofSystem,
    arity: integer(suite, 'arity', values.arity, 2, 2),
    challengeWindowSeconds,
    clockSeconds: integer(suite, 'clock', values.clock, challengeWindowSeconds),
    bondWei,
    blockSeconds: integer(suite, 'block-seconds', values['block-seconds'], 12, 0),
    inferenceSamples: integer(suite, 'inference-samples', values['inference-samples'], 5),
    isolate: defaults.isolate,
    cheats: defaults.cheats ?? true,
    cheatsModel: (values['cheats-model'] as string | undefined) ?? defaults.cheatsModel ?? referenceModel,
    ptau: describeTrustedSetup({ system: system as ProofSystem, localPtau: true }),
    gkr: !values['no-gkr'],
    gkrBeyond: values['no-gkr'] ? [] : gkrBeyond(suite, values['gkr-beyond'], defaults.gkrBeyond ?? []),
    zkInputs,
    codeSizeLimit: !values['no-code-size-limit'],
  };
}
