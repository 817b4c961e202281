// Input files a README example reads as the output of an earlier step of the method (a trained
// model, a task file, rollouts). The harness writes them into the example's working directory
// before it runs; each is made with the packages' own built code, so it is a real file of
// its kind, not a mock.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const dist = (pkg, entry = 'index.js') => import(join(root, 'packages', pkg, 'dist', entry));

const TAG_SOLUTION =
  '<think>3 boxes of 12, minus 5.</think>\n<code>print(3*12-5)</code>\n<result>31</result>\n<answer>\\boxed{31}</answer>';

const tasks = [
  {
    id: 'eggs',
    question: 'Tom buys 3 boxes of 12 eggs and 5 break. How many are left?',
    goldAnswers: ['31'],
    dataSource: 'gsm8k',
    metadata: {},
  },
  {
    id: 'pens',
    question: 'A pen costs 3 dollars. How much do 7 pens cost?',
    goldAnswers: ['21'],
    dataSource: 'gsm8k',
    metadata: {},
  },
];

async function trajectories() {
  const { trajectoryFromText } = await dist('trajectory');
  return tasks.map(
    (task) =>
      trajectoryFromText(TAG_SOLUTION, { format: 'tags', taskId: task.id, question: task.question })
        .trajectory,
  );
}

const jsonl = (rows) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

export const fixtures = {
  /** An untrained reward model in the package's ONNX format (same cost to run as a trained one). */
  'rm/model.onnx': async (dir) => {
    const { writeRandomRewardModel } = await dist('reward-model', 'testing/index.js');
    await writeRandomRewardModel(join(dir, 'rm/model.onnx'));
  },
  /** AutoTraj task records. */
  'tasks.jsonl': async (dir) => writeFileSync(join(dir, 'tasks.jsonl'), jsonl(tasks)),
  /** GSM8K problems (question, answer): the first three of the demo tasks the cassette covers. */
  'train.jsonl': async (dir) => {
    const demo = join(root, 'packages/repairer/fixtures/gsm8k-demo.jsonl');
    const lines = readFileSync(demo, 'utf8').split('\n').filter(Boolean).slice(0, 3);
    writeFileSync(join(dir, 'train.jsonl'), `${lines.join('\n')}\n`);
  },
  /** Trajectory JSONL with one line that is not a trajectory (for lenient reading). */
  'in.jsonl': async (dir) => {
    const rows = (await trajectories()).map((t) => JSON.stringify(t));
    rows.splice(1, 0, '{"id": "broken", "steps": "not a list"}');
    writeFileSync(join(dir, 'in.jsonl'), `${rows.join('\n')}\n`);
  },
  'trajectories.jsonl': async (dir) =>
    writeFileSync(join(dir, 'trajectories.jsonl'), jsonl(await trajectories())),
  /** The GSM8K model-solutions file of ../shared/data (real data, 660 problems x 4 solutions). */
  'model-solutions.jsonl': async (dir) =>
    copyFileSync(
      join(root, '../shared/data/gsm8k/model-solutions.dev.jsonl'),
      join(dir, 'model-solutions.jsonl'),
    ),
  /** RL rollouts as runRollouts writes them (a scripted policy, the paper reward). */
  'out/rollouts.jsonl': async (dir) => {
    const { runRollouts, createPaperReward } = await dist('rl');
    const { trajectoryFromText } = await dist('trajectory');
    mkdirSync(join(dir, 'out'), { recursive: true });
    await runRollouts({
      prompts: tasks,
      groupSize: 2,
      reward: createPaperReward(),
      outDir: join(dir, 'out'),
      generate: async (task, { rolloutIndex }) =>
        trajectoryFromText(rolloutIndex === 0 ? TAG_SOLUTION : '<answer>\\boxed{30}</answer>', {
          format: 'tags',
          taskId: task.id,
          question: task.question,
        }).trajectory,
    });
  },
};

export async function writeFixtures(names, dir) {
  for (const name of names) {
    const make = fixtures[name];
    if (make === undefined) throw new Error(`unknown README fixture "${name}"`);
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    await make(dir);
  }
}
