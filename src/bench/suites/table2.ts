/**
 * The `table2` suite: every zoo model (and any `--model`) through opML and zkML side by side, one
 * row of the survey's Table II each (Model Size, Computation, Storage, Finality, Security,
 * Mechanism, Proof), with the paper's qualitative entries, the figures measured under each and a
 * verdict per row. Each side of each model is one work item, run in a child process under a
 * time limit and a memory cap; on the width ladder a path stops at its first failure, which is
 * the measured reason the next size failed. The reference model also plays every cheat strategy
 * and every proof tampering.
 */
import { UsageError } from '../../errors.ts';
import { readZoo } from '../../zoo/readZoo.ts';
import type { Suite, WorkItem } from '../suite.ts';
import { measureAttempt } from './shared/measureAttempt.ts';
import type { AttemptPath } from '../table2/runAttempt.ts';
import { writeWideMlp } from '../table2/writeWideMlp.ts';
import { resolveTable2Settings, TABLE2_OPTIONS, TABLE2_OPTIONS_HELP, zooWidthLadder, type Table2Settings } from './shared/resolveTable2Settings.ts';
import { summarizeTable2Run } from './shared/summarizeTable2Run.ts';

// Cheats on the small MNIST model: seven games on the 784-input model's chain outgrew a 3 GiB cap (anvil's state).
const DEFAULTS = { referenceModel: 'mnist-mlp-784-56-10', cheatsModel: 'mnist-mlp-196-24-10', timeLimitSeconds: 150, setupTimeLimitSeconds: 600, repetitions: 3, memoryCapMiB: 3072, gkrBeyond: [2048, 4096] };

/** The zoo models that are not on the width ladder (the ladder is listed separately). */
function zooRowModels(): string[] {
  return readZoo().models.map((m) => m.name).filter((name) => !/^mlp-w\d+$/.test(name));
}

/** Per path, the ladder model that hit a limit first in this process (later, larger ones are not tried). */
const failedOnLadder = new Map<string, string>();

function weightOf(model: string, path: string): number {
  const entry = readZoo().models.find((m) => m.name === model);
  const constraints = entry?.estimatedConstraints ?? 5000;
  if (path === 'gkr') return 10 + (entry?.parameters ?? 50000) / 20000;
  return path === 'zkML' ? 20 + constraints / 100 : 20 + (entry?.parameters ?? 50000) / 5000;
}

export function table2WorkItems(settings: Table2Settings): WorkItem[] {
  const items: WorkItem[] = [];
  const models = [...settings.models.filter((m) => !settings.ladder.includes(m)), ...settings.ladder];
  for (const model of models) {
    for (const path of settings.gkr === false ? ['opML', 'zkML'] : ['opML', 'zkML', 'gkr'])
      items.push({ id: `${path}/${model}`, label: `${path} ${model}`, weight: weightOf(model, path) });
    // The reference model's zkML in the other input mode too (Storage, Computation, the gas chart: hashed beside public).
    if (model === settings.referenceModel && settings.zkInputsBeside !== false) {
      const other = (settings.zkInputs ?? 'public') === 'public' ? 'hashed' : 'public';
      items.push({ id: `zkML-${other}/${model}`, label: `zkML ${model} (inputs ${other})`, weight: weightOf(model, 'zkML') * (other === 'hashed' ? 4 : 1) });
    }
    // Every cheat strategy, for the Security row: its own attempt, so the row's figures survive its limits.
    if (model === settings.cheatsModel && settings.cheats) items.push({ id: `cheats/${model}`, label: `opML cheats ${model}`, weight: 2 * weightOf(model, 'opML') });
  }
  // The gkr path continues the ladder past the zoo (generated models, writeWideMlp); no ladder, no continuation.
  if (settings.gkr !== false && settings.ladder.length > 0)
    for (const width of settings.gkrBeyond ?? []) items.push({ id: `gkr/mlp-w${width}`, label: `gkr mlp-w${width} (beyond the zoo)`, weight: 10 + (width * 794) / 20000 });
  return items;
}

export async function runTable2Item(item: WorkItem, settings: Table2Settings, progress: Parameters<typeof measureAttempt>[0]['progress'], rpcUrl?: string, privateKeys?: readonly string[]) {
  // INVARIANT: on a remote chain a game needs three funded actors (requester, submitter, challenger).
  if (rpcUrl && (privateKeys?.length ?? 0) < 3)
    throw new UsageError(`bench --rpc-url: the dispute games need three funded accounts (requester, submitter, challenger); OPZK_PRIVATE_KEY has ${privateKeys?.length ?? 0}`, {
      hint: 'export OPZK_PRIVATE_KEY=0xkey1,0xkey2,0xkey3 (comma-separated, each funded with a few bonds)',
    });
  const [path, ...rest] = item.id.split('/');
  const model = rest.join('/');
  const beyond = path === 'gkr' ? (settings.gkrBeyond ?? []).map((width) => `mlp-w${width}`) : [];
  const onLadder = settings.ladder.includes(model) || beyond.includes(model);
  const earlier = onLadder ? failedOnLadder.get(path!) : undefined;
  const file = beyond.includes(model) ? writeWideMlp({ width: Number(model.slice('mlp-w'.length)) }).file : undefined;
  const result = await measureAttempt({
    settings, path: path as AttemptPath, model: file ?? model, ...(file ? { modelLabel: model } : {}), progress,
    skippedBecause: earlier ? `not attempted: the smaller ${earlier} already hit a limit on this path` : undefined,
    rpcUrl,
  });
  if (onLadder && result.limitHit) failedOnLadder.set(path!, model);
  return result.measurements;
}

export const suite: Suite<Table2Settings> = {
  name: 'table2',
  summary: "the survey's Table II, opML vs zkML, measured: every zoo model both ways, the width ladder under time/memory limits, cheats and tampered proofs",
  options: TABLE2_OPTIONS,
  optionsHelp: TABLE2_OPTIONS_HELP({ models: 'every zoo model', ladder: 'the zoo\'s mlp-w8 … mlp-w1024', ...DEFAULTS }),
  resolveSettings(values) {
    const settings = resolveTable2Settings({ suite: 'table2', values, defaults: { models: zooRowModels(), ladder: zooWidthLadder(), isolate: true, ...DEFAULTS } });
    for (const needed of [settings.cheatsModel, settings.referenceModel])
      if (!settings.models.includes(needed) && !settings.ladder.includes(needed)) settings.models.unshift(needed);
    return settings;
  },
  listWorkItems(settings) {
    failedOnLadder.clear();
    return table2WorkItems(settings);
  },
  runWorkItem: (item, context) => runTable2Item(item, context.settings, context.progress, context.rpcUrl, context.privateKeys),
  summarize: (results) => summarizeTable2Run({ results, settings: results.settings as Table2Settings }),
};
