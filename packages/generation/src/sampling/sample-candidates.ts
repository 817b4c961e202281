import {
  RUN_DEFAULTS,
  type Sampling,
  sampleSeed,
  type Task,
  type Trajectory,
} from '@autotraj/trajectory';
import { generateTrajectory } from '../loop/generate-trajectory.js';
import type { GenerateTrajectoryOptions } from '../loop/types.js';
import type { Limiter } from './limiter.js';

export interface SampleCandidatesOptions
  extends Omit<GenerateTrajectoryOptions, 'task' | 'salt' | 'sampling'> {
  task: Task | Pick<Task, 'id' | 'question'>;
  /** Candidates to sample (the paper: 2). */
  n: number;
  /**
   * Default temperature 0.3 (the paper's). `seed` (default 0) is the run's: candidate i is
   * drawn with `sampleSeed({ runSeed: seed, taskId: task.id, index: i })`, so candidates differ,
   * candidate i of one task is not correlated with candidate i of the next, and reruns replay.
   */
  sampling?: Sampling;
  /** Shared limiter: the global concurrency limit across every task being sampled. */
  limiter?: Limiter;
  onCandidate?: (event: { index: number; trajectory: Trajectory }) => void;
}

/** N candidates for one task, each generated under the shared limiter. */
export function sampleCandidates(options: SampleCandidatesOptions): Promise<Trajectory[]> {
  const { n, limiter, onCandidate, ...generation } = options;
  const sampling: Sampling = { temperature: RUN_DEFAULTS.temperature, ...options.sampling };
  return Promise.all(
    Array.from({ length: n }, (_, index) => {
      const generate = async () => {
        const trajectory = await generateTrajectory({
          ...generation,
          sampling: {
            ...sampling,
            seed: sampleSeed({
              runSeed: sampling.seed ?? RUN_DEFAULTS.seed,
              taskId: options.task.id,
              index,
            }),
          },
          salt: index,
          origin: generation.origin ?? 'sampled',
          metadata: { ...generation.metadata, candidateIndex: index },
        });
        onCandidate?.({ index, trajectory });
        return trajectory;
      };
      return limiter === undefined ? generate() : limiter.run(generate);
    }),
  );
}
