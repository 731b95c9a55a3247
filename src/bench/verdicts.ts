/**
 * The verdicts section: each survey claim (multiplication 4×, ReLU up to 200×, and every row of
 * Table II, opML vs zkML) set against what was measured — the figures, the unit and baseline
 * under which the claim holds and those under which it does not, and plainly when our proof
 * systems cannot test it. Pure functions of the measured data; no figure is written here.
 */
import { formatNumber, formatQuantity } from './formatValue.ts';
import { withGkrMicroReadings } from './gkrVerdicts.ts';
import type { Measurement, RunResults, Verdict } from './types.ts';
import { isDisputeOnlyPhase, type Table2Data, type Table2ModelRow } from './table2Data.ts';
import { tallyAttackClasses } from './table2/tallyAttackClasses.ts';

const SURVEY = 'survey "Blockchain and AI: synergies and conflicts", §III, citing [37] (Buterin 2024) and [98] (Thaler 2013)';
const TABLE2 = 'survey Table II "Comparison between opML and zkML", citing [97] (Conway et al., opML)';

export interface MicroVerdictsParameters {
  results: RunResults;
}

export interface Table2VerdictsParameters {
  data: Table2Data;
}

function find(results: RunResults, metric: string, labels: Record<string, string>): Measurement | undefined {
  return results.measurements.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
}

/** A fitted value is resolved when its standard error is under half its size; otherwise it is noise. */
function resolved(m: Measurement | undefined): m is Measurement {
  return m !== undefined && m.value > 0 && (m.standardError ?? 0) < 0.5 * Math.abs(m.value);
}

/** Marks a fitted value whose standard error is at least half of it (the report explains the mark once). */
const NOISE = ' (not resolved)';

function quantity(m: Measurement | undefined): string {
  if (!m) return 'not measured';
  const exact = m.kind === 'deterministic';
  return formatQuantity(m.value, m.unit, m.standardError) + (exact || resolved(m) ? '' : NOISE);
}

function times(m: Measurement | undefined): string {
  if (!m) return 'n/a (not measured, or a slope ≤ 0: noise larger than the per-op cost)';
  return `${formatNumber(m.value)}×${m.standardError ? ` (± ${formatNumber(m.standardError)})` : ''}${resolved(m) ? '' : NOISE}`;
}

function multiplicationVerdict(results: RunResults): Verdict {
  const constraints = find(results, 'marginalConstraints', { op: 'mul' });
  const fixed = find(results, 'marginalConstraints', { op: 'fixed-mul' });
  const dot = find(results, 'marginalConstraints', { op: 'dot' });
  const groth = find(results, 'marginalTime', { op: 'mul', system: 'groth16' });
  const plonk = find(results, 'marginalTime', { op: 'mul', system: 'plonk' });
  const overhead = (prover: string, baseline: string) => find(results, 'overheadVsNative', { op: 'mul', prover, baseline });
  const fixedOverhead = (prover: string, baseline: string) => find(results, 'overheadVsNative', { op: 'fixed-mul', prover, baseline });
  const any = constraints ?? groth ?? plonk;
  const resolvedOverheads = [overhead('groth16', 'js-float'), overhead('groth16', 'onnxruntime'), overhead('plonk', 'js-float'), overhead('plonk', 'onnxruntime')].filter(resolved);
  const smallest = resolvedOverheads.length ? Math.min(...resolvedOverheads.map((m) => m.value)) : undefined;
  const nativeReading = smallest === undefined
    ? 'no prove/native ratio was resolved above the noise in this run'
    : `the smallest resolved prove/native ratio per multiplication is ${formatNumber(smallest)}×, ${smallest > 4 ? 'beyond' : 'within'} 4×`;
  const measured = any
    ? [
        `A private×private multiplication costs ${quantity(constraints)} (R1CS); a fixed-point multiply with the sound rescale costs ${quantity(fixed)}; a multiply-accumulate in a dot product ${quantity(dot)}.`,
        `Marginal prove time per multiplication: Groth16 ${quantity(groth)}, PLONK ${quantity(plonk)}.`,
        `Prove time / native time per multiplication — Groth16: ${times(overhead('groth16', 'js-float'))} vs JS float, ${times(overhead('groth16', 'onnxruntime'))} vs onnxruntime; PLONK: ${times(overhead('plonk', 'js-float'))} vs JS float, ${times(overhead('plonk', 'onnxruntime'))} vs onnxruntime.`,
        `For the fixed-point multiply, Groth16 vs the engine's integer arithmetic: ${times(fixedOverhead('groth16', 'engine'))}.`,
      ].join(' ')
    : 'The micro suite did not measure the multiplication.';
  return {
    claim: 'AI-critical operations like multiplication incur a 4× overhead',
    source: SURVEY,
    status: any ? 'untestable' : 'no-data',
    measured,
    reading:
      'The 4× figure is the prover-time overhead of sumcheck-based interactive proofs for matrix multiplication (Thaler\'s time-optimal provers, [98]), relative to computing the product. ' +
      'Our proof systems are R1CS-based Groth16 and PLONK (snarkjs), which have no such prover, so the claim cannot be tested with them: it neither holds nor fails here. ' +
      `What we can say: in constraints a multiplication is the unit of cost (${quantity(constraints)}), so "4×" would have to be read against native time, and against native time ${nativeReading}. ` +
      'A fixed-point multiply (what an ML layer needs) costs as many constraints as its rescale range proofs, not one.',
  };
}

function reluVerdict(results: RunResults): Verdict {
  const relus = [...new Set(results.measurements.filter((m) => m.metric === 'marginalConstraints' && String(m.labels.op).startsWith('relu-')).map((m) => String(m.labels.op)))];
  const smooth = smoothReadings(results);
  if (relus.length === 0 && !smooth)
    return { claim: 'non-linear operations such as ReLU can face up to a 200× overhead', source: SURVEY, status: 'no-data', measured: 'The micro suite did not measure ReLU or another non-linear operation.', reading: 'No data.' };
  if (relus.length === 0)
    return { claim: 'non-linear operations such as ReLU can face up to a 200× overhead', source: SURVEY, status: 'depends', measured: smooth!.measured, reading: `${smooth!.reading} (ReLU was not measured in this run.)` };
  const inConstraints = relus.map((relu) => ({ relu, r: find(results, 'reluOverMultiply', { relu, versus: 'mul', measure: 'constraints' }) }));
  const inGroth = relus.map((relu) => ({ relu, r: find(results, 'reluOverMultiply', { relu, versus: 'mul', measure: 'groth16' }) }));
  const inPlonk = relus.map((relu) => ({ relu, r: find(results, 'reluOverMultiply', { relu, versus: 'mul', measure: 'plonk' }) }));
  const vsNative = relus.map((relu) => ({ relu, r: find(results, 'overheadVsNative', { op: relu, prover: 'groth16', baseline: 'js-float' }) }));
  const list = (rows: Array<{ relu: string; r: Measurement | undefined }>) => rows.map(({ relu, r }) => `${relu} ${times(r)}`).join(', ');
  // Only resolved ratios count for or against the claim.
  const within = (rows: Array<{ relu: string; r: Measurement | undefined }>) => rows.filter(({ r }) => resolved(r) && r.value <= 200).map(({ relu }) => relu);
  const beyond = (rows: Array<{ relu: string; r: Measurement | undefined }>) => rows.filter(({ r }) => resolved(r) && r.value > 200).map(({ relu }) => relu);
  const measured = [
    `Constraints per ReLU: ${relus.map((relu) => `${relu} ${quantity(find(results, 'marginalConstraints', { op: relu }))}`).join(', ')}.`,
    `ReLU / multiplication in constraints: ${list(inConstraints)}.`,
    `In marginal Groth16 prove time: ${list(inGroth)}; in PLONK prove time: ${list(inPlonk)}.`,
    `Groth16 prove time per ReLU / JS float ReLU: ${list(vsNative)}.`,
  ].join(' ');
  const parts: string[] = [];
  const w = within(inConstraints);
  const b = beyond(inConstraints);
  if (w.length) parts.push(`Against a multiplication in R1CS constraints, "up to 200×" holds for ${w.join(', ')} (the bounded ReLU costs about its bit width in constraints, so it stays under 200× for activations narrower than about 200 bits)`);
  if (b.length) parts.push(`it does not hold for ${b.join(', ')}, which exceeds 200× (the full-field ReLU decomposes all 254 bits and compares against the field's half)`);
  const wg = within(inGroth);
  const bg = beyond(inGroth);
  if (wg.length || bg.length) parts.push(`In Groth16 prove time relative to a multiplication the ratio is within 200× for ${wg.join(', ') || 'none'} and beyond it for ${bg.join(', ') || 'none'}`);
  else parts.push('In Groth16 prove time relative to a multiplication no ratio was resolved above the noise in this run');
  const wp = within(inPlonk);
  const bp = beyond(inPlonk);
  if (wp.length || bp.length) parts.push(`in PLONK prove time it is within 200× for ${wp.join(', ') || 'none'} and beyond it for ${bp.join(', ') || 'none'} (PLONK pays for the additions of the bit decompositions, which R1CS gets free)`);
  const bn = beyond(vsNative);
  const unresolvedNative = vsNative.filter(({ r }) => !resolved(r)).map(({ relu }) => relu);
  if (bn.length)
    parts.push(`Against native execution (Groth16 prove time per ReLU / JS float time per ReLU) every resolved ratio is beyond 200× (${bn.join(', ')}${unresolvedNative.length ? `; not resolved: ${unresolvedNative.join(', ')}` : ''}), so read against native code the claim understates the cost`);
  else if (within(vsNative).length === 0) parts.push('Against native execution no prove/native ratio was resolved above the noise in this run');
  return {
    claim: 'non-linear operations such as ReLU can face up to a 200× overhead',
    source: SURVEY,
    status: 'depends',
    measured: smooth ? `${measured} ${smooth.measured}` : measured,
    reading: `${parts.map((part) => part[0]!.toUpperCase() + part.slice(1)).join('. ')}. The claim names neither its unit nor its baseline; the sources count the cost of a non-linearity in a proof relative to a multiplication (which is what a constraint count measures), so the constraint ratio is the closest reading, and there the answer depends on the ReLU's bit width${smooth ? `. ${smooth.reading}` : '.'}`,
  };
}

/**
 * The other non-linear operations of the micro suite (sigmoid, tanh, softmax over a row), in the
 * same units as ReLU: constraints and prove time per op relative to a multiplication, and prove
 * time relative to native float. Undefined when none was measured.
 */
function smoothReadings(results: RunResults): { measured: string; reading: string } | undefined {
  const ops = [...new Set(results.measurements.filter((m) => m.metric === 'marginalConstraints' && (m.labels.op === 'sigmoid' || m.labels.op === 'tanh' || String(m.labels.op).startsWith('softmax-'))).map((m) => String(m.labels.op)))];
  if (ops.length === 0) return undefined;
  const rows = (versus: string, measure: string) => ops.map((op) => ({ op, r: find(results, 'nonLinearOverMultiply', { op, versus, measure }) }));
  const list = (items: Array<{ op: string; r: Measurement | undefined }>) => items.map(({ op, r }) => `${op} ${times(r)}`).join(', ');
  const vsNative = ops.map((op) => ({ op, r: find(results, 'overheadVsNative', { op, prover: 'groth16', baseline: 'js-float' }) }));
  const measured = [
    `Other non-linear operations (docs/fixed-point.md, "Smooth functions"; softmax-8 is one softmax over 8 values): constraints per op ${ops.map((op) => `${op} ${quantity(find(results, 'marginalConstraints', { op }))}`).join(', ')}.`,
    `Per multiplication in constraints: ${list(rows('mul', 'constraints'))}; per 16-bit ReLU: ${list(rows('relu-16', 'constraints'))}.`,
    `In marginal Groth16 prove time per multiplication: ${list(rows('mul', 'groth16'))}.`,
    `Groth16 prove time per op / JS float time per op: ${list(vsNative)}.`,
  ].join(' ');
  const constraints = rows('mul', 'constraints').filter(({ r }) => resolved(r));
  const within = constraints.filter(({ r }) => r!.value <= 200).map(({ op }) => op);
  const beyond = constraints.filter(({ r }) => r!.value > 200).map(({ op }) => op);
  const parts: string[] = [];
  if (within.length) parts.push(`against a multiplication in constraints, "up to 200×" holds for ${within.join(', ')}`);
  if (beyond.length) {
    // A softmax-N op is a whole row: per element of the row it costs N times less.
    const perElement = constraints.filter(({ op, r }) => r!.value > 200 && /^softmax-\d+$/.test(op)).map(({ op, r }) => `${op} ${formatNumber(r!.value / Number(op.slice(8)))}× per element`);
    parts.push(`it does not hold for ${beyond.join(', ')}, beyond 200×${perElement.length ? ` (${perElement.join(', ')} of its row)` : ''}`);
  }
  const nativeBeyond = vsNative.filter(({ r }) => resolved(r) && r.value > 200).map(({ op }) => op);
  if (nativeBeyond.length) parts.push(`against native float every resolved prove/native ratio (${nativeBeyond.join(', ')}) is beyond 200×`);
  const reading = parts.length
    ? `For the smooth non-linearities, whose exact integer definition is a table with interpolation (clamp, one-hot segment of the table, product, rounding), ${parts.join('; ')}; they cost several ReLUs each, so the claim's "up to" is exceeded first by these, not by ReLU. The gkr prover does not prove them yet, so there is no lookup-based figure for them.`
    : 'For the smooth non-linearities no ratio was resolved in this run.';
  return { measured, reading };
}


/** Verdicts on the multiplication and ReLU claims from a micro-suite run's derived measurements. */
export function microVerdicts({ results }: MicroVerdictsParameters): Verdict[] {
  return withGkrMicroReadings({ verdicts: [multiplicationVerdict(results), reluVerdict(results)], results });
}

function largest<T>(rows: T[], by: (row: T) => number): T | undefined {
  return rows.reduce<T | undefined>((best, row) => (best === undefined || by(row) > by(best) ? row : best), undefined);
}

function modelSizeVerdict(data: Table2Data): Verdict {
  const proved = data.models.filter((row) => row.zkml?.status === 'proved');
  const failed = data.models.filter((row) => row.zkml?.status === 'failed');
  const executed = data.models.filter((row) => row.opml);
  const bigProved = largest(proved, (row) => row.parameters);
  const bigRun = largest(executed, (row) => row.parameters);
  if (!bigProved && !bigRun && failed.length === 0)
    return { claim: 'Model size: opML unlimited, zkML limited', source: TABLE2, status: 'no-data', measured: 'No models were run.', reading: 'No data.' };
  const smallestFailed = failed.reduce<Table2ModelRow | undefined>((best, row) => (!best || row.parameters < best.parameters ? row : best), undefined);
  const measured = [
    bigProved ? `Largest model proved (zkML): ${bigProved.model}, ${formatNumber(bigProved.parameters)} parameters${bigProved.zkml?.constraints !== undefined ? `, ${formatNumber(bigProved.zkml.constraints)} constraints` : ''}${bigProved.zkml?.proveMs !== undefined ? `, proved in ${formatNumber(bigProved.zkml.proveMs)} ms` : ''}.` : 'No model was proved.',
    smallestFailed ? `Smallest model that could not be proved: ${smallestFailed.model} (${formatNumber(smallestFailed.parameters)} parameters): ${smallestFailed.zkml?.failure ?? 'no reason recorded'}.` : 'Every model tried was proved.',
    bigRun ? `Largest model run by opML: ${bigRun.model}, ${formatNumber(bigRun.parameters)} parameters in ${formatNumber(bigRun.opml!.executeMs)} ms${bigRun.opml!.traceSteps !== undefined ? ` (${formatNumber(bigRun.opml!.traceSteps)} trace steps)` : ''}.` : '',
  ].filter(Boolean).join(' ');
  const holds = failed.length > 0 && executed.some((row) => failed.some((f) => f.model === row.model));
  return {
    claim: 'Model size: opML unlimited, zkML limited',
    source: TABLE2,
    status: holds ? 'depends' : failed.length === 0 ? 'does-not-hold' : 'depends',
    measured,
    reading:
      (holds
        ? 'zkML is limited on this machine: models that opML ran could not be proved (the limit is prover memory and time, and the size of the powers of tau). '
        : failed.length === 0
          ? `Every model tried was proved, so within the sizes tried zkML showed no limit and the claim's "limited" is not shown by these runs${bigProved?.zkml?.setupMs !== undefined ? `; what grows is the cost: ${bigProved.model}'s one-time Groth16 setup took ${formatNumber(bigProved.zkml.setupMs / 1000)} s${bigRun?.model === bigProved.model && bigRun.opml?.compileMs !== undefined ? ` (opML's compile to the VM: ${formatNumber(bigRun.opml.compileMs / 1000)} s)` : ''}${bigProved.zkml.proveMs !== undefined ? ` and each proof ${formatNumber(bigProved.zkml.proveMs / 1000)} s` : ''}` : ''}. `
          : 'Some models could not be proved, but opML did not run those either. ') +
      '"Unlimited" for opML does not hold literally: opML needs only one step re-executed on-chain, so its limit is the off-chain engine and the dispute game\'s depth, not the model size per se; it is far looser than zkML\'s, not absent.',
  };
}

/** The reference model's witness + prove per input mode, when both were measured. */
function computationModes(data: Table2Data): string {
  const inputs = data.zkmlInputs;
  if (!inputs || inputs.modes.length < 2) return '';
  const parts = inputs.modes.filter((m) => m.proveMs !== undefined).map((m) =>
    `inputs ${m.mode}${m.mode === inputs.mode ? ' (the realistic mode)' : ''}: witness + prove ${formatNumber((m.witnessMs ?? 0) + m.proveMs!)} ms, ${formatNumber(m.constraints ?? 0)} constraints${m.inputCommitmentConstraints !== undefined ? ` (${formatNumber(m.inputCommitmentConstraints)} for the input commitment)` : ''}`);
  return parts.length ? ` ${data.referenceModel ?? 'The reference model'} per input mode: ${parts.join('; ')}. The ratios above use each model's run in the run's default input mode.` : '';
}

function computationVerdict(data: Table2Data): Verdict {
  const rows = data.models.filter((row) => row.opml && row.zkml?.status === 'proved' && row.zkml.proveMs !== undefined);
  if (rows.length === 0)
    return { claim: 'Computation: opML low, zkML high', source: TABLE2, status: 'no-data', measured: 'No model was both run by opML and proved by zkML.', reading: 'No data.' };
  // One definition everywhere (the table row and zkOverOpmlCompute use it too): zkML's off-chain
  // work per inference is witness + prove; a row without a witness time says "prove" only.
  const ratios = rows.map((row) => ({ model: row.model, ratio: ((row.zkml!.witnessMs ?? 0) + row.zkml!.proveMs!) / row.opml!.executeMs, withWitness: row.zkml!.witnessMs !== undefined, native: row.nativeInferenceMs }));
  const lowest = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const measured = ratios.map((r) => `${r.model}: zk ${r.withWitness ? 'witness + prove' : 'prove'} / opML execute = ${formatNumber(r.ratio)}×`).join('; ') + '.';
  return {
    claim: 'Computation: opML low, zkML high',
    source: TABLE2,
    status: lowest.ratio > 1 ? 'holds' : 'does-not-hold',
    measured: measured + computationModes(data),
    reading: lowest.ratio > 1
      ? `Holds for every model measured: witness + proving costs at least ${formatNumber(lowest.ratio)}× the opML proposer's off-chain execution (the unit is off-chain CPU time per inference; the opML figure excludes a dispute, which re-executes one step on-chain and bisects in O(log steps) rounds).`
      : `Does not hold for ${lowest.model}: its proof took no longer than the opML execution.`,
  };
}

/**
 * Which zkML input mode the Storage and Computation verdicts speak of, and the other mode's
 * figures beside it (or why it has none: refused by EIP-170).
 */
function zkModeText(data: Table2Data): { short: string; beside: string } {
  const inputs = data.zkmlInputs;
  if (!inputs) return { short: '', beside: '' };
  const short = ` (zkML with inputs ${inputs.mode}${inputs.mode === 'hashed' ? ': the input committed by a Poseidon hash and posted as calldata, as deployments do' : ''})`;
  const other = inputs.modes.find((m) => m.mode !== inputs.mode);
  if (!other) return { short, beside: '' };
  const total = (other.requestGas ?? 0) + (other.submitGas ?? 0);
  const beside = other.failure
    ? ` Inputs ${other.mode}: not measured (${other.failure}).`
    : other.deployRefused
      ? ` Inputs ${other.mode}: its verifier (${formatNumber(other.verifierCodeBytes ?? 0)} bytes of code) is over EIP-170's 24,576 bytes, so mainnet — and the local chain, which enforces the limit — refuses to deploy it; that mode is not deployable as is.`
      : total > 0
        ? ` Inputs ${other.mode}, beside it: ${formatNumber(total)} gas per inference, ${formatNumber((other.submitCalldataBytes ?? 0) + (other.requestCalldataBytes ?? 0))} bytes of calldata${other.codeSizeLimitLifted && (other.verifierCodeBytes ?? 0) > 24_576 ? ` (measured with EIP-170 lifted: its ${formatNumber(other.verifierCodeBytes ?? 0)}-byte verifier is not deployable on mainnet)` : ''}.`
        : '';
  return { short, beside };
}

function storageVerdict(data: Table2Data): Verdict {
  const total = (system: 'opML' | 'zkML') => data.storage.filter((s) => s.system === system && !s.variant).reduce((sum, s) => sum + s.onChainBytes, 0);
  const op = total('opML');
  const zk = total('zkML');
  if (data.storage.length === 0)
    return { claim: 'Storage: opML high, zkML low', source: TABLE2, status: 'no-data', measured: 'No on-chain bytes were recorded.', reading: 'No data.' };
  const detail = data.storage.map((s) => `${s.system}${s.variant ? ` (${s.variant}, beside)` : ''} ${s.what}${s.model ? ` (${s.model})` : ''}: ${formatNumber(s.onChainBytes)} bytes`).join('; ');
  const modeText = zkModeText(data);
  // What the bytes cost: gas per inference on the path every result takes (opML unchallenged:
  // the dispute-only phases are not part of it; zkML in its default input mode).
  const gas = (system: 'opML' | 'zkML') => data.gas.filter((g) => g.system === system && !g.variant && !isDisputeOnlyPhase(g.phase)).reduce((sum, g) => sum + g.gas, 0);
  const opGas = gas('opML');
  const zkGas = gas('zkML');
  const gasKnown = opGas > 0 && zkGas > 0;
  const bytesHold = op > zk;
  const gasAgrees = !gasKnown || (opGas > zkGas) === bytesHold;
  const gasText = gasKnown ? ` Gas per inference (unchallenged opML vs zkML): opML ${formatNumber(opGas)}, zkML ${formatNumber(zkGas)}.` : '';
  const reversal = gasKnown && !gasAgrees
    ? (zkGas > opGas
      ? ` In gas the order reverses: zkML's ${formatNumber(zkGas)} against opML's ${formatNumber(opGas)} — verifying a proof costs more than storing opML's result, so "low storage" for zkML does not mean low on-chain cost.`
      : ` In gas the order reverses: opML's ${formatNumber(opGas)} against zkML's ${formatNumber(zkGas)}, so by on-chain cost opML is the heavier.`)
    : '';
  return {
    claim: 'Storage: opML high, zkML low',
    source: TABLE2,
    status: !gasAgrees ? 'depends' : bytesHold ? 'holds' : 'does-not-hold',
    measured: `${detail}. Total on-chain bytes: opML ${formatNumber(op)}, zkML ${formatNumber(zk)}${modeText.short}.${gasText}${modeText.beside}`,
    reading: (bytesHold
      ? 'Holds in on-chain bytes for the runs measured.'
      : `Does not hold in on-chain bytes for the runs measured: zkML wrote ${formatNumber(zk)} bytes against opML's ${formatNumber(op)} (see the parts above). The claim would need a setting where opML keeps more on-chain (e.g. the model or its trace) than a proof and its public signals.`) + reversal,
  };
}

function finalityVerdict(data: Table2Data): Verdict {
  if (!data.finality)
    return { claim: 'Finality: opML delayed, zkML instant', source: TABLE2, status: 'no-data', measured: 'No finality data.', reading: 'No data.' };
  const { opml, zkml } = data.finality;
  const zkSeconds = zkml.proveSeconds + zkml.blockSeconds;
  return {
    claim: 'Finality: opML delayed, zkML instant',
    source: TABLE2,
    status: opml.challengeWindowSeconds > zkSeconds ? 'depends' : 'does-not-hold',
    measured: `opML: final after the challenge window, ${formatNumber(opml.challengeWindowSeconds)} s${opml.disputeRounds !== undefined ? `; a dispute took ${formatNumber(opml.disputeRounds)} rounds` : ''}${opml.disputeWallSeconds !== undefined ? ` (${formatNumber(opml.disputeWallSeconds)} s wall on the local chain)` : ''}. zkML: proving ${formatNumber(zkml.proveSeconds)} s + one block ${formatNumber(zkml.blockSeconds)} s = ${formatNumber(zkSeconds)} s.`,
    reading: opml.challengeWindowSeconds > zkSeconds
      ? '"Delayed" holds: opML waits out the challenge window. "Instant" holds only from the moment the proof exists: zkML finality is the proving time plus one block, which grows with the model.'
      : 'Does not hold with these settings: the challenge window is shorter than zkML\'s proving time plus a block.',
  };
}

function securityVerdict(data: Table2Data): Verdict {
  if (!data.security)
    return { claim: 'Security: opML medium, zkML high', source: TABLE2, status: 'no-data', measured: 'No security checks recorded.', reading: 'No data.' };
  const { opml, zkml } = data.security;
  const cheats = tallyAttackClasses({ attempts: (opml.cheats ?? []).map((c) => ({ attack: c.cheat, defeated: c.caught })) });
  const tampering = tallyAttackClasses({ attempts: (zkml.tampering ?? []).map((t) => ({ attack: t.tamper, where: t.where, defeated: t.rejected })) });
  const tried = `${cheats.tried ? ` Cheats played: ${cheats.defeated}/${cheats.tried} caught (${cheats.text}).` : ''}${tampering.tried ? ` Proof attacks: ${tampering.defeated}/${tampering.tried} rejected (${tampering.text}).` : ''}`;
  return {
    claim: 'Security: opML medium, zkML high',
    source: TABLE2,
    status: 'depends',
    measured: `opML: a cheating proposer ${opml.cheaterLostDispute ? 'lost' : 'did NOT lose'} the dispute; an honest proposer ${opml.honestDefended ? 'was defended' : 'was NOT defended'}. zkML: a tampered proof was ${zkml.tamperedProofRejected ? 'rejected' : 'ACCEPTED'}, a wrong output ${zkml.wrongOutputRejected ? 'rejected' : 'ACCEPTED'}; trusted setup: ${zkml.trustedSetup}.${tried}`,
    reading:
      `Security here is a matter of assumptions, not a measured level. opML is sound if ${opml.assumption}; zkML is sound under the proof system's cryptographic assumptions and an honest trusted setup (ours: ${zkml.trustedSetup}), and only if the circuit constrains what it claims (e.g. an unchecked full-field ReLU bit decomposition is unsound). "Higher" holds for zkML when those hold; neither side's security was broken in these runs${opml.cheaterLostDispute && zkml.tamperedProofRejected && zkml.wrongOutputRejected && cheats.defeated === cheats.tried && tampering.defeated === tampering.tried ? '' : ' — except as stated above'}.`,
  };
}

/**
 * The Proof row's own figures (it used to repeat the Mechanism row's text): what each kind of
 * proof cost in the run — the fraud proof's rounds and one-step gas, the validity proof's verify gas.
 */
function proofMeasured(data: Table2Data): string {
  const rounds = data.finality?.opml.disputeRounds;
  const gasOf = (system: 'opML' | 'zkML', pattern: RegExp) => data.gas.filter((g) => g.system === system && !g.variant && pattern.test(g.phase)).reduce((sum, g) => sum + g.gas, 0);
  const oneStep = gasOf('opML', /one-step/);
  const zkVerify = gasOf('zkML', /verify|submit proof/);
  const op = `opML: a fraud proof, only when a result is challenged${rounds !== undefined ? ` — the measured dispute took ${formatNumber(rounds)} rounds down to one step` : ''}${oneStep ? `, re-executed on-chain for ${formatNumber(oneStep)} gas` : ''}`;
  const zk = `zkML: a validity proof with every result${zkVerify ? `, verified on-chain for ${formatNumber(zkVerify)} gas` : ''}`;
  return `${op}. ${zk}.`;
}

function definitionalVerdict(claim: string, data: Table2Data, pick: 'mechanism' | 'proof'): Verdict {
  const mechanism = data.mechanism;
  if (!mechanism) return { claim, source: TABLE2, status: 'no-data', measured: 'Not recorded.', reading: 'No data.' };
  return {
    claim,
    source: TABLE2,
    status: 'holds',
    measured: pick === 'mechanism' ? `As implemented here — opML: ${mechanism.opml}; zkML: ${mechanism.zkml}.` : proofMeasured(data),
    reading: pick === 'mechanism'
      ? 'Holds by construction: opML relies on bonds and an economic incentive to challenge (crypto-economic), zkML on a proof the verifier checks (cryptographic). It is a definition, not a measurement.'
      : 'Holds by construction: opML settles disputes with a fraud proof (bisection to one re-executed step), zkML with a validity proof checked for every result. It is a definition, not a measurement.',
  };
}

/** Verdicts on every row of Table II from the table2 suite's data (see table2Data.ts). */
export function table2Verdicts({ data }: Table2VerdictsParameters): Verdict[] {
  return [
    modelSizeVerdict(data),
    computationVerdict(data),
    storageVerdict(data),
    finalityVerdict(data),
    securityVerdict(data),
    definitionalVerdict('Mechanism: opML crypto-economic, zkML cryptographic', data, 'mechanism'),
    definitionalVerdict('Proof: opML fraud-proof, zkML validity-proof', data, 'proof'),
  ];
}
