/**
 * The `quick` suite, what `npm run bench` runs on a fresh clone (≤ 3 minutes on 2 cores, the
 * local powers of tau and the key setup included): the small MNIST model through all three
 * backends (native and engine agree on the class; engine = circuit bit for bit), one proof
 * verified on a local EVM with tampered proofs rejected, one dispute plus every cheat strategy,
 * the Table II rows for that model, and the multiplication / ReLU verdicts from a reduced micro
 * ladder (the micro suite's own work items). Everything runs in this process (no limits).
 */
import { calibrateBenchModel } from '../table2/calibrateBenchModel.ts';
import { loadBenchModel } from '../table2/loadBenchModel.ts';
import { compareBackends } from '../table2/compareBackends.ts';
import type { Suite, WorkItem } from '../suite.ts';
import type { RunResults } from '../types.ts';
import { microVerdicts } from '../verdicts.ts';
import { summarizeMicro } from '../micro/summarizeMicro.ts';
import { summarizeGkrMicro } from '../micro/summarizeGkrMicro.ts';
import type { MicroSettings } from '../micro/microOps.ts';
import { suite as microSuite } from './micro.ts';
import { resolveTable2Settings, type Table2Settings } from './shared/resolveTable2Settings.ts';
import { summarizeTable2Run } from './shared/summarizeTable2Run.ts';
import { runTable2Item, table2WorkItems } from './table2.ts';

export interface QuickSettings extends Table2Settings {
  /** The reduced micro ladder (the micro suite's settings). */
  micro: MicroSettings;
}

const MODEL = 'mnist-mlp-196-24-10';
const MICRO_PREFIX = 'micro:';

export const suite: Suite<QuickSettings> = {
  name: 'quick',
  summary: `the fresh-clone run (npm run bench): ${MODEL} through native, engine and zk, one proof, one dispute and every cheat, its Table II rows, the mul/ReLU verdicts from a small micro ladder`,
  options: { model: { type: 'string' }, window: { type: 'string' }, clock: { type: 'string' }, bond: { type: 'string' }, inputs: { type: 'string' }, 'no-code-size-limit': { type: 'boolean' } },
  optionsHelp: [
    `--model M              the model (default ${MODEL})`,
    '--inputs M             zkML input mode: public | hashed (default public; quick runs one mode, table2 both)',
    '--no-code-size-limit   lift EIP-170/EIP-3860 on the local anvil (default enforced; the report says when lifted)',
    '--window S --clock S --bond WEI   the dispute game (default 3600 s, the window, 10^18 wei; shorten them with --rpc-url, where they pass in real time)',
  ],
  resolveSettings(values) {
    const model = (values.model as string | undefined) ?? MODEL;
    const table2 = resolveTable2Settings({
      suite: 'quick', values: { models: model, window: values.window, clock: values.clock, bond: values.bond, inputs: values.inputs, 'no-code-size-limit': values['no-code-size-limit'] },
      defaults: { models: [model], ladder: [], referenceModel: model, timeLimitSeconds: 600, memoryCapMiB: 4096, isolate: false },
    });
    // A short quiet wait: the quick run's 3-minute budget outranks its micro timings' precision.
    const micro = microSuite.resolveSettings({ ops: 'mul,relu-16,relu-full', 'ladder-points': '2', 'max-constraints': '1100', samples: '1', 'proof-systems': 'groth16', 'native-time-ms': '100', 'quiet-wait-s': '15',
      // The sumcheck/GKR prover: a matmul ladder up to n = 256 (where the 4× verdict is judged), small one-op models, the quick model whole.
      'gkr-ladder': '64,128,256', 'gkr-ops-ladder': '128,512', 'gkr-models': model, 'gkr-samples': '3' });
    return { ...table2, zkInputsBeside: false, micro };
  },
  async listWorkItems(settings, context) {
    const items: WorkItem[] = [{ id: `backends/${settings.referenceModel}`, label: `native vs engine ${settings.referenceModel}`, weight: 5 }, ...table2WorkItems(settings)];
    for (const item of await microSuite.listWorkItems(settings.micro, context)) items.push({ ...item, id: MICRO_PREFIX + item.id, label: `micro ${item.label}` });
    return items;
  },
  async runWorkItem(item, context) {
    if (item.id.startsWith(MICRO_PREFIX))
      return microSuite.runWorkItem({ ...item, id: item.id.slice(MICRO_PREFIX.length) }, { ...context, settings: context.settings.micro });
    if (item.id.startsWith('backends/')) {
      context.progress.phase('native and engine inference');
      const model = item.id.slice('backends/'.length);
      // A --model file outside the zoo runs at its calibrated settings, as its attempts do.
      const calibration = await calibrateBenchModel({ model }).catch(() => undefined);
      return (await compareBackends({ loaded: loadBenchModel({ model, scaleBits: calibration?.scaleBits, valueBits: calibration?.valueBits }) })).measurements;
    }
    return runTable2Item(item, context.settings, context.progress, context.rpcUrl, context.privateKeys);
  },
  summarize(results) {
    const settings = results.settings as QuickSettings;
    const table2 = summarizeTable2Run({ results, settings });
    // The micro summary reads only the micro items' measurements (labelled by op).
    const microResults: RunResults = { ...results, measurements: results.measurements.filter((m) => m.labels.op !== undefined) };
    const micro = [...summarizeMicro({ results: microResults }), ...summarizeGkrMicro({ results: microResults })];
    const verdicts = microVerdicts({ results: { ...microResults, measurements: [...microResults.measurements, ...micro] } });
    return { measurements: [...table2.measurements, ...micro], sections: table2.sections, verdicts: [...(table2.verdicts ?? []), ...verdicts] };
  },
};
