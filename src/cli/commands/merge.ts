/** `opzk merge a.json b.json … --out dir`: joins shard results (same suite and settings) and re-renders. */
import { UsageError } from '../../errors.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { readResults } from '../../bench/readResults.ts';
import { mergeResults } from '../../bench/mergeResults.ts';
import { applySummary } from '../../bench/applySummary.ts';
import { loadSuite } from '../../bench/loadSuite.ts';
import { writeResults } from '../../bench/writeResults.ts';

export const command: CliCommand = {
  summary: 'merge the results.json files of a sharded run into one',
  help: `Usage: opzk merge <a.json> <b.json> … --out DIR [--skip-charts] [--json]

Checks every file's schema, that all are the same suite with the same settings and that no
measurement appears twice, joins the raw measurements, recomputes the suite's derived numbers
(slopes, ratios, verdicts) over the joined data and writes results.json, results.csv, report.md
and charts into DIR.`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('merge', argv, {
      out: { type: 'string' }, 'skip-charts': { type: 'boolean' }, json: { type: 'boolean' },
    });
    if (positionals.length < 1) throw new UsageError('merge: give at least one results.json', { hint: 'opzk merge a/results.json b/results.json --out results/micro' });
    if (!values.out) throw new UsageError('merge: --out DIR is required', { hint: 'e.g. --out results/micro' });
    const parts = positionals.map((file) => ({ file, results: readResults({ file }) }));
    const merged = mergeResults({ parts });
    const results = applySummary({ results: merged, suite: await loadSuite({ name: merged.suite }) });
    const { files } = await writeResults({ results, outDir: values.out, charts: !values['skip-charts'] });
    if (values.json) console.log(JSON.stringify({ suite: results.suite, outDir: values.out, files, measurements: results.measurements.length }));
    else console.log(`merged ${parts.length} file(s) (${results.measurements.length} measurements) into ${values.out}/`);
    return 0;
  },
};
