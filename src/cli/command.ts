/** The shape of one `opzk` command; see src/cli/main.ts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { suggestName } from './suggestName.ts';

export interface CliCommand {
  /** One line for `opzk --help`. */
  summary: string;
  /** The full `--help` text, or a function that builds it (when it must load modules to list options). */
  help: string | (() => Promise<string>);
  /** Runs the command; resolves to the exit code. Throws BaseError subclasses on failure. */
  run(argv: string[]): Promise<number>;
}

/**
 * node:util parseArgs, with its errors turned into one-line UsageErrors that name the command and,
 * for an unknown option, the closest known one ("did you mean '--backend'?").
 */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  commandName: string,
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const help = `(opzk ${commandName} --help lists the options)`;
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = /'([^']+)'/.exec(message)?.[1] ?? '';
      const known = Object.entries((options ?? {}) as Record<string, { short?: string }>).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
      const suggestion = suggestName({ name: typed.split('=')[0]!, candidates: known });
      throw new UsageError(`${commandName}: unknown option '${typed}'${suggestion ? `; did you mean '${suggestion}'?` : ''} ${help}`, {
        details: { option: typed, suggestion },
      });
    }
    // parseArgs' own text, up to its first sentence (the rest suggests '--' with an unbalanced quote).
    throw new UsageError(`${commandName}: ${message.split('. ')[0]!.replace(/\.$/, '')} ${help}`, { details: { code } });
  }
}
