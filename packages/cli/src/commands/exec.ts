import { readFileSync } from 'node:fs';
import { calculate, createPythonPool, type PythonExecutionResult } from '@autotraj/tools';
import { CliError } from '../cli-error.js';
import { println } from '../io.js';
import { integerOption } from '../options.js';
import type { CliCommand } from './command.js';

/** `autotraj exec python FILE` and `autotraj exec calc "EXPR"`: run one tool call from the shell. */
export const execCommand: CliCommand = {
  register(program, io) {
    const exec = program
      .command('exec')
      .description('Run a tool once: Python in the sandbox, or the calculator.');
    exec
      .command('python')
      .description('Run a Python file in the sandboxed worker pool and print its typed result.')
      .argument('<file>', 'Python source file (- for stdin is not supported; pass a path)')
      .option(
        '--timeout-ms <n>',
        'wall-clock limit; the worker is killed past it',
        integerOption('--timeout-ms'),
        10_000,
      )
      .option(
        '--memory-mb <m>',
        'address-space limit (RLIMIT_AS)',
        integerOption('--memory-mb'),
        2048,
      )
      .option('--cpu-seconds <s>', 'CPU-time limit (RLIMIT_CPU)', integerOption('--cpu-seconds'))
      .option(
        '--max-output-bytes <n>',
        'stdout + stderr kept before truncation',
        integerOption('--max-output-bytes'),
      )
      .option('--json', 'print the full result as JSON')
      .option('--quiet', 'do not print the isolation summary to stderr')
      .action(
        async (
          file: string,
          options: {
            timeoutMs: number;
            memoryMb: number;
            cpuSeconds?: number;
            maxOutputBytes?: number;
            json?: boolean;
            quiet?: boolean;
          },
        ) => {
          let code: string;
          try {
            code = readFileSync(file, 'utf8');
          } catch (cause) {
            throw new CliError({
              message: `cannot read ${file}: ${(cause as Error).message}`,
              cause,
            });
          }
          const pool = createPythonPool({ size: 1 });
          let result: PythonExecutionResult;
          try {
            const isolation = await pool.isolation();
            if (!options.quiet) println(io.stderr, isolation.summary);
            result = await pool.run(code, {
              timeoutMs: options.timeoutMs,
              memoryMb: options.memoryMb,
              ...(options.cpuSeconds === undefined ? {} : { cpuSeconds: options.cpuSeconds }),
              ...(options.maxOutputBytes === undefined
                ? {}
                : { maxOutputBytes: options.maxOutputBytes }),
            });
          } finally {
            await pool.close();
          }
          if (options.json) {
            println(io.stdout, JSON.stringify(result));
          } else {
            io.stdout.write(result.stdout);
            io.stderr.write(result.stderr);
            if (result.error)
              io.stderr.write(
                result.error.traceback || `${result.error.type}: ${result.error.message}\n`,
              );
          }
          if (result.error) {
            throw new CliError({
              message: `${file}: ${result.error.type}: ${result.error.message}`,
              exitCode: 1,
            });
          }
        },
      );
    exec
      .command('calc')
      .description('Evaluate an arithmetic expression with the safe calculator.')
      .argument('<expression>', 'e.g. "48/2*(3+1)"')
      .option('--json', 'print the full result as JSON')
      .action((expression: string, options: { json?: boolean }) => {
        const result = calculate(expression);
        if (options.json) println(io.stdout, JSON.stringify(result));
        else if (result.ok) println(io.stdout, result.text);
        if (!result.ok)
          throw new CliError({
            message: `${result.error.type}: ${result.error.message}`,
            exitCode: 1,
          });
      });
  },
};
