import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import type { ScoreItem, TrajectoryScorer } from '@autotraj/trajectory';
import { afterEach, describe, expect, it } from 'vitest';
import { mathOutcome } from '../reward/outcomes.js';
import { createFunctionScorer } from '../scorer.js';
import { simpleFormatCheck } from '../test-support.js';
import { trajectoryFromPolicyText } from '../text-trajectory.js';
import { createRewardServer, type RewardServer } from './reward-server.js';
import { Agent, postRaw } from './test-client.js';

/** Deterministic RM stand-in: depends on steps, answer and question, so wrong routing shows. */
const rmFn = (item: ScoreItem) =>
  item.trajectory.steps.length * 0.25 +
  (item.trajectory.finalAnswer?.length ?? 0) +
  (item.question?.length ?? 0) / 100;
const expected = (text: string, question?: string) =>
  Math.fround(rmFn({ question, trajectory: trajectoryFromPolicyText(text, { question }) }));

/** Counts scorer calls and yields to the event loop, as an ONNX session would. */
function countingScorer(): TrajectoryScorer & { calls: number[] } {
  const inner = createFunctionScorer(rmFn);
  const calls: number[] = [];
  return {
    calls,
    async score(items) {
      calls.push(items.length);
      await new Promise((r) => setTimeout(r, 1));
      return inner.score(items);
    },
    close: inner.close,
  };
}

const tagText = (n: number) =>
  `<think>step ${n}</think><code>print(${n})</code><result>${n}</result><answer>\\boxed{${n}}</answer>`;

let server: RewardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<Parameters<typeof createRewardServer>[0]> = {}) {
  const scorer = countingScorer();
  server = createRewardServer({ scorer, ...options });
  const { url } = await server.listen();
  return { url, scorer, agent: new Agent({ keepAlive: true, maxSockets: 256 }) };
}

describe('reward server protocols', () => {
  it('answers the paper /score contract and the batched endpoint', async () => {
    const { url, agent } = await start();
    const single = await postRaw(agent, `${url}/score`, JSON.stringify({ trajectory: tagText(7) }));
    expect(single.status).toBe(200);
    expect(JSON.parse(single.text)).toEqual({ score: expected(tagText(7)) });
    // markdown TIR is detected and parsed with its codec; the question is scored with it.
    const md = 'Let me compute.\n```python\nprint(2+2)\n```\n```output\n4\n```\nSo \\boxed{4}.';
    const batch = await postRaw(
      agent,
      `${url}/score/batch`,
      JSON.stringify({ trajectories: [tagText(1), md], questions: ['q1', 'What is 2+2?'] }),
    );
    expect(JSON.parse(batch.text)).toEqual({
      scores: [expected(tagText(1), 'q1'), expected(md, 'What is 2+2?')],
    });
    expect(trajectoryFromPolicyText(md).provenance.format).toBe('markdown-tir');
    agent.destroy();
  });

  it('speaks the OpenRLHF remote reward-model protocol, raw and with labels', async () => {
    const { url, agent } = await start({
      reward: {
        format: simpleFormatCheck,
        outcome: mathOutcome({ verify: ({ gold, pred }) => ({ equivalent: gold === pred }) }),
      },
    });
    const prompt = '<|im_start|>user\nWhat is 6*7?<|im_end|>\n<|im_start|>assistant\n';
    const good = `<think>6*7</think><answer>\\boxed{42}</answer><|im_end|>`;
    const noThink = 'I guess <answer>\\boxed{42}</answer>';
    const raw = JSON.parse(
      (
        await postRaw(
          agent,
          `${url}/get_reward`,
          JSON.stringify({ query: [prompt + good], prompts: [prompt] }),
        )
      ).text,
    );
    const goodText = good.replace('<|im_end|>', '');
    expect(raw.rewards).toEqual([expected(goodText, 'What is 6*7?')]);
    expect(raw.scores).toEqual(raw.rewards);
    // With labels: paper reward. Correct -> 1 + 0.2 * rm (rm = 2 steps * 0.25 + 2 + 0.12 = 2.62) -> 1.524.
    const labelled = JSON.parse(
      (
        await postRaw(
          agent,
          `${url}/get_reward`,
          JSON.stringify({
            query: [prompt + good, prompt + noThink, prompt + good],
            prompts: [prompt, prompt, prompt],
            labels: ['42', '42', '41'],
          }),
        )
      ).text,
    );
    expect(labelled.rewards[0]).toBeCloseTo(1 + 0.2 * expected(goodText, 'What is 6*7?'), 5);
    expect(labelled.rewards.slice(1)).toEqual([-1, 0]);
    expect(labelled.extra_logs.outcome).toEqual([1, 1, 0]);
    expect(labelled.extra_logs.format).toEqual([1, 0, 1]);
    // verl compute_score arguments.
    const verl = JSON.parse(
      (
        await postRaw(
          agent,
          `${url}/compute_score`,
          JSON.stringify({
            data_source: 'gsm8k',
            solution_str: goodText,
            ground_truth: '42',
            extra_info: { question: 'What is 6*7?' },
          }),
        )
      ).text,
    );
    expect(verl.score).toBeCloseTo(labelled.rewards[0], 6);
    expect(verl.outcome).toBe(1);
    agent.destroy();
  });

  it('/compute_score defaults to the paper preset; a request may ask for autotraj', async () => {
    const { url, agent } = await start();
    const post = async (body: object) =>
      JSON.parse((await postRaw(agent, `${url}/compute_score`, JSON.stringify(body))).text);
    const prompt = '<|im_start|>user\nWhat is 6*7?<|im_end|>\n<|im_start|>assistant\n';
    const calls = '<code>print(1)</code><result>1</result>'.repeat(4);
    const response = (box: string) =>
      `<think>t</think>${calls}<answer>\\boxed{${box}}</answer><|im_end|>`;
    // Token F1 for every source: 64.0 vs 64 is 0 ("640" vs "64"), -5 vs 5 is 1; four calls are fine.
    const wrongForm = await post({
      data_source: 'gsm8k',
      solution_str: prompt + response('64.0'),
      ground_truth: '64',
    });
    expect(wrongForm).toMatchObject({ score: 0, format: 1, outcome: 0 });
    const sign = await post({
      data_source: 'gsm8k',
      solution_str: prompt + response('-5'),
      ground_truth: '5',
    });
    expect(sign.outcome).toBe(1);
    expect(sign.trajectoryModel).toBeGreaterThan(0);
    expect(sign.score).toBeCloseTo(1 + 0.2 * sign.trajectoryModel, 6);
    // autotraj: at most three calls in the format, so -1; math equivalence for 64.0.
    const autotraj = await post({
      data_source: 'gsm8k',
      solution_str: response('64.0'),
      ground_truth: '64',
      preset: 'autotraj',
    });
    expect(autotraj).toMatchObject({ score: -1, format: 0, outcome: 1 });
    agent.destroy();
  });

  it('validates requests with 400/404/405/413 and a message, health and metrics', async () => {
    // reward: null -> no outcome reward at all (the default is the paper preset's).
    const { url, agent } = await start({ maxBodyBytes: 1000, maxItemsPerRequest: 3, reward: null });
    const cases: Array<[string, string | null, number, RegExp, string?]> = [
      ['/score', '{"trajectory": ', 400, /malformed JSON/],
      ['/score', '', 400, /empty request body/],
      ['/score', '[1,2]', 400, /JSON object/],
      ['/score', '{"trajectory": 5}', 400, /at trajectory: .*expected string/],
      ['/score/batch', '{"trajectories": []}', 400, /at trajectories/],
      ['/score/batch', '{"trajectories": ["a", 3]}', 400, /at trajectories\[1\]/],
      ['/score/batch', '{"trajectories": ["a"], "questions": []}', 400, /one entry per trajectory/],
      ['/score/batch', '{"trajectories": ["a","b","c","d"]}', 413, /exceed the limit of 3/],
      ['/get_reward', '{"query": "a"}', 400, /at query/],
      ['/get_reward', '{"query": ["a"], "labels": ["1", "2"]}', 400, /one entry per query/],
      ['/compute_score', '{"solution_str": "x"}', 501, /no outcome reward/],
      [
        '/score',
        JSON.stringify({ trajectory: 'x'.repeat(2000) }),
        413,
        /exceeds the limit of 1000 bytes/,
      ],
      ['/nope', '{}', 404, /no route/],
      ['/score', null, 405, /use POST/, 'GET'],
    ];
    for (const [path, body, status, message, method] of cases) {
      const res = await postRaw(agent, `${url}${path}`, body, method);
      expect([path, res.status]).toEqual([path, status]);
      expect(JSON.parse(res.text).error).toMatch(message);
    }
    const health = await postRaw(agent, `${url}/health`, null, 'GET');
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok' });
    const metrics = await postRaw(agent, `${url}/metrics`, null, 'GET');
    expect(metrics.text).toContain('autotraj_rm_requests_total{route="/score",status="400"} 4');
    expect(metrics.text).toContain('autotraj_rm_requests_total{route="other",status="404"} 1');
    agent.destroy();
  });

  it('answers 500 with a message when the scorer fails, and keeps serving', async () => {
    let fail = true;
    const flaky: TrajectoryScorer = {
      score: async (items) => {
        if (fail) throw new Error('onnx session exploded');
        return new Float32Array(items.length).fill(0.5);
      },
      close: async () => {},
    };
    server = createRewardServer({ scorer: flaky });
    const { url } = await server.listen();
    const agent = new Agent({ keepAlive: true });
    const bad = await postRaw(agent, `${url}/score`, '{"trajectory":"a"}');
    expect([bad.status, JSON.parse(bad.text).error]).toEqual([500, 'onnx session exploded']);
    fail = false;
    expect(JSON.parse((await postRaw(agent, `${url}/score`, '{"trajectory":"a"}')).text)).toEqual({
      score: 0.5,
    });
    agent.destroy();
  });
});

describe('reward server under load', () => {
  // Asserts behaviour under 5,000 requests, not speed (that is `./dev bench`): vitest's 5 s
  // default failed it on a loaded machine, so it gets room.
  it('serves 200 concurrent clients mixing valid and malformed requests, batching and with stable memory', {
    timeout: 120_000,
  }, async () => {
    const { url, scorer, agent } = await start({ maxBodyBytes: 64 * 1024 });
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const round = async (roundNo: number) => {
      let valid = 0;
      await Promise.all(
        Array.from({ length: 200 }, async (_, client) => {
          for (let k = 0; k < 5; k++) {
            const n = roundNo * 10_000 + client * 10 + k;
            const kind = (client + k) % 5;
            if (kind === 0) {
              const res = await postRaw(
                agent,
                `${url}/score`,
                JSON.stringify({ trajectory: tagText(n), question: `q${n}` }),
              );
              expect(res.status).toBe(200);
              expect(JSON.parse(res.text).score).toBe(expected(tagText(n), `q${n}`));
              valid++;
            } else if (kind === 1) {
              const texts = [tagText(n), tagText(n + 1), `plain text ${n}`];
              const res = await postRaw(
                agent,
                `${url}/score/batch`,
                JSON.stringify({ trajectories: texts }),
              );
              expect(JSON.parse(res.text).scores).toEqual(texts.map((t) => expected(t)));
              valid++;
            } else if (kind === 2) {
              const res = await postRaw(
                agent,
                `${url}/get_reward`,
                JSON.stringify({ query: [`Q${n}?${tagText(n)}`], prompts: [`Q${n}?`] }),
              );
              expect(JSON.parse(res.text).rewards).toEqual([expected(tagText(n), `Q${n}?`)]);
              valid++;
            } else if (kind === 3) {
              const res = await postRaw(agent, `${url}/score`, `{"trajectory": ${n}`);
              expect(res.status).toBe(400);
            } else {
              const res = await postRaw(
                agent,
                `${url}/score/batch`,
                JSON.stringify({ trajectories: [n] }),
              );
              expect(res.status).toBe(400);
            }
          }
        }),
      );
      return valid;
    };
    expect(await round(0)).toBe(600);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let r = 1; r <= 4; r++) await round(r);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(16 * 1024 * 1024);
    // Concurrent requests shared scorer calls.
    const items = scorer.calls.reduce((a, b) => a + b, 0);
    expect(items).toBe(5 * (200 + 3 * 200 + 200));
    expect(scorer.calls.length).toBeLessThan(items / 4);
    expect(server!.metrics().requests['/score']).toMatchObject({ '200': 1000, '400': 1000 });
    agent.destroy();
  });

  it('shuts down gracefully: requests in flight are answered, then the port closes', async () => {
    // Close once all 20 requests are inside the server (being scored), not after a fixed
    // delay: on a loaded machine some were not yet connected, and those are not in flight.
    let received = 0;
    let allReceived: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      allReceived = resolve;
    });
    const slow: TrajectoryScorer = {
      score: async (items) => {
        received += items.length;
        if (received >= 20) allReceived();
        await new Promise((r) => setTimeout(r, 100));
        return new Float32Array(items.length).fill(1);
      },
      close: async () => {},
    };
    const local = createRewardServer({ scorer: slow });
    const { url } = await local.listen();
    const agent = new Agent({ keepAlive: true });
    const inFlight = Array.from({ length: 20 }, () =>
      postRaw(agent, `${url}/score`, '{"trajectory":"a"}'),
    );
    await inside;
    await local.close();
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await expect(postRaw(new Agent(), `${url}/score`, '{"trajectory":"a"}')).rejects.toThrow(
      /ECONNREFUSED/,
    );
    agent.destroy();
  });
});

describe('reward server tools (POST /tool)', () => {
  it("runs a policy's tool calls in the synthesis sandbox: state per session, errors as the loop shows them", async () => {
    const pool = createPythonPool({ size: 1 });
    const python = createPythonRuntime({ pool });
    try {
      const { url, agent } = await start({ tools: [python, createCalculatorRuntime()] });
      const call = async (body: unknown) => {
        const answer = await postRaw(agent, `${url}/tool`, JSON.stringify(body));
        return { status: answer.status, body: JSON.parse(answer.text) };
      };
      // Tag content (the text between <code> and </code>), as TRL's rollout_func sends it.
      const first = await call({
        tool: 'python',
        input: '\nx = 6 * 7\nprint(x)\n',
        session_id: 's1',
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ output: '42', is_error: false, timed_out: false });
      // The same session keeps its names; another session does not see them.
      const again = await call({ tool: 'python', input: 'print(x + 1)', session_id: 's1' });
      expect(again.body).toMatchObject({ output: '43', is_error: false });
      const other = await call({ tool: 'python', input: 'print(x)', session_id: 's2' });
      expect(other.body.is_error).toBe(true);
      // The text the policy reads is the one the synthesis loop would have put in <result>.
      const direct = await python.run({ code: 'print(x)' }, { sessionId: 's3' });
      expect(other.body.output).toBe(direct.output);
      expect(other.body.output).toMatch(/NameError: name 'x' is not defined/);
      // Ending a session releases its names.
      const ended = await postRaw(
        agent,
        `${url}/tool/end_session`,
        JSON.stringify({ session_id: 's1' }),
      );
      expect(JSON.parse(ended.text)).toEqual({ ended: true });
      const after = await call({ tool: 'python', input: 'print(x)', session_id: 's1' });
      expect(after.body.is_error).toBe(true);
      const calc = await call({ tool: 'calculator', input: '2 * (3 + 4)' });
      expect(calc.body).toMatchObject({ output: '14', is_error: false });
      // A tool the server does not run is a 400 naming the tools it runs.
      const unknown = await call({ tool: 'search', input: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatch(/no tool "search" \(served: python, calculator\)/);
      const bad = await call({ tool: 'python' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/at input/);
      expect(server!.metrics()).toMatchObject({ toolCalls: 5, toolErrors: 2 });
      agent.destroy();
    } finally {
      await server?.close();
      server = undefined;
      await pool.close();
    }
  });

  it('answers 501 on /tool when it runs no tools', async () => {
    const { url, agent } = await start();
    const answer = await postRaw(agent, `${url}/tool`, '{"tool":"python","input":"print(1)"}');
    expect(answer.status).toBe(501);
    expect(JSON.parse(answer.text).error).toMatch(/--tools python/);
    agent.destroy();
  });
});
