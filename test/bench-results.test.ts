/**
 * The harness's result files: schema checks, atomic writes (a crash mid-write keeps the old
 * file), CSV and Markdown rendering, and charts rendered to valid SVG and PNG. Synthetic data
 * only (test/bench-fixtures.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/bench/writeFileAtomic.ts';
import { readResults, validateResults } from '../src/bench/readResults.ts';
import { renderCsv } from '../src/bench/renderCsv.ts';
import { renderMarkdown } from '../src/bench/renderMarkdown.ts';
import { buildCharts } from '../src/bench/buildCharts.ts';
import { renderChart } from '../src/bench/renderChart.ts';
import { writeResults } from '../src/bench/writeResults.ts';
import { createMeasurement, measurementName } from '../src/bench/createMeasurement.ts';
import { InputFileError } from '../src/errors.ts';
import { syntheticResults, syntheticTable2 } from './bench-fixtures.ts';
import type { Measurement } from '../src/bench/types.ts';

const temporary = () => mkdtempSync(join(tmpdir(), 'opzk-bench-test-'));

describe('measurements', () => {
  it('names a measurement by metric and sorted labels', () => {
    expect(measurementName('proveTime', { system: 'plonk', op: 'mul', n: 64 })).toBe('proveTime{n=64,op=mul,system=plonk}');
    expect(measurementName('calibration', {})).toBe('calibration');
  });

  it('summarises samples: mean, sample stddev, min, max, standard error', () => {
    const m = createMeasurement({ metric: 't', unit: 'ms', kind: 'timing', samples: [2, 4, 6] });
    expect(m.value).toBe(4);
    expect(m.stddev).toBe(2);
    expect(m.min).toBe(2);
    expect(m.max).toBe(6);
    expect(m.samples).toBe(3);
    expect(m.standardError).toBeCloseTo(2 / Math.sqrt(3), 12);
  });
});

describe('schema', () => {
  it('accepts a well-formed results object', () => {
    const results = syntheticResults();
    expect(validateResults(JSON.parse(JSON.stringify(results)), 'x.json').measurements).toHaveLength(results.measurements.length);
  });

  it('refuses another schema version, naming the file and field', () => {
    const results = { ...syntheticResults(), schemaVersion: 99 };
    expect(() => validateResults(results, 'old.json')).toThrow(/old\.json: schemaVersion is 99/);
  });

  it('refuses a measurement without a unit or with a non-finite value', () => {
    const results = syntheticResults();
    const noUnit = structuredClone(results);
    (noUnit.measurements[2] as { unit?: string }).unit = '';
    expect(() => validateResults(noUnit, 'r.json')).toThrow(/measurements\[2\]\.unit is missing/);
    const nan = JSON.parse(JSON.stringify(results));
    nan.measurements[0].value = null;
    expect(() => validateResults(nan, 'r.json')).toThrow(/measurements\[0\]\.value is null, not a finite number/);
  });

  it('refuses duplicated measurement names', () => {
    const results = syntheticResults();
    results.measurements.push(results.measurements[0]!);
    expect(() => validateResults(results, 'r.json')).toThrow(/repeats "constraints\{n=4,op=mul\}"/);
  });

  it('reports unreadable and non-JSON files as InputFileError', () => {
    const dir = temporary();
    writeFileSync(join(dir, 'half.json'), '{"schema": "opzk-bench/res');
    expect(() => readResults({ file: join(dir, 'half.json') })).toThrow(InputFileError);
    expect(() => readResults({ file: join(dir, 'missing.json') })).toThrow(/cannot read the results file/);
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole content', () => {
    const file = join(temporary(), 'sub', 'a.json');
    expect(writeFileAtomic({ file, content: '{"a":1}' }).bytes).toBe(7);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
  });

  it('keeps the previous file and leaves no temporary when the write crashes midway', () => {
    const dir = temporary();
    const file = join(dir, 'results.json');
    writeFileAtomic({ file, content: 'GOOD' });
    expect(() =>
      writeFileAtomic({ file, content: 'NEW CONTENT THAT NEVER LANDS', onPartialWrite: () => { throw new Error('simulated crash'); } }),
    ).toThrow('simulated crash');
    expect(readFileSync(file, 'utf8')).toBe('GOOD');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});

describe('rendering', () => {
  it('renders one CSV row per measurement with one column per label', () => {
    const results = syntheticResults();
    const lines = renderCsv({ results }).trimEnd().split('\n');
    expect(lines).toHaveLength(results.measurements.length + 1);
    expect(lines[0]).toBe('suite,name,metric,label_n,label_op,label_system,value,unit,kind,higher_is_worse,samples,stddev,min,max,standard_error,calibrated,derived,note');
    expect(lines[1]).toBe('micro,"constraints{n=4,op=mul}",constraints,4,mul,,7,constraints,deterministic,true,1,,,,,,false,');
  });

  it('quotes CSV fields with commas, quotes and newlines', () => {
    const results = syntheticResults({ measurements: [createMeasurement({ metric: 'm', labels: { model: 'a,"b"' }, unit: 'ms', kind: 'info', value: 1, note: 'line1\nline2' })] });
    const row = renderCsv({ results }).split('\n').slice(1).join('\n');
    expect(row).toContain('"a,""b"""');
    expect(row).toContain('"line1\nline2"');
  });

  it('renders the Markdown report: machine, settings, derived summary, measurements, charts', () => {
    const results = syntheticResults({ sections: { table2: syntheticTable2 } });
    const md = renderMarkdown({ results, chartFiles: [{ title: 'Per op', png: 'charts/per-op.png', svg: 'charts/per-op.svg' }] });
    expect(md).toContain('# opzk-bench: suite `micro`');
    expect(md).toContain('Machine: Synthetic CPU @ 1.00GHz, 2 cores, 8 GiB, Node v20.0.0, linux/x64; commit `0123456789ab`.');
    expect(md).toContain('| ladder | [4,8,16] |');
    expect(md).toContain('| marginalConstraints | op=relu-full | 517 constraints/op | deterministic | 1 |  |  |');
    expect(md).toContain('| proveTime | op=mul, n=4, system=groth16 | 100.5 ± 0.5 ms | timing | 2 | 100 … 101 |  |');
    expect(md).toContain('| opML | bisection |  | 400,000 |');
    expect(md).toContain('![Per op](charts/per-op.png) ([SVG](charts/per-op.svg))');
  });
});

describe('charts', () => {
  it('builds every chart the data supports, each naming the machine', () => {
    const charts = buildCharts({ results: syntheticResults({ sections: { table2: syntheticTable2 } }) });
    expect(charts.map((c) => c.name)).toEqual(['per-op-time', 'per-op-constraints', 'prove-time-vs-constraints', 'gas-by-phase', 'finality', 'model-size-limits']);
    for (const chart of charts) expect(JSON.stringify(chart.spec)).toContain('Synthetic CPU @ 1.00GHz, 2 cores');
    expect(buildCharts({ results: syntheticResults({ measurements: [] }) })).toEqual([]);
  });

  it('gas by phase: opML unchallenged and disputed are separate bars; dispute-only phases only in the second', () => {
    const table2 = { ...syntheticTable2, gas: [
      { system: 'opML' as const, phase: 'submit result + bond', gas: 90000 },
      { system: 'opML' as const, phase: 'bisection moves (disputed only)', gas: 400000 },
      { system: 'zkML' as const, phase: 'submit proof', gas: 230000, variant: 'inputs hashed' },
      { system: 'zkML' as const, phase: 'submit proof', gas: 900000, variant: 'inputs public' },
    ] };
    const chart = buildCharts({ results: syntheticResults({ sections: { table2 } }) }).find((c) => c.name === 'gas-by-phase')!;
    const layers = chart.spec.layer as Array<{ data: { values: Array<{ bar: string; gas: number }> } }>;
    expect(layers[1]!.data.values).toEqual([
      { bar: 'opML, unchallenged', gas: 90000 },
      { bar: 'opML, disputed', gas: 490000 },
      { bar: 'zkML, inputs hashed', gas: 230000 },
      { bar: 'zkML, inputs public', gas: 900000 },
    ]);
  });

  it('finality: points on a log axis (no bar with an arbitrary origin), the disputed and 7-day cases, witness + prove named', () => {
    const table2 = { ...syntheticTable2, finality: { opml: { challengeWindowSeconds: 3600, disputedWorstCaseSeconds: 10800, mainnetLike: { unchallengedSeconds: 604800, disputedWorstCaseSeconds: 1209600 } }, zkml: { proveSeconds: 1.5, blockSeconds: 12 } } };
    const chart = buildCharts({ results: syntheticResults({ sections: { table2 } }) }).find((c) => c.name === 'finality')!;
    const text = JSON.stringify(chart.spec);
    expect(text).not.toContain('"bar"');
    const values = (chart.spec.data as { values: Array<{ case: string; seconds: number; label: string }> }).values;
    expect(values.map((v) => [v.case, v.seconds])).toEqual([
      ['opML unchallenged', 3600], ['opML disputed (worst case)', 10800], ['opML unchallenged, 7 d window', 604800], ['opML disputed, 7 d window', 1209600], ['zkML', 13.5],
    ]);
    expect(values.at(-1)!.label).toBe('13.5 s: witness + prove 1.5 s + one 12 s block');
  });

  it('model size limits: lines only along the width ladder, no chart for a single model', () => {
    const table2 = { ...syntheticTable2, sizeLimits: { timeLimitSeconds: 60, memoryCapBytes: 1, ladder: ['mlp', 'cnn'], opml: {}, zkml: {} } };
    const chart = buildCharts({ results: syntheticResults({ sections: { table2 } }) }).find((c) => c.name === 'model-size-limits')!;
    const layers = chart.spec.layer as Array<{ mark: { type: string }; data: { values: Array<{ model: string }> } }>;
    expect(layers[0]!.mark.type).toBe('line');
    expect(new Set(layers[0]!.data.values.map((v) => v.model))).toEqual(new Set(['mlp', 'cnn']));
    expect(layers[1]!.mark.type).toBe('point');
    expect(new Set(layers[1]!.data.values.map((v) => v.model))).toEqual(new Set(['tiny']));
    const single = { ...syntheticTable2, models: syntheticTable2.models.slice(0, 1) };
    expect(buildCharts({ results: syntheticResults({ sections: { table2: single } }) }).map((c) => c.name)).not.toContain('model-size-limits');
  });

  it('overhead ratios: the measured ratios beside the survey\'s 4× and 200× reference lines', () => {
    const measurements: Measurement[] = [
      { name: 'a', metric: 'overheadVsNative', labels: { op: 'mul', prover: 'groth16', baseline: 'engine' }, unit: 'x', kind: 'info' as const, higherIsWorse: true, derived: true, value: 20000, samples: 1 },
      { name: 'b', metric: 'reluOverMultiply', labels: { relu: 'relu-8', versus: 'mul', measure: 'groth16' }, unit: 'x', kind: 'info' as const, higherIsWorse: true, derived: true, value: 4.4, samples: 1 },
      { name: 'c', metric: 'reluOverMultiply', labels: { relu: 'relu-8', versus: 'fixed-mul', measure: 'groth16' }, unit: 'x', kind: 'info' as const, higherIsWorse: true, derived: true, value: 0.5, samples: 1 },
    ];
    const chart = buildCharts({ results: syntheticResults({ measurements }) }).find((c) => c.name === 'overhead-ratios')!;
    const panels = chart.spec.hconcat as Array<{ layer: Array<{ data: { values: Array<Record<string, unknown>> } }> }>;
    expect(panels[0]!.layer[0]!.data.values).toEqual([{ op: 'mul', prover: 'groth16', baseline: 'engine', ratio: 20000 }]);
    expect(panels[0]!.layer[1]!.data.values.map((v) => v.ratio)).toEqual([4, 200]);
    // Only ReLU vs a plain multiplication: the survey's comparison.
    expect(panels[1]!.layer[0]!.data.values).toEqual([{ relu: 'relu-8', measure: 'groth16', ratio: 4.4 }]);
  });

  it('renders valid SVG and PNG', async () => {
    const [chart] = buildCharts({ results: syntheticResults() }).filter((c) => c.name === 'per-op-constraints');
    const { svg, png } = await renderChart({ spec: chart!.spec, name: chart!.name });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('R1CS constraints per operation');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height, big-endian, at bytes 16..23; pngScale 2 doubles the SVG size.
    const view = new DataView(png.buffer, png.byteOffset);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(view.getUint32(16)).toBe(svgWidth * 2);
    expect(view.getUint32(20)).toBeGreaterThan(200);
  });

  it('writes results.json, CSV, report and charts into the out folder', async () => {
    const dir = temporary();
    const { files } = await writeResults({ results: syntheticResults(), outDir: dir });
    expect(files[0]).toBe(join(dir, 'results.json'));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'results.json', 'results.csv',
      'charts/per-op-time.svg', 'charts/per-op-time.png',
      'charts/per-op-constraints.svg', 'charts/per-op-constraints.png',
      'charts/prove-time-vs-constraints.svg', 'charts/prove-time-vs-constraints.png',
      'report.md',
    ]);
    expect(readResults({ file: join(dir, 'results.json') })).toEqual(syntheticResults());
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
  });
});
