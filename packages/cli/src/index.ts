export { CliError } from './cli-error.js';
export type { CliCommand } from './commands/command.js';
export { type CliIo, formatTable, processIo } from './io.js';
export { createProgram, runCli } from './program.js';
