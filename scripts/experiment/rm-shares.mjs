// How much the trajectory reward model moves RL rewards on real rollouts, per preset:
//   node rm-shares.mjs <label>=<rewards.jsonl> ...   (lines of `autotraj reward --rm`)
// For each file: the share of rollouts with a non-zero RM term, and the share of groups (one
// task's rollouts) whose advantage order the RM term changes: ranks by total against ranks by
// total minus the RM term. Prints a markdown table.
import { readFileSync } from 'node:fs';

/** Rank of each value (ties share the lowest rank), as a string to compare orders. */
const order = (values) => values.map((v) => values.filter((w) => w < v).length).join(',');

const rows = [];
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  const [label, path] = [arg.slice(0, at), arg.slice(at + 1)];
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const groups = new Map();
  for (const line of lines) {
    // Rollout ids are `<taskId>/<index>`: the group is the task.
    const group = String(line.id).split('/')[0];
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(line);
  }
  const withBonus = lines.filter((l) => (l.rmBonus ?? 0) !== 0).length;
  let changed = 0;
  for (const members of groups.values()) {
    const totals = members.map((l) => l.total);
    const without = members.map((l) => l.total - (l.rmBonus ?? 0));
    if (order(totals) !== order(without)) changed++;
  }
  rows.push(
    `| ${label} | ${lines.length} | ${withBonus} (${((100 * withBonus) / lines.length).toFixed(1)}%) | ${groups.size} | ${changed} (${((100 * changed) / groups.size).toFixed(1)}%) |`,
  );
}
console.log(
  '| rewards | rollouts | non-zero RM term | groups | groups whose order the RM term changes |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
