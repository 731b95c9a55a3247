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
import { repeatInference, repeatedTiming, type OnAttemptPhase, type OnOneTimeStep } from './attemptBudgets.ts';

export interface MeasureGkrModelParameters {
  loaded: LoadBenchModelResult;
  /** A phase starts, with the budget it counts against (attemptBudgets.ts). */
  onPhase?: OnAttemptPhase;
  /** A one-time step finished (the weight commitment: always built, never cached). */
  onOneTimeStep?: OnOneTimeStep;
  /** Timed proofs (and verifications), the first included, and the wall time the extra ones may take (default one). */
  repeat?: { repetitions: number; budgetMs: number };
  /** Try the forgeries (default true). */
  tamper?: boolean;
}

export interface MeasureGkrModelResult {
  measurements: Measurement[];
}

export const GKR_SYSTEM = 'gkr';

export async function measureGkrModel({ loaded, onPhase, onOneTimeStep, repeat, tamper = true }: MeasureGkrModelParameters): Promise<MeasureGkrModelResult> {
  const labels = { model: loaded.name, system: GKR_SYSTEM };
  const out: Measurement[] = [];
  const count = (metric: string, value: number, unit: string, extra: Record<string, string | number> = {}, note?: string, higherIsWorse = true) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'deterministic', value, higherIsWorse, note }));
  const spread = (metric: string, samples: number[], note?: string) => out.push(repeatedTiming({ metric, labels, samples, note, repeat: repeated }));
  const info = (metric: string, value: number, unit: string, note?: string, extra: Record<string, string | number> = {}) =>
    out.push(createMeasurement({ metric, labels: { ...labels, ...extra }, unit, kind: 'info', value, note }));

  // The one-time weight commitment (setup budget), then the proof (time budget).
  onPhase?.('gkr: commit the weights', 'setup');
  const setupStarted = performance.now();
  const key = (await loadGkrProver()).setupGkrModel({ model: loaded.model });
  const setupWallMs = performance.now() - setupStarted;
  const setupMs = Number.isFinite(key.setupMs) ? key.setupMs : setupWallMs;
  onOneTimeStep?.({ step: 'gkr-commitment', built: true, builtMs: setupMs, wallMs: setupWallMs });
  onPhase?.('gkr: prove, verify', 'inference');
  const proved = await proveGkrInference({ model: loaded.model, inputs: loaded.inputs, key });
  // proveGkrInference throws on any output that differs from the engine: reaching here means none did.
  count('engineGkrMismatches', 0, 'elements', {}, 'gkr outputs that differ from the engine (proveGkrInference throws on any)');
  info('setupTime', setupMs, 'ms', 'one-time per model: committing the weights (the analogue of Groth16\'s key setup)');
  // More proofs for the spread (issue 14), outside both budgets.
  onPhase?.('gkr: timing repetitions (prove, verify)', 'repeat');
  const figures = (p: typeof proved) => ({ witness: p.witnessMs, prove: p.proveMs, protocol: p.protocolMs, commit: p.commitMs, open: p.openMs, verify: p.verifyMs ?? 0 });
  const repeated = await repeatInference({
    repetitions: repeat?.repetitions ?? 1, budgetMs: repeat?.budgetMs ?? 0, first: figures(proved),
    run: async () => figures(await proveGkrInference({ model: loaded.model, inputs: loaded.inputs, key })),
  });
  spread('witnessTime', repeated.samples.witness);
  spread('proveTime', repeated.samples.prove, 'the whole proof: witness, sumchecks and lookups, commitment and opening');
  spread('gkrProtocolTime', repeated.samples.protocol, 'sumchecks and lookups alone (no commitment)');
  spread('gkrCommitTime', repeated.samples.commit, 'committing the per-inference witness batch');
  spread('gkrOpenTime', repeated.samples.open, 'opening every evaluation claim (batched)');
  if (proved.verifyMs !== undefined) spread('verifyTime', repeated.samples.verify, 'verifyGkr of the deserialized proof');
  onPhase?.('gkr: proof sizes, gas estimate', 'inference');
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
    onPhase?.('gkr: tampered proofs', 'inference');
    const prover = await loadGkrProver();
    for (const t of tamperGkrProof({ prover, key: proved.key, inputs: loaded.inputs, outputs: proved.outputs, proofData: proved.proofData }))
      count('gkrTamperRejected', t.rejected ? 1 : 0, 'rejected', { tamper: t.tamper, where: 'native' }, `${t.description}; ${t.rejected ? `rejected: ${t.rejectedWith}` : 'ACCEPTED'}`, false);
  }
  return { measurements: out };
}
