/**
 * Owns playing one opML inference end to end on a chain, with two actors, and measuring it:
 * register the model (unless given), request the inference (the initial state is computed
 * on-chain and checked against the trace), the submitter posts its result with a bond, the
 * challenger disputes it if it disagrees, the parties alternate moves (a silent party is timed
 * out), the winner settles the ended game (bonds move), and the result becomes final after the
 * window (an honest challenger who won re-submits the true result). On anvil the windows and
 * clocks pass by evm_increaseTime; on a remote chain (no test client) they are waited out in real
 * time. Every transaction is measured from its receipt and, if asked and the node can, its
 * storage writes from debug_traceTransaction.
 */
import { performance } from 'node:perf_hooks';
import { parseEventLogs, type Address, type Hex, type TransactionReceipt } from 'viem';
import type { ChainClients, ChainWalletClient } from '../../chain/createChainClients.ts';
import { measureStorage as measureTxStorage } from '../../chain/measureStorage.ts';
import { sendTransaction } from '../../chain/sendTransaction.ts';
import { ToolError, VerificationError } from '../../errors.ts';
import { describePart, maxRounds, PHASE_LAYERS } from './computeDissection.ts';
import { partsRoot, pickPart } from './pickPart.ts';
import type { DeployOpmlRegistryResult } from './deployOpmlRegistry.ts';
import type { Actor, ActorAction, DisputeTrace, GameRecord, Role } from './types.ts';

/** A mainnet-like setting for the finality figures: Optimism's 7-day window, 3.5 days per clock. */
export const MAINNET_LIKE = { challengeWindowSeconds: 7 * 24 * 3600, clockSeconds: 3.5 * 24 * 3600 } as const;

export type DisputeTxKind =
  | 'register' | 'request' | 'submit' | 'challenge' | 'move' | 'step' | 'timeout' | 'settle' | 'rejected-move' | 'finalize' | 'resubmit';

export interface DisputeTx {
  kind: DisputeTxKind;
  by: Role | 'requester';
  /** The dissection's phase for moves and the step (1 layers, 2 instructions). */
  phase?: number;
  /** Gas units used (receipt). */
  gasUsed: number;
  /** Transaction input bytes. */
  calldataBytes: number;
  status: 'success' | 'reverted';
  revertErrorName?: string;
  /** Bytes of storage slots newly written (zero→nonzero) × 32, from the trace. */
  storageBytesNew?: number;
  /** Bytes of storage slots changed to a nonzero value (zero→nonzero + nonzero→nonzero) × 32. */
  storageBytesWritten?: number;
}

export interface PlayDisputeParameters {
  clients: ChainClients;
  registry: DeployOpmlRegistryResult;
  /** The IOpmlMachine the model is registered with. */
  machine: Address;
  trace: DisputeTrace;
  submitter: Actor;
  challenger: Actor;
  /** Reuse a registered model (same trace model) instead of registering it again. */
  modelId?: number;
  /** Wallet indices in clients.wallets (defaults: requester 0, submitter 1, challenger 2). */
  accounts?: { requester?: number; submitter?: number; challenger?: number };
  /** Trace every transaction for its storage writes (default true; slower). */
  measureStorage?: boolean;
  /** Off-chain work the honest party did before the game (compiling the program, running the
   * trace), in milliseconds; added to honestOffchainMs. */
  honestPreparationMs?: number;
}

export interface PhaseRounds {
  phase: number;
  /** Positions in the phase: layers (phase 1) or steps of the disputed layer (phase 2). */
  width: number;
  /** Dissections posted in the phase. */
  rounds: number;
  /** ⌈log_k(width)⌉. */
  bound: number;
}

export interface PlayDisputeResult {
  model: string;
  modelId: number;
  requestId: number;
  submissionId: number;
  gameId?: number;
  arity: number;
  strategies: { submitter: string; challenger: string };
  challenged: boolean;
  /** VM steps of the inference. */
  steps: number;
  layers: number;
  /** Phases the game went through (0 unchallenged, 1 or 2). */
  phases: number;
  /** Dissections posted (moves). */
  rounds: number;
  phaseRounds: PhaseRounds[];
  /** How the game ended. */
  resolvedBy: 'unchallenged' | 'step' | 'timeout';
  /** The step whose execution the one-step proof checked (pre-state index), if any. */
  oneStepAt?: number;
  winner: Role;
  honestWon: boolean;
  /** Transactions of the dispute: submit, challenge, moves, step or timeout, settle, rejected moves. */
  transactions: number;
  /** Moves the contract rejected (the inconsistent actor's contradictions). */
  rejectedTransactions: number;
  gas: {
    submit: number;
    challenge: number | null;
    perMoveMedian: number | null;
    perMoveMax: number | null;
    oneStep: number | null;
    timeout: number | null;
    /** The settle transaction after a game ended (bonds credited, result rejected or freed). */
    settle: number | null;
    finalize: number;
    /** Setup, not in total: registering the model (omitted when reused) and the request (on-chain initial state). */
    register: number | null;
    request: number;
    /** submit + challenge + moves + step/timeout + settle + rejected moves (gas units). */
    total: number;
  };
  /** Input bytes of the dispute's transactions (those in gas.total). */
  calldataBytes: number;
  /** Storage bytes written (slots changed to nonzero × 32) by the dispute's transactions; null when not measured. */
  storageBytes: number | null;
  /** Of those, slots newly created (zero→nonzero) × 32. */
  storageBytesNew: number | null;
  /** The honest party's off-chain time: honestPreparationMs + honestDecisionMs, in milliseconds. */
  honestOffchainMs: number;
  /** Time the honest party (or parties) spent deciding moves and building proofs, in milliseconds. */
  honestDecisionMs: number;
  /** Local wall time from the request to the final result, in milliseconds (real-time waits included). */
  wallMs: number;
  /** How windows and clocks passed: anvil's clock fast-forwarded (evm_increaseTime), or, on a
   * remote chain, waited out in real time (seconds spent waiting). */
  time: { mode: 'fast-forwarded' | 'real-time'; waitedSeconds: number };
  finalitySeconds: {
    unchallenged: number;
    /** Window + both clocks: a challenge at the window's last second, each party using its whole clock. */
    disputedWorstCase: number;
    mainnetLike: { unchallenged: number; disputedWorstCase: number };
  };
  /** Bond credits (wei, decimal strings) each party gained from this game and its result. */
  bondsWei: { submitter: string; challenger: string };
  outputs: { true: string[]; posted: string[]; final: string[] | null };
  txs: DisputeTx[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.floor((sorted[middle - 1] + sorted[middle]) / 2);
}

export async function playDispute(parameters: PlayDisputeParameters): Promise<PlayDisputeResult> {
  const { clients, registry, machine, trace, submitter, challenger } = parameters;
  const measureStorage = parameters.measureStorage ?? true;
  let storageMeasured = measureStorage;
  const { publicClient, testClient } = clients;
  const wallet = (index: number | undefined, fallback: number): ChainWalletClient => clients.wallets[index ?? fallback];
  const requesterWallet = wallet(parameters.accounts?.requester, 0);
  const submitterWallet = wallet(parameters.accounts?.submitter, 1);
  const challengerWallet = wallet(parameters.accounts?.challenger, 2);
  const walletOf = (role: Role) => (role === 'submitter' ? submitterWallet : challengerWallet);
  const { address, abi } = registry;
  const txs: DisputeTx[] = [];
  /** The receipt of the last transaction sent (the request's logs are read from it). */
  let lastReceipt: TransactionReceipt | undefined;
  const started = performance.now();
  let honestOffchainMs = 0;

  const read = async <T>(functionName: string, args: readonly unknown[] = []): Promise<T> =>
    (await publicClient.readContract({ address, abi, functionName, args } as never)) as T;

  const send = async (
    kind: DisputeTxKind, by: DisputeTx['by'], from: ChainWalletClient, functionName: string, args: readonly unknown[],
    options: { value?: bigint; phase?: number; allowRevert?: boolean } = {},
  ): Promise<DisputeTx> => {
    const sent = await sendTransaction({
      clients, wallet: from, to: address, abi, functionName, args, value: options.value,
      // anvil: a fixed limit (no estimate round trip); a remote chain: estimated, except for a
      // move expected to revert (estimation fails on reverts), so no 30M-gas reservation is needed.
      gas: testClient ? 30_000_000n : options.allowRevert ? 2_000_000n : undefined, allowRevert: options.allowRevert,
    });
    lastReceipt = sent.receipt;
    const tx: DisputeTx = {
      kind, by, phase: options.phase, gasUsed: Number(sent.gasUsed), calldataBytes: sent.calldataBytes,
      status: sent.status, revertErrorName: sent.revertErrorName,
    };
    if (storageMeasured) {
      // The prestate diff gives the same slot counts as struct logs without fetching a log per
      // opcode (the request's on-chain input hashing runs hundreds of thousands of opcodes).
      try {
        const storage = await measureTxStorage({ publicClient, txHash: sent.txHash, source: 'prestateDiff' });
        tx.storageBytesNew = storage.storageBytesWritten;
        tx.storageBytesWritten = storage.storageBytesModified;
      } catch (error) {
        // A remote endpoint without debug_traceTransaction: storage is reported as not measured.
        if (testClient) throw error;
        storageMeasured = false;
      }
    }
    txs.push(tx);
    return tx;
  };

  let waitedSeconds = 0;
  const advanceTime = async (seconds: number) => {
    if (testClient) {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
      return;
    }
    // A remote chain's clock cannot be moved: wait, in real time, until the chain's time has
    // passed the latest block's timestamp + seconds (a deadline counted from an earlier block is
    // then passed too).
    const started = performance.now();
    const target = Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp) + seconds;
    await waitUntil(() => Date.now() / 1000 >= target + 1, 250, Infinity);
    // Chains whose block timestamps lag the wall clock (slot starts) catch up within a slot or
    // two; a chain that mines only on demand (no new block for 3 s) stamps the next block now.
    let lastNumber = -1n;
    let idleSince = performance.now();
    await waitUntil(async () => {
      const latest = await publicClient.getBlock({ blockTag: 'latest' });
      if (latest.number !== lastNumber) [lastNumber, idleSince] = [latest.number, performance.now()];
      return Number(latest.timestamp) >= target || performance.now() - idleSince > 3000;
    }, 1000, 30_000);
    waitedSeconds += (performance.now() - started) / 1000;
  };

  const withdrawable = async (role: Role) => read<bigint>('withdrawable', [walletOf(role).account.address]);

  // 1. The model and the request: the initial state comes from the chain.
  let modelId = parameters.modelId;
  if (modelId === undefined) {
    await send('register', 'requester', requesterWallet, 'registerModel', [
      trace.modelRoot, machine, trace.totalSteps, trace.layerStarts, trace.memoryLayout,
    ]);
    modelId = Number(await read<number>('modelCount'));
  }
  await send('request', 'requester', requesterWallet, 'requestInference', [modelId, trace.input]);
  const requestId = Number(await read<bigint>('requestCount'));
  const [, , , initialState] = await read<[number, bigint, Address, Hex]>('requests', [BigInt(requestId)]);
  if (initialState !== trace.stateAt(0))
    throw new VerificationError(`dispute: the on-chain initial state of ${trace.modelName} differs from the trace's`, {
      hint: 'the TypeScript VM and the Solidity machine disagree on initialState (model root, layout or input encoding)',
      details: { onChain: initialState, trace: trace.stateAt(0) },
    });
  // The event's input commitment (the registry emits what the machine hashed on-chain): the
  // submitter starts from it; a VM that has one checks it against the stored initial state.
  const [requested] = parseEventLogs({ abi, logs: lastReceipt?.logs ?? [], eventName: 'InferenceRequested' } as never) as unknown as { args: { requestId: bigint; initialState: Hex; inputRoot: Hex } }[];
  if (!requested || requested.args.requestId !== BigInt(requestId))
    throw new VerificationError(`dispute: the request of ${trace.modelName} emitted no InferenceRequested event for request ${requestId}`, {
      hint: 'the registry at this address predates the event\'s inputRoot field, or the node dropped the log; redeploy the registry',
      details: { requestId, registry: address },
    });
  if (requested.args.initialState !== initialState)
    throw new VerificationError(`dispute: the InferenceRequested event of request ${requestId} carries initial state ${requested.args.initialState}, the registry stores ${initialState}`, {
      hint: 'the node that served the log lies; read the request from another node',
      details: { event: requested.args.initialState, stored: initialState },
    });
  trace.checkRequest?.({ initialState, inputRoot: requested.args.inputRoot });

  // 2. The result.
  const bondsBefore = { submitter: await withdrawable('submitter'), challenger: await withdrawable('challenger') };
  const posted = submitter.finalClaim();
  await send('submit', 'submitter', submitterWallet, 'submitResult', [BigInt(requestId), posted.outputs, posted.finalState, posted.outputProof], {
    value: registry.bondWei,
  });
  const submissionId = Number(await read<bigint>('submissionCount'));

  // 3. The dispute.
  const challenged = challenger.disputes(posted.finalState);
  let gameId: number | undefined;
  let resolvedBy: PlayDisputeResult['resolvedBy'] = 'unchallenged';
  let oneStepAt: number | undefined;
  let winner: Role = 'submitter';
  const phaseWidths = new Map<number, number>();
  const phaseMoves = new Map<number, number>();
  if (challenged) {
    await send('challenge', 'challenger', challengerWallet, 'challenge', [BigInt(submissionId)], { value: registry.bondWei });
    gameId = Number(await read<bigint>('gameCount'));
    let previous: Hex[] = [initialState, posted.finalState];
    phaseWidths.set(PHASE_LAYERS, trace.layerStarts.length);
    const moveLimit = 4 * (trace.layerStarts.length + trace.totalSteps) + 8;
    for (let turn = 0; ; turn++) {
      const game = await readGame(read, gameId);
      if (game.status !== 1) break;
      if (game.dissectionRoot !== partsRoot(previous))
        throw new VerificationError(`dispute: game ${gameId}'s stored dissection root differs from the claims the actors see`, {
          hint: 'LibDissection.partsRoot and src/opml/game/pickPart.ts disagree; this is a bug',
        });
      if (turn > moveLimit) throw new ToolError(`dispute: game ${gameId} did not end after ${moveLimit} turns`, { hint: 'an actor is looping; this is a bug' });
      const role: Role = game.submitterToMove ? 'submitter' : 'challenger';
      const actor = role === 'submitter' ? submitter : challenger;
      const view = { game, previous, arity: registry.arity, totalSteps: trace.totalSteps, layerStarts: trace.layerStarts };
      const invalid = actor.tryInvalid?.(view);
      if (invalid?.kind === 'move') {
        const tx = await send('rejected-move', role, walletOf(role), 'move', [BigInt(gameId), pickPart({ claims: previous, index: invalid.part }), invalid.next], { allowRevert: true });
        if (tx.status !== 'reverted')
          throw new VerificationError(`dispute: game ${gameId} accepted a move that contradicts the agreed claim`, { hint: 'OpmlDisputeGame.move must check next[0]' });
      }
      const decideStarted = performance.now();
      const action: ActorAction = actor.decide(view);
      if (actor.honest) honestOffchainMs += performance.now() - decideStarted;
      if (action.kind === 'silent') {
        const remaining = role === 'submitter' ? game.submitterClock : game.challengerClock;
        await advanceTime(remaining + 1);
        const other: Role = role === 'submitter' ? 'challenger' : 'submitter';
        await send('timeout', other, walletOf(other), 'claimTimeout', [BigInt(gameId)]);
        resolvedBy = 'timeout';
        continue;
      }
      const part = describePart({ game, claimCount: previous.length, part: action.part, layerStarts: trace.layerStarts, totalSteps: trace.totalSteps });
      if (action.kind === 'move') {
        await send('move', role, walletOf(role), 'move', [BigInt(gameId), pickPart({ claims: previous, index: action.part }), action.next], { phase: part.phase });
        if (!phaseWidths.has(part.phase)) phaseWidths.set(part.phase, part.end - part.start);
        phaseMoves.set(part.phase, (phaseMoves.get(part.phase) ?? 0) + 1);
        previous = action.next;
      } else {
        await send('step', role, walletOf(role), 'step', [BigInt(gameId), pickPart({ claims: previous, index: action.part }), action.proof], { phase: part.phase });
        if (!phaseWidths.has(part.phase)) phaseWidths.set(part.phase, part.end - part.start);
        resolvedBy = 'step';
        oneStepAt = part.startStep;
      }
    }
    winner = (await readGame(read, gameId)).status === 2 ? 'challenger' : 'submitter';
    // The game has ended; the winner settles it (anyone may): the bonds move and the result is
    // rejected or freed for finality.
    await send('settle', winner, walletOf(winner), 'settle', [BigInt(gameId)]);
  }

  // 4. Finality.
  const claimer = winner === 'submitter' ? submitter : challenger;
  if (winner === 'submitter') {
    await advanceTime(registry.challengeWindowSeconds);
    await send('finalize', 'submitter', submitterWallet, 'finalize', [BigInt(submissionId), posted.outputs]);
  }
  const bondsAfter = { submitter: await withdrawable('submitter'), challenger: await withdrawable('challenger') };
  if (winner === 'challenger' && challenger.honest) {
    // The rejected request gets the true result from the honest challenger.
    const honestClaim = challenger.finalClaim();
    await send('resubmit', 'challenger', challengerWallet, 'submitResult', [BigInt(requestId), honestClaim.outputs, honestClaim.finalState, honestClaim.outputProof], {
      value: registry.bondWei,
    });
    await advanceTime(registry.challengeWindowSeconds);
    await send('finalize', 'challenger', challengerWallet, 'finalize', [await read<bigint>('submissionCount'), honestClaim.outputs]);
  }
  const isFinal = await read<boolean>('isFinal', [BigInt(requestId)]);
  const finalOutputs = isFinal ? await read<bigint[]>('outputOf', [BigInt(requestId)]) : null;
  const wallMs = performance.now() - started;

  const disputeKinds = new Set<DisputeTxKind>(['submit', 'challenge', 'move', 'step', 'timeout', 'settle', 'rejected-move']);
  const disputeTxs = txs.filter((tx) => disputeKinds.has(tx.kind));
  const gasOf = (kind: DisputeTxKind) => txs.filter((tx) => tx.kind === kind).map((tx) => tx.gasUsed);
  const moveGas = gasOf('move');
  const phaseRounds: PhaseRounds[] = [...phaseWidths.entries()].sort(([a], [b]) => a - b).map(([phase, width]) => ({
    phase, width, rounds: phaseMoves.get(phase) ?? 0, bound: maxRounds(width, registry.arity),
  }));
  const phasesVisited = new Set(txs.filter((tx) => tx.kind === 'move' || tx.kind === 'step').map((tx) => tx.phase));
  const { challengeWindowSeconds, clockSeconds } = registry;
  return {
    model: trace.modelName,
    modelId,
    requestId,
    submissionId,
    gameId,
    arity: registry.arity,
    strategies: { submitter: submitter.strategy, challenger: challenger.strategy },
    challenged,
    steps: trace.totalSteps,
    layers: trace.layerStarts.length,
    phases: phasesVisited.size,
    rounds: moveGas.length,
    phaseRounds,
    resolvedBy,
    oneStepAt,
    winner,
    honestWon: claimer.honest,
    transactions: disputeTxs.length,
    rejectedTransactions: txs.filter((tx) => tx.kind === 'rejected-move').length,
    gas: {
      submit: gasOf('submit')[0],
      challenge: gasOf('challenge')[0] ?? null,
      perMoveMedian: median(moveGas),
      perMoveMax: moveGas.length ? Math.max(...moveGas) : null,
      oneStep: gasOf('step')[0] ?? null,
      timeout: gasOf('timeout')[0] ?? null,
      settle: gasOf('settle')[0] ?? null,
      finalize: gasOf('finalize')[0],
      register: gasOf('register')[0] ?? null,
      request: gasOf('request')[0],
      total: disputeTxs.reduce((sum, tx) => sum + tx.gasUsed, 0),
    },
    calldataBytes: disputeTxs.reduce((sum, tx) => sum + tx.calldataBytes, 0),
    storageBytes: storageMeasured ? disputeTxs.reduce((sum, tx) => sum + (tx.storageBytesWritten ?? 0), 0) : null,
    storageBytesNew: storageMeasured ? disputeTxs.reduce((sum, tx) => sum + (tx.storageBytesNew ?? 0), 0) : null,
    time: testClient ? { mode: 'fast-forwarded', waitedSeconds: 0 } : { mode: 'real-time', waitedSeconds },
    honestOffchainMs: (parameters.honestPreparationMs ?? 0) + honestOffchainMs,
    honestDecisionMs: honestOffchainMs,
    wallMs,
    finalitySeconds: {
      unchallenged: challengeWindowSeconds,
      disputedWorstCase: challengeWindowSeconds + 2 * clockSeconds,
      mainnetLike: {
        unchallenged: MAINNET_LIKE.challengeWindowSeconds,
        disputedWorstCase: MAINNET_LIKE.challengeWindowSeconds + 2 * MAINNET_LIKE.clockSeconds,
      },
    },
    bondsWei: {
      submitter: (bondsAfter.submitter - bondsBefore.submitter).toString(),
      challenger: (bondsAfter.challenger - bondsBefore.challenger).toString(),
    },
    outputs: {
      true: trace.outputs.map(String),
      posted: posted.outputs.map(String),
      final: finalOutputs ? finalOutputs.map(String) : null,
    },
    txs,
  };
}

/** Polls `ready` every `intervalMs` until it holds or `timeoutMs` has passed. */
async function waitUntil(ready: () => boolean | Promise<boolean>, intervalMs: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ready()) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

async function readGame(read: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>, gameId: number): Promise<GameRecord> {
  const game = await read<Record<string, unknown>>('getGame', [BigInt(gameId)]);
  return {
    start: Number(game.start),
    end: Number(game.end),
    lastMoveAt: Number(game.lastMoveAt),
    submitterClock: Number(game.submitterClock),
    challengerClock: Number(game.challengerClock),
    phase: Number(game.phase),
    status: Number(game.status),
    submitterToMove: Boolean(game.submitterToMove),
    parts: Number(game.parts),
    settled: Boolean(game.settled),
    dissectionRoot: game.dissectionRoot as Hex,
  };
}
