/**
 * The `scaling` suite: cost against model size for both paths over the width ladder (mlp-w8 …
 * mlp-w1024 by default): zkML constraints, prove time, proving key bytes, peak memory; opML trace
 * steps, dispute rounds, gas, wall time. Each side of each model runs in a child process under
 * the time and memory limits (as in table2), a path stopping at its first failure. Charts: cost
 * vs model size (one panel per quantity), model size limits.
 */
import type { Suite } from '../suite.ts';
import { resolveTable2Settings, TABLE2_OPTIONS, TABLE2_OPTIONS_HELP, zooWidthLadder, type Table2Settings } from './shared/resolveTable2Settings.ts';
import { summarizeTable2Run } from './shared/summarizeTable2Run.ts';
import { runTable2Item, suite as table2Suite } from './table2.ts';

const DEFAULTS = { timeLimitSeconds: 150, setupTimeLimitSeconds: 600, repetitions: 3, memoryCapMiB: 3072, gkrBeyond: [2048, 4096] };

export const suite: Suite<Table2Settings> = {
  name: 'scaling',
  summary: 'cost vs model size on the width ladder, opML and zkML: constraints, prove time, key bytes, memory, steps, rounds, gas, wall time',
  options: TABLE2_OPTIONS,
  optionsHelp: TABLE2_OPTIONS_HELP({ models: 'none besides the ladder', ladder: "the zoo's mlp-w8 … mlp-w1024", referenceModel: 'the ladder\'s first model', ...DEFAULTS }),
  resolveSettings(values) {
    const ladder = zooWidthLadder();
    // The ladder only, in one input mode (--inputs): the other mode beside the reference model is table2's.
    return { ...resolveTable2Settings({ suite: 'scaling', values, defaults: { models: [], ladder, referenceModel: ladder[0] ?? 'mlp-w8', isolate: true, cheats: false, ...DEFAULTS } }), zkInputsBeside: false };
  },
  listWorkItems: (settings, context) => table2Suite.listWorkItems(settings, context),
  runWorkItem: (item, context) => runTable2Item(item, context.settings, context.progress, context.rpcUrl, context.privateKeys),
  summarize: (results) => summarizeTable2Run({ results, settings: results.settings as Table2Settings }),
};

