/**
 * The gkr prover on ONNX models made by others (../shared/fixtures/ezkl: ezkl's examples, each with
 * its input.json): every fixture the engine runs is proved, verified, and its outputs are the
 * engine's integer for integer; a fixture the prover does not support fails with the usual clear
 * error. CI lays shared/ beside the clone; a missing folder fails the test instead of skipping it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCliInputs, resolveModelSettings } from '../src/cli/commands/infer.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { proveGkrInference } from '../src/zk/proveGkrInference.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'ezkl');

describe('gkr on the shared ezkl fixtures', () => {
  it('proves every fixture the engine runs, bit-identical with the engine; refuses the rest by name', async () => {
    expect(existsSync(FIXTURES), `${FIXTURES}: the shared fixtures are missing (CI copies shared/ beside the clone)`).toBe(true);
    const outcome: Record<string, string> = {};
    for (const name of readdirSync(FIXTURES).sort()) {
      const dir = join(FIXTURES, name);
      const settings = resolveModelSettings(join(dir, 'network.onnx'));
      let model;
      let inputs;
      try {
        model = quantizeModel({ file: settings.resolved.file, name, scaleBits: settings.scaleBits, valueBits: settings.valueBits });
        inputs = quantizeInputs({ model, inputs: loadCliInputs(settings, [join(dir, 'input.json')]) });
        runEngine({ model, inputs });
      } catch (error) {
        outcome[name] = `engine: ${(error as Error).name}`;
        continue;
      }
      try {
        const result = await proveGkrInference({ model, inputs });
        expect(result.verified, name).toBe(true);
        expect(result.outputs.map((o) => Array.from(o.data, Number)), name).toEqual(runEngine({ model, inputs }).outputs.map((o) => o.data));
        outcome[name] = 'proved';
      } catch (error) {
        expect((error as Error).name, `${name}: ${(error as Error).message}`).toBe('UnsupportedModelError');
        expect((error as Error).message, name).toMatch(/layer|op/);
        outcome[name] = `gkr: ${(error as Error).name}`;
      }
    }
    // A reshape into a model output is the one refusal left (src/gkr: outputs are committed tables,
    // and a re-indexed output has none of its own): named, with the layer, by UnsupportedModelError.
    expect(outcome).toEqual({
      '1l_flatten': 'gkr: UnsupportedModelError',
      '1l_mlp': 'proved',
      '1l_relu': 'proved',
      '1l_reshape': 'gkr: UnsupportedModelError',
      '2l_relu_fc': 'proved',
      '2l_relu_small': 'proved',
      '4l_relu_conv_fc': 'proved',
      linear_regression: 'proved',
      sklearn_mlp: 'gkr: UnsupportedModelError',
    });
  }, 120_000);
});
