// The zoo is reproducible: rebuilding the fast models from their specs (seeds) gives ONNX bytes
// whose sha256 is the one committed in models/zoo.json — the small trained MLP included (~5 s).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildZooNetwork } from '../src/zoo/buildZooNetwork.ts';
import { readZoo } from '../src/zoo/readZoo.ts';
import { writeOnnx } from '../src/zoo/writeOnnx.ts';
import { ZOO_SPECS } from '../src/zoo/zooSpecs.ts';

const zoo = readZoo();
const fast = ['linreg', 'mlp-w8', 'mlp-w64', 'mnist-mlp-196-24-10'];

describe('npm run models is reproducible', () => {
  it.each(fast)('%s rebuilds to the committed sha256', (name) => {
    const spec = ZOO_SPECS.find((candidate) => candidate.name === name)!;
    const { network, training } = buildZooNetwork({ spec });
    const { bytes } = writeOnnx({ network, name: spec.name, description: spec.description });
    const committed = zoo.models.find((model) => model.name === name)!;
    // Trained weights go through Math.exp/Math.log: bit-exact on the Node version in zoo.json.
    expect(createHash('sha256').update(bytes).digest('hex'), `built on ${zoo.node}, now ${process.version}`).toBe(committed.sha256);
    expect(training).toEqual(committed.training);
  });
});
