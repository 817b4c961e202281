import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** One `autotraj` subcommand; each lives in its own file under `commands/`. */
export interface CliCommand {
  register(program: Command, io: CliIo): void;
}
