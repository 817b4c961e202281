import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { println } from '../io.js';
import { gatherReportData } from '../report/gather.js';
import { renderReportHtml } from '../report/render-html.js';
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
        if (!existsSync(runDir))
          throw new CliError({ message: `${runDir}: no such run directory` });
        const data = await gatherReportData(resolve(runDir));
        if (data.funnel.every((s) => s.value === 0) && data.rl === null) {
          throw new CliError({
            message: `${runDir}: no run artefacts found (candidates.jsonl, sft.jsonl, pairs.jsonl, rollouts.jsonl)`,
          });
        }
        const out = options.out ?? join(runDir, 'report.html');
        await writeFile(out, renderReportHtml(data));
        for (const u of data.unreadable) println(io.stderr, `skipped: ${u.message}`);
        println(io.stdout, `report: ${out}`);
      });
  },
};
