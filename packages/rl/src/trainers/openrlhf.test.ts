import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRewardOptions } from '../reward/paper-reward.js';
import { createFunctionScorer } from '../scorer.js';
import { createRewardServer, type RewardServer } from '../server/reward-server.js';
import { python, runCheck } from './run-python.js';

const cases = [
  {
    prompt: 'What is 6*7?',
    response:
      '<think>6 times 7.</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>',
    label: '42',
  },
  {
    prompt: 'What is 2+2?',
    response: '<think>Add.</think><answer>\\boxed{5}</answer>',
    label: '4',
  },
  { prompt: 'What is 3+3?', response: 'six', label: '6' },
];

describe.skipIf(python === undefined)("OpenRLHF's remote reward client against our server", () => {
  let server: RewardServer;
  let url: string;
  const questions: Array<string | undefined> = [];
  beforeAll(async () => {
    server = createRewardServer({
      scorer: createFunctionScorer((item) => {
        questions.push(item.question);
        return 0.5;
      }),
      reward: paperRewardOptions(),
    });
    ({ url } = await server.listen({ port: 0 }));
  });
  afterAll(() => server?.close());

  it('SingleTurnAgentExecutor posts its query/prompts/labels and reads our rewards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-openrlhf-'));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    const out = (await runCheck('openrlhf_check.py', [
      `${url}/get_reward`,
      dir,
      join(dir, 'cases.json'),
    ])) as {
      outputs: Array<{
        query: string;
        reward: number[];
        scores: number[];
        extra_logs: Record<string, number>;
      }>;
    };
    const [right, wrong, unformatted] = out.outputs;
    // The query OpenRLHF sends: the ChatML prompt, then the response and its end token.
    expect(right!.query).toBe(
      `<|im_start|>user\nWhat is 6*7?<|im_end|>\n<|im_start|>assistant\n${cases[0]!.response}<|im_end|>`,
    );
    // One query per request, so the executor keeps our one-element lists, as from OpenRLHF's own RM server.
    expect(right!.reward).toHaveLength(1);
    expect(right!.reward[0]).toBeCloseTo(1.1, 6);
    expect(right!.scores[0]).toBeCloseTo(1.1, 6);
    // extra_logs keep one value per query of the request (OpenRLHF sends one query per call).
    expect(right!.extra_logs).toMatchObject({ outcome: [1], format: [1], trajectoryModel: [0.5] });
    expect(wrong!.reward).toEqual([0]);
    expect(unformatted!.reward).toEqual([-1]);
    // The RM saw the question from the prompt's last user turn, not the chat markup.
    expect(questions).toEqual(['What is 6*7?']);
  }, 600_000);
});
