/** The shape of one `opzk` command; see src/cli/main.ts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

export interface CliCommand {
  /** One line for `opzk --help`. */
  summary: string;
  /** The full `--help` text, or a function that builds it (when it must load modules to list options). */
  help: string | (() => Promise<string>);
  /** Runs the command; resolves to the exit code. Throws BaseError subclasses on failure. */
  run(argv: string[]): Promise<number>;
}

/** node:util parseArgs, with unknown options turned into a UsageError that names the command. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  commandName: string,
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${commandName}: ${(error as Error).message}`, {
      hint: `run 'opzk ${commandName} --help' for the options`,
      cause: error,
    });
  }
}
