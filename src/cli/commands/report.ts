/** `opzk report <results.json> [--out dir]`: re-renders CSV, Markdown and charts from a results file without re-running. */
import { dirname } from 'node:path';
import { UsageError } from '../../errors.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { readResults } from '../../bench/readResults.ts';
import { writeResults } from '../../bench/writeResults.ts';
import { applySummary } from '../../bench/applySummary.ts';
import { loadSuite } from '../../bench/loadSuite.ts';

export const command: CliCommand = {
  summary: 're-render report.md, results.csv and charts from a results.json',
  help: `Usage: opzk report <results.json> [--out DIR] [--resummarize] [--skip-charts] [--json]

Reads a results.json written by 'opzk bench' (schema-checked) and writes results.csv, report.md
and charts/*.svg|png into DIR (default: the folder of the results file; with another DIR the
results.json is copied there too). Nothing is re-measured. --resummarize recomputes the derived
values (slopes, ratios, Table II data and verdicts) from the raw measurements with this version's
suite code, as a merge does, and writes them into the results file too.`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('report', argv, {
      out: { type: 'string' }, 'skip-charts': { type: 'boolean' }, json: { type: 'boolean' }, resummarize: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`report: expected one results.json, got ${positionals.length}`, { hint: 'opzk report results/micro/results.json' });
    const file = positionals[0]!;
    const read = readResults({ file });
    // Derived values come from the raw ones (applySummary drops and recomputes them).
    const results = values.resummarize ? applySummary({ results: read, suite: await loadSuite({ name: read.suite }) }) : read;
    const outDir = values.out ?? dirname(file);
    const { files } = await writeResults({ results, outDir, charts: !values['skip-charts'] });
    if (values.json) console.log(JSON.stringify({ suite: results.suite, outDir, files }));
    else console.log(`wrote ${files.length} file(s) to ${outDir}/`);
    return 0;
  },
};
