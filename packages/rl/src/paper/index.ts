// Tool-Star's `re_search.compute_score` (the paper's RL reward) ported function by function,
// quirks included, and the pieces the `paper` reward preset is built from. Import it as
// `@autotraj/rl/paper` to score exactly as the paper's trainer does.
export {
  PAPER_ASSISTANT_MARK,
  PAPER_EOS,
  type PaperAnswerProblem,
  type PaperComputeScore,
  paperComputeScore,
  paperFirstAnswer,
  paperLastBoxed,
  paperRemoveBoxed,
  paperResponseOfBare,
  paperResponseOfSolution,
  paperRewardAnswer,
  paperRewardF1,
} from '../reward/paper/compute-score.js';
export { paperAnswerOf, paperFormatCheck, paperOutcome } from '../reward/paper-reward.js';
