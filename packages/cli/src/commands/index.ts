import type { CliCommand } from './command.js';
import { convertCommand } from './convert.js';
import { compareCommand, evalCommand } from './eval.js';
import { checkAnswersCommand, evaluateCommand } from './evaluator-commands.js';
import { execCommand } from './exec.js';
import { inspectCommand } from './inspect.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { scoreCommand, trainRmCommand } from './reward-model-commands.js';
import { rewardCommand, rolloutCommand, serveCommand } from './rl-commands.js';
import { runCommand } from './run.js';
import { searchCommand } from './search.js';
import { synthesizeCommand } from './synthesize.js';
import { trainSftCommand } from './train-sft.js';

/** Every registered subcommand. Add a command: write `commands/<name>.ts`, list it here. */
export const commands: CliCommand[] = [
  convertCommand,
  inspectCommand,
  serveCommand,
  rolloutCommand,
  rewardCommand,
  trainRmCommand,
  trainSftCommand,
  scoreCommand,
  execCommand,
  searchCommand,
  checkAnswersCommand,
  evaluateCommand,
  synthesizeCommand,
  evalCommand,
  compareCommand,
  mergeCommand,
  reportCommand,
  runCommand,
];
