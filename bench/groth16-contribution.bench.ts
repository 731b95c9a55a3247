/**
 * What the Groth16 phase-2 contribution adds to setupCircuit (issue 9; not a test): for each model
 * named, the circuit (constant weights, bounded ReLU), the local ptau, then setupCircuit with
 * `force` three times, printing one JSON line per run: setupMs (zkey new + contribute + vkey
 * export), contributeMs (the contribution alone), zkeyBytes and the load average.
 *
 * Run: `npx tsx bench/groth16-contribution.bench.ts linreg mnist-mlp-196-24-10 mnist-mlp-784-56-10`
 */
import { loadavg } from 'node:os';
import { loadBenchModel } from '../src/bench/table2/loadBenchModel.ts';
import { compileCircuit } from '../src/zk/compileCircuit.ts';
import { generateCircuit } from '../src/zk/generateCircuit.ts';
import { choosePower } from '../src/zk/setup/choosePower.ts';
import { ensurePtau } from '../src/zk/setup/ensurePtau.ts';
import { setupCircuit } from '../src/zk/setupCircuit.ts';

for (const name of process.argv.slice(2)) {
  const loaded = await loadBenchModel({ model: name });
  const generated = await generateCircuit({ model: loaded.model, settings: { weights: 'constant', relu: 'bounded' } });
  const compiled = await compileCircuit({ circuitFile: generated.circuitFile });
  const needed = await choosePower({ system: 'groth16', r1csFile: compiled.r1csFile });
  const ptau = await ensurePtau({ power: needed.power });
  for (let run = 0; run < 3; run++) {
    const setup = await setupCircuit({ system: 'groth16', r1csFile: compiled.r1csFile, ptauFile: ptau.file, force: true });
    console.log(JSON.stringify({
      model: name, constraints: compiled.constraints, power: needed.power,
      setupMs: Math.round(setup.setupMs), contributeMs: Math.round(setup.contributeMs), zkeyBytes: setup.zkeyBytes, loadAverage1m: loadavg()[0],
    }));
  }
}
