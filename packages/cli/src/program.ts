import { AutoTrajError } from '@autotraj/trajectory';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { commands } from './commands/index.js';
import { type CliIo, processIo, resolveCliIo } from './io.js';

/** The `autotraj` program with every command registered. */
export function createProgram(userIo: CliIo = processIo): Command {
  const io = resolveCliIo(userIo);
  const program = new Command('autotraj')
    .description(
      'Turn LLM tool-use trajectories into training signal: convert, inspect, evaluate, repair, score, train.',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const command of commands) command.register(program, io);
  return program;
}

/** Run the CLI; resolves to the process exit code (never calls `process.exit`). */
export async function runCli(argv: ReadonlyArray<string>, io: CliIo = processIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (CliError.isInstance(error)) {
      io.stderr.write(`autotraj: ${error.message}\n`);
      return error.exitCode;
    }
    if (AutoTrajError.isInstance(error)) {
      io.stderr.write(`autotraj: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
