// Does the RM term matter? How often `0.2 * rm` changes a reward, and how often it changes the
// order of GRPO advantages within a group, under the paper's raw rule and with the optional
// calibration ((rm - center) / scale, fitted with fitRmCalibration). Two sources:
//   1. the demo's RL rollouts (`./dev demo` writes autotraj-demo/: rl/rollouts.jsonl and the
//      reward model it trained, reward-model/model.onnx);
//   2. real GSM8K model solutions (4 per problem, is_correct as the outcome) of the problems the
//      models in --models were NOT trained on (compare-rms.mjs's split: by problem, seed 7),
//      scored by each RM there (ngram/, minilm/).
// The calibration is fitted on data the figures are not measured on: the correct rollouts of
// the demo's first half of groups (figures on the second half), and the correct solutions of the
// GSM8K training problems. Needs the built packages (rl, reward-model).
//   node packages/rl/bench/rm-term.mjs --demo autotraj-demo --models /tmp/rm-compare
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  gsm8kCorrectnessPairs,
  openTrajectoryScorer,
  splitPairsByTask,
} from '@autotraj/reward-model';
import { gsm8kModelSolutionTrajectories } from '@autotraj/trajectory';
import {
  createReward,
  fitRmCalibration,
  groupAdvantages,
  paperRewardDefaults,
} from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const demoDir = arg('--demo', 'autotraj-demo');
const modelsDir = arg('--models', null);
const readJsonl = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

/**
 * Groups of { trajectory, question, outcome, formatOk, rm }: rewards under no RM, the raw paper
 * rule and the calibrated rule, all through createReward (the rule the rollout loop runs).
 */
async function measure(groups, calibration) {
  const rewardOf = (rm, cal) => {
    const reward = createReward({
      ...paperRewardDefaults,
      outcome: (item) => item.outcome,
      format: (_text, item) => ({ ok: item.formatOk, violations: item.formatOk ? [] : ['bad'] }),
      trajectoryModel: null,
      trajectoryModelCalibration: cal,
    });
    return async (items) =>
      (
        await reward.score(
          items.map((x) => ({ ...x, ...(rm ? { trajectoryModelScore: x.rm } : {}) })),
        )
      ).map((r) => r.total);
  };
  const none = rewardOf(false, null);
  const raw = rewardOf(true, null);
  const calibrated = rewardOf(true, calibration);
  const out = {
    groups: groups.length,
    rollouts: 0,
    positiveOutcome: 0,
    raw: { rewardsChanged: 0, groupsOrderChanged: 0, pairsOrderChanged: 0 },
    calibrated: { rewardsChanged: 0, groupsOrderChanged: 0, pairsOrderChanged: 0 },
    pairs: 0,
  };
  const sign = (x) => (Math.abs(x) < 1e-9 ? 0 : Math.sign(x));
  for (const group of groups) {
    const base = await none(group);
    const baseAdv = groupAdvantages(base);
    out.rollouts += group.length;
    out.positiveOutcome += group.filter((x) => x.formatOk && x.outcome > 0).length;
    out.pairs += (group.length * (group.length - 1)) / 2;
    for (const [name, fn] of [
      ['raw', raw],
      ['calibrated', calibrated],
    ]) {
      const totals = await fn(group);
      const adv = groupAdvantages(totals);
      out[name].rewardsChanged += totals.filter((t, i) => t !== base[i]).length;
      let flipped = 0;
      for (let i = 0; i < group.length; i++)
        for (let j = i + 1; j < group.length; j++)
          if (sign(adv[i] - adv[j]) !== sign(baseAdv[i] - baseAdv[j])) flipped++;
      out[name].pairsOrderChanged += flipped;
      if (flipped > 0) out[name].groupsOrderChanged++;
    }
  }
  return { ...out, calibration };
}

const results = {};

// 1. The demo's rollouts, rescored by the demo's RM (checked against the recorded RM scores).
if (existsSync(join(demoDir, 'rl', 'rollouts.jsonl'))) {
  const records = readJsonl(join(demoDir, 'rl', 'rollouts.jsonl'));
  const scorer = await openTrajectoryScorer({ path: join(demoDir, 'reward-model') });
  const scores = await scorer.score(
    records.map((r) => ({ question: r.prompt, trajectory: r.trajectory })),
  );
  await scorer.close();
  const byGroup = new Map();
  records.forEach((r, k) => {
    const c = r.reward.components;
    const recorded = c.trajectoryModel;
    if (recorded !== undefined && Math.abs(recorded - scores[k]) > 1e-5)
      throw new Error(`${r.id}: RM score ${scores[k]} differs from the recorded ${recorded}`);
    const item = {
      trajectory: r.trajectory,
      question: r.prompt,
      outcome: c.outcome,
      formatOk: c.format !== 0,
      rm: scores[k],
      recordedTotal: r.reward.total,
    };
    byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), item]);
  });
  const groups = [...byGroup.values()];
  const half = Math.floor(groups.length / 2);
  const fitOn = groups
    .slice(0, half)
    .flat()
    .filter((x) => x.formatOk && x.outcome > 0);
  const calibration = fitRmCalibration(fitOn.map((x) => x.rm));
  const positives = groups.flat().filter((x) => x.formatOk && x.outcome > 0);
  results.demo = {
    source: join(demoDir, 'rl', 'rollouts.jsonl'),
    positiveRmAboveZero: positives.filter((x) => x.rm > 0).length,
    positiveRmRange: [
      Math.min(...positives.map((x) => x.rm)),
      Math.max(...positives.map((x) => x.rm)),
    ],
    all: await measure(groups, calibration),
    heldOutHalf: await measure(groups.slice(half), calibration),
  };
  // The raw rule recomputed here is the rule the demo ran: same totals as recorded.
  const rawTotals = await createReward({
    ...paperRewardDefaults,
    outcome: (item) => item.outcome,
    format: (_t, item) => ({ ok: item.formatOk, violations: item.formatOk ? [] : ['bad'] }),
  }).score(groups.flat().map((x) => ({ ...x, trajectoryModelScore: x.rm })));
  const mismatched = groups
    .flat()
    .filter((x, i) => Math.abs(rawTotals[i].total - x.recordedTotal) > 1e-6).length;
  if (mismatched > 0)
    throw new Error(`${mismatched} recomputed totals differ from the recorded ones`);
} else {
  console.log(`no demo rollouts in ${demoDir} (run ./dev demo first); skipping`);
}

// 2. Real GSM8K solutions of held-out problems, grouped per problem.
if (modelsDir !== null) {
  const data = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
  const records = readJsonl(join(data, 'gsm8k/model-solutions.dev.jsonl'));
  const [train] = splitPairsByTask(gsm8kCorrectnessPairs(records), {
    fractions: [0.8, 0.2],
    seed: 7,
  });
  const trainTasks = new Set(train.map((p) => p.taskId));
  const problems = records.map((r) => gsm8kModelSolutionTrajectories(r));
  const held = problems.filter((p) => !trainTasks.has(p.task.id));
  const fit = problems.filter((p) => trainTasks.has(p.task.id));
  results.gsm8k = {};
  // --rms ngram,minilm: which of the models in --models to measure (a transformer scores ~2 traj/s
  // on a loaded 2-core machine: 2,640 solutions take a while).
  for (const name of arg('--rms', 'ngram,minilm').split(',')) {
    if (!existsSync(join(modelsDir, name, 'model.onnx'))) continue;
    const scorer = await openTrajectoryScorer({ path: join(modelsDir, name) });
    const score = async (list) => {
      const items = list.flatMap((p) =>
        p.solutions.map((s) => ({ question: p.task.question, trajectory: s.trajectory, s })),
      );
      const rm = await scorer.score(
        items.map(({ question, trajectory }) => ({ question, trajectory })),
      );
      return items.map((x, k) => ({ ...x, rm: rm[k] }));
    };
    const fitItems = (await score(fit)).filter((x) => x.s.isCorrect === true);
    const calibration = fitRmCalibration(fitItems.map((x) => x.rm));
    const scored = await score(held);
    const groups = [];
    let k = 0;
    for (const p of held) {
      groups.push(
        p.solutions.map(() => {
          const x = scored[k++];
          return {
            trajectory: x.trajectory,
            question: x.question,
            outcome: x.s.isCorrect ? 1 : 0,
            formatOk: true,
            rm: x.rm,
          };
        }),
      );
    }
    const positives = groups.flat().filter((x) => x.outcome > 0);
    results.gsm8k[name] = {
      problems: held.length,
      positiveRmAboveZero: positives.filter((x) => x.rm > 0).length,
      ...(await measure(groups, calibration)),
    };
    await scorer.close();
  }
}

console.log(JSON.stringify(results, null, 2));
const resultsDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'rm-term.json'), `${JSON.stringify(results, null, 2)}\n`);
