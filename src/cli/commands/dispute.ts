/**
 * `opzk dispute <model>`: plays one opML inference on a fresh local anvil — the model compiled to
 * the trace VM and registered, the inference requested, a result posted with a bond, a dispute
 * between an honest party and the chosen cheater, finality — and prints the measurements.
 * Owns only argument handling and printing; the game is src/opml/game/playDispute.ts.
 */
import { compileSolidity, getCompiledContract } from '../../chain/compileSolidity.ts';
import { deployContract } from '../../chain/deployContract.ts';
import { openChain } from '../../chain/openChain.ts';
import { UsageError } from '../../errors.ts';
import { createActor } from '../../opml/actors/createActor.ts';
import { createVmDisputeTrace } from '../../opml/game/createVmDisputeTrace.ts';
import { deployOpmlRegistry } from '../../opml/game/deployOpmlRegistry.ts';
import { playDispute } from '../../opml/game/playDispute.ts';
import { quantizeInputs } from '../../quant/quantizeInputs.ts';
import { quantizeModel } from '../../quant/quantizeModel.ts';
import { createPrng } from '../../zoo/createPrng.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { applyAutoScale, loadCliInputs, resolveModelSettings } from './infer.ts';

const ONE_STEP_VERIFIER_SOURCE = 'contracts/src/opml/vm/OneStepVerifier.sol';

const help = `Usage: opzk dispute <model> [options]

Plays one opML dispute on a local anvil (started and stopped by the command) and measures it:
the model is compiled to the trace VM and registered, an inference is requested, a result is
posted with a bond, and an honest party plays against the chosen cheater.

Options:
  --input FILE       input (JSON/.pb/dir, as opzk infer); default: the zoo model's first sample
  --cheat C          none (default) | output | step:K | error[:K] | final-state | inconsistent |
                     silent | false-challenge | false-midpoints[:K] | random
                     (submitter cheats: output, step:K, error (a false "the input traps"),
                      final-state, inconsistent, silent;
                      challenger cheats: false-challenge, false-midpoints)
  --arity K          parts per dissection, 2..255 (default 2; measured: 2, 4, 8, 16)
  --window SECONDS   challenge window (default 3600)
  --clock SECONDS    each party's chess clock (default: the window)
  --bond WEI         submitter's and challenger's bond, ≥ 1 wei (default 10^18)
  --seed N           seed of the random cheat / random step (default 1)
  --scale-bits S, --value-bits V   quantization (default: the zoo's, else 8 / 16); --scale-bits auto:
                                   calibrated on the inputs (see opzk calibrate), noted on stderr
  --json             print one JSON object

JSON fields: steps, phases, rounds, transactions, winner, honestWon, gas {submit, perMoveMedian,
perMoveMax, oneStep, total, ...} (gas units), calldataBytes, storageBytes (bytes), wallMs,
honestOffchainMs (compile + trace + moves), finalitySeconds {unchallenged, disputedWorstCase, mainnetLike}, outputs, ...`;

const RANDOM_CHEATS = ['output', 'step', 'final-state', 'inconsistent', 'silent', 'false-challenge', 'false-midpoints'] as const;
/** Cheats one names but `random` does not draw (error needs an input that does not trap). */
const NAMED_ONLY_CHEATS = ['error'] as const;
const CHALLENGER_CHEATS = new Set(['false-challenge', 'false-midpoints']);

function parseInteger(flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    const allowed = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    // The message names the flag and what works: main.ts prints the message only.
    throw new UsageError(`dispute: ${flag} ${value} is not ${allowed} (e.g. ${flag} ${Math.max(min, fallback)})`);
  }
  return parsed;
}

/** The strategies of both parties for a --cheat value. */
export function strategiesFor(cheat: string, totalSteps: number, seed: number): { submitter: string; challenger: string; cheat: string } {
  let resolved = cheat;
  if (cheat === 'random') {
    const prng = createPrng({ seed });
    const name = RANDOM_CHEATS[prng.int(RANDOM_CHEATS.length)];
    resolved = name === 'step' || name === 'false-midpoints' ? `${name}:${1 + prng.int(totalSteps)}` : name;
  } else if (cheat === 'false-midpoints') {
    resolved = `false-midpoints:${1 + createPrng({ seed }).int(totalSteps)}`;
  }
  if (resolved === 'none') return { submitter: 'honest', challenger: 'honest', cheat: resolved };
  const name = resolved.split(':')[0];
  if (![...RANDOM_CHEATS, ...NAMED_ONLY_CHEATS].includes(name as never))
    throw new UsageError(`dispute: unknown --cheat '${cheat}'`, {
      hint: 'use none, output, step:K, error[:K], final-state, inconsistent, silent, false-challenge, false-midpoints[:K] or random',
    });
  return CHALLENGER_CHEATS.has(name)
    ? { submitter: 'honest', challenger: resolved, cheat: resolved }
    : { submitter: resolved, challenger: 'honest', cheat: resolved };
}

export const command: CliCommand = {
  summary: 'play an opML dispute game on a local anvil and measure it',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('dispute', argv, {
      input: { type: 'string', multiple: true },
      cheat: { type: 'string', default: 'none' },
      arity: { type: 'string' },
      window: { type: 'string' },
      clock: { type: 'string' },
      bond: { type: 'string' },
      seed: { type: 'string' },
      'scale-bits': { type: 'string' },
      'value-bits': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1)
      throw new UsageError('dispute: give exactly one model (a zoo name or an .onnx path)', { hint: "run 'opzk dispute --help'" });
    // The game stores the part count in a uint8 (OpmlDisputeGame.ArityOutOfRange).
    const arity = parseInteger('--arity', values.arity, 2, 2, 255);
    const challengeWindowSeconds = parseInteger('--window', values.window, 3600, 1);
    const clockSeconds = parseInteger('--clock', values.clock, challengeWindowSeconds, 1);
    const seed = parseInteger('--seed', values.seed, 1, 0);
    let bondWei: bigint;
    try {
      bondWei = BigInt(values.bond ?? 10n ** 18n);
    } catch (error) {
      throw new UsageError(`dispute: --bond ${values.bond} is not a whole number of wei (e.g. --bond 1000000000000000000)`, { hint: 'e.g. --bond 1000000000000000000', cause: error });
    }
    // A zero bond makes cheating free (OpmlRegistry.ZeroBond); a negative one is no amount.
    if (bondWei < 1n)
      throw new UsageError(`dispute: --bond ${values.bond} must be at least 1 wei: a zero bond makes cheating free (e.g. --bond 1000000000000000000)`);

    const requested = resolveModelSettings(positionals[0]!, values['scale-bits'], values['value-bits']);
    const runInputs = loadCliInputs(requested, values.input ?? []);
    const settings = await applyAutoScale(requested, values.input ?? [], runInputs);
    const model = quantizeModel({ file: settings.resolved.file, name: settings.resolved.name, scaleBits: settings.scaleBits, valueBits: settings.valueBits, runInputs });
    const input = quantizeInputs({ model, inputs: runInputs });
    const trace = createVmDisputeTrace({ model, input });
    const strategies = strategiesFor(values.cheat!, trace.totalSteps, seed);

    const chain = await openChain({});
    try {
      const { clients } = chain;
      const verifier = getCompiledContract(compileSolidity({ files: [ONE_STEP_VERIFIER_SOURCE] }), 'OneStepVerifier');
      const machine = await deployContract({ clients, contract: verifier });
      const registry = await deployOpmlRegistry({ clients, arity, clockSeconds, challengeWindowSeconds, bondWei });
      const result = await playDispute({
        clients,
        registry,
        machine: machine.address,
        trace,
        submitter: createActor({ role: 'submitter', strategy: strategies.submitter, trace, seed }),
        challenger: createActor({ role: 'challenger', strategy: strategies.challenger, trace, seed: seed + 1 }),
        honestPreparationMs: trace.compileMs + trace.traceMs,
      });
      const report = {
        ...result,
        cheat: strategies.cheat,
        offchain: { compileMs: trace.compileMs, traceMs: trace.traceMs },
        deployGas: { registry: Number(registry.deployGas), oneStepVerifier: Number(machine.gasUsed) },
        settings: { arity, challengeWindowSeconds, clockSeconds, bondWei: bondWei.toString(), scaleBits: settings.scaleBits, valueBits: settings.valueBits },
      };
      if (values.json) {
        console.log(JSON.stringify(report));
        return 0;
      }
      const gas = result.gas;
      console.log(`${result.model}: ${result.steps} VM steps in ${result.layers} layers; cheat '${strategies.cheat}' (submitter ${result.strategies.submitter}, challenger ${result.strategies.challenger}), k=${arity}`);
      console.log(`winner: ${result.winner} (${result.honestWon ? 'honest party won' : 'CHEATER WON'}), resolved by ${result.resolvedBy}${result.oneStepAt !== undefined ? ` at step ${result.oneStepAt}` : ''}`);
      console.log(`phases ${result.phases}, rounds ${result.rounds} (${result.phaseRounds.map((p) => `phase ${p.phase}: ${p.rounds}/${p.bound} over ${p.width}`).join(', ') || 'none'}), transactions ${result.transactions}`);
      console.log(`gas: submit ${gas.submit}, move median ${gas.perMoveMedian ?? '-'} max ${gas.perMoveMax ?? '-'}, one-step ${gas.oneStep ?? '-'}, settle ${gas.settle ?? '-'}, dispute total ${gas.total}`);
      console.log(`calldata ${result.calldataBytes} bytes, storage written ${result.storageBytes} bytes; honest off-chain ${result.honestOffchainMs.toFixed(0)} ms (compile ${trace.compileMs.toFixed(0)} + trace ${trace.traceMs.toFixed(0)} + moves ${result.honestDecisionMs.toFixed(0)}), wall ${result.wallMs.toFixed(0)} ms`);
      console.log(`finality: ${result.finalitySeconds.unchallenged} s unchallenged, ${result.finalitySeconds.disputedWorstCase} s worst case disputed (mainnet-like: ${result.finalitySeconds.mainnetLike.unchallenged} s / ${result.finalitySeconds.mainnetLike.disputedWorstCase} s)`);
      console.log(`outputs: true [${result.outputs.true.join(', ')}], posted [${result.outputs.posted.join(', ')}], final [${result.outputs.final?.join(', ') ?? '-'}]`);
      if (trace.vmTrace.trap) {
        const trap = trace.vmTrace.trap;
        console.log(`the input traps at step ${trap.step} (layer '${trap.layer}', ${trap.tensor}[${trap.index}]: ${trap.reason}${trap.value !== undefined ? `, ${trap.value}` : ''}): the true result is the error result (empty output)`);
      }
      return 0;
    } finally {
      await chain.stop();
    }
  },
};
