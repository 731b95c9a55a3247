/**
 * Owns turning a run's raw measurements (from measureOpmlModel, measureZkmlModel and the limited
 * attempts of runAttempt) into the Table II data of src/bench/table2Data.ts. A pure function of
 * the measurements, so it is redone after a merge of shards. The gas, storage, finality and
 * security parts describe one reference model; the model rows and the size limits cover all.
 */
import type { Measurement, RunResults } from '../types.ts';
import type { Table2Data, Table2ModelRow } from '../table2Data.ts';

export interface Table2SummarySettings {
  /** The model whose gas, storage, finality and security figures the table shows. */
  referenceModel: string;
  /** The model the cheat strategies were played on (default: the reference model). */
  cheatsModel?: string;
  /** The block time added to zkML's proving time for its finality, seconds. */
  blockSeconds: number;
  /** The width ladder, smallest first (for the size limits). */
  ladder: string[];
  timeLimitSeconds: number;
  memoryCapBytes: number;
  /** The proof system of the zkML measurements. */
  system: string;
  /** How the powers of tau were made (for the security row). */
  trustedSetup: string;
}

export interface SummarizeTable2Parameters {
  results: Pick<RunResults, 'measurements'>;
  settings: Table2SummarySettings;
}

export type SummarizeTable2Result = Table2Data;

export const OPML_ASSUMPTION =
  'at least one honest party watches every result and challenges a wrong one within the window (1-of-N honesty), the bond exceeds what a cheat gains, and the chain includes the honest party\'s moves before its clock runs out';

export const MECHANISM = {
  opml: 'crypto-economic: bonded submitter and challenger in OpmlRegistry; a k-ary bisection game over the trace VM with chess clocks; the loser forfeits its bond',
  zkml: 'cryptographic: a Groth16 proof of the quantized circuit (Circom + snarkjs), checked by the generated Solidity verifier inside InferenceRegistry for every result',
};

const SUBMITTER_CHEATS = new Set(['output', 'step', 'final-state', 'inconsistent', 'silent']);

export function summarizeTable2({ results, settings }: SummarizeTable2Parameters): SummarizeTable2Result {
  const raw = results.measurements.filter((m) => !m.derived);
  const find = (metric: string, labels: Record<string, string>): Measurement | undefined =>
    raw.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
  const value = (metric: string, labels: Record<string, string>) => find(metric, labels)?.value;
  const all = (metric: string, labels: Record<string, string> = {}) =>
    raw.filter((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
  const system = settings.system;

  const names = [...new Set(raw.filter((m) => m.labels.model !== undefined && (m.metric === 'parameters' || m.metric === 'attempt')).map((m) => String(m.labels.model)))];
  const parametersOf = (model: string) => value('parameters', { model }) ?? value('attemptParameters', { model }) ?? 0;
  names.sort((a, b) => parametersOf(a) - parametersOf(b));

  const models: Table2ModelRow[] = names.map((model) => {
    const row: Table2ModelRow = { model, parameters: parametersOf(model) };
    const macs = value('macs', { model });
    if (macs !== undefined) row.macs = macs;
    const native = value('nativeInferenceTime', { model });
    if (native !== undefined) row.nativeInferenceMs = native;
    const execute = value('opmlExecuteTime', { model });
    if (execute !== undefined) {
      row.opml = { executeMs: execute };
      const steps = value('traceSteps', { model });
      if (steps !== undefined) row.opml.traceSteps = steps;
      const again = value('opmlReexecuteTime', { model });
      if (again !== undefined) row.opml.reexecuteMs = again;
      const compile = value('opmlCompileTime', { model });
      if (compile !== undefined) row.opml.compileMs = compile;
      const traceCosts: Array<[keyof NonNullable<Table2ModelRow['opml']>, string]> = [
        ['runMs', 'opmlRunTime'], ['claimHashes', 'opmlClaimHashes'], ['engineWarmMs', 'engineWarmInferenceTime'],
        ['disputeStatesMs', 'opmlDisputeStatesTime'], ['disputeHashes', 'opmlDisputeHashes'],
      ];
      for (const [field, metric] of traceCosts) {
        const v = value(metric, { model });
        if (v !== undefined) row.opml[field] = v;
      }
    }
    const opAttempt = find('attempt', { model, path: 'opML' });
    if (opAttempt) row.opmlAttempt = opAttempt.value === 1 ? { status: 'completed' } : { status: 'failed', failure: opAttempt.note ?? 'no reason recorded' };
    const zkAttempt = find('attempt', { model, path: 'zkML' });
    const prove = value('proveTime', { model, system });
    if (prove !== undefined) {
      row.zkml = { status: 'proved', proveMs: prove };
      const fields: Array<[keyof NonNullable<Table2ModelRow['zkml']>, string, Record<string, string>]> = [
        ['constraints', 'constraints', { model }], ['witnessMs', 'witnessTime', { model, system }], ['setupMs', 'setupTime', { model, system }],
        ['verifyMs', 'verifyTime', { model, system }], ['provingKeyBytes', 'provingKeyBytes', { model, system }],
      ];
      for (const [field, metric, labels] of fields) {
        const v = value(metric, labels);
        if (v !== undefined) (row.zkml as Record<string, unknown>)[field] = v;
      }
      const peak = value('attemptPeakMemory', { model, path: 'zkML' }) ?? value('peakMemory', { model, path: 'zkML' });
      if (peak !== undefined) row.zkml.peakMemoryBytes = peak;
    } else if (zkAttempt && zkAttempt.value === 0) {
      row.zkml = { status: 'failed', failure: zkAttempt.note ?? 'no reason recorded' };
      const constraints = value('attemptConstraints', { model });
      if (constraints !== undefined) row.zkml.constraints = constraints;
    }
    return row;
  });

  const ref = settings.referenceModel;
  const gas: Table2Data['gas'] = [];
  const storage: Table2Data['storage'] = [];
  const phases: Array<[string, string]> = [['request', 'request (input on-chain, initial state)'], ['submit', 'submit result + bond'], ['finalize', 'finalize after the window'],
    ['challenge', 'challenge (disputed only)'], ['bisection', 'bisection moves (disputed only)'], ['one-step', 'one-step proof (disputed only)'],
    ['settle', 'settle the game: bonds, result (disputed only)']];
  for (const [phase, label] of phases) {
    const g = value('opmlGas', { model: ref, phase });
    if (g !== undefined) gas.push({ system: 'opML', phase: label, gas: g, model: ref });
  }
  const zkGas = value('zkVerifyGas', { model: ref, system });
  if (zkGas !== undefined) gas.push({ system: 'zkML', phase: 'submit proof (verify + record)', gas: zkGas, model: ref });

  const opStorage = value('opmlStorageBytes', { model: ref });
  if (opStorage !== undefined) storage.push({ system: 'opML', what: 'storage written: submission and finalization (unchallenged)', onChainBytes: opStorage, model: ref, kind: 'storage' });
  const opCalldata = value('opmlCalldataBytes', { model: ref });
  if (opCalldata !== undefined) storage.push({ system: 'opML', what: 'calldata: request (the input) + submit + finalize (unchallenged)', onChainBytes: opCalldata, model: ref, kind: 'calldata' });
  const zkStorage = value('zkStorageBytes', { model: ref, system });
  if (zkStorage !== undefined) storage.push({ system: 'zkML', what: 'storage written: the inference record', onChainBytes: zkStorage, model: ref, kind: 'storage' });
  const zkCalldata = value('zkCalldataBytes', { model: ref, system });
  if (zkCalldata !== undefined) {
    const calldataGas = value('zkCalldataGas', { model: ref, system });
    storage.push({ system: 'zkML', what: 'calldata: proof + public signals (the input and output)', onChainBytes: zkCalldata, model: ref, kind: 'calldata', ...(calldataGas !== undefined ? { gas: calldataGas } : {}) });
  }

  const data: Table2Data = { models, gas, storage, referenceModel: ref, mechanism: MECHANISM };

  const window = value('finalitySeconds', { model: ref, case: 'unchallenged' });
  const witness = value('witnessTime', { model: ref, system });
  const prove = value('proveTime', { model: ref, system });
  if (window !== undefined && prove !== undefined) {
    const rounds = value('disputeRounds', { model: ref });
    const wall = value('disputeWallTime', { model: ref });
    const worst = value('finalitySeconds', { model: ref, case: 'disputed-worst-case' });
    const mainUn = value('finalitySeconds', { model: ref, case: 'mainnet-unchallenged' });
    const mainWorst = value('finalitySeconds', { model: ref, case: 'mainnet-disputed-worst-case' });
    data.finality = {
      opml: {
        challengeWindowSeconds: window,
        ...(rounds !== undefined ? { disputeRounds: rounds } : {}),
        ...(wall !== undefined ? { disputeWallSeconds: wall / 1000 } : {}),
        ...(worst !== undefined ? { disputedWorstCaseSeconds: worst } : {}),
        ...(mainUn !== undefined && mainWorst !== undefined ? { mainnetLike: { unchallengedSeconds: mainUn, disputedWorstCaseSeconds: mainWorst } } : {}),
      },
      zkml: { proveSeconds: ((witness ?? 0) + prove) / 1000, blockSeconds: settings.blockSeconds },
    };
  }

  const cheatsModel = settings.cheatsModel ?? ref;
  const cheats = all('cheatCaught', { model: cheatsModel }).map((m) => ({ cheat: String(m.labels.cheat), caught: m.value === 1, rounds: value('cheatRounds', { model: cheatsModel, cheat: String(m.labels.cheat) }), model: cheatsModel }));
  const tampering = all('tamperRejected', { model: ref }).map((m) => ({ tamper: String(m.labels.tamper), where: String(m.labels.where), rejected: m.value === 1, model: ref }));
  if (cheats.length > 0 || tampering.length > 0) {
    const submitterCheats = cheats.filter((c) => SUBMITTER_CHEATS.has(c.cheat));
    const challengerCheats = cheats.filter((c) => !SUBMITTER_CHEATS.has(c.cheat));
    data.security = {
      opml: {
        cheaterLostDispute: submitterCheats.length > 0 && submitterCheats.every((c) => c.caught),
        honestDefended: challengerCheats.length > 0 ? challengerCheats.every((c) => c.caught) : submitterCheats.every((c) => c.caught),
        assumption: OPML_ASSUMPTION,
        cheats,
      },
      zkml: {
        // Every class but the true proof with wrong signals: changed proofs and forged ones (forged-from-vkey).
        tamperedProofRejected: tampering.filter((t) => !t.tamper.startsWith('wrong-')).every((t) => t.rejected) && tampering.some((t) => !t.tamper.startsWith('wrong-')),
        wrongOutputRejected: tampering.filter((t) => t.tamper === 'wrong-output').every((t) => t.rejected) && tampering.some((t) => t.tamper === 'wrong-output'),
        trustedSetup: settings.trustedSetup,
        tampering,
      },
    };
  }

  const limitsOf = (path: 'opML' | 'zkML') => {
    const result: NonNullable<Table2Data['sizeLimits']>['opml'] = {};
    // The largest model completed, and why the next size up did not complete.
    const attempts = settings.ladder.map((model) => ({ model, attempt: find('attempt', { model, path }) })).filter((a) => a.attempt);
    const lastCompleted = attempts.map((a) => a.attempt!.value === 1).lastIndexOf(true);
    if (lastCompleted >= 0) {
      result.largest = attempts[lastCompleted]!.model;
      result.largestParameters = parametersOf(result.largest);
    }
    const next = attempts[lastCompleted + 1];
    if (next) {
      result.failedAt = next.model;
      result.failure = next.attempt!.note ?? 'no reason recorded';
    }
    return result;
  };
  if (raw.some((m) => m.metric === 'attempt' && settings.ladder.includes(String(m.labels.model))))
    data.sizeLimits = { timeLimitSeconds: settings.timeLimitSeconds, memoryCapBytes: settings.memoryCapBytes, ladder: settings.ladder, opml: limitsOf('opML'), zkml: limitsOf('zkML') };
  return data;
}
