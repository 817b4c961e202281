import { join } from 'node:path';
import { println } from '../io.js';
import { isEvalDir, writeEvalReport } from '../report/eval-page.js';
import { writeRunReport } from '../report/write-report.js';
import type { CliCommand } from './command.js';

export const reportCommand: CliCommand = {
  register(program, io) {
    program
      .command('report')
      .description(
        'write a static HTML report of a run: funnel, quality, reward model, RL groups, task browser; of an `autotraj eval` directory: accuracy, tool use, comparison (--compare), question browser',
      )
      .argument('<run-dir>', 'a run directory (synthesis, reward-model and rl outputs)')
      .option('--out <file>', 'where to write the page (default: <run-dir>/report.html)')
      .option(
        '--compare <eval-dir>',
        'for an `autotraj eval` directory: another evaluation to show beside it (repeatable)',
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .action(async (runDir: string, options: { out?: string; compare?: string[] }) => {
        // An `autotraj eval` directory gets the evaluation page.
        if (isEvalDir(runDir)) {
          const path = await writeEvalReport(
            [runDir, ...(options.compare ?? [])],
            options.out ?? join(runDir, 'report.html'),
          );
          println(io.stdout, `report: ${path}`);
          return;
        }
        const report = await writeRunReport(runDir, options.out);
        for (const message of report.skipped) println(io.stderr, `skipped: ${message}`);
        println(io.stdout, `report: ${report.path}`);
      });
  },
};
