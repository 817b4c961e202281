import { demoFixtures } from '@autotraj/repairer';

/**
 * The CLI's candidates per task (`synthesize`, `run`): the demo cassette's 4, not the paper's
 * 2 (`RUN_DEFAULTS.n`), so the offline default run replays every candidate the cassette holds
 * and the demo has enough preference pairs to train a reward model on.
 */
export const CLI_CANDIDATES: number = demoFixtures.n;
