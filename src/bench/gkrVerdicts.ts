/**
 * The sumcheck/GKR prover's readings of the survey's two micro claims, added to the R1CS verdicts
 * of verdicts.ts (microVerdicts calls withGkrMicroReadings):
 *   - "multiplication 4×" becomes measured: holds / does-not-hold in the unit and against the
 *     baseline the claim comes from — matmul prover time without the commitment / the engine's
 *     integer matmul of the same matrices, at n ≥ 256 (Thaler's time-optimal matmul sumcheck);
 *   - "ReLU up to 200×" gains the whole-prover / native-inference reading (the sense in which
 *     sumcheck/GKR provers with lookups are reported at ~180×) and the ReLU-lookup / MAC ratio of
 *     the same prover, next to the R1CS constraint reading.
 * Pure functions of the measured data; no figure is written here.
 */
import { formatNumber } from './formatValue.ts';
import type { Measurement, RunResults, Verdict } from './types.ts';
import type { Table2Data } from './table2Data.ts';

/** The matmul size from which the 4× claim is judged (Thaler's prover is O(n²) after C: the ratio falls with n). */
export const GKR_MATMUL_CLAIM_MIN_N = 256;
export const MULTIPLICATION_CLAIM_X = 4;
export const NONLINEAR_CLAIM_X = 200;

export interface WithGkrMicroReadingsParameters {
  /** microVerdicts' R1CS verdicts: [multiplication, ReLU]. */
  verdicts: Verdict[];
  results: Pick<RunResults, 'measurements'>;
}

const x = (value: number) => `${formatNumber(value)}×`;

function all(results: Pick<RunResults, 'measurements'>, metric: string, labels: Record<string, string> = {}): Measurement[] {
  return results.measurements.filter((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
}

function ladderText(rows: Measurement[]): string {
  return rows.length ? [...rows].sort((a, b) => Number(a.labels.n) - Number(b.labels.n)).map((m) => `n=${m.labels.n} ${x(m.value)}`).join(', ') : 'not measured';
}

/** The multiplication verdict with the gkr matmul ladder's reading; unchanged when the ladder did not run. */
export function gkrMultiplicationVerdict(verdict: Verdict, results: Pick<RunResults, 'measurements'>): Verdict {
  const overhead = (part: string, baseline: string) => all(results, 'gkrMatMulOverhead', { part, baseline });
  const protocolEngine = overhead('protocol', 'engine');
  if (protocolEngine.length === 0) return verdict;
  const largeN = protocolEngine.filter((m) => Number(m.labels.n) >= GKR_MATMUL_CLAIM_MIN_N);
  const worst = largeN.reduce<Measurement | undefined>((w, m) => (!w || m.value > w.value ? m : w), undefined);
  const largestN = Math.max(...protocolEngine.map((m) => Number(m.labels.n)));
  const measured = [
    `Sumcheck/GKR prover (gkr, Thaler's matmul sumcheck over Goldilocks), n × n times n × n — prover time without the commitment / the engine's integer matmul of the same matrices (float64 loops, one thread): ${ladderText(protocolEngine)};`,
    `against the product computed inside the same prover calls: ${ladderText(overhead('protocol', 'engine-in-prover'))};`,
    `against onnxruntime (float32 MatMul, one thread): ${ladderText(overhead('protocol', 'onnxruntime'))};`,
    `the whole prover call without the commitment (C computed, then the protocol) / engine: ${ladderText(overhead('prove-no-commit', 'engine'))}` +
      (overhead('prove-with-commit', 'engine').length ? `; with the commitment to A and B and its opening / engine: ${ladderText(overhead('prove-with-commit', 'engine'))}.` : ' (the matmul statement has A, B and C public: no commitment).'),
  ].join(' ');
  const unit = `unit: prover time without the commitment; baseline: the engine's integer matmul of the same matrices; at n ≥ ${GKR_MATMUL_CLAIM_MIN_N}`;
  const gkrReading = worst
    ? worst.value <= MULTIPLICATION_CLAIM_X
      ? `Measured with the sumcheck prover this repository adds (gkr), the claim holds (${unit}): the largest ratio is ${x(worst.value)} at n=${worst.labels.n}, within ${MULTIPLICATION_CLAIM_X}×. `
      : `Measured with the sumcheck prover this repository adds (gkr), the claim does not hold (${unit}): the ratio reaches ${x(worst.value)} at n=${worst.labels.n}, beyond ${MULTIPLICATION_CLAIM_X}×. `
    : `The gkr matmul ladder of this run stopped at n=${largestN}, below n=${GKR_MATMUL_CLAIM_MIN_N}, so the claim (${unit}) is not judged here; run the micro suite with --gkr-ladder reaching ${GKR_MATMUL_CLAIM_MIN_N}. `;
  // Without the R1CS ops in this run, the gkr reading stands alone.
  const r1cs = verdict.status !== 'no-data';
  return {
    ...verdict,
    status: worst ? (worst.value <= MULTIPLICATION_CLAIM_X ? 'holds' : 'does-not-hold') : verdict.status,
    measured: r1cs ? `${verdict.measured} ${measured}` : measured,
    reading: `${gkrReading}${r1cs ? `For Groth16 and PLONK: ${verdict.reading}` : 'The R1CS ops (Groth16, PLONK) were not measured in this run.'}`,
  };
}

/** The ReLU/200× verdict with the gkr readings: ReLU lookup / MAC in the same prover, whole prover / native inference. */
export function gkrNonlinearVerdict(verdict: Verdict, results: Pick<RunResults, 'measurements'>): Verdict {
  const reluOverMac = all(results, 'gkrReluOverMac');
  const modelRatios = all(results, 'gkrModelOverNative');
  if (reluOverMac.length === 0 && modelRatios.length === 0) return verdict;
  const parts: string[] = [];
  const lookup = reluOverMac.find((m) => m.labels.part === 'protocol') ?? reluOverMac[0];
  if (lookup)
    parts.push(`Sumcheck/GKR prover (gkr): marginal ${lookup.labels.part} time per ReLU (a LogUp lookup) / per multiply-accumulate: ${x(lookup.value)}${lookup.standardError ? ` (± ${formatNumber(lookup.standardError)})` : ''}.`);
  const models = [...new Set(modelRatios.map((m) => String(m.labels.model)))];
  for (const model of models) {
    const pick = (part: string, baseline: string) => modelRatios.find((m) => m.labels.model === model && m.labels.part === part && m.labels.baseline === baseline);
    const line = [['prove-with-commit', 'onnxruntime'], ['protocol', 'onnxruntime'], ['prove-with-commit', 'engine']]
      .map(([part, baseline]) => [part, baseline, pick(part!, baseline!)] as const)
      .filter(([, , m]) => m)
      .map(([part, baseline, m]) => `${part === 'protocol' ? 'protocol only' : 'with commitment'} / ${baseline} ${x(m!.value)}`);
    if (line.length) parts.push(`Whole gkr prover / native inference for ${model}: ${line.join(', ')}.`);
  }
  const headline = models.map((model) => modelRatios.find((m) => m.labels.model === model && m.labels.part === 'prove-with-commit' && m.labels.baseline === 'onnxruntime')).filter((m): m is Measurement => m !== undefined);
  const reading = headline.length
    ? `Read as the whole prover against native inference (the sense in which sumcheck/GKR provers with lookups are reported at ~180× CPU inference), the gkr prover with its commitment is ${headline.map((m) => `${x(m.value)} for ${m.labels.model} (${m.value <= NONLINEAR_CLAIM_X ? 'within' : 'beyond'} ${NONLINEAR_CLAIM_X}×)`).join(', ')} against onnxruntime.${lookup ? ` In that prover a ReLU costs ${x(lookup.value)} a multiply-accumulate, not 200×: a lookup replaces the bit decomposition.` : ''} `
    : lookup ? `In the gkr prover a ReLU costs ${x(lookup.value)} a multiply-accumulate: a lookup replaces the bit decomposition. ` : '';
  // Without the R1CS ReLU ops the gkr reading is the only one: it decides.
  const status = verdict.status === 'no-data' && headline.length ? (headline.every((m) => m.value <= NONLINEAR_CLAIM_X) ? 'holds' : 'does-not-hold') : verdict.status;
  const r1cs = verdict.status !== 'no-data';
  return {
    ...verdict, status,
    measured: r1cs ? `${verdict.measured} ${parts.join(' ')}` : parts.join(' '),
    reading: (r1cs ? `${verdict.reading} ${reading}` : `${reading}The R1CS ReLU ops were not measured in this run.`).trim(),
  };
}

/** microVerdicts' [multiplication, ReLU] verdicts with the gkr readings added where the gkr items ran. */
export function withGkrMicroReadings({ verdicts, results }: WithGkrMicroReadingsParameters): Verdict[] {
  const [multiplication, nonlinear, ...rest] = verdicts;
  return [
    ...(multiplication ? [gkrMultiplicationVerdict(multiplication, results)] : []),
    ...(nonlinear ? [gkrNonlinearVerdict(nonlinear, results)] : []),
    ...rest,
  ];
}

export interface WithGkrTable2ReadingsParameters {
  /** table2Verdicts(data), in Table II's row order (Model Size, Computation, Storage, Finality, Security, …). */
  verdicts: Verdict[];
  data: Table2Data;
}

/**
 * table2Verdicts' rows with the sumcheck/GKR prover's figures added where it ran (statuses are
 * the Groth16 rows' own; the gkr figures are a second reading beside them): Model Size (the gkr
 * prover's limit on the ladder, and models it proved that Groth16 could not), Computation (gkr
 * prove / opML execute), Storage (gkr proofs are verified off-chain here, and why), Security
 * (the gkr forgeries rejected).
 */
export function withGkrTable2Readings({ verdicts, data }: WithGkrTable2ReadingsParameters): Verdict[] {
  if (!data.gkr) return verdicts;
  const gkr = data.gkr;
  const proved = data.models.filter((row) => row.gkr?.status === 'proved');
  const out = [...verdicts];
  const add = (index: number, measured: string, reading = '') => {
    const v = out[index];
    if (v) out[index] = { ...v, measured: `${v.measured} ${measured}`.trim(), reading: reading ? `${v.reading} ${reading}` : v.reading };
  };
  const beyondGroth = proved.filter((row) => row.zkml?.status === 'failed');
  if (gkr.sizeLimit || proved.length)
    add(0,
      `Sumcheck/GKR prover (gkr): ${gkr.sizeLimit?.largest ? `largest proved on the ladder ${gkr.sizeLimit.largest} (${formatNumber(gkr.sizeLimit.largestParameters ?? 0)} parameters)` : `proved ${proved.map((r) => r.model).join(', ') || 'none'}`}${gkr.sizeLimit?.failedAt ? `; next (${gkr.sizeLimit.failedAt}) failed: ${gkr.sizeLimit.failure}` : ''}.`,
      beyondGroth.length ? `The gkr prover proved ${beyondGroth.map((r) => r.model).join(', ')}, which Groth16 could not within the same limits: how limited zkML is depends on the proof system, not only on zkML as such.` : '');
  const computation = proved.filter((row) => row.opml && row.gkr!.proveMs !== undefined).map((row) => ({ model: row.model, ratio: row.gkr!.proveMs! / row.opml!.executeMs }));
  if (computation.length)
    add(1, `gkr (with commitment): ${computation.map((c) => `${c.model}: gkr prove / opML execute = ${formatNumber(c.ratio)}×`).join('; ')}.`,
      computation.some((c) => c.ratio <= 1) ? `With the gkr prover the proof costs no more than the opML execution for ${computation.filter((c) => c.ratio <= 1).map((c) => c.model).join(', ')}: "zkML high" is a statement about the proof system.` : '');
  const reference = data.models.find((row) => row.model === data.referenceModel)?.gkr;
  add(2, `gkr: proof ${reference?.proofBytes !== undefined ? `${formatNumber(reference.proofBytes)} bytes` : 'not measured'}; gkr proofs are verified off-chain here: ${gkr.onChain.reason}.`,
    'The gkr proofs are not part of the on-chain byte count: they are verified off-chain here.');
  if (gkr.tampering?.length)
    add(4, `gkr: forgeries rejected ${gkr.tampering.filter((t) => t.rejected).length}/${gkr.tampering.length} (natively).`);
  return out;
}
