/**
 * The types the dispute game, its actors and its measurements share. The game never looks
 * inside a VM state: a `DisputeTrace` is everything an actor needs about one inference — the
 * registered model (root, memory layout, steps, layer starts), the true state commitment at any
 * step, one-step proofs, the output proof, and forged final states for the cheating actors. The
 * toy counter VM (test/opml-game-toyMachine.ts) and the trace VM (createVmDisputeTrace.ts)
 * both provide one.
 */
import type { Hex } from 'viem';

export interface StepProof {
  preState: Hex;
  postState: Hex;
  /** Calldata for IStepper.step / IOpmlMachine.step. */
  proof: Hex;
}

export interface ForgedFinalState {
  /** A final state commitment that differs from the true one... */
  finalState: Hex;
  /** ...whose output region holds these values... */
  outputs: bigint[];
  /** ...with the proof IOpmlMachine.verifyOutput accepts for it. */
  outputProof: Hex;
}

export interface DisputeTrace {
  /** Model name, for results. */
  modelName: string;
  /** What IOpmlMachine.step/initialState/verifyOutput take as the model's root. */
  modelRoot: Hex;
  /** The VM's memory layout, ABI-encoded as its machine expects (opaque to the game). */
  memoryLayout: Hex;
  /** Steps from the initial to the final state. */
  totalSteps: number;
  /** The first step of each layer (layerStarts[0] = 0, strictly increasing). */
  layerStarts: number[];
  /** The requested input as the machine takes it (int256 values). */
  input: bigint[];
  /** The true output (int256 values); empty when the run traps (the error result). */
  outputs: bigint[];
  /** Values in a (non-error) output of the model. */
  outputLength: number;
  /** The step at which the true run traps (its result is then the error result), if it does. */
  trapStep?: number;
  /** VMs with traps: the trapped state at `step`, and the error result (the trapped final state
   * and the empty output) that a cheater may post on an input whose run does not trap. */
  trappedStateAt?(step: number): Hex;
  errorResult?(): ForgedFinalState;
  /** VMs whose request commits an input root: throws a VerificationError unless the request's
   * (initialState, inputRoot) — InferenceRequested's fields — agree with each other and with
   * this trace (what a submitter starting from the request checks before it answers). */
  checkRequest?(request: { initialState: Hex; inputRoot: Hex }): void;
  /** The true state commitment after `step` steps (0 ≤ step ≤ totalSteps). */
  stateAt(step: number): Hex;
  /** The one-step proof from the true state at `step` to the one at `step + 1`. */
  proveStep(step: number): StepProof;
  /** The proof that `outputs` is in the true final state. */
  outputProof: Hex;
  /** A final state other than the true one whose output region holds `outputs` (a cheater's);
   * `outputs` empty (the error result cannot be forged) gives a made-up non-error output. */
  forgeFinalState(outputs: bigint[]): ForgedFinalState;
}

/** The game as the contract stores it (OpmlDisputeGame.Game). */
export interface GameRecord {
  start: number;
  end: number;
  lastMoveAt: number;
  submitterClock: number;
  challengerClock: number;
  /** 1 = over layer boundaries, 2 = over instructions. */
  phase: number;
  /** 0 none, 1 in progress, 2 challenger won, 3 submitter won. */
  status: number;
  submitterToMove: boolean;
  /** Parts of the last dissection (its claims: parts + 1). */
  parts: number;
  /** Whether an ended game's bonds have moved (`settle`). */
  settled: boolean;
  /** Root of the last dissection's part tree (src/opml/game/pickPart.ts). */
  dissectionRoot: Hex;
}

/** What the party to move sees: the game and the last dissection's claims. */
export interface DisputeView {
  game: GameRecord;
  /** The claims of the last dissection (calldata of the opponent's last move). */
  previous: Hex[];
  arity: number;
  totalSteps: number;
  layerStarts: number[];
}

export type ActorAction =
  | { kind: 'move'; part: number; next: Hex[] }
  | { kind: 'step'; part: number; proof: Hex }
  | { kind: 'silent' };

export type Role = 'submitter' | 'challenger';

export interface Actor {
  role: Role;
  /** The strategy's name ('honest', 'output', 'step:17', …). */
  strategy: string;
  honest: boolean;
  /** What the actor posts as its result (submitters) or claims as the final state (challengers). */
  finalClaim(): { finalState: Hex; outputs: bigint[]; outputProof: Hex };
  /** Whether a challenger disputes a posted final state. */
  disputes(postedFinalState: Hex): boolean;
  /** The actor's move when it is its turn. */
  decide(view: DisputeView): ActorAction;
  /**
   * A move the actor tries first that the contract must reject (the inconsistent actor's
   * contradiction of the agreed claim); undefined for the others. Called once per turn.
   */
  tryInvalid?(view: DisputeView): ActorAction | undefined;
}
