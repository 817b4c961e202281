import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { gatherReportData } from './gather.js';
import { renderReportHtml } from './render-html.js';

/** Gather a run directory's artefacts and write the static HTML report; returns what was skipped. */
export async function writeRunReport(
  runDir: string,
  out: string = join(runDir, 'report.html'),
): Promise<{ path: string; skipped: string[] }> {
  if (!existsSync(runDir)) throw new CliError({ message: `${runDir}: no such run directory` });
  const data = await gatherReportData(resolve(runDir));
  if (
    data.funnel.every((s) => s.value === 0) &&
    data.rl === null &&
    data.sftTraining == null &&
    data.grpo == null
  ) {
    throw new CliError({
      message: `${runDir}: no run artefacts found (candidates.jsonl, sft.jsonl, pairs.jsonl, rollouts.jsonl, train-sft's training-report.json)`,
    });
  }
  await writeFile(out, renderReportHtml(data));
  return { path: out, skipped: data.unreadable.map((u) => u.message) };
}
