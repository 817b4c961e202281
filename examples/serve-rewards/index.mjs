// Serve a reward model the way RL trainers call one, then call it as they would.
// Trains a small model first when none is given. Run: pnpm start [--model path/to/model.onnx]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  exportOnnx,
  gsm8kCorrectnessPairs,
  openTrajectoryScorer,
  trainRewardModel,
} from '@autotraj/reward-model';
import { createRewardServer, paperRewardOptions } from '@autotraj/rl';
import { readJsonlArray } from '@autotraj/trajectory';

let modelPath;
const modelIndex = process.argv.indexOf('--model');
if (modelIndex > 0) modelPath = resolve(process.argv[modelIndex + 1]);
else {
  const records = await readJsonlArray(
    resolve(import.meta.dirname, '../../../shared/data/gsm8k/model-solutions.dev.jsonl'),
  );
  const { model } = trainRewardModel({
    pairs: gsm8kCorrectnessPairs(records.slice(0, 300)),
    seed: 1,
    epochs: 5,
  });
  modelPath = join(mkdtempSync(join(tmpdir(), 'autotraj-serve-')), 'model.onnx');
  await exportOnnx(model, { path: modelPath });
}

const scorer = await openTrajectoryScorer({ path: modelPath });
// `reward`: the paper's composite (format + outcome + RM) for requests that carry labels.
const server = createRewardServer({ scorer, reward: paperRewardOptions() });
const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
console.log(`reward server on ${url} (model ${modelPath})`);

const good =
  '<think>6 boxes of 7</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>';
const hedging = '<think>maybe 6*7, probably 41?</think>\n<answer>\\boxed{41}</answer>';
const post = async (path, body) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

// The paper's reward-server contract (drop-in).
console.log(
  'POST /score        ',
  JSON.stringify(await post('/score', { trajectory: `What is 6*7?\n${good}` })),
);
console.log(
  'POST /score/batch  ',
  JSON.stringify(await post('/score/batch', { trajectories: [good, hedging] })),
);
// OpenRLHF --reward.remote_url: query = prompt + response strings, labels = gold answers.
console.log(
  'POST /get_reward   ',
  JSON.stringify(
    await post('/get_reward', {
      query: [`What is 6*7?\n${good}`, `What is 6*7?\n${hedging}`],
      prompts: ['What is 6*7?', 'What is 6*7?'],
      labels: ['42', '42'],
    }),
  ),
);
// verl's compute_score arguments (node_modules/@autotraj/rl/python/verl_reward.py forwards to this).
console.log(
  'POST /compute_score',
  JSON.stringify(
    await post('/compute_score', { data_source: 'gsm8k', solution_str: good, ground_truth: '42' }),
  ),
);
// Bad requests get a 400 with a message, never a crash.
console.log('malformed request  ', JSON.stringify(await post('/score', { trajectory: 42 })));
console.log('GET /health        ', JSON.stringify(await (await fetch(`${url}/health`)).json()));

await server.close();
await scorer.close();
