/**
 * Owns the gkr part of the Table II report (issue 10): a per-model table of the sumcheck/GKR
 * prover beside Groth16 (setup = the weight commitment, prove with and without the commitment,
 * verify, proof bytes, committed elements), its size limit on the width ladder, the forgeries
 * tried, and the plain statement that gkr proofs are verified off-chain here, with the gas
 * estimate that says why; and the short clauses the paper table's zkML cells gain
 * (gkrPaperClauses, used by renderPaperTable).
 */
import { cacheState, LIMIT_NAMES, withinBudgets } from './renderBudgets.ts';
import { formatNumber } from '../formatValue.ts';
import type { Table2Data } from '../table2Data.ts';

export interface RenderGkrTableParameters {
  data: Table2Data;
}

export type RenderGkrTableResult = string;

const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 1000 ? `${formatNumber(Number((value / 1000).toPrecision(3)))} s` : `${formatNumber(Number(value.toPrecision(3)))} ms`);
const bytes = (value: number | undefined) => (value === undefined ? '–' : value >= 2 ** 20 ? `${formatNumber(Number((value / 2 ** 20).toPrecision(3)))} MiB` : value >= 1024 ? `${formatNumber(Number((value / 1024).toPrecision(3)))} KiB` : `${formatNumber(value)} B`);

/** One-line statement of where gkr proofs are verified, for table cells and reports. */
export function gkrOffChainStatement(data: Table2Data): string | undefined {
  return data.gkr ? `gkr proofs are verified off-chain here: ${data.gkr.onChain.reason}` : undefined;
}

/** Clauses appended to the paper table's zkML cells (Model Size, Computation, Storage) when the gkr prover ran. */
export function gkrPaperClauses(data: Table2Data): { modelSize?: string; computation?: string; storage?: string } {
  if (!data.gkr) return {};
  const referenceRow = data.models.find((row) => row.model === data.referenceModel);
  const reference = referenceRow?.gkr;
  const limit = data.gkr.sizeLimit;
  return {
    ...(limit ? { modelSize: `; gkr (sumcheck/GKR): ${limit.largest ? `largest proved **${limit.largest}**` : 'proved none'}${limit.failedAt ? `, next (${limit.failedAt}) failed${limit.limit ? ` on the ${LIMIT_NAMES[limit.limit]}` : ''}: ${limit.failure}` : ', every model of the ladder proved'}${withinBudgets(limit)}` } : {}),
    ...(reference?.status === 'proved'
      ? { computation: `; gkr (sumcheck/GKR, weights committed once in ${ms(reference.setupMs)}${cacheState(referenceRow?.oneTime?.gkr?.find((s) => s.step === 'gkr-commitment'))}): prove ${ms(reference.proveMs)} with the commitment, ${ms(reference.protocolMs)} without, verify ${ms(reference.verifyMs)}` }
      : reference?.failure ? { computation: `; gkr: ${reference.failure}` } : {}),
    storage: `; ${gkrOffChainStatement(data)}${reference?.proofBytes !== undefined ? ` (proof ${bytes(reference.proofBytes)})` : ''}`,
  };
}

export function renderGkrTable({ data }: RenderGkrTableParameters): RenderGkrTableResult {
  if (!data.gkr) return '';
  const lines = [
    '### The sumcheck/GKR prover (gkr) beside Groth16',
    '',
    '| model | parameters | Groth16 prove | gkr setup (weight commitment, once) | gkr prove (with commitment) | gkr prove (no commitment) | gkr verify | gkr proof | committed elements | sumcheck rounds |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of data.models) {
    if (!row.gkr) continue;
    const g = row.gkr;
    const groth = row.zkml?.status === 'proved' ? ms(row.zkml.proveMs) : row.zkml?.status === 'failed' ? 'failed' : '–';
    if (g.status === 'failed') lines.push(`| ${row.model} | ${formatNumber(row.parameters)} | ${groth} | failed: ${(g.failure ?? '').replaceAll('|', '\\|')} | | | | | | |`);
    else lines.push(`| ${row.model} | ${formatNumber(row.parameters)} | ${groth} | ${ms(g.setupMs)} | ${ms(g.proveMs)} | ${ms(g.protocolMs)} | ${ms(g.verifyMs)} | ${bytes(g.proofBytes)} | ${g.committedElements !== undefined ? formatNumber(g.committedElements) : '–'} | ${g.sumcheckRounds !== undefined ? formatNumber(g.sumcheckRounds) : '–'} |`);
  }
  const limit = data.gkr.sizeLimit;
  if (limit)
    lines.push('', `Model size: ${limit.largest ? `the gkr prover's largest proved model on the ladder is **${limit.largest}** (${formatNumber(limit.largestParameters ?? 0)} parameters)` : 'the gkr prover proved no model of the ladder'}; ${limit.failedAt ? `the next (${limit.failedAt}) failed: ${limit.failure}` : 'every model of the ladder was proved'}.`);
  const tampering = data.gkr.tampering ?? [];
  if (tampering.length) lines.push('', `Forgeries of the gkr proof of ${tampering[0]!.model}: ${tampering.filter((t) => t.rejected).length}/${tampering.length} rejected (${[...new Set(tampering.map((t) => t.tamper.replace(/@\d+$/, '')))].join(', ')}).`);
  lines.push('', `On-chain: ${gkrOffChainStatement(data)}.`);
  return lines.join('\n');
}
