import type { CliCommand } from './command.js';
import { convertCommand } from './convert.js';
import { inspectCommand } from './inspect.js';

/** Every registered subcommand. Add a command: write `commands/<name>.ts`, list it here. */
export const commands: CliCommand[] = [convertCommand, inspectCommand];
