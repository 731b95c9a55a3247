/**
 * Owns the gkr side of one Table II row (issue 10), beside the Groth16 side of
 * measureZkmlModel: the sumcheck/GKR prover on the same quantized model and input — the weights
 * committed once (setup, the one-time cost), one proof (outputs checked against the engine; the
 * time with and without the commitment), verified from its serialized bytes, its size measures,
 * the forgeries of tamperGkrProof (all must be rejected), and the on-chain estimate
 * (estimateGkrVerifierGas): gkr proofs are verified off-chain here, and the estimate says why.
 * Labels: `{ model, system: 'gkr' }`, so the Groth16 figures of the same row are never mixed in.
 */
import { loadGkrProver } from '../../zk/loadGkrProver.ts';
import { estimateGkrVerifierGas } from '../../zk/onchain/estimateGkrVerifierGas.ts';
import { describeGkrProof } from '../../zk/onchain/describeGkrProof.ts';
import { proveGkrInference } from '../../zk/proveGkrInference.ts';
import { tamperGkrProof } from '../../zk/tamperGkrProof.ts';
import { createMeasurement } from '../createMeasurement.ts';
import type { Measurement } from '../types.ts';
import type { LoadBenchModelResult } from './loadBenchModel.ts';

export interface MeasureGkrModelParameters {
  loaded: LoadBenchModelResult;
  onPhase?: (phase: string) => void;
  /** Try the forgeries (default true). */
  tamper?: boolean;
}

export interface MeasureGkrModelResult {
  measurements: Measurement[];
}

export const GKR_SYSTEM = 'gkr';

export async function measureGkrModel({ loaded, onPhase, tamper = true }: MeasureGkrModelParameters): Promise<MeasureGkrModelResult> {
  const labels = { model: loaded.name, system: GKR_SYSTEM };
  const out: Measurement[] = [];
  const count = (metric: string, value: number, unit: string, extra: Record<string, string | number> = {}, note?: string, higherIsWorse = true) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'deterministic', value, higherIsWorse, note }));
  const timing = (metric: string, value: number, note?: string) => out.push(createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples: [value], note }));
  const info = (metric: string, value: number, unit: string, note?: string, extra: Record<string, string | number> = {}) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'info', value, note }));

  onPhase?.('gkr: commit the weights, prove, verify');
  const proved = await proveGkrInference({ model: loaded.model, inputs: loaded.inputs });
  // proveGkrInference throws on any output that differs from the engine: reaching here means none did.
  count('engineGkrMismatches', 0, 'elements', {}, 'gkr outputs that differ from the engine (proveGkrInference throws on any)');
  info('setupTime', proved.setupMs, 'ms', 'one-time per model: committing the weights (the analogue of Groth16\'s key setup)');
  timing('witnessTime', proved.witnessMs);
  timing('proveTime', proved.proveMs, 'the whole proof: witness, sumchecks and lookups, commitment and opening');
  timing('gkrProtocolTime', proved.protocolMs, 'sumchecks and lookups alone (no commitment)');
  timing('gkrCommitTime', proved.commitMs, 'committing the per-inference witness batch');
  timing('gkrOpenTime', proved.openMs, 'opening every evaluation claim (batched)');
  if (proved.verifyMs !== undefined) timing('verifyTime', proved.verifyMs, 'verifyGkr of the deserialized proof');
  count('proofBytes', proved.proofBytes, 'bytes', {}, 'the serialized proof');
  const sizes = proved.sizes;
  count('gkrLayers', sizes.layers, 'layers');
  count('gkrSumcheckRounds', sizes.sumcheckRounds, 'rounds');
  count('gkrLookups', sizes.lookups, 'lookups');
  count('gkrTableEntries', sizes.tableEntries, 'entries');
  count('gkrCommittedElements', sizes.committedElements, 'elements', {}, 'witness elements committed per inference');
  count('gkrCommitmentBytes', sizes.commitmentBytes, 'bytes');
  out.push(createMeasurement({ metric: 'peakMemory', labels: { model: loaded.name, path: 'gkr' }, unit: 'bytes', kind: 'info', value: proved.peakRssBytes, note: 'process RSS high-water mark after proving (getrusage)' }));

  const openings = describeGkrProof({ proof: proved.proof, verifierKey: proved.key.verifierKey });
  if (openings.length > 0) {
    const publicElements = Object.values(loaded.inputs).reduce((sum, x) => sum + x.length, 0) + proved.outputs.reduce((sum, o) => sum + o.data.length, 0);
    const estimate = estimateGkrVerifierGas({ proofBytes: proved.proofBytes, openings, sumcheckRounds: sizes.sumcheckRounds, publicElements });
    info('gkrVerifierGasEstimate', estimate.totalGas, 'gas', `estimate, not deployed: ${estimate.summary}; parts ${Object.entries(estimate.parts).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
    count('gkrOpenedColumns', openings.reduce((sum, o) => sum + o.columnOpenings, 0), 'columns', {}, `over ${openings.length} opening(s); column length ${openings.map((o) => o.rowsPerColumn).join(', ')} elements`);
  }

  if (tamper) {
    onPhase?.('gkr: tampered proofs');
    const prover = await loadGkrProver();
    for (const t of tamperGkrProof({ prover, key: proved.key, inputs: loaded.inputs, outputs: proved.outputs, proofData: proved.proofData }))
      count('gkrTamperRejected', t.rejected ? 1 : 0, 'rejected', { tamper: t.tamper, where: 'native' }, `${t.description}; ${t.rejected ? `rejected: ${t.rejectedWith}` : 'ACCEPTED'}`, false);
  }
  return { measurements: out };
}
