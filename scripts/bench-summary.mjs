// Collects every package's benchmark results (bench/results/<package>.json, written by each
// package's `bench` script) into one table and bench/results.json.
// --smoke (`./dev bench:smoke`, CI): reads bench/results-smoke/, written by the benches run with
// BENCH_SMOKE=1 (tiny sizes, no goals judged), and fails unless every package's bench wrote its
// file: a bench that breaks fails the run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const smoke = process.argv.includes('--smoke');
const dir = new URL(smoke ? '../bench/results-smoke/' : '../bench/results/', import.meta.url);
if (!existsSync(dir)) {
  console.error(`no benchmark results: run \`./dev ${smoke ? 'bench:smoke' : 'bench'}\``);
  process.exit(1);
}
if (smoke) {
  const packages = new URL('../packages/', import.meta.url);
  const missing = readdirSync(packages).filter((name) => {
    const manifest = new URL(`${name}/package.json`, packages);
    return (
      existsSync(manifest) &&
      JSON.parse(readFileSync(manifest, 'utf8')).scripts?.bench !== undefined &&
      !existsSync(new URL(`${name}.json`, dir))
    );
  });
  if (missing.length > 0) {
    console.error(`bench smoke: no results from ${missing.join(', ')} (bench/results-smoke/)`);
    process.exit(1);
  }
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
// The machine may be shared (other jobs, a background experiment): figures are read beside it.
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`\nload average (1, 5, 15 min) at the end of the run: ${load}`);
if (smoke) {
  console.log(`${rows.length} figures from a smoke run (tiny sizes, goals not judged)`);
} else {
  writeFileSync(
    new URL('../bench/results.json', import.meta.url),
    `${JSON.stringify(rows, null, 2)}\n`,
  );
  const missed = rows.filter((r) => r.met === false);
  console.log(
    `${rows.length} figures, ${rows.filter((r) => r.met === true).length} goals met, ${missed.length} missed; written to bench/results.json`,
  );
}
