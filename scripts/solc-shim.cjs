#!/usr/bin/env node
/*
 * A `solc` executable for Foundry, backed by solc-js (the npm `solc` package): forge runs offline
 * and never downloads a native compiler. It answers the two things forge asks of a compiler:
 *   solc --version                 → the version banner forge parses
 *   solc --standard-json [flags]   → standard-JSON in on stdin, standard-JSON out on stdout
 * Other flags forge passes (--allow-paths, --base-path, --include-path) only matter for imports
 * that are not already in the input; those are read from disk relative to the base/include paths.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require(require.resolve('solc', { paths: [path.join(__dirname, '..')] }));

const argv = process.argv.slice(2);
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!argv.includes('--standard-json')) {
  process.stderr.write(`solc-shim: only --version and --standard-json are supported (got: ${argv.join(' ')})\n`);
  process.exit(2);
}
const roots = [process.cwd()];
for (const flag of ['--base-path', '--include-path', '--allow-paths']) {
  argv.forEach((arg, index) => {
    if (arg === flag && argv[index + 1]) roots.push(...argv[index + 1].split(','));
  });
}
const findImports = (importPath) => {
  for (const root of roots) {
    const candidate = path.isAbsolute(importPath) ? importPath : path.join(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: `solc-shim: file not found: ${importPath}` };
};
const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
