/**
 * Owns rendering the survey's Table II as the paper prints it — Model Size, Computation, Storage,
 * Finality, Security, Mechanism, Proof, with its qualitative entries for opML and zkML — with the
 * figures measured in this run under each entry and the verdict on each row (from verdicts.ts).
 * Markdown, for report.md and the README.
 */
import { tallyAttackClasses } from './tallyAttackClasses.ts';
import { formatNumber } from '../formatValue.ts';
import { isDisputeOnlyPhase, type Table2Data, type Table2ModelRow, type Table2PathLimit, type ZkInputModeFigures } from '../table2Data.ts';
import type { Verdict } from '../types.ts';
import { gkrPaperClauses } from './renderGkrTable.ts';
import { cacheState, LIMIT_NAMES, withinBudgets } from './renderBudgets.ts';

export interface RenderPaperTableParameters {
  data: Table2Data;
  /** table2Verdicts(data), in Table II's row order. */
  verdicts: Verdict[];
}

export type RenderPaperTableResult = string;

/** The paper's qualitative entries (survey Table II, citing Conway et al.). */
export const PAPER_ENTRIES = [
  { row: 'Model Size', opml: 'Unlimited', zkml: 'Limited' },
  { row: 'Computation', opml: 'Low', zkml: 'High' },
  { row: 'Storage', opml: 'High', zkml: 'Low' },
  { row: 'Finality', opml: 'Delayed', zkml: 'Instant' },
  { row: 'Security', opml: 'Medium', zkml: 'High' },
  { row: 'Mechanism', opml: 'Crypto-economic', zkml: 'Cryptographic' },
  { row: 'Proof', opml: 'Fraud-proof', zkml: 'Validity-proof' },
] as const;

const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 1000 ? `${formatNumber(value / 1000)} s` : `${formatNumber(value)} ms`);
const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${formatNumber(Math.round(bytes / 2 ** 20))} MiB`);

/** Seconds in the unit a reader thinks in. */
export function humanSeconds(seconds: number): string {
  if (seconds < 120) return `${formatNumber(Number(seconds.toPrecision(3)))} s`;
  if (seconds < 7200) return `${formatNumber(Number((seconds / 60).toPrecision(3)))} min`;
  if (seconds < 172800) return `${formatNumber(Number((seconds / 3600).toPrecision(3)))} h`;
  return `${formatNumber(Number((seconds / 86400).toPrecision(3)))} d`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function referenceRow(data: Table2Data): Table2ModelRow | undefined {
  return data.models.find((row) => row.model === data.referenceModel);
}

function modelSize(data: Table2Data): [string, string] {
  const limits = data.sizeLimits;
  if (!limits) {
    const proved = data.models.filter((r) => r.zkml?.status === 'proved').map((r) => r.model);
    const ran = data.models.filter((r) => r.opml).map((r) => r.model);
    return [`ran ${ran.join(', ') || 'none'} (no size ladder in this run)`, `proved ${proved.join(', ') || 'none'} (no size ladder in this run)`];
  }
  const describe = (side: Table2PathLimit) =>
    `${side.largest ? `largest completed: **${side.largest}** (${formatNumber(side.largestParameters ?? 0)} parameters)` : 'completed none'}; ` +
    (side.failedAt ? `next (${side.failedAt}) failed${side.limit ? ` on the ${LIMIT_NAMES[side.limit]}` : ''}: ${side.failure}` : 'every model of the ladder completed') +
    withinBudgets(side);
  const suffix = limits.setupTimeLimitSeconds !== undefined
    ? ` — limits per attempt: one-time ${formatNumber(limits.setupTimeLimitSeconds)} s, per-inference ${formatNumber(limits.timeLimitSeconds)} s, ${mib(limits.memoryCapBytes)}`
    : ` — limits ${formatNumber(limits.timeLimitSeconds)} s, ${mib(limits.memoryCapBytes)} per attempt`;
  return [describe(limits.opml) + suffix, describe(limits.zkml) + suffix];
}

/** ' (claim from the engine, N hashes; R× the warm engine; the VM run, only when challenged, X)' where measured. */
function submitterDetail(opml: NonNullable<Table2ModelRow['opml']>): string {
  const parts: string[] = [];
  const fromEngine = opml.claimFromEngine === true;
  if (!fromEngine && opml.runMs !== undefined) parts.push(`run ${ms(opml.runMs)} + claim${opml.claimHashes !== undefined ? ` (${formatNumber(opml.claimHashes)} hashes)` : ''}`);
  else if (opml.claimHashes !== undefined) parts.push(`the claim from the engine, ${formatNumber(opml.claimHashes)} hashes`);
  if (opml.engineWarmMs !== undefined && opml.engineWarmMs > 0) parts.push(`${formatNumber(opml.executeMs / opml.engineWarmMs)}× the warm engine's ${ms(opml.engineWarmMs)}`);
  if (fromEngine && opml.runMs !== undefined) parts.push(`the VM run a dispute needs ${ms(opml.runMs)}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function computation(data: Table2Data): [string, string] {
  const row = referenceRow(data);
  const op = row?.opml
    ? `per inference: ${row.opml.claimFromEngine ? 'submitter\'s engine inference' : 'submitter trace'} + state commitments ${ms(row.opml.executeMs)}${submitterDetail(row.opml)}, challenger re-execution ${ms(row.opml.reexecuteMs)}${row.opml.traceSteps !== undefined ? ` (${formatNumber(row.opml.traceSteps)} VM steps)` : ''}; one-time compile to the VM ${ms(row.opml.compileMs)}${cacheState(row.oneTime?.opML?.find((s) => s.step.startsWith('vm-program')))}${row.opml.disputeStatesMs !== undefined ? `; only when challenged: the bisection's states + one-step proof ${ms(row.opml.disputeStatesMs)}${row.opml.disputeHashes !== undefined ? ` (${formatNumber(row.opml.disputeHashes)} hashes)` : ''}` : ''}`
    : 'not measured';
  const z = row?.zkml?.status === 'proved'
    ? `per inference: witness ${ms(row.zkml.witnessMs)}${row.zkml.witnessWarmMs !== undefined ? ` (cold; ${ms(row.zkml.witnessWarmMs)} warm)` : ''} + prove ${ms(row.zkml.proveMs)} (${formatNumber(row.zkml.constraints ?? 0)} constraints${row.zkml.builder ? `, R1CS by ${row.zkml.builder}` : ''})${row.zkml.setupMs !== undefined ? `; one-time setup ${ms(row.zkml.setupMs)}${cacheState(row.oneTime?.zkML?.find((s) => s.step === 'key'))}` : '; one-time setup: cached from an earlier run'}`
    : row?.zkml?.failure ?? 'not measured';
  const native = row?.nativeInferenceMs !== undefined ? `; native onnxruntime inference ${ms(row.nativeInferenceMs)}` : '';
  return [op + native, zkInputModes(data, 'computation') ?? z];
}

/**
 * The zkML cell of Computation or Storage per input mode when the run measured the reference
 * model's input modes: the realistic one first (hashed: the input committed and posted as
 * calldata), the other beside it — or why it has no on-chain figures (refused by EIP-170).
 */
function zkInputModes(data: Table2Data, row: 'computation' | 'storage'): string | undefined {
  const inputs = data.zkmlInputs;
  if (!inputs) return undefined;
  const ordered = [...inputs.modes.filter((m) => m.mode === inputs.mode), ...inputs.modes.filter((m) => m.mode !== inputs.mode)];
  const one = (m: ZkInputModeFigures): string => {
    const name = m.mode === 'hashed' ? 'inputs hashed (Poseidon commitment public, input posted as calldata)' : 'inputs public (every element a public signal)';
    if (m.failure) return `${name}: ${m.failure}`;
    if (row === 'computation') {
      const commitment = m.inputCommitmentConstraints !== undefined ? `, ${formatNumber(m.inputCommitmentConstraints)} of them the commitment` : '';
      return `${name}: witness ${ms(m.witnessMs)} + prove ${ms(m.proveMs)} (${formatNumber(m.constraints ?? 0)} constraints${commitment})${m.setupMs !== undefined ? `; one-time setup ${ms(m.setupMs)}` : ''}`;
    }
    const verifier = m.verifierCodeBytes !== undefined ? `verifier ${formatNumber(m.verifierCodeBytes)} B of code` : '';
    if (m.deployRefused) return `${name}: ${verifier}, over EIP-170's 24,576 — refused by the chain as mainnet would; no gas measured (--no-code-size-limit measures it)`;
    const bytes = `calldata ${formatNumber((m.submitCalldataBytes ?? 0) + (m.requestCalldataBytes ?? 0))} B, storage ${formatNumber((m.submitStorageBytes ?? 0) + (m.requestStorageBytes ?? 0))} B`;
    const gas = m.requestGas !== undefined
      ? `gas per inference ${formatNumber(m.requestGas + (m.submitGas ?? 0))} (post the input ${formatNumber(m.requestGas)} + submit proof ${formatNumber(m.submitGas ?? 0)})`
      : `gas per inference ${formatNumber(m.submitGas ?? 0)}`;
    return `${name}: ${bytes}; ${gas}${verifier ? `; ${verifier}` : ''}${m.codeSizeLimitLifted ? ' (EIP-170 LIFTED on the local chain: mainnet would refuse this verifier)' : ''}`;
  };
  return ordered.map((m, i) => (i === 0 ? one(m) : `beside it, ${one(m)}`)).join('; ');
}

function storage(data: Table2Data): [string, string] {
  const side = (system: 'opML' | 'zkML') => {
    if (system === 'zkML') {
      const modes = zkInputModes(data, 'storage');
      if (modes) return modes;
    }
    const items = data.storage.filter((s) => s.system === system && !s.variant);
    if (items.length === 0) return 'not measured';
    const gas = data.gas.filter((g) => g.system === system && !g.variant);
    const perInference = system === 'opML' ? gas.filter((g) => !isDisputeOnlyPhase(g.phase)) : gas;
    const total = perInference.reduce((sum, g) => sum + g.gas, 0);
    return `${items.map((s) => `${s.kind ?? 'bytes'} ${formatNumber(s.onChainBytes)} B`).join(', ')}; gas per inference ${formatNumber(total)}` +
      (system === 'opML' ? ` (${perInference.map((g) => `${g.phase.split(' (')[0]} ${formatNumber(g.gas)}`).join(' + ')})` : '');
  };
  return [side('opML'), side('zkML')];
}

function finality(data: Table2Data): [string, string] {
  const f = data.finality;
  if (!f) return ['not measured', 'not measured'];
  const op = `unchallenged ${humanSeconds(f.opml.challengeWindowSeconds)} (window); disputed worst case ${f.opml.disputedWorstCaseSeconds !== undefined ? humanSeconds(f.opml.disputedWorstCaseSeconds) : '–'}` +
    (f.opml.mainnetLike ? `; at a 7-day window: ${humanSeconds(f.opml.mainnetLike.unchallengedSeconds)} / ${humanSeconds(f.opml.mainnetLike.disputedWorstCaseSeconds)}` : '') +
    (f.opml.disputeRounds !== undefined ? `; a dispute took ${formatNumber(f.opml.disputeRounds)} rounds` : '');
  const z = `${humanSeconds(f.zkml.proveSeconds + f.zkml.blockSeconds)} = witness + prove ${humanSeconds(f.zkml.proveSeconds)} + one ${formatNumber(f.zkml.blockSeconds)} s block`;
  return [op, z];
}

function security(data: Table2Data): [string, string] {
  const s = data.security;
  if (!s) return ['not measured', 'not measured'];
  const cheats = s.opml.cheats ?? [];
  const tampering = s.zkml.tampering ?? [];
  // Counted by class from the data: a class added to either matrix appears here by itself.
  const opTally = tallyAttackClasses({ attempts: cheats.map((c) => ({ attack: c.cheat, defeated: c.caught })) });
  const zkTally = tallyAttackClasses({ attempts: tampering.map((t) => ({ attack: t.tamper, where: t.where, defeated: t.rejected })) });
  const op = cheats.length
    ? `cheats caught ${opTally.defeated}/${opTally.tried} by class: ${opTally.text}${cheats[0]!.model && cheats[0]!.model !== data.referenceModel ? `; played on ${cheats[0]!.model}` : ''}; assumes an honest watcher within the window`
    : 'no cheats played';
  const z = tampering.length
    ? `tampered and forged proofs rejected ${zkTally.defeated}/${zkTally.tried} by class: ${zkTally.text}; setup: ${s.zkml.trustedSetup}`
    : 'no tampering tried';
  return [op, z];
}

export function renderPaperTable({ data, verdicts }: RenderPaperTableParameters): RenderPaperTableResult {
  const measured: Array<[string, string]> = [
    modelSize(data), computation(data), storage(data), finality(data), security(data),
    [data.mechanism?.opml ?? '–', data.mechanism?.zkml ?? '–'],
    ['a fraud proof: bisection to one step, re-executed on-chain by OneStepVerifier, only when challenged', 'a validity proof (Groth16, 256 bytes) with every result'],
  ];
  // The sumcheck/GKR prover's figures, appended to the zkML cells where it ran.
  const gkr = gkrPaperClauses(data);
  measured[0]![1] += gkr.modelSize ?? '';
  measured[1]![1] += gkr.computation ?? '';
  measured[2]![1] += gkr.storage ?? '';
  const lines = [
    '| Table II row | opML (paper) | opML measured | zkML (paper) | zkML measured | verdict |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  PAPER_ENTRIES.forEach((entry, i) => {
    const verdict = verdicts[i];
    lines.push(`| **${entry.row}** | ${entry.opml} | ${escapeCell(measured[i]![0])} | ${entry.zkml} | ${escapeCell(measured[i]![1])} | ${verdict ? `**${verdict.status}**` : '–'} |`);
  });
  const reference = data.referenceModel ? `Figures for the reference model \`${data.referenceModel}\` unless the row says otherwise (Model Size: the width ladder).` : '';
  return [lines.join('\n'), '', reference, '', 'Verdicts: `holds` — the measurement supports the paper\'s entry; `depends` — it holds under one unit or baseline and not another (see the reading below); `does-not-hold`; `untestable`; `no-data`.'].join('\n');
}
