/**
 * The `opzk` command line: dispatches to one module per command in `./commands/`.
 * Each command module exports `command: CliCommand`. Errors are printed on stderr (message and
 * hint, no stack unless OPZK_DEBUG=1); the exit status is 1 for a failure, 2 for a usage error
 * (UsageError), 130/143 when interrupted by SIGINT/SIGTERM (see bin/opzk.js).
 */
import { BaseError, UsageError } from '../errors.ts';
import type { CliCommand } from './command.ts';
import { suggestName } from './suggestName.ts';

/** A bad file, a failed tool, a rejected proof: the first line of stderr names the file, field or value. */
const EXIT_FAILURE = 1;
/** A bad command line (unknown command or option, bad option value, surplus --input): a UsageError. */
const EXIT_USAGE = 2;

const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  models: () => import('./commands/models.ts'),
  infer: () => import('./commands/infer.ts'),
  calibrate: () => import('./commands/calibrate.ts'),
  compare: () => import('./commands/compare.ts'),
  prove: () => import('./commands/prove.ts'),
  dispute: () => import('./commands/dispute.ts'),
  bench: () => import('./commands/bench.ts'),
  report: () => import('./commands/report.ts'),
  merge: () => import('./commands/merge.ts'),
};

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  const load = commands[name];
  if (!load) return undefined;
  try {
    return (await load()).command;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`commands/${name}.ts`))
      return undefined;
    throw error;
  }
}

async function usage(): Promise<string> {
  const lines = ['Usage: opzk <command> [options]   (opzk <command> --help for details)', '', 'Commands:'];
  for (const name of Object.keys(commands)) {
    const command = await loadCommand(name);
    if (command) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return 0;
  }
  if (!name) {
    console.error(await usage());
    return EXIT_USAGE;
  }
  const command = await loadCommand(name);
  if (!command) {
    const suggestion = suggestName({ name, candidates: Object.keys(commands) });
    console.error(`opzk: unknown command '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}\n\n${await usage()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(typeof command.help === 'function' ? await command.help() : command.help);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (process.env.OPZK_DEBUG === '1') console.error(error);
    else if (error instanceof BaseError) console.error(`opzk: ${error.message}`);
    else console.error(`opzk: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE);
  },
);
