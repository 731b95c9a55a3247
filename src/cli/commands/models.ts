/**
 * `opzk models [--json]`: the model zoo (models/zoo.json) — sizes, operators, and the accuracy
 * measured by `npm run models` for the native float model and the fixed-point engine.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readZoo, REPO_ROOT } from '../../zoo/readZoo.ts';
import type { ZooEntry } from '../../zoo/types.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';

const help = `Usage: opzk models [--json]

Lists the model zoo (models/zoo.json, built by 'npm run models'): for each model its input
dims, parameter count, ONNX file size, operators and the measured accuracy (MNIST models) or
RMSE (linreg) of the native float model and of the fixed-point engine at the recorded
scaleBits/valueBits. Use a zoo name wherever a command takes a model.

Options:
  --json   print one JSON object {"zoo": <zoo.json path>, "node", "models": [...]} on stdout`;

export const command: CliCommand = {
  summary: 'list the model zoo (sizes, operators, accuracy)',
  help,
  async run(argv) {
    const { values } = parseCommandArgs('models', argv, { json: { type: 'boolean', default: false } }, false);
    const zoo = readZoo();
    const models = zoo.models.map((model) => ({ ...model, fileBytesOnDisk: fileBytes(model) }));
    if (values.json) {
      console.log(JSON.stringify({ zoo: 'models/zoo.json', node: zoo.node, models }));
      return 0;
    }
    const rows = models.map((model) => [
      model.name,
      `[${model.inputs[0]?.dims.join('×')}]`,
      model.parameters.toLocaleString('en-US'),
      formatBytes(model.fileBytesOnDisk ?? model.bytes),
      [...new Set(model.operators)].join(','),
      formatScore(model, 'native') + (model.training.kind === 'random' ? '*' : ''),
      formatScore(model, 'engine') + (model.training.kind === 'random' ? '*' : ''),
    ]);
    const header = ['model', 'input', 'params', 'file', 'operators', 'native', `engine`];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column >= 2 && column <= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    const settings = zoo.models[0]?.quantization;
    console.log(`\nnative = onnxruntime-node (float), engine = fixed point at scaleBits=${settings?.scaleBits}, valueBits=${settings?.valueBits}.`);
    // One line per evaluation set, with the sample count each model was really scored on.
    const groups = new Map<string, string[]>();
    for (const model of zoo.models) {
      const evaluation = model.evaluation;
      if (!evaluation) continue;
      const what = evaluation.metric === 'accuracy'
        ? `accuracy on ${evaluation.samples.toLocaleString('en-US')} digits of the ${evaluation.dataset.split(' (')[0]}`
        : `RMSE on ${evaluation.samples.toLocaleString('en-US')} held-out rows`;
      groups.set(what, [...(groups.get(what) ?? []), model.name]);
    }
    if (groups.size === 0) console.log('no evaluation yet (run npm run models)');
    for (const [what, names] of groups) console.log(`${what}: ${names.join(', ')}`);
    if (zoo.models.some((model) => model.training.kind === 'random'))
      console.log('* random weights, not trained (the width ladder for scaling runs): their accuracy is chance, about 10 %.');
    return 0;
  },
};

function fileBytes(model: ZooEntry): number | undefined {
  try {
    return statSync(join(REPO_ROOT, model.file)).size;
  } catch {
    return undefined;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function formatScore(model: ZooEntry, backend: 'native' | 'engine'): string {
  const evaluation = model.evaluation;
  if (!evaluation) return '-';
  const value = evaluation[backend];
  return evaluation.metric === 'accuracy' ? `${(value * 100).toFixed(2)}%` : `rmse ${value.toFixed(4)}`;
}
