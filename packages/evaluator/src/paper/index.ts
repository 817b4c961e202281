// The paper's released scoring code (GSYY0607/AutoTraj_code @ d8a847d) ported function by
// function, quirks included: what the `paper` preset of `createEvaluator` is built from. Import
// it as `@autotraj/evaluator/paper` to score, select or accept exactly as the paper's scripts do.
export { paperAcceptRepair } from '../evaluate/paper-mode.js';
export {
  type PaperRepairAcceptance,
  paperAcceptCorrectAnswerRepair,
  paperAcceptWrongAnswerRepair,
  paperRepairAnswerCorrect,
} from './accept.js';
export {
  type PaperTaskType,
  paperBoxedAnswer,
  paperCleanLatex,
  paperCoreAnswer,
  paperIsCorrect,
  paperIsMathCorrect,
  paperIsQaCorrect,
  paperLastAnswerBlock,
  paperNormalizeRewardAnswer,
  paperNormalizeSelectionAnswer,
  paperNumbers,
  paperSelectionQaF1,
  tokenListF1,
} from './correctness.js';
export {
  type PaperScoreParts,
  paperConfidence,
  paperLength,
  paperLengthOf,
  paperRepeatedTrigrams,
  paperRepetition,
  paperRepetitionOf,
  paperScore,
  paperScoreParts,
  paperUncertaintyWord,
  paperWordCount,
} from './quality.js';
export {
  type PaperDecision,
  type PaperItemScore,
  type PaperPipelineEntry,
  paperClassify,
  paperPipeline,
  paperSelectItem,
} from './selection.js';
