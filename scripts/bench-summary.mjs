// Collects every package's benchmark results (bench/results/<package>.json, written by each
// package's `bench` script) into one table and bench/results.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('../bench/results/', import.meta.url);
if (!existsSync(dir)) {
  console.error('no benchmark results: run `pnpm bench`');
  process.exit(1);
}
const rows = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const pkg = file.replace(/\.json$/, '');
  for (const r of JSON.parse(readFileSync(new URL(file, dir), 'utf8')))
    rows.push({ package: pkg, ...r });
}
const header = ['package', 'figure', 'value', 'unit', 'goal', 'met?'];
// Four significant digits for display; bench/results.json keeps the measured values.
const show = (v) =>
  typeof v !== 'number'
    ? String(v)
    : Math.abs(v) >= 1000
      ? String(Math.round(v))
      : String(Number(v.toPrecision(4)));
const table = rows.map((r) => [
  r.package,
  r.name,
  show(r.value),
  r.unit,
  r.goal ?? '',
  r.met === null || r.met === undefined ? '' : r.met ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (row) =>
  row
    .map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
writeFileSync(
  new URL('../bench/results.json', import.meta.url),
  `${JSON.stringify(rows, null, 2)}\n`,
);
const missed = rows.filter((r) => r.met === false);
console.log(
  `\n${rows.length} figures, ${rows.filter((r) => r.met === true).length} goals met, ${missed.length} missed; written to bench/results.json`,
);
