import { println } from '../io.js';
import { writeRunReport } from '../report/write-report.js';
import type { CliCommand } from './command.js';

export const reportCommand: CliCommand = {
  register(program, io) {
    program
      .command('report')
      .description(
        'write a static HTML report of a run: funnel, quality, reward model, RL groups, task browser',
      )
      .argument('<run-dir>', 'a run directory (synthesis, reward-model and rl outputs)')
      .option('--out <file>', 'where to write the page (default: <run-dir>/report.html)')
      .action(async (runDir: string, options: { out?: string }) => {
        const report = await writeRunReport(runDir, options.out);
        for (const message of report.skipped) println(io.stderr, `skipped: ${message}`);
        println(io.stdout, `report: ${report.path}`);
      });
  },
};
