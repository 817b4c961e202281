/**
 * The defaults every long run shares, in one place: the library functions (generation,
 * evaluation, repair, synthesis, rollouts, evaluation runs) and the CLI read them from here
 * instead of restating a literal, so a default cannot mean one thing in one package and
 * another elsewhere. Each field says whether it is the paper's setting (arXiv 2601.23032, as
 * its code runs) or the project's choice where the paper names none.
 */
export const RUN_DEFAULTS = Object.freeze({
  /** The paper's tool budget: at most 3 tool calls per trajectory (a format rule it checks). */
  maxToolCalls: 3,
  /** The paper's N: candidates sampled per question. */
  n: 2,
  /** The paper's candidate sampling temperature. */
  temperature: 0.3,
  /** The paper's repairs are greedy. */
  repairTemperature: 0,
  /** The paper's RL group size G (GRPO). */
  groupSize: 4,
  /** The paper's advantage estimator. */
  advantageEstimator: 'grpo',
  /** The paper's own code's selection, quality and reward rules (`paper` preset). */
  preset: 'paper',
  /** The project's: the paper's tag format (`<think>`, `<code>`, `<result>`, `<answer>`). */
  protocol: 'text-tags',
  /** The project's run seed: sample i of a task is drawn with `sampleSeed({ runSeed, taskId, index: i })`. */
  seed: 0,
  /** The project's: trajectories generated at once across a run's tasks (synthesis, rollouts). */
  concurrency: 8,
  /**
   * The project's: the admission gate before a record is written (synthesis) or trained on
   * (SFT, reward models) refuses what is not well-formed; `none` admits everything.
   */
  admission: 'well-formed',
  /** The project's: a repair regenerates the trajectory (the paper's), one attempt. */
  repairStrategy: 'regenerate',
  repairAttempts: 1,
  /**
   * The project's for a rollout run of its own (`autotraj rollout`): the policy's own
   * distribution, temperature 1, as RL samples it. A whole run (`autotraj run`) samples its
   * rollouts at the candidate temperature instead, so a cassette answers both stages.
   */
  rolloutTemperature: 1,
  /**
   * Benchmark evaluation (`runEval`, `autotraj eval`): one greedy sample per question, as
   * benchmark scores are reported, 4 samples generated at once.
   */
  eval: Object.freeze({ n: 1, temperature: 0, seed: 0, concurrency: 4 }),
} as const);

export type RunDefaults = typeof RUN_DEFAULTS;
