import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    const report = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return Array.isArray(report.losses) && typeof report.method === 'string';
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
  const [inSft, top, inRm] = ['sft', '', 'reward-model'].map((folder) => {
    const path = join(runDir, folder, 'training-report.json');
    return existsSync(path) ? { path, sft: isSftReport(path) } : null;
  });
  const sftReport = [inSft, top].find((r) => r?.sft === true)?.path;
  const rmReport = [top, inRm].find((r) => r?.sft === false)?.path;
  return {
    candidates: find(runDir, 'candidates.jsonl', ['synthesis']),
    sft: find(runDir, 'sft.jsonl', ['synthesis']),
    pairs: find(runDir, 'pairs.jsonl', ['synthesis']),
    hard: find(runDir, 'hard.jsonl', ['synthesis']),
    dropped: find(runDir, 'dropped.jsonl', ['synthesis']),
    manifest: find(runDir, 'manifest.json', ['synthesis']),
    rewardModel: find(runDir, 'model.onnx', ['reward-model']),
    trainingReport: rmReport ?? null,
    rollouts: find(runDir, 'rollouts.jsonl', ['rl']),
    summary: find(runDir, 'run-summary.json', []),
    sftTrainingReport: sftReport ?? null,
    grpoReport: find(runDir, 'grpo-report.json', ['grpo']),
  };
}
