/**
 * The `opzk` command line: dispatches to one module per command in `./commands/`.
 * Each command module exports `command: CliCommand`. Errors are printed on stderr (message and
 * hint, no stack unless OPZK_DEBUG=1) and the process exits non-zero.
 */
import { BaseError } from '../errors.ts';
import type { CliCommand } from './command.ts';

const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  models: () => import('./commands/models.ts'),
  infer: () => import('./commands/infer.ts'),
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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 1;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`opzk: unknown command '${name}'\n\n${await usage()}`);
    return 2;
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
    process.exit(1);
  },
);
