import type { Trajectory } from '@autotraj/trajectory';

/** One trajectory to reward, with what the outcome and format terms need. */
export interface RewardItem {
  trajectory: Trajectory;
  /** The question; defaults to `trajectory.question`. Sent to the RM with the trajectory. */
  question?: string | undefined;
  /** Accepted answers (several for QA aliases); empty when unknown. */
  goldAnswers?: ReadonlyArray<string>;
  /** verl's `data_source` (`gsm8k`, `hotpotqa`, ...), which picks the outcome function. */
  dataSource?: string | undefined;
  /** The raw text the policy wrote, when there is one: the format check reads it verbatim. */
  text?: string;
  /** The RM score, when already known (e.g. from a file): used instead of calling the RM. */
  trajectoryModelScore?: number;
}

/** Outcome of one trajectory, usually in [0, 1] (correctness for math, answer F1 for QA). */
export type OutcomeFn = (item: RewardItem) => number | Promise<number>;

export interface FormatResult {
  ok: boolean;
  violations: ReadonlyArray<unknown>;
}

/** Checks a rendered trajectory against the format rules (the paper's: `checkPaperFormat`). */
export type FormatCheck = (text: string, item: RewardItem) => FormatResult;
