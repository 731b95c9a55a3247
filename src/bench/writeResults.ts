/**
 * Writes a run's files into its output folder: `results.json` (the source of truth), then
 * `results.csv`, `report.md` and `charts/*.svg|png` rendered from it. Every file is written
 * atomically, and results.json first, so a failure while rendering never loses the results.
 */
import { join } from 'node:path';
import { buildCharts } from './buildCharts.ts';
import { renderChart } from './renderChart.ts';
import { renderCsv } from './renderCsv.ts';
import { renderMarkdown } from './renderMarkdown.ts';
import { validateResults } from './readResults.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';
import type { RunResults } from './types.ts';

export interface WriteResultsParameters {
  results: RunResults;
  outDir: string;
  /** Skip the SVG/PNG charts (default: render them). */
  charts?: boolean;
  /** Write results.json only when false (default: true, CSV and Markdown too). */
  render?: boolean;
}

export interface WriteResultsResult {
  /** Paths written, results.json first. */
  files: string[];
}

export async function writeResults({ results, outDir, charts = true, render = true }: WriteResultsParameters): Promise<WriteResultsResult> {
  validateResults(JSON.parse(JSON.stringify(results)), `${outDir}/results.json (before writing)`);
  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array) => files.push(writeFileAtomic({ file: join(outDir, name), content }).file);
  write('results.json', JSON.stringify(results, null, 2) + '\n');
  if (!render) return { files };
  write('results.csv', renderCsv({ results }));
  const chartFiles: Array<{ title: string; png: string; svg: string }> = [];
  if (charts) {
    for (const chart of buildCharts({ results })) {
      const { svg, png } = await renderChart({ spec: chart.spec, name: chart.name });
      write(`charts/${chart.name}.svg`, svg);
      write(`charts/${chart.name}.png`, png);
      chartFiles.push({ title: chart.title, png: `charts/${chart.name}.png`, svg: `charts/${chart.name}.svg` });
    }
  }
  write('report.md', renderMarkdown({ results, chartFiles }));
  return { files };
}
