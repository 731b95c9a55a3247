/**
 * The chart specifications, built generically from a `RunResults`: each builder looks for the
 * measurements (or `sections.table2`) it needs and returns a vega-lite spec, or nothing when the
 * run has no such data. Every chart states its title, its units and the machine.
 *
 * Measurement conventions the builders read (the `micro` suite writes them; any suite may):
 * - `marginalTime{op,system}` (ns/op, derived) and `marginalConstraints{op}` (constraints/op, derived);
 * - `constraints{op,n}` and `proveTime{op,n,system}` (ms) for prove time vs constraints;
 * - `sections.table2` (src/bench/table2Data.ts) for gas by phase, finality and model-size limits.
 */
import { describeMachine } from './collectEnvironment.ts';
import type { Measurement, RunResults } from './types.ts';
import { isDisputeOnlyPhase, type Table2Data } from './table2Data.ts';

export interface ChartSpec {
  /** File stem, e.g. `per-op-time`. */
  name: string;
  title: string;
  spec: Record<string, unknown>;
}

export interface BuildChartsParameters {
  results: RunResults;
}

export type BuildChartsResult = ChartSpec[];

const WIDTH = 560;

/** The same for a millisecond axis. */
const TIME_LABEL_MS =
  "datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + ' s' : datum.value >= 1 ? format(datum.value, '~g') + ' ms' : format(datum.value * 1e3, '~g') + ' µs'";

/** 10^k from below the smallest to above the largest value: the ticks of a log axis. */
function powersOfTen(values: number[]): number[] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.ceil(Math.log10(Math.max(...values)));
  return Array.from({ length: Math.max(high - low, 1) + 1 }, (_, i) => 10 ** (low + i));
}

/** Axis labels for a nanosecond axis in the unit a reader thinks in (ns, µs, ms, s). */
const TIME_LABEL_NS =
  "datum.value >= 1e9 ? format(datum.value / 1e9, '~g') + ' s' : datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + ' ms' : datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + ' µs' : format(datum.value, '~g') + ' ns'";
const HEIGHT = 300;

function frame(results: RunResults, title: string, subtitle: string[]): Record<string, unknown> {
  const commit = results.environment.git.commit === 'unknown' ? '' : ` · ${results.environment.git.commit.slice(0, 8)}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: [...subtitle, `${describeMachine(results.environment)} · suite ${results.suite}${commit}`], anchor: 'start', subtitleColor: '#555', fontSize: 15, subtitleFontSize: 11 },
    config: { font: 'DejaVu Sans', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } },
    background: 'white',
    padding: 12,
  };
}

function byMetric(results: RunResults, metric: string): Measurement[] {
  return results.measurements.filter((m) => m.metric === metric);
}

/** The order operations appear in: as they first occur in the results. */
function opOrder(measurements: Measurement[]): string[] {
  return [...new Set(measurements.map((m) => String(m.labels.op)))];
}

function perOpTime(results: RunResults): ChartSpec | undefined {
  const all = byMetric(results, 'marginalTime');
  const shown = all.filter((m) => m.value > 0);
  if (shown.length === 0) return undefined;
  const dropped = all.length - shown.length;
  const subtitle = ['Marginal cost per operation: least-squares slope of time over N operations (log scale)', 'Faded: slope not resolved (its standard error is at least half its value)'];
  const decades = powersOfTen(shown.map((m) => m.value));
  if (dropped > 0) subtitle.push(`${dropped} slope(s) ≤ 0 (noise larger than the per-op cost) not drawn`);
  const systems = [...new Set(shown.map((m) => String(m.labels.system)))];
  return {
    name: 'per-op-time',
    title: 'Time per operation: proving vs native',
    spec: {
      ...frame(results, 'Time per operation: proving vs native', subtitle),
      width: WIDTH, height: HEIGHT,
      data: { values: shown.map((m) => ({ op: m.labels.op, system: m.labels.system, nsPerOp: m.value, resolved: (m.standardError ?? 0) < 0.5 * m.value ? 'yes' : 'no' })) },
      mark: { type: 'point', filled: true, size: 90 },
      encoding: {
        x: { field: 'op', type: 'nominal', sort: opOrder(shown), title: 'operation', axis: { labelAngle: -30 } },
        y: { field: 'nsPerOp', type: 'quantitative', title: 'time per operation (log scale)', scale: { type: 'log', domain: [decades[0], decades.at(-1)] }, axis: { labelExpr: TIME_LABEL_NS, values: decades } },
        opacity: { field: 'resolved', type: 'nominal', sort: ['yes', 'no'], scale: { domain: ['yes', 'no'], range: [1, 0.3] }, legend: null },
        color: { field: 'system', type: 'nominal', sort: systems, title: 'measured with', scale: { scheme: 'tableau10' } },
        shape: { field: 'system', type: 'nominal', sort: systems },
        xOffset: { field: 'system', type: 'nominal', sort: systems },
        tooltip: [{ field: 'op' }, { field: 'system' }, { field: 'nsPerOp', format: '.3s' }],
      },
    },
  };
}

function perOpConstraints(results: RunResults): ChartSpec | undefined {
  const shown = byMetric(results, 'marginalConstraints').filter((m) => m.value > 0);
  if (shown.length === 0) return undefined;
  return {
    name: 'per-op-constraints',
    title: 'R1CS constraints per operation',
    spec: {
      ...frame(results, 'R1CS constraints per operation', ['Marginal constraints: slope of circuit constraints over N operations (log scale)']),
      width: WIDTH, height: HEIGHT,
      data: { values: shown.map((m) => ({ op: m.labels.op, constraintsPerOp: m.value })) },
      layer: [
        {
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            x: { field: 'op', type: 'nominal', sort: opOrder(shown), title: 'operation', axis: { labelAngle: -30 } },
            // Bars on a log scale need an explicit base below the smallest value.
            y: { field: 'constraintsPerOp', type: 'quantitative', scale: { type: 'log', domainMin: 0.5 }, title: 'constraints per operation (log scale)' },
            y2: { datum: 0.5 },
          },
        },
        {
          mark: { type: 'text', dy: -8, fontSize: 11 },
          encoding: {
            x: { field: 'op', type: 'nominal', sort: opOrder(shown) },
            y: { field: 'constraintsPerOp', type: 'quantitative' },
            text: { field: 'constraintsPerOp', type: 'quantitative', format: '.4~r' },
          },
        },
      ],
    },
  };
}

function proveTimeVsConstraints(results: RunResults): ChartSpec | undefined {
  const constraints = new Map<string, number>();
  for (const m of byMetric(results, 'constraints')) constraints.set(`${m.labels.op}|${m.labels.n}|${m.labels.model ?? ''}`, m.value);
  const points = byMetric(results, 'proveTime')
    .map((m) => ({ op: String(m.labels.op ?? m.labels.model), system: String(m.labels.system), proveMs: m.value, constraints: constraints.get(`${m.labels.op}|${m.labels.n}|${m.labels.model ?? ''}`) }))
    .filter((p) => p.constraints !== undefined && p.constraints > 0 && p.proveMs > 0);
  if (points.length === 0) return undefined;
  return {
    name: 'prove-time-vs-constraints',
    title: 'Prove time vs circuit size',
    spec: {
      ...frame(results, 'Prove time vs circuit size', ['snarkjs prove time (mean of samples) against R1CS constraints (log–log)']),
      width: WIDTH, height: HEIGHT,
      data: { values: points },
      mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
      encoding: {
        x: { field: 'constraints', type: 'quantitative', scale: { type: 'log' }, title: 'R1CS constraints (log scale)', axis: { format: '~s' } },
        y: { field: 'proveMs', type: 'quantitative', scale: { type: 'log' }, title: 'prove time (log scale)', axis: { labelExpr: TIME_LABEL_MS } },
        color: { field: 'system', type: 'nominal', title: 'proof system' },
        shape: { field: 'op', type: 'nominal', title: 'circuit' },
      },
    },
  };
}

/** Where the gas was measured: the local anvil, or the `--rpc-url` chain the run recorded. */
function chainNote(results: RunResults): string {
  const chain = results.settings.chain as { endpoint?: string; chainId?: number } | undefined;
  return chain ? `Gas used per phase on chain ${chain.chainId} at ${chain.endpoint} (--rpc-url)` : 'Gas used per phase on a local EVM (anvil)';
}

/**
 * One bar per way a result reaches finality: opML unchallenged (request, submit, finalize), opML
 * disputed (every phase, the challenge through settle included) and zkML (per input mode when the
 * run measured several). Stacking the dispute phases onto the unchallenged path would show opML's
 * worst case as if it were its normal cost.
 */
function gasByPhase(results: RunResults, data: Table2Data): ChartSpec | undefined {
  if (data.gas.length === 0) return undefined;
  // `step`: the order the phases happen in (data.gas is in that order), for the stack and legend.
  const rows: Array<{ bar: string; phase: string; gas: number; model: string; step?: number }> = [];
  for (const g of data.gas) {
    const model = g.model ?? '';
    if (g.system === 'opML') {
      if (!isDisputeOnlyPhase(g.phase)) rows.push({ bar: 'opML, unchallenged', phase: `opML: ${g.phase}`, gas: g.gas, model });
      rows.push({ bar: 'opML, disputed', phase: `opML: ${g.phase}`, gas: g.gas, model });
    } else {
      rows.push({ bar: g.variant ? `zkML, ${g.variant}` : data.zkmlInputs ? `zkML, inputs ${data.zkmlInputs.mode}` : 'zkML', phase: `zkML: ${g.phase}`, gas: g.gas, model });
    }
  }
  rows.forEach((row, step) => (row.step = step));
  const phases = [...new Set(rows.map((r) => r.phase))];
  const bars = [...new Set(rows.map((r) => r.bar))];
  const totals = bars.map((bar) => ({ bar, gas: rows.filter((r) => r.bar === bar).reduce((sum, r) => sum + r.gas, 0) }));
  const models = [...new Set(rows.map((r) => r.model).filter((m) => m !== ''))];
  return {
    name: 'gas-by-phase',
    title: 'On-chain gas by phase: opML vs zkML',
    spec: {
      ...frame(results, 'On-chain gas by phase: opML vs zkML', [
        `${chainNote(results)}${models.length ? `, model ${models.join(', ')}` : ''}`,
        'opML disputed = the unchallenged path plus every dispute phase (one full game); the totals at the bar ends',
        ...(data.zkmlInputs?.modes ?? []).filter((m) => m.deployRefused).map((m) =>
          `zkML, inputs ${m.mode}: no bar — its ${(m.verifierCodeBytes ?? 0).toLocaleString('en-US')}-byte verifier is over EIP-170 (24,576), refused as on mainnet`),
        ...(data.zkmlInputs?.modes ?? []).filter((m) => m.codeSizeLimitLifted && (m.verifierCodeBytes ?? 0) > 24_576).map((m) =>
          `zkML, inputs ${m.mode}: measured with EIP-170 lifted — mainnet would refuse its ${(m.verifierCodeBytes ?? 0).toLocaleString('en-US')}-byte verifier`),
      ]),
      width: WIDTH, height: 40 * bars.length,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'bar', type: 'nominal', title: null, sort: bars },
            x: { field: 'gas', type: 'quantitative', aggregate: 'sum', title: 'gas (stacked by phase)', axis: { format: '~s' } },
            color: { field: 'phase', type: 'nominal', title: null, sort: phases, scale: { scheme: 'tableau20' }, legend: { orient: 'bottom', columns: 2, labelLimit: 0, symbolLimit: 0 } },
            order: { field: 'step', type: 'quantitative', aggregate: 'min' },
            tooltip: [{ field: 'bar' }, { field: 'phase' }, { field: 'gas', aggregate: 'sum', format: ',' }],
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
          encoding: { y: { field: 'bar', type: 'nominal', sort: bars }, x: { field: 'gas', type: 'quantitative' }, text: { field: 'gas', type: 'quantitative', format: ',' }, color: { value: '#222' } },
        },
      ],
    },
  };
}

/** A duration in the unit a reader thinks in (s, min, h, d). */
function humanDuration(seconds: number): string {
  if (seconds < 120) return `${Number(seconds.toPrecision(3))} s`;
  if (seconds < 7200) return `${Number((seconds / 60).toPrecision(3))} min`;
  if (seconds < 172800) return `${Number((seconds / 3600).toPrecision(3))} h`;
  return `${Number((seconds / 86400).toPrecision(3))} d`;
}

/**
 * Seconds to finality, one point per case on a log axis (points, not bars: a bar on a log axis
 * needs an arbitrary origin, and its length then means nothing). opML: unchallenged (the window)
 * and disputed worst case (window + both clocks), at the run's window and at Optimism's 7 days;
 * zkML: witness + prove + one block.
 */
function finality(results: RunResults, data: Table2Data): ChartSpec | undefined {
  if (!data.finality) return undefined;
  const { opml, zkml } = data.finality;
  const zkTotal = zkml.proveSeconds + zkml.blockSeconds;
  const values: Array<{ case: string; system: string; seconds: number; label: string }> = [
    { case: 'opML unchallenged', system: 'opML', seconds: opml.challengeWindowSeconds, label: `${humanDuration(opml.challengeWindowSeconds)}: the challenge window closes` },
  ];
  if (opml.disputedWorstCaseSeconds !== undefined) values.push({ case: 'opML disputed (worst case)', system: 'opML', seconds: opml.disputedWorstCaseSeconds, label: `${humanDuration(opml.disputedWorstCaseSeconds)}: window + both players' clocks` });
  if (opml.mainnetLike) {
    values.push({ case: 'opML unchallenged, 7 d window', system: 'opML', seconds: opml.mainnetLike.unchallengedSeconds, label: `${humanDuration(opml.mainnetLike.unchallengedSeconds)}: Optimism's 7-day window` });
    values.push({ case: 'opML disputed, 7 d window', system: 'opML', seconds: opml.mainnetLike.disputedWorstCaseSeconds, label: `${humanDuration(opml.mainnetLike.disputedWorstCaseSeconds)}: 7-day window + 3.5-day clocks` });
  }
  values.push({ case: 'zkML', system: 'zkML', seconds: zkTotal, label: `${humanDuration(zkTotal)}: witness + prove ${humanDuration(zkml.proveSeconds)} + one ${humanDuration(zkml.blockSeconds)} block` });
  const cases = values.map((v) => v.case);
  const decades = powersOfTen(values.map((v) => v.seconds));
  return {
    name: 'finality',
    title: 'Time to finality: opML vs zkML',
    spec: {
      ...frame(results, 'Time to finality: opML vs zkML', ['Seconds from posting a result until it is final (log scale); opML disputed: a challenge at the last second, each player using its whole clock']),
      width: WIDTH, height: 34 * values.length,
      data: { values },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 110 },
          encoding: {
            y: { field: 'case', type: 'nominal', title: null, sort: cases, axis: { labelLimit: 0 } },
            // Room to the right of the largest point for its label.
            x: { field: 'seconds', type: 'quantitative', scale: { type: 'log', domain: [decades[0], decades.at(-1)! * 30] }, title: 'seconds to finality (log scale)', axis: { format: '~s', values: decades } },
            color: { field: 'system', type: 'nominal', legend: null, scale: { domain: ['opML', 'zkML'], range: ['#f58518', '#4c78a8'] } },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 9, fontSize: 11 },
          encoding: { y: { field: 'case', type: 'nominal', sort: cases }, x: { field: 'seconds', type: 'quantitative' }, text: { field: 'label' }, color: { value: '#222' } },
        },
      ],
    },
  };
}

/**
 * Time per inference against parameters. Lines join only the width ladder (one architecture,
 * growing): joining unrelated zoo models would draw a trend that is not there; the other models
 * are points. A model zkML could not prove is a dashed rule, labelled in the legend area, not
 * over the data. With fewer than two models there is nothing to compare against size: no chart.
 */
function modelSizeLimits(results: RunResults, data: Table2Data): ChartSpec | undefined {
  const ladder = new Set(data.sizeLimits?.ladder ?? []);
  const values: Array<Record<string, unknown>> = [];
  for (const row of data.models) {
    const onLadder = ladder.has(row.model) ? 'width ladder' : 'other zoo models';
    if (row.nativeInferenceMs !== undefined) values.push({ model: row.model, parameters: row.parameters, what: 'native inference', ms: row.nativeInferenceMs, onLadder });
    if (row.opml) values.push({ model: row.model, parameters: row.parameters, what: 'opML execute', ms: row.opml.executeMs, onLadder });
    if (row.zkml?.status === 'proved' && row.zkml.proveMs !== undefined) values.push({ model: row.model, parameters: row.parameters, what: 'zkML prove', ms: row.zkml.proveMs, onLadder });
  }
  if (new Set(values.map((v) => v.model)).size < 2) return undefined;
  const failures = data.models.filter((row) => row.zkml?.status === 'failed');
  const ladderValues = values.filter((v) => v.onLadder === 'width ladder');
  const x = { field: 'parameters', type: 'quantitative', scale: { type: 'log' }, title: 'model parameters (log scale)', axis: { format: '~s' } };
  const y = { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'time per inference (ms, log scale)', axis: { format: '~g' } };
  const color = { field: 'what', type: 'nominal', title: null, scale: { domain: ['native inference', 'opML execute', 'zkML prove'], range: ['#4c78a8', '#f58518', '#e45756'] } };
  const subtitle = ['Off-chain time per inference against model parameters (log–log); lines: the width ladder (one MLP, growing); hollow: other zoo models'];
  if (failures.length > 0) subtitle.push(`Dashed: zkML could not prove ${failures.map((row) => `${row.model} (${row.parameters.toLocaleString('en-US')} parameters)`).join(', ')} here`);
  return {
    name: 'model-size-limits',
    title: 'Model size limits',
    spec: {
      ...frame(results, 'Model size limits', subtitle),
      width: WIDTH, height: HEIGHT,
      layer: [
        ...(ladderValues.length > 0 ? [{ data: { values: ladderValues }, mark: { type: 'line', point: { filled: true, size: 60 } }, encoding: { x, y, color, detail: { field: 'what' } } }] : []),
        { data: { values: values.filter((v) => v.onLadder !== 'width ladder') }, mark: { type: 'point', filled: false, size: 60, strokeWidth: 2 }, encoding: { x, y, color } },
        ...(failures.length > 0
          ? [{ data: { values: failures.map((row) => ({ parameters: row.parameters })) }, mark: { type: 'rule', strokeDash: [4, 4], color: '#d62728' }, encoding: { x: { field: 'parameters', type: 'quantitative' } } }]
          : []),
      ],
    },
  };
}

/**
 * The sumcheck/GKR prover's points for the overhead chart, in overheadVsNative's labels: the
 * matmul ladder's protocol / native at its largest n, and the whole model's prover / native.
 */
function gkrOverheadPoints(results: RunResults): Measurement[] {
  const matmul = byMetric(results, 'gkrMatMulOverhead').filter((m) => m.labels.part === 'protocol' && m.labels.baseline !== 'engine-in-prover');
  const largest = Math.max(...matmul.map((m) => Number(m.labels.n)));
  return [
    ...matmul.filter((m) => Number(m.labels.n) === largest).map((m) => ({ ...m, labels: { op: `matmul ${largest}×${largest}`, prover: 'gkr (no commitment)', baseline: String(m.labels.baseline) } })),
    ...byMetric(results, 'gkrModelOverNative').filter((m) => m.labels.part === 'prove-with-commit')
      .map((m) => ({ ...m, labels: { op: `whole ${m.labels.model}`, prover: 'gkr (with commitment)', baseline: String(m.labels.baseline) } })),
  ];
}

/** The gkr prover's ReLU (a lookup) / multiply-accumulate, in reluOverMultiply's labels. */
function gkrReluPoints(results: RunResults): Measurement[] {
  return byMetric(results, 'gkrReluOverMac').filter((m) => m.labels.part === 'protocol')
    .map((m) => ({ ...m, labels: { relu: 'lookup (gkr)', versus: 'mul', measure: 'gkr protocol, per MAC' } }));
}

/**
 * The figure people quote: the survey's two ratios as measured. Left: proving time per operation
 * over native time per operation (per prover and baseline), with the survey's 4× and 200× as
 * reference lines; right: a ReLU's (and each smooth op's) cost over a multiplication's in the same prover, with the 200× line. Reads the
 * micro suite's derived `overheadVsNative{op,prover,baseline}` and `reluOverMultiply{relu,versus,measure}`.
 */
function overheadRatios(results: RunResults): ChartSpec | undefined {
  const overhead = [...byMetric(results, 'overheadVsNative'), ...gkrOverheadPoints(results)].filter((m) => m.value > 0);
  // The right panel: every non-linear op over a multiplication — ReLUs, then the smooth ops (nonLinearOverMultiply's `op` read as `relu`).
  const smooth = byMetric(results, 'nonLinearOverMultiply').map((m): Measurement => ({ ...m, labels: { ...m.labels, relu: String(m.labels.op) } }));
  const relu: Measurement[] = [...byMetric(results, 'reluOverMultiply'), ...gkrReluPoints(results), ...smooth].filter((m) => m.value > 0 && m.labels.versus === 'mul');
  if (overhead.length === 0 && relu.length === 0) return undefined;
  const panels: Array<Record<string, unknown>> = [];
  if (overhead.length > 0) {
    const values = overhead.map((m) => ({ op: String(m.labels.op), prover: m.labels.prover === 'witness' ? 'witness (circom wasm)' : String(m.labels.prover), baseline: String(m.labels.baseline), ratio: m.value }));
    const decades = powersOfTen([...values.map((v) => v.ratio), 1, 200]);
    const y = { field: 'ratio', type: 'quantitative', scale: { type: 'log', domain: [decades[0], decades.at(-1)] }, title: 'prover time / native time, per op (log)', axis: { format: '~s', values: decades } };
    panels.push({
      title: { text: 'Proving overhead vs native', fontSize: 12 },
      width: 420, height: HEIGHT,
      layer: [
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: { field: 'op', type: 'nominal', sort: opOrder(overhead), title: 'operation', axis: { labelAngle: -30 } },
            y,
            color: { field: 'prover', type: 'nominal', title: 'prover (time)', scale: { scheme: 'tableau10' }, legend: { labelLimit: 0 } },
            shape: { field: 'baseline', type: 'nominal', title: 'native baseline' },
            xOffset: { field: 'baseline', type: 'nominal' },
            tooltip: [{ field: 'op' }, { field: 'prover' }, { field: 'baseline' }, { field: 'ratio', format: ',.3~r' }],
          },
        },
        {
          data: { values: [{ ratio: 4, claim: 'survey: 4× (multiplication)' }, { ratio: 200, claim: 'survey: up to 200× (ReLU)' }] },
          layer: [
            { mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { y: { field: 'ratio', type: 'quantitative' } } },
            // At the right end, where no op's points sit near 4× or 200× (at the left the text covered fixed-mul's).
            { mark: { type: 'text', align: 'right', dx: -3, dy: -6, fontSize: 10, color: '#555' }, encoding: { y: { field: 'ratio', type: 'quantitative' }, x: { value: 420 }, text: { field: 'claim' } } },
          ],
        },
      ],
    });
  }
  if (relu.length > 0) {
    const values = relu.map((m) => ({ relu: String(m.labels.relu), measure: String(m.labels.measure), ratio: m.value }));
    const decades = powersOfTen([...values.map((v) => v.ratio), 1, 200]);
    const hasSmooth = smooth.length > 0;
    panels.push({
      title: { text: hasSmooth ? 'Non-linear op cost / multiplication cost, same prover' : 'ReLU cost / multiplication cost, same prover', fontSize: 12 },
      width: 300, height: HEIGHT,
      layer: [
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: { field: 'relu', type: 'nominal', sort: [...new Set(values.map((v) => v.relu))], title: hasSmooth ? 'operation (ReLU: input bits; softmax-8: a row of 8)' : 'ReLU variant (input bits)', axis: { labelAngle: -30 } },
            y: { field: 'ratio', type: 'quantitative', scale: { type: 'log', domain: [decades[0], decades.at(-1)] }, title: 'ratio (log scale)', axis: { format: '~s', values: decades } },
            color: { field: 'measure', type: 'nominal', title: 'measured as', scale: { scheme: 'set2' }, legend: { labelLimit: 0 } },
            xOffset: { field: 'measure', type: 'nominal' },
            tooltip: [{ field: 'relu' }, { field: 'measure' }, { field: 'ratio', format: ',.3~r' }],
          },
        },
        { data: { values: [{ ratio: 1 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'ratio', type: 'quantitative' } } },
        {
          data: { values: [{ ratio: 200, claim: 'survey: up to 200×' }] },
          layer: [
            { mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { y: { field: 'ratio', type: 'quantitative' } } },
            { mark: { type: 'text', align: 'right', dx: -3, dy: -6, fontSize: 10, color: '#555' }, encoding: { y: { field: 'ratio', type: 'quantitative' }, x: { value: 300 }, text: { field: 'claim' } } },
          ],
        },
      ],
    });
  }
  return {
    name: 'overhead-ratios',
    title: 'The survey\'s ratios, measured',
    spec: {
      ...frame(results, 'The survey\'s ratios, measured', ['Marginal cost per operation (least-squares slopes over N operations); dashed: the figures the survey quotes']),
      hconcat: panels,
      resolve: { scale: { color: 'independent', shape: 'independent' } },
    },
  };
}

/**
 * Cost against model size for both paths (the `scaling` and `table2` suites' per-model
 * measurements, labelled `{model}`): one panel per quantity, parameters on a log x axis. Reads
 * `attemptParameters`/`parameters`, zkML `constraints`, `zkComputeTime`, `provingKeyBytes`,
 * opML `opmlExecuteTime`, `traceSteps`, `disputeRounds`, `disputeGas`, `opmlGas`, zkML
 * `zkVerifyGas`, and `attemptPeakMemory`/`attemptWallTime{path}`.
 */
function costVsModelSize(results: RunResults): ChartSpec | undefined {
  const parameters = new Map<string, number>();
  for (const m of results.measurements) if ((m.metric === 'attemptParameters' || m.metric === 'parameters') && m.labels.model !== undefined) parameters.set(String(m.labels.model), m.value);
  if (parameters.size < 2) return undefined;
  // Lines join only the width ladder (one architecture, growing; the gkr path's generated mlp-w<W> beyond it too);
  // other zoo models are hollow points, not joined across architectures.
  const ladder = new Set((results.settings as { ladder?: string[] } | undefined)?.ladder ?? []);
  const onLadder = (model: string) => ladder.has(model) || (ladder.size > 0 && /^mlp-w\d+$/.test(model));
  const rows: Array<{ model: string; parameters: number; quantity: string; path: string; series: string; value: number; ladder: boolean }> = [];
  // The run's zkML input mode only: the reference model's other mode (labels.inputs, table2) is not a point of the size curve.
  const defaultInputs = String((results.settings as { zkInputs?: string } | undefined)?.zkInputs ?? 'public');
  const add = (quantity: string, path: 'opML' | 'zkML', series: string, metric: string, pick: (m: Measurement) => boolean = () => true, scale = 1) => {
    for (const m of results.measurements) {
      if (m.metric !== metric || m.labels.model === undefined || !pick(m) || !(m.value > 0)) continue;
      if (m.labels.inputs !== undefined && String(m.labels.inputs) !== defaultInputs) continue;
      const p = parameters.get(String(m.labels.model));
      if (p !== undefined) rows.push({ model: String(m.labels.model), parameters: p, quantity, path, series: `${path} ${series}`, value: m.value * scale, ladder: onLadder(String(m.labels.model)) });
    }
  };
  add('off-chain time per inference (ms)', 'zkML', 'witness + prove', 'zkComputeTime');
  add('off-chain time per inference (ms)', 'opML', 'claim: engine + state commitments', 'opmlExecuteTime');
  add('off-chain time per inference (ms)', 'zkML', 'gkr prove (sumcheck/GKR, with commitment)', 'proveTime', (m) => m.labels.system === 'gkr');
  add('R1CS constraints / trace VM steps', 'zkML', 'constraints', 'constraints');
  add('R1CS constraints / trace VM steps', 'opML', 'VM steps', 'traceSteps');
  add('proving key (bytes)', 'zkML', 'proving key', 'provingKeyBytes');
  add('peak memory of the attempt (bytes)', 'zkML', 'peak RSS', 'attemptPeakMemory', (m) => m.labels.path === 'zkML');
  add('peak memory of the attempt (bytes)', 'opML', 'peak RSS', 'attemptPeakMemory', (m) => m.labels.path === 'opML');
  add('gas', 'zkML', 'submit proof', 'zkVerifyGas');
  add('gas', 'opML', 'dispute (submit … settle)', 'disputeGas');
  add('gas', 'opML', 'request (input + initial state)', 'opmlGas', (m) => m.labels.phase === 'request');
  add('dispute rounds', 'opML', 'bisection rounds', 'disputeRounds');
  add('wall time of the attempt (s)', 'zkML', 'attempt wall time', 'attemptWallTime', (m) => m.labels.path === 'zkML', 1e-3);
  add('wall time of the attempt (s)', 'opML', 'attempt wall time', 'attemptWallTime', (m) => m.labels.path === 'opML', 1e-3);
  if (new Set(rows.map((r) => r.model)).size < 2) return undefined;
  const quantities = [...new Set(rows.map((r) => r.quantity))];
  return {
    name: 'cost-vs-model-size',
    title: 'Cost vs model size: opML and zkML',
    spec: {
      ...frame(results, 'Cost vs model size: opML and zkML', [`Each panel one quantity against model parameters (log–log); a missing point: the attempt did not complete${rows.some((r) => !r.ladder) && rows.some((r) => r.ladder) ? '; lines: the width ladder; hollow: other zoo models' : ''}`]),
      data: { values: rows },
      facet: { field: 'quantity', type: 'nominal', sort: quantities, title: null, header: { labelFontSize: 12, labelFontWeight: 'bold' } },
      columns: 2,
      spec: {
        width: 300, height: 170,
        encoding: {
          x: { field: 'parameters', type: 'quantitative', scale: { type: 'log' }, title: 'model parameters (log scale)', axis: { format: '~s' } },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: null, axis: { format: '~s' } },
          color: { field: 'path', type: 'nominal', title: null, scale: { domain: ['opML', 'zkML'], range: ['#f58518', '#4c78a8'] } },
          shape: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
          strokeDash: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
          tooltip: [{ field: 'model' }, { field: 'series' }, { field: 'value', format: ',.4~r' }],
        },
        layer: [
          { transform: [{ filter: 'datum.ladder' }], mark: { type: 'line', point: { filled: true, size: 45 } } },
          { transform: [{ filter: '!datum.ladder' }], mark: { type: 'point', filled: false, size: 45, strokeWidth: 1.5 } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

export function buildCharts({ results }: BuildChartsParameters): BuildChartsResult {
  const charts: Array<ChartSpec | undefined> = [perOpTime(results), perOpConstraints(results), proveTimeVsConstraints(results), overheadRatios(results)];
  const table2 = results.sections.table2 as Table2Data | undefined;
  if (table2) charts.push(gasByPhase(results, table2), finality(results, table2), modelSizeLimits(results, table2));
  charts.push(costVsModelSize(results));
  return charts.filter((chart): chart is ChartSpec => chart !== undefined);
}
