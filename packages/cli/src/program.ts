import { readFileSync } from 'node:fs';
import { CassetteMissError } from '@autotraj/generation';
import { AutoTrajError, RunSettingsMismatchError } from '@autotraj/trajectory';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { commands } from './commands/index.js';
import { type CliIo, processIo, resolveCliIo } from './io.js';
import { withFlags } from './parameter-flags.js';
import { PipelineOptionsError } from './pipeline/pipeline-options-error.js';
import { settingsMismatchMessage } from './pipeline/run-settings.js';

/** This package's version, from its package.json (the same file in the source and the build). */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** The `autotraj` program with every command registered. */
export function createProgram(userIo: CliIo = processIo): Command {
  const io = resolveCliIo(userIo);
  const program = new Command('autotraj')
    .description(
      'Turn LLM tool-use trajectories into training signal: convert, inspect, evaluate, repair, score, train.',
    )
    .version(cliVersion(), '-V, --version', 'print the autotraj version')
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
      io.stderr.write(`autotraj: ${withFlags(error.message)}\n`);
      return error.exitCode;
    }
    // Options the user gave that cannot go together: a usage error, as a flag parser's is.
    if (PipelineOptionsError.isInstance(error)) {
      io.stderr.write(`autotraj: ${withFlags(error.message)}\n`);
      return 2;
    }
    if (CassetteMissError.isInstance(error)) {
      io.stderr.write(
        `autotraj: ${error.message}\nautotraj: to add the response, run the same command with a live --model and --record ${error.cassette}; or --replay the cassette this run was recorded with\n`,
      );
      return 1;
    }
    if (RunSettingsMismatchError.isInstance(error)) {
      io.stderr.write(`autotraj: ${settingsMismatchMessage(error)}\n`);
      return 1;
    }
    if (AutoTrajError.isInstance(error)) {
      io.stderr.write(`autotraj: ${withFlags(error.message)}\n`);
      return 1;
    }
    throw error;
  }
}
