import { existsSync } from 'node:fs';
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
}

function find(runDir: string, name: string, folders: string[]): string | null {
  for (const folder of ['', ...folders]) {
    const path = join(runDir, folder, name);
    if (existsSync(path)) return path;
  }
  return null;
}

export function locateRunFiles(runDir: string): RunFiles {
  return {
    candidates: find(runDir, 'candidates.jsonl', ['synthesis']),
    sft: find(runDir, 'sft.jsonl', ['synthesis']),
    pairs: find(runDir, 'pairs.jsonl', ['synthesis']),
    hard: find(runDir, 'hard.jsonl', ['synthesis']),
    dropped: find(runDir, 'dropped.jsonl', ['synthesis']),
    manifest: find(runDir, 'manifest.json', ['synthesis']),
    rewardModel: find(runDir, 'model.onnx', ['reward-model']),
    trainingReport: find(runDir, 'training-report.json', ['reward-model']),
    rollouts: find(runDir, 'rollouts.jsonl', ['rl']),
    summary: find(runDir, 'run-summary.json', []),
  };
}
