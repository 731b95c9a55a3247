/**
 * `opzk prove <model> --system gkr`: one inference proved with the sumcheck/GKR prover (src/gkr,
 * issue 10) — the weights committed once (setup), the proof with and without the commitment,
 * outputs checked against the engine, verified from the serialized bytes, and the on-chain
 * estimate (gkr proofs are verified off-chain here). The same JSON fields as the Circom systems
 * where they mean the same thing, plus the gkr size measures.
 */
import { writeFileSync } from 'node:fs';
import { dequantize } from '../engine/dequantize.ts';
import { quantizeInputs } from '../quant/quantizeInputs.ts';
import { quantizeModel } from '../quant/quantizeModel.ts';
import { estimateGkrVerifierGas } from '../zk/onchain/estimateGkrVerifierGas.ts';
import { describeGkrProof } from '../zk/onchain/describeGkrProof.ts';
import { proveGkrInference } from '../zk/proveGkrInference.ts';
import type { ModelSettings } from './commands/infer.ts';
import type { ReadInputsResult } from '../onnx/readInputs.ts';

export interface ProveGkrCommandParameters {
  modelSettings: ModelSettings;
  floatInputs: ReadInputsResult;
  json: boolean;
  /** Write the serialized proof here. */
  proofOut?: string;
}

export async function proveGkrCommand({ modelSettings, floatInputs, json, proofOut }: ProveGkrCommandParameters): Promise<number> {
  const model = quantizeModel({ file: modelSettings.resolved.file, name: modelSettings.resolved.name, scaleBits: modelSettings.scaleBits, valueBits: modelSettings.valueBits, runInputs: floatInputs });
  const inputs = quantizeInputs({ model, inputs: floatInputs });
  const result = await proveGkrInference({ model, inputs, timeWithoutCommitment: true });
  if (proofOut) writeFileSync(proofOut, result.proofData);
  const openings = describeGkrProof({ proof: result.proof, verifierKey: result.key.verifierKey });
  const publicElements = Object.values(inputs).reduce((sum, x) => sum + x.length, 0) + result.outputs.reduce((sum, o) => sum + o.data.length, 0);
  const estimate = openings.length ? estimateGkrVerifierGas({ proofBytes: result.proofBytes, openings, sumcheckRounds: result.sizes.sumcheckRounds, publicElements }) : undefined;
  const outputs = result.outputs.map((o) => ({ name: o.name, dims: o.dims, data: dequantize({ data: o.data, scaleBits: model.scaleBits }), raw: o.data }));
  const report = {
    system: 'gkr' as const,
    model: modelSettings.resolved.name,
    settings: { weights: 'committed', inputs: 'public', scaleBits: model.scaleBits, valueBits: model.valueBits },
    layers: result.sizes.layers,
    sumcheckRounds: result.sizes.sumcheckRounds,
    lookups: result.sizes.lookups,
    tableEntries: result.sizes.tableEntries,
    committedElements: result.sizes.committedElements,
    commitmentBytes: result.sizes.commitmentBytes,
    witnessMs: result.witnessMs,
    setupMs: result.setupMs,
    setupCached: result.setupCached,
    proveMs: result.proveMs,
    protocolMs: result.protocolMs,
    proveWithoutCommitmentMs: result.proveWithoutCommitmentMs,
    commitMs: result.commitMs,
    openMs: result.openMs,
    verifyMs: result.verifyMs,
    proofBytes: result.proofBytes,
    peakRssBytes: result.peakRssBytes,
    verified: result.verified,
    outputs,
    onchain: {
      verified: 'off-chain',
      ...(estimate ? { estimatedVerifyGas: Math.round(estimate.totalGas), withinBudget: estimate.withinBudget, estimate: estimate.summary } : {}),
      openings,
    },
    ...(proofOut ? { proofFile: proofOut } : {}),
  };
  if (json) {
    console.log(JSON.stringify(report));
    return 0;
  }
  const ms = (value: number | undefined) => `${(value ?? 0).toFixed(1)} ms`;
  console.log(`${report.model}: gkr proof (sumcheck/GKR, Goldilocks, weights committed, input public) (scaleBits=${model.scaleBits}, valueBits=${model.valueBits})`);
  console.log(`  layers ${report.layers}, sumcheck rounds ${report.sumcheckRounds}, lookups ${report.lookups} (tables ${report.tableEntries} entries), committed elements ${report.committedElements}`);
  console.log(`  setup (weight commitment, once) ${ms(report.setupMs)}; prove ${ms(report.proveMs)} with the commitment (witness ${ms(report.witnessMs)}, protocol ${ms(report.protocolMs)}, commit ${ms(report.commitMs)}, open ${ms(report.openMs)}), ${ms(report.proveWithoutCommitmentMs)} without; verify ${ms(report.verifyMs)}`);
  console.log(`  proof ${report.proofBytes} bytes (commitments ${report.commitmentBytes} bytes), peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB, verified ${report.verified}`);
  console.log(`  on-chain: verified off-chain here${estimate ? `; ${estimate.summary}` : ''}`);
  for (const o of outputs) {
    console.log(`  ${o.name} [${o.dims}] = [${o.data.map((x) => +x.toFixed(6)).join(', ')}]`);
    console.log(`  ${o.name} raw integers = [${o.raw.join(', ')}]`);
  }
  return 0;
}
