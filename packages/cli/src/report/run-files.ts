import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, RUN_STAGE_DIRS } from '@autotraj/trajectory';
import { isSftTrainingReport } from '@autotraj/trajectory/internal';

/**
 * Where a run directory keeps each artefact. Files may sit at the top of the run directory or in
 * the stage folders the demo uses (`synthesis/`, `reward-model/`, `rl/`).
 */
export interface RunFiles {
  candidates: string | null;
  sft: string | null;
  pairs: string | null;
  hard: string | null;
  /** What the admission gate kept out of the SFT set and pairs, with reasons. */
  dropped: string | null;
  manifest: string | null;
  rewardModel: string | null;
  trainingReport: string | null;
  rollouts: string | null;
  /** `run-summary.json` from `autotraj run`: how each stage ended. */
  summary: string | null;
  /** `autotraj train-sft`'s report (in `sft/`, or the top of a train-sft output directory). */
  sftTrainingReport: string | null;
  /** A GRPO run's reward per step (`./dev experiment grpo`), at the top or in `grpo/`. */
  grpoReport: string | null;
}

/** Whether a `training-report.json` is train-sft's (it records the method and a loss curve). */
function isSftReport(path: string): boolean {
  try {
    return isSftTrainingReport(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return false;
  }
}

function find(runDir: string, name: string, folders: string[]): string | null {
  for (const folder of ['', ...folders]) {
    const path = join(runDir, folder, name);
    if (existsSync(path)) return path;
  }
  return null;
}

export function locateRunFiles(runDir: string): RunFiles {
  // train-sft's report and the reward model's share a name: each file is read once to tell them
  // apart. train-sft's is looked for in sft/ first, the reward model's at the top first.
  const [inSft, top, inRm] = ['sft', '', RUN_STAGE_DIRS.rewardModel].map((folder) => {
    const path = join(runDir, folder, RUN_FILES.trainingReport);
    return existsSync(path) ? { path, sft: isSftReport(path) } : null;
  });
  const sftReport = [inSft, top].find((r) => r?.sft === true)?.path;
  const synthesis = RUN_STAGE_DIRS.synthesis;
  const rmReport = [top, inRm].find((r) => r?.sft === false)?.path;
  return {
    candidates: find(runDir, RUN_FILES.candidates, [synthesis]),
    sft: find(runDir, RUN_FILES.sft, [synthesis]),
    pairs: find(runDir, RUN_FILES.pairs, [synthesis]),
    hard: find(runDir, RUN_FILES.hard, [synthesis]),
    dropped: find(runDir, RUN_FILES.dropped, [synthesis]),
    manifest: find(runDir, RUN_FILES.manifest, [synthesis]),
    rewardModel: find(runDir, RUN_FILES.rewardModel, [RUN_STAGE_DIRS.rewardModel]),
    trainingReport: rmReport ?? null,
    rollouts: find(runDir, RUN_FILES.rollouts, [RUN_STAGE_DIRS.rl]),
    summary: find(runDir, RUN_FILES.runSummary, []),
    sftTrainingReport: sftReport ?? null,
    grpoReport: find(runDir, 'grpo-report.json', ['grpo']),
  };
}
