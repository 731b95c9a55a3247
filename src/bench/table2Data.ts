/**
 * The data shape the `table2` suite hands to the verdicts (src/bench/verdicts.ts) and the charts
 * (src/bench/buildCharts.ts): what was measured for each row of the survey's Table II (opML vs
 * zkML). A suite stores it in `results.sections.table2`. Every field carries its unit in its
 * name; leave a field out when it was not measured (the verdict then says "no data"), never
 * fill it with an estimate.
 */

export type System = 'opML' | 'zkML';

/** One one-time step of a model on one path (issue 14): built in this run, or taken from the cache. */
export interface Table2OneTimeStep {
  /** `model` (load + quantize), `circuit` (generate + compile), `ptau`, `key`, `vm-program (submitter|challenger)`, `gkr-commitment`. */
  step: string;
  built: boolean;
  /** What building it took, ms: measured in this run when built, recorded with the artefact when cached (absent: not recorded). */
  builtMs?: number;
}

/** Where one path of the width ladder stopped, and under which budget (issue 14). */
export interface Table2PathLimit {
  largest?: string;
  largestParameters?: number;
  failedAt?: string;
  failure?: string;
  /** Which limit ended the attempt at `failedAt`: the one-time budget, the per-inference budget, the memory cap (absent: an error, or no failure). */
  limit?: 'setup-time' | 'time' | 'memory';
  /** The phase it was in when the limit hit. */
  phase?: string;
  /** The largest ladder model whose one-time steps finished within --setup-time-limit (= largest, or failedAt when that failed in its per-inference work). */
  largestWithinSetup?: string;
  /** The largest ladder model whose per-inference work finished within --time-limit (= largest). */
  largestWithinTime?: string;
}

/** One model of the zoo, run through every backend. */
export interface Table2ModelRow {
  model: string;
  /** Weights + biases. */
  parameters: number;
  /** Multiply-accumulates of one inference. */
  macs?: number;
  /** onnxruntime-node float inference, milliseconds (the native baseline). */
  nativeInferenceMs?: number;
  /** opML: the off-chain work of the proposer — the engine/trace VM run that produces the result and its state commitment. */
  opml?: {
    executeMs: number;
    /** Steps of the trace VM (the bisection game's search space). */
    traceSteps?: number;
    /** The challenger's independent re-execution of the inference, milliseconds. */
    reexecuteMs?: number;
    /** One-time per model: compiling it to the trace VM (program + Merkle root), milliseconds. */
    compileMs?: number;
    /** Running the VM alone, no hashing, milliseconds: part of executeMs when the claim came from
     * the VM; only a dispute's when it came from the engine (claimFromEngine). */
    runMs?: number;
    /** Whether the submitter made its claim from the engine (planClaim) rather than the VM's run;
     * absent in results from before the claim from the engine. */
    claimFromEngine?: boolean;
    /** keccak256 hashes of the claim (final state + output proof). */
    claimHashes?: number;
    /** The engine's inference compiled once and warm, measured beside executeMs (its yardstick), milliseconds. */
    engineWarmMs?: number;
    /** Only when challenged: the states the bisection asks the honest party for + the one-step proof, milliseconds. */
    disputeStatesMs?: number;
    /** keccak256 hashes of those states and the proof. */
    disputeHashes?: number;
  };
  /** Whether the opML attempt completed within the run's limits (absent: not attempted as a limited attempt). */
  opmlAttempt?: { status: 'completed' | 'failed'; failure?: string };
  /** zkML: proving the inference (Groth16 unless said otherwise). */
  zkml?: {
    /** `proved`, or `failed` with the reason (out of memory, over the ptau size, over the time limit). */
    status: 'proved' | 'failed';
    failure?: string;
    constraints?: number;
    /** Who wrote the R1CS and computed the witness: circom (compiler + wasm) or the direct TypeScript builder. */
    builder?: 'circom' | 'direct';
    /** The first witness in the prover's process (cold), milliseconds. */
    witnessMs?: number;
    /** A second witness in the same process (warm), milliseconds. */
    witnessWarmMs?: number;
    setupMs?: number;
    proveMs?: number;
    verifyMs?: number;
    provingKeyBytes?: number;
    /** Peak resident memory of the prover process, bytes. */
    peakMemoryBytes?: number;
  };
  /** Per path (`opML`, `zkML`, `gkr`): its one-time steps for this model, built in this run or from the cache (issue 14). */
  oneTime?: Record<string, Table2OneTimeStep[]>;
  /** The sumcheck/GKR prover on the same model (issue 10), beside `zkml`; absent when not attempted. */
  gkr?: Table2GkrRow;
}

/** One model proved by the sumcheck/GKR prover (src/gkr): private weights committed once, public input and output. */
export interface Table2GkrRow {
  status: 'proved' | 'failed';
  failure?: string;
  /** One-time per model: committing the weights. */
  setupMs?: number;
  witnessMs?: number;
  /** The whole proof, commitment and opening included. */
  proveMs?: number;
  /** Sumchecks and lookups alone (no commitment). */
  protocolMs?: number;
  verifyMs?: number;
  proofBytes?: number;
  committedElements?: number;
  sumcheckRounds?: number;
  lookups?: number;
  peakMemoryBytes?: number;
  /** Estimated gas of a Solidity verifier for this proof (estimateGkrVerifierGas; nothing deployed). */
  verifierGasEstimate?: number;
}

export interface Table2Data {
  models: Table2ModelRow[];
  /** On-chain gas per phase, e.g. opML: submit, challenge, bisection (all rounds), one-step, settle; zkML: verify (incl. result storage). */
  gas: Array<{ system: System; phase: string; gas: number; model?: string; /** A configuration of the same system measured beside the default, e.g. zkML `inputs public` vs `inputs hashed`; one bar each in the gas chart. */ variant?: string }>;
  /** Bytes written on-chain per phase (calldata and storage), e.g. opML: result + commitment; zkML: proof + public signals. `variant` as in `gas` (the verdicts read the entries without one). */
  storage: Array<{ system: System; what: string; onChainBytes: number; model?: string; kind?: 'storage' | 'calldata'; gas?: number; variant?: string }>;
  /**
   * zkML's input modes on the reference model: `mode` is the one the rows, the verdicts and the
   * entries of `gas`/`storage` without a variant describe (hashed — the realistic one — when it
   * was measured), `modes` every mode measured, the other one's entries carrying `variant: 'inputs <mode>'`.
   */
  zkmlInputs?: { mode: ZkInputMode; modes: ZkInputModeFigures[] };
  finality?: {
    /** opML: a result is final when the challenge window closes unchallenged. */
    opml: {
      challengeWindowSeconds: number; disputeRounds?: number; disputeWallSeconds?: number;
      /** Window + both parties' clocks: a challenge at the last second, each party using its whole clock. */
      disputedWorstCaseSeconds?: number;
      /** The same at Optimism's 7-day window (3.5-day clocks). */
      mainnetLike?: { unchallengedSeconds: number; disputedWorstCaseSeconds: number };
    };
    /** zkML: final when the verifying transaction is included: proving time + one block. */
    zkml: { proveSeconds: number; blockSeconds: number };
  };
  security?: {
    /** The dispute game's outcome when an honest challenger meets a cheating proposer (and vice versa). */
    opml: {
      cheaterLostDispute: boolean; honestDefended: boolean; assumption: string;
      /** Every cheat strategy played: did the honest party win (caught)? */
      cheats?: Array<{ cheat: string; caught: boolean; rounds?: number; model?: string }>;
    };
    /** Whether the verifier rejected a tampered proof / wrong public output; the trusted setup used. */
    zkml: {
      tamperedProofRejected: boolean; wrongOutputRejected: boolean; trustedSetup: string;
      /** Every tampering tried, natively and on-chain. */
      tampering?: Array<{ tamper: string; where: string; rejected: boolean; model?: string }>;
    };
  };
  /** What this implementation does for the Mechanism and Proof rows (stated from the code, not measured). */
  mechanism?: { opml: string; zkml: string };
  /** The model whose figures the gas, storage, finality and security parts describe. */
  referenceModel?: string;
  /** The sumcheck/GKR prover's run-wide figures: its size limit on the ladder, where its proofs are verified, its forgeries. */
  gkr?: {
    sizeLimit?: Table2PathLimit;
    /** gkr proofs are verified off-chain here; `reason` says why (the gas estimate of a Solidity verifier). */
    onChain: { verified: 'off-chain'; reason: string; gasEstimate?: number; model?: string };
    tampering?: Array<{ tamper: string; where: string; rejected: boolean; model?: string }>;
  };
  /** The width-ladder attempts: the largest model each path completed within the limits, and why the next failed. */
  sizeLimits?: {
    /** Per attempt: the per-inference budget (--time-limit), seconds. */
    timeLimitSeconds: number;
    /** Per attempt: the one-time budget (--setup-time-limit), seconds (absent in results made before issue 14: one limit for both). */
    setupTimeLimitSeconds?: number;
    memoryCapBytes: number;
    ladder: string[];
    opml: Table2PathLimit;
    zkml: Table2PathLimit;
  };
}

export type ZkInputMode = 'public' | 'hashed';

/** One input mode of the reference model's zkML proof, as measured (absent fields: not measured). */
export interface ZkInputModeFigures {
  mode: ZkInputMode;
  constraints?: number;
  /** Hashed: the commitment's share of the constraints (range checks + Poseidon). */
  inputCommitmentConstraints?: number;
  publicSignals?: number;
  witnessMs?: number;
  proveMs?: number;
  setupMs?: number;
  verifierCodeBytes?: number;
  /** The local chain refused the verifier (over EIP-170/EIP-3860): nothing on-chain was measured. */
  deployRefused?: boolean;
  /** The run lifted EIP-170/EIP-3860 on the local chain (--no-code-size-limit). */
  codeSizeLimitLifted?: boolean;
  /** Hashed: posting the input (requestInference) — gas, calldata bytes, storage bytes. */
  requestGas?: number;
  requestCalldataBytes?: number;
  requestStorageBytes?: number;
  /** submitInference: gas, calldata bytes, storage bytes. */
  submitGas?: number;
  submitCalldataBytes?: number;
  submitStorageBytes?: number;
  /** The attempt failed: why. */
  failure?: string;
}

/**
 * A gas phase only a challenged opML result pays for: the table2 suite names those phases
 * "… (disputed only)" (summarizeTable2.ts); charts, verdicts and the paper table read it here.
 */
export function isDisputeOnlyPhase(phase: string): boolean {
  return phase.includes('disputed only');
}
