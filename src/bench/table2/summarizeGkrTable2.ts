/**
 * Owns the gkr part of the Table II data (issue 10): from the raw measurements of
 * measureGkrModel and the `gkr` attempts, each model row's `gkr` entry (prove/verify time, proof
 * bytes, setup = weight commitment, or the reason it failed), the prover's size limit on the
 * width ladder, the forgeries tried, and where gkr proofs are verified (off-chain, with the gas
 * estimate that says why). Additive: summarizeTable2's Groth16 figures are left as they are.
 */
import type { Measurement, RunResults } from '../types.ts';
import type { Table2Data, Table2GkrRow } from '../table2Data.ts';
import { summarizePathLimit } from './summarizeTable2.ts';
import { GKR_ONCHAIN_BUDGET_GAS } from '../../zk/onchain/estimateGkrVerifierGas.ts';

export interface SummarizeGkrTable2Parameters {
  results: Pick<RunResults, 'measurements'>;
  /** summarizeTable2's data; its rows gain `gkr`, the data gains `gkr`. */
  data: Table2Data;
  ladder: string[];
  referenceModel: string;
}

export type SummarizeGkrTable2Result = Table2Data;

const SYSTEM = 'gkr';

export function summarizeGkrTable2({ results, data, ladder, referenceModel }: SummarizeGkrTable2Parameters): SummarizeGkrTable2Result {
  const raw = results.measurements.filter((m) => !m.derived);
  const find = (metric: string, labels: Record<string, string>): Measurement | undefined =>
    raw.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
  // A repeated timing counts by its median (issue 14).
  const value = (metric: string, labels: Record<string, string>) => {
    const m = find(metric, labels);
    return m ? (m.median ?? m.value) : undefined;
  };
  const attempted = raw.some((m) => (m.metric === 'attempt' && m.labels.path === 'gkr') || m.labels.system === SYSTEM);
  if (!attempted) return data;

  const models = data.models.map((row) => {
    const labels = { model: row.model, system: SYSTEM };
    const prove = value('proveTime', labels);
    const attempt = find('attempt', { model: row.model, path: 'gkr' });
    let gkr: Table2GkrRow | undefined;
    if (prove !== undefined) {
      gkr = { status: 'proved', proveMs: prove };
      const fields: Array<[keyof Table2GkrRow, string, Record<string, string>]> = [
        ['setupMs', 'setupTime', labels], ['witnessMs', 'witnessTime', labels], ['protocolMs', 'gkrProtocolTime', labels], ['verifyMs', 'verifyTime', labels],
        ['proofBytes', 'proofBytes', labels], ['committedElements', 'gkrCommittedElements', labels], ['sumcheckRounds', 'gkrSumcheckRounds', labels],
        ['lookups', 'gkrLookups', labels], ['verifierGasEstimate', 'gkrVerifierGasEstimate', labels],
        ['peakMemoryBytes', 'attemptPeakMemory', { model: row.model, path: 'gkr' }],
      ];
      for (const [field, metric, l] of fields) {
        const v = value(metric, l);
        if (v !== undefined) (gkr as unknown as Record<string, unknown>)[field] = v;
      }
      if (gkr.peakMemoryBytes === undefined) {
        const peak = value('peakMemory', { model: row.model, path: 'gkr' });
        if (peak !== undefined) gkr.peakMemoryBytes = peak;
      }
    } else if (attempt && attempt.value === 0) gkr = { status: 'failed', failure: attempt.note ?? 'no reason recorded' };
    return gkr ? { ...row, gkr } : row;
  });

  // The ladder: the largest model proved, and why the next size did not complete (and under which budget).
  let sizeLimit: NonNullable<Table2Data['gkr']>['sizeLimit'];
  if (ladder.some((model) => find('attempt', { model, path: 'gkr' })))
    sizeLimit = summarizePathLimit({ raw, find, ladder, path: 'gkr', parametersOf: (model) => models.find((r) => r.model === model)?.parameters });

  // Where the proofs are verified: the estimate of the reference model (else the largest proved).
  const estimated = models.filter((r) => r.gkr?.verifierGasEstimate !== undefined);
  const onChainRow = estimated.find((r) => r.model === referenceModel) ?? estimated.at(-1);
  const estimateNote = onChainRow ? find('gkrVerifierGasEstimate', { model: onChainRow.model, system: SYSTEM })?.note : undefined;
  const gas = onChainRow?.gkr?.verifierGasEstimate;
  const reason = gas === undefined
    ? 'no Solidity verifier for gkr proofs exists in this repository, and this run recorded no gas estimate for one'
    : `for the gkr proof of ${onChainRow!.model}, ${estimateNote?.replace(/^estimate, not deployed: /, '').split('; parts')[0] ?? `a Solidity verifier would need about ${Math.round(gas).toLocaleString('en-US')} gas per proof (estimate)`}` +
      (gas > GKR_ONCHAIN_BUDGET_GAS ? '' : '; none is built in this repository yet');
  const tampering = raw.filter((m) => m.metric === 'gkrTamperRejected' && m.labels.model === referenceModel)
    .map((m) => ({ tamper: String(m.labels.tamper), where: String(m.labels.where), rejected: m.value === 1, model: referenceModel }));
  return {
    ...data,
    models,
    gkr: {
      ...(sizeLimit ? { sizeLimit } : {}),
      onChain: { verified: 'off-chain', reason, ...(gas !== undefined ? { gasEstimate: gas, model: onChainRow!.model } : {}) },
      ...(tampering.length ? { tampering } : {}),
    },
  };
}
