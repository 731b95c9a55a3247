/**
 * `opzk prove <model>`: one zkML inference proof — quantize, build the circuit's R1CS (circom or
 * the direct builder, --builder),
 * witness (checked against the engine), powers of tau, setup, prove, verify natively and,
 * with --onchain, on a fresh anvil through the generated Solidity verifier and the registry.
 */
import { dequantize } from '../../engine/dequantize.ts';
import { UsageError, VerificationError } from '../../errors.ts';
import { quantizeInputs } from '../../quant/quantizeInputs.ts';
import { quantizeModel } from '../../quant/quantizeModel.ts';
import { createProgress } from '../../bench/createProgress.ts';
import { chooseInputMode } from '../../zk/chooseInputMode.ts';
import { INPUT_VISIBILITIES, RELU_VARIANTS, WEIGHT_MODES, type InputVisibility, type ReluVariant, type WeightMode } from '../../zk/generateCircuit.ts';
import { CIRCUIT_BUILDER_CHOICES, type CircuitBuilderChoice } from '../../zk/buildCircuit.ts';
import { proveInference } from '../../zk/proveInference.ts';
import { PROOF_SYSTEMS, type ProofSystem } from '../../zk/types.ts';
import { parseCommandArgs, type CliCommand } from '../command.ts';
import { applyAutoScale, loadCliInputs, resolveModelSettings } from './infer.ts';

const help = `Usage: opzk prove <model.onnx | zoo name> [--input <file>] [options]

Proves one inference of the quantized model with Circom + snarkjs and verifies the proof.
The circuit's outputs are checked against the fixed-point engine before proving.
With --system gkr: the sumcheck/GKR prover (src/gkr) instead — weights committed once (setup),
input and outputs public, the proof verified from its bytes; --weights, --relu, --private-input,
--ptau and --onchain are Circom options (gkr proofs are verified off-chain here: the JSON's
onchain.estimate says why).

Options:
  --input <file>        input file (as in opzk infer; default: the zoo model's first sample)
  --system <s>          groth16 | plonk | fflonk | gkr (default groth16)
  --proof-out <file>    gkr: write the serialized proof to this file
  --weights <m>         constant | public | private | hashed (default constant):
                          constant  weights compiled into the circuit (free in R1CS)
                          public    weights are public inputs
                          private   weights are witness (1 constraint per multiplication)
                          hashed    private + a Poseidon commitment to them as a public input
  --relu <r>            bounded (valueBits+1 constraints) | full (circomlib-ml's 517) (default bounded)
  --builder <b>         auto | circom | direct (default auto): who writes the R1CS and computes
                        the witness — circom (compiled .circom, wasm witness) or the direct
                        TypeScript builder (src/zk/r1cs: same constraints, no compiler); auto
                        takes direct unless circom is needed (--relu full, an op the
                        direct builder has no emitter for)
  --inputs <m>          public | hashed | private (default: chosen per model, and said why):
                          public   every input element is a public signal (the registry
                                   range-checks them); the Groth16 verifier grows ~99 bytes each
                          hashed   a Poseidon commitment of the (range-checked) input is the one
                                   public input; on-chain the input is posted as calldata with
                                   its commitment (requestInference), then the proof is checked
                                   against it. Default when the all-public verifier would exceed
                                   EIP-170 (24,576 bytes) or the input has more than 64 elements
                          private  the input is witness only (range-checked in the circuit)
  --private-input       the same as --inputs private
  --onchain             also verify on a fresh local EVM (anvil): gas, calldata, storage;
                        the registry range-checks the public inputs (valueBits, signed)
  --no-code-size-limit  with --onchain: lift EIP-170/EIP-3860 on the local anvil (default:
                        enforced as on mainnet, and a too-large verifier fails naming its size);
                        the output says when it was lifted
  --ptau <file>         a prepared powers-of-tau file (default: a local INSECURE one, cached)
  --scale-bits <n>      fixed-point scale 2^n (default: the zoo model's setting, else 8); auto:
                        calibrated on the inputs (see opzk calibrate), the choice noted on stderr
  --value-bits <n>      activation range in bits (default: the zoo model's setting, else 16)
  --json                print one JSON object: system, builder, settings, constraints, witnessMs,
                        witnessWarmMs,
                        setupMs, proveMs, verifyMs, proofBytes, zkeyBytes, verified, outputs,
                        ptau {source, power, insecure}, (onchain {...});
                        gkr: system, settings, layers, sumcheckRounds, lookups, tableEntries,
                        committedElements, commitmentBytes, witnessMs, setupMs, proveMs,
                        protocolMs, proveWithoutCommitmentMs, commitMs, openMs, verifyMs,
                        proofBytes, peakRssBytes, verified, outputs, onchain {verified: off-chain,
                        estimatedVerifyGas, estimate, openings}

Times are milliseconds of the step alone; a cached compile or setup reports 0 and cached: true.`;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`prove: ${flag} '${value}' is not one of ${allowed.join(', ')}`, { hint: "run 'opzk prove --help'" });
  return value as T;
}

const jsonReplacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

export const command: CliCommand = {
  summary: 'prove one inference with Circom + snarkjs (groth16, plonk, fflonk), optionally on-chain, or with the sumcheck/GKR prover (gkr)',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('prove', argv, {
      input: { type: 'string', multiple: true },
      system: { type: 'string', default: 'groth16' },
      weights: { type: 'string', default: 'constant' },
      relu: { type: 'string', default: 'bounded' },
      builder: { type: 'string', default: 'auto' },
      'private-input': { type: 'boolean', default: false },
      inputs: { type: 'string' },
      'no-code-size-limit': { type: 'boolean', default: false },
      onchain: { type: 'boolean', default: false },
      ptau: { type: 'string' },
      'scale-bits': { type: 'string' },
      'value-bits': { type: 'string' },
      json: { type: 'boolean', default: false },
      'proof-out': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('prove: give exactly one model (a zoo name or an .onnx path)', { hint: "run 'opzk prove --help'" });
    if (values.system === 'gkr') {
      const circomOnly = ['--weights', '--relu', '--builder', '--private-input', '--inputs', '--ptau', '--onchain', '--no-code-size-limit'].filter((flag) => argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`)));
      if (circomOnly.length)
        throw new UsageError(`prove: ${circomOnly.join(', ')} ${circomOnly.length === 1 ? 'is a Circom option' : 'are Circom options'}, not for --system gkr`, {
          hint: 'gkr commits the weights (private) once, keeps input and outputs public, and is verified off-chain here (see onchain.estimate in --json)',
        });
      const { proveGkrCommand } = await import('../proveGkrCommand.ts');
      const requested = resolveModelSettings(positionals[0]!, values['scale-bits'], values['value-bits']);
      const floatInputs = loadCliInputs(requested, values.input ?? []);
      const modelSettings = await applyAutoScale(requested, values.input ?? [], floatInputs);
      return proveGkrCommand({ modelSettings, floatInputs, json: values.json!, proofOut: values['proof-out'] });
    }
    if (values['proof-out'] !== undefined) throw new UsageError('prove: --proof-out is for --system gkr', { hint: "run 'opzk prove --help'" });
    const system = oneOf<ProofSystem>('--system', values.system!, PROOF_SYSTEMS);
    const weights = oneOf<WeightMode>('--weights', values.weights!, WEIGHT_MODES);
    const relu = oneOf<ReluVariant>('--relu', values.relu!, RELU_VARIANTS);
    const builder = oneOf<CircuitBuilderChoice>('--builder', values.builder!, CIRCUIT_BUILDER_CHOICES);
    if (values['private-input'] && values.inputs !== undefined && values.inputs !== 'private')
      throw new UsageError(`prove: --private-input and --inputs ${values.inputs} contradict each other`, { hint: '--private-input is --inputs private' });
    if (values['no-code-size-limit'] && !values.onchain)
      throw new UsageError('prove: --no-code-size-limit is for --onchain (it lifts the limit on the local chain)', { hint: "run 'opzk prove --help'" });
    const chosenInputs = values['private-input'] ? 'private' : values.inputs === undefined ? undefined : oneOf<InputVisibility>('--inputs', values.inputs, INPUT_VISIBILITIES);

    const requested = resolveModelSettings(positionals[0]!, values['scale-bits'], values['value-bits']);
    const floatInputs = loadCliInputs(requested, values.input ?? []);
    const modelSettings = await applyAutoScale(requested, values.input ?? [], floatInputs);
    const model = quantizeModel({ file: modelSettings.resolved.file, name: modelSettings.resolved.name, scaleBits: modelSettings.scaleBits, valueBits: modelSettings.valueBits, runInputs: floatInputs });
    const inputs = quantizeInputs({ model, inputs: floatInputs });
    const choice = chooseInputMode({ model, weights });
    const inputVisibility: InputVisibility = chosenInputs ?? choice.mode;
    const inputMode = chosenInputs
      ? { mode: inputVisibility, chosenBy: values['private-input'] ? '--private-input' : '--inputs', reason: `given on the command line (the default would be ${choice.mode}: ${choice.reason})` }
      : { mode: inputVisibility, chosenBy: 'default', reason: choice.reason };
    // Phases on stderr (stdout stays the result): a status line on a TTY, plain lines in CI/pipes.
    // No time estimate: one proof's steps differ by orders of magnitude (setup vs prove), and a
    // cached compile or setup takes no time at all.
    const progress = createProgress({ suite: 'prove', totalWeight: 1, itemCount: 1 });
    progress.startItem({ label: `${modelSettings.resolved.name} (${system}, inputs ${inputVisibility})`, weight: 1 });
    let result: Awaited<ReturnType<typeof proveInference>>;
    try {
      result = await proveInference({
        model, inputs, settings: { weights, relu, inputs: inputVisibility }, system, ptauFile: values.ptau, builder,
        onPhase: ({ step, detail }) => progress.phase(`${step} (${detail})`),
      });
      if (values.onchain) progress.phase(`on-chain (anvil: deploy the verifier and registry${inputVisibility === 'hashed' ? ', post the input' : ''}, submit)`);
    } catch (error) {
      progress.finish();
      throw error;
    }

    let onchain: Record<string, unknown> | undefined;
    if (values.onchain) {
      const { verifyOnChain } = await import('../../zk/onchain/verifyOnChain.ts');
      const hashed = result.weightsCommitment !== undefined;
      let chain: Awaited<ReturnType<typeof verifyOnChain>>;
      try {
        chain = await verifyOnChain({
          system,
          zkeyFile: result.zkeyFile,
          proof: result.proof,
          publicSignals: result.publicSignals,
          inputs: result.layout,
          committedInput: result.inputCommitment,
          codeSizeLimit: !values['no-code-size-limit'],
          ...(hashed
            ? { modelCommitment: `0x${BigInt(result.weightsCommitment!).toString(16).padStart(64, '0')}` as `0x${string}`, commitmentSignalIndex: result.publicSignals.length - 1 }
            : {}),
        });
      } finally {
        progress.finish();
      }
      onchain = { ...chain };
      if (!chain.accepted)
        throw new VerificationError(`prove: the on-chain registry rejected the proof (${chain.rejectedWith ?? 'no reason'})`, { details: { system }, hint: 'see the chain helper\'s verifyOnChain' });
    }

    if (!values.onchain) progress.finish();
    const outputs = result.outputs.map((o) => ({ name: o.name, dims: o.dims, data: dequantize({ data: o.data, scaleBits: model.scaleBits }), raw: o.data }));
    const report = {
      system,
      builder: result.builder,
      ...(result.builderNote ? { builderNote: result.builderNote } : {}),
      model: modelSettings.resolved.name,
      settings: { ...result.settings, scaleBits: model.scaleBits, valueBits: model.valueBits },
      inputMode,
      constraints: result.circuit.constraints,
      linearConstraints: result.circuit.linearConstraints,
      nonLinearConstraints: result.circuit.nonLinearConstraints,
      wires: result.circuit.wires,
      publicSignals: result.publicSignals.length,
      publicInputs: result.circuit.publicInputs,
      publicOutputs: result.circuit.publicOutputs,
      compileMs: result.circuit.compileMs,
      compileCached: result.circuit.compileCached,
      witnessMs: result.witnessMs,
      witnessWarmMs: result.witnessWarmMs,
      setupMs: result.setupMs,
      setupCached: result.setupCached,
      proveMs: result.proveMs,
      verifyMs: result.verifyMs,
      proofBytes: result.proofBytes,
      zkeyBytes: result.zkeyBytes,
      peakRssBytes: result.peakRssBytes,
      verified: result.verified,
      outputs,
      weightsCommitment: result.weightsCommitment,
      commitment: result.layout.commitment,
      inputCommitment: result.layout.inputCommitment && result.inputCommitment
        ? { ...result.layout.inputCommitment, commitment: result.inputCommitment.commitment, packedWords: result.inputCommitment.words }
        : undefined,
      ptau: { source: result.ptau.source, power: result.ptau.power, insecure: result.ptau.insecure, file: result.ptau.file },
      trustedSetup: result.trustedSetup,
      ...(onchain ? { onchain } : {}),
    };
    if (values.json) {
      console.log(JSON.stringify(report, jsonReplacer));
      return 0;
    }
    const ms = (value: number | undefined, cached?: boolean) => (cached ? 'cached' : `${(value ?? 0).toFixed(0)} ms`);
    console.log(`${report.model}: ${system} proof, weights=${weights}, relu=${relu}, inputs=${inputVisibility} (scaleBits=${model.scaleBits}, valueBits=${model.valueBits})`);
    console.log(`  inputs ${inputVisibility} (${inputMode.chosenBy === 'default' ? 'default' : inputMode.chosenBy}): ${inputMode.reason}`);
    console.log(`  constraints ${report.constraints} (non-linear ${report.nonLinearConstraints}), public signals ${report.publicSignals}`);
    console.log(`  R1CS by ${report.builder}${result.builderNote ? ` (${result.builderNote})` : ''}`);
    console.log(`  ${report.builder === 'circom' ? 'compile' : 'build'} ${ms(report.compileMs, report.compileCached)}, witness ${ms(report.witnessMs)} cold / ${ms(report.witnessWarmMs)} warm, setup ${ms(report.setupMs, report.setupCached)}, prove ${ms(report.proveMs)}, verify ${ms(report.verifyMs)}`);
    console.log(`  proof ${report.proofBytes} bytes, zkey ${report.zkeyBytes} bytes, peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB, verified ${report.verified}`);
    console.log(`  ptau: power ${report.ptau.power}, ${report.ptau.source}${report.ptau.insecure ? ' (INSECURE: toxic waste known)' : ''}`);
    console.log(`  setup: ${report.trustedSetup}`);
    if (report.weightsCommitment && report.commitment)
      console.log(`  weights commitment (Poseidon chain over ${report.commitment.elements} weights, ${report.commitment.chunks} × Poseidon(16), ${report.commitment.constraints} of the constraints): ${report.weightsCommitment}`);
    if (report.inputCommitment)
      console.log(`  input commitment (${report.inputCommitment.elements} elements range-checked, packed into ${report.inputCommitment.words} word${report.inputCommitment.words === 1 ? "" : "s"}, ${report.inputCommitment.chunks} × Poseidon(16), ${report.inputCommitment.constraints} of the constraints): ${report.inputCommitment.commitment}`);
    for (const o of outputs) {
      console.log(`  ${o.name} [${o.dims}] = [${o.data.map((x) => +x.toFixed(6)).join(', ')}]`);
      console.log(`  ${o.name} raw integers = [${o.raw.join(', ')}]`);
    }
    if (onchain) {
      const request = onchain.request as { gasUsed: bigint; calldataBytes: number } | undefined;
      const codeBytes = onchain.codeBytes as { verifier: number };
      console.log(`  on-chain (${String(onchain.registry)}): accepted ${String(onchain.accepted)}, submit gas ${String(onchain.verifyGas)}, calldata ${String(onchain.calldataBytes)} bytes` +
        (request ? `; input posted by requestInference: ${request.gasUsed} gas, ${request.calldataBytes} bytes of calldata` : ''));
      console.log(`  verifier ${codeBytes.verifier} bytes of code; code size limit (EIP-170/3860) ${onchain.codeSizeLimitLifted ? 'LIFTED (--no-code-size-limit): ' + (onchain.exceedsCodeSizeLimit ? 'mainnet would refuse this verifier' : 'it would fit anyway') : 'enforced, as on mainnet'}`);
    }
    return 0;
  },
};
