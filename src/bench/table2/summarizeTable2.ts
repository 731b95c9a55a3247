/**
 * Owns turning a run's raw measurements (from measureOpmlModel, measureZkmlModel and the limited
 * attempts of runAttempt) into the Table II data of src/bench/table2Data.ts. A pure function of
 * the measurements, so it is redone after a merge of shards. The gas, storage, finality and
 * security parts describe one reference model; the model rows and the size limits cover all.
 */
import type { Measurement, RunResults } from '../types.ts';
import type { Table2Data, Table2ModelRow, Table2OneTimeStep, Table2PathLimit, ZkInputMode, ZkInputModeFigures } from '../table2Data.ts';

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
  /** The one-time budget, seconds (absent: results made before issue 14). */
  setupTimeLimitSeconds?: number;
  memoryCapBytes: number;
  /** The proof system of the zkML measurements. */
  system: string;
  /** How the powers of tau were made (for the security row). */
  trustedSetup: string;
  /** The zkML input mode of the run's zk attempts (default public); the reference model may have the other beside it (labels inputs=<mode>). */
  zkInputs?: ZkInputMode;
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
  zkml: 'cryptographic: a Groth16 proof of the quantized circuit (Circom + snarkjs), checked by the generated Solidity verifier inside InferenceRegistry (CommittedInputRegistry when the input is committed) for every result',
};

const SUBMITTER_CHEATS = new Set(['output', 'step', 'final-state', 'inconsistent', 'silent']);

type FindMeasurement = (metric: string, labels: Record<string, string>) => Measurement | undefined;

/**
 * Where one path stopped on the width ladder: the largest model completed, why the next did not,
 * and (results made since issue 14) which limit it hit in which phase and the largest model within
 * each budget. Shared by the Groth16/opML summary and the gkr one.
 */
export function summarizePathLimit({ raw, find, ladder, path, parametersOf }: {
  raw: Measurement[]; find: FindMeasurement; ladder: string[]; path: string; parametersOf: (model: string) => number | undefined;
}): Table2PathLimit {
  const result: Table2PathLimit = {};
  const attempts = ladder.map((model) => ({ model, attempt: find('attempt', { model, path }) })).filter((a) => a.attempt);
  const lastCompleted = attempts.map((a) => a.attempt!.value === 1).lastIndexOf(true);
  if (lastCompleted >= 0) {
    result.largest = attempts[lastCompleted]!.model;
    const parameters = parametersOf(result.largest);
    if (parameters !== undefined) result.largestParameters = parameters;
  }
  const next = attempts[lastCompleted + 1];
  if (next) {
    result.failedAt = next.model;
    result.failure = next.attempt!.note ?? 'no reason recorded';
    const hit = raw.find((m) => m.metric === 'attemptLimitHit' && m.labels.model === next.model && m.labels.path === path);
    if (hit) {
      result.limit = String(hit.labels.limit) as NonNullable<Table2PathLimit['limit']>;
      result.phase = String(hit.labels.phase);
    }
  }
  // The budgets were recorded (results made since issue 14): the largest model within each.
  if (attempts.some((a) => find('attemptSetupTime', { model: a.model, path }))) {
    if (result.largest) result.largestWithinTime = result.largest;
    const setupDone = next && find('attemptSetupDone', { model: next.model, path })?.value === 1;
    const withinSetup = setupDone ? next!.model : result.largest;
    if (withinSetup) result.largestWithinSetup = withinSetup;
  }
  return result;
}

/** Per path, the one-time steps recorded for `model` (oneTimeBuilt, oneTimeBuildTime). */
export function summarizeOneTimeSteps(raw: Measurement[], model: string): Record<string, Table2OneTimeStep[]> | undefined {
  const byPath: Record<string, Table2OneTimeStep[]> = {};
  for (const m of raw) {
    if (m.metric !== 'oneTimeBuilt' || m.labels.model !== model) continue;
    // A zkML attempt in the other input mode carries inputs=<mode>: its own circuit and key.
    const path = `${String(m.labels.path)}${m.labels.inputs !== undefined ? ` (inputs ${String(m.labels.inputs)})` : ''}`;
    const builtMs = raw.find((t) => t.metric === 'oneTimeBuildTime' && t.labels.model === model && t.labels.path === m.labels.path && t.labels.inputs === m.labels.inputs && t.labels.step === m.labels.step)?.value;
    (byPath[path] ??= []).push({ step: String(m.labels.step), built: m.value === 1, ...(builtMs !== undefined ? { builtMs } : {}) });
  }
  return Object.keys(byPath).length > 0 ? byPath : undefined;
}

/**
 * The reference model's zkML figures in one input mode, from the measurements of that mode
 * (`labels.inputs` = mode, or unlabelled when it is the run's default mode).
 */
function inputModeFigures(measurements: Measurement[], model: string, system: string, mode: ZkInputMode, isDefault: boolean): ZkInputModeFigures | undefined {
  const ofMode = measurements.filter((m) => !m.derived && String(m.labels.model) === model && (m.labels.inputs === undefined ? isDefault : m.labels.inputs === mode));
  const value = (metric: string, labels: Record<string, string> = {}) =>
    ofMode.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v))?.value;
  const attempt = measurements.find((m) => m.metric === 'attempt' && String(m.labels.model) === model && m.labels.path === (isDefault ? 'zkML' : `zkML-${mode}`));
  const figures: ZkInputModeFigures = { mode };
  const set = <K extends keyof ZkInputModeFigures>(key: K, v: ZkInputModeFigures[K] | undefined) => { if (v !== undefined) figures[key] = v; };
  set('constraints', value('constraints'));
  set('inputCommitmentConstraints', value('inputCommitmentConstraints'));
  set('publicSignals', value('publicSignals'));
  set('witnessMs', value('witnessTime', { system }));
  set('proveMs', value('proveTime', { system }));
  set('setupMs', value('setupTime', { system }));
  set('verifierCodeBytes', value('zkVerifierCodeBytes', { system }));
  const refused = value('zkDeployRefused', { system });
  if (refused !== undefined) figures.deployRefused = refused === 1;
  const lifted = value('codeSizeLimitLifted', { system });
  if (lifted !== undefined) figures.codeSizeLimitLifted = lifted === 1;
  set('requestGas', value('zkRequestGas', { system }));
  set('requestCalldataBytes', value('zkRequestCalldataBytes', { system }));
  set('requestStorageBytes', value('zkRequestStorageBytes', { system }));
  set('submitGas', value('zkVerifyGas', { system }));
  set('submitCalldataBytes', value('zkCalldataBytes', { system }));
  set('submitStorageBytes', value('zkStorageBytes', { system }));
  if (attempt && attempt.value === 0) figures.failure = attempt.note ?? 'no reason recorded';
  return Object.keys(figures).length > 1 ? figures : undefined;
}

export function summarizeTable2({ results, settings }: SummarizeTable2Parameters): SummarizeTable2Result {
  // The run's default input mode only: measurements of the other mode (beside it, on the
  // reference model) carry labels.inputs and are read by inputModeFigures.
  const defaultMode: ZkInputMode = settings.zkInputs ?? 'public';
  const raw = results.measurements.filter((m) => !m.derived && (m.labels.inputs === undefined || m.labels.inputs === defaultMode));
  const find = (metric: string, labels: Record<string, string>): Measurement | undefined =>
    raw.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => String(m.labels[k]) === v));
  // A repeated timing counts by its median (issue 14: one slow run must not move a Table II figure).
  const value = (metric: string, labels: Record<string, string>) => {
    const m = find(metric, labels);
    return m ? (m.median ?? m.value) : undefined;
  };
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
      const traceCosts: Array<[Exclude<keyof NonNullable<Table2ModelRow['opml']>, 'claimFromEngine'>, string]> = [
        ['runMs', 'opmlRunTime'], ['claimHashes', 'opmlClaimHashes'], ['engineWarmMs', 'engineWarmInferenceTime'],
        ['disputeStatesMs', 'opmlDisputeStatesTime'], ['disputeHashes', 'opmlDisputeHashes'],
      ];
      for (const [field, metric] of traceCosts) {
        const v = value(metric, { model });
        if (v !== undefined) row.opml[field] = v;
      }
      const fromEngine = value('opmlClaimFromEngine', { model });
      if (fromEngine !== undefined) row.opml.claimFromEngine = fromEngine === 1;
    }
    const opAttempt = find('attempt', { model, path: 'opML' });
    if (opAttempt) row.opmlAttempt = opAttempt.value === 1 ? { status: 'completed' } : { status: 'failed', failure: opAttempt.note ?? 'no reason recorded' };
    const zkAttempt = find('attempt', { model, path: 'zkML' });
    const prove = value('proveTime', { model, system });
    if (prove !== undefined) {
      row.zkml = { status: 'proved', proveMs: prove };
      const fields: Array<[keyof NonNullable<Table2ModelRow['zkml']>, string, Record<string, string>]> = [
        ['constraints', 'constraints', { model }], ['witnessMs', 'witnessTime', { model, system }], ['witnessWarmMs', 'witnessWarmTime', { model, system }], ['setupMs', 'setupTime', { model, system }],
        ['verifyMs', 'verifyTime', { model, system }], ['provingKeyBytes', 'provingKeyBytes', { model, system }],
      ];
      for (const [field, metric, labels] of fields) {
        const v = value(metric, labels);
        if (v !== undefined) (row.zkml as Record<string, unknown>)[field] = v;
      }
      const builder = find('r1csBuilder', { model });
      if (builder?.labels.builder === 'circom' || builder?.labels.builder === 'direct') row.zkml.builder = builder.labels.builder;
      const peak = value('attemptPeakMemory', { model, path: 'zkML' }) ?? value('peakMemory', { model, path: 'zkML' });
      if (peak !== undefined) row.zkml.peakMemoryBytes = peak;
    } else if (zkAttempt && zkAttempt.value === 0) {
      row.zkml = { status: 'failed', failure: zkAttempt.note ?? 'no reason recorded' };
      const constraints = value('attemptConstraints', { model });
      if (constraints !== undefined) row.zkml.constraints = constraints;
    }
    const oneTime = summarizeOneTimeSteps(raw, model);
    if (oneTime) row.oneTime = oneTime;
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
  // zkML per input mode: the realistic one (hashed, when measured) without a variant, the other beside it.
  const otherMode: ZkInputMode = defaultMode === 'public' ? 'hashed' : 'public';
  const modes = [inputModeFigures(results.measurements, ref, system, defaultMode, true), inputModeFigures(results.measurements, ref, system, otherMode, false)]
    .filter((figures): figures is ZkInputModeFigures => figures !== undefined);
  const primary = modes.find((m) => m.mode === 'hashed' && m.failure === undefined && m.proveMs !== undefined)?.mode ?? defaultMode;
  const zkEntries = (figures: ZkInputModeFigures) => {
    const variant = figures.mode === primary ? {} : { variant: `inputs ${figures.mode}` };
    if (figures.requestGas !== undefined) gas.push({ system: 'zkML', phase: 'post the input (request: calldata + commitment)', gas: figures.requestGas, model: ref, ...variant });
    if (figures.submitGas !== undefined) gas.push({ system: 'zkML', phase: 'submit proof (verify + record)', gas: figures.submitGas, model: ref, ...variant });
  };
  // The realistic mode first: its bars and rows lead, the other follows beside it.
  modes.sort((a, b) => Number(b.mode === primary) - Number(a.mode === primary));
  for (const figures of modes) zkEntries(figures);

  const opStorage = value('opmlStorageBytes', { model: ref });
  if (opStorage !== undefined) storage.push({ system: 'opML', what: 'storage written: submission and finalization (unchallenged)', onChainBytes: opStorage, model: ref, kind: 'storage' });
  const opCalldata = value('opmlCalldataBytes', { model: ref });
  if (opCalldata !== undefined) storage.push({ system: 'opML', what: 'calldata: request (the input) + submit + finalize (unchallenged)', onChainBytes: opCalldata, model: ref, kind: 'calldata' });
  for (const figures of modes) {
    const variant = figures.mode === primary ? {} : { variant: `inputs ${figures.mode}` };
    const hashed = figures.mode === 'hashed';
    const storageBytes = (figures.submitStorageBytes ?? 0) + (figures.requestStorageBytes ?? 0);
    if (figures.submitStorageBytes !== undefined)
      storage.push({ system: 'zkML', what: hashed ? 'storage written: the request and the inference record' : 'storage written: the inference record', onChainBytes: storageBytes, model: ref, kind: 'storage', ...variant });
    if (figures.submitCalldataBytes !== undefined) {
      const calldataGas = figures.mode === defaultMode ? value('zkCalldataGas', { model: ref, system }) : undefined;
      storage.push({
        system: 'zkML',
        what: hashed ? 'calldata: the input (packed) + its commitment, then proof + public signals (outputs, commitment)' : 'calldata: proof + public signals (the input and output)',
        onChainBytes: figures.submitCalldataBytes + (figures.requestCalldataBytes ?? 0), model: ref, kind: 'calldata', ...(calldataGas !== undefined && !hashed ? { gas: calldataGas } : {}), ...variant,
      });
    }
  }

  const data: Table2Data = { models, gas, storage, referenceModel: ref, mechanism: MECHANISM };
  // Runs from before the input modes (no inputs labels, no code-size record) keep their old rendering:
  // their chain lifted EIP-170 without saying so, which a mode summary would misstate.
  const modeAware = results.measurements.some((m) => m.labels.inputs !== undefined || m.metric === 'codeSizeLimitLifted' || m.metric === 'zkDeployRefused');
  if (modes.length > 0 && modeAware) data.zkmlInputs = { mode: primary, modes };

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
  // Every input mode's tamperings (the Security row counts them all); with two modes, `where` names the mode too,
  // so the row shows which attacks were also tried on-chain (an all-public verifier over EIP-170 never is).
  const tamperings = results.measurements.filter((m) => !m.derived && m.metric === 'tamperRejected' && String(m.labels.model) === ref);
  const tamperModes = new Set(tamperings.map((m) => String(m.labels.inputs ?? defaultMode)));
  const tampering = tamperings.map((m) => ({
    tamper: String(m.labels.tamper),
    where: tamperModes.size > 1 ? `${String(m.labels.where)} with inputs ${String(m.labels.inputs ?? defaultMode)}` : String(m.labels.where),
    rejected: m.value === 1,
    model: ref,
  }));
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

  const limitsOf = (path: 'opML' | 'zkML') => summarizePathLimit({ raw, find, ladder: settings.ladder, path, parametersOf });
  if (raw.some((m) => m.metric === 'attempt' && settings.ladder.includes(String(m.labels.model))))
    data.sizeLimits = {
      timeLimitSeconds: settings.timeLimitSeconds,
      ...(settings.setupTimeLimitSeconds !== undefined ? { setupTimeLimitSeconds: settings.setupTimeLimitSeconds } : {}),
      memoryCapBytes: settings.memoryCapBytes, ladder: settings.ladder, opml: limitsOf('opML'), zkml: limitsOf('zkML'),
    };
  return data;
}
