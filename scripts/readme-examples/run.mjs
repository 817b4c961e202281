// README code blocks are tests. See README.md beside this file for the conventions.
//
// 1. pack every publishable package (`pnpm pack`, after `./dev build`);
// 2. install the tarballs with npm into a scratch project, with the other packages the READMEs'
//    `npm install` lines name, ONNXRUNTIME_NODE_INSTALL=skip and no network beyond the registry;
//    assert exit 0 and that onnxruntime's CPU binding loads and scores;
// 3. every ```ts / ```js block of every package README: type-check (strict, `module: nodenext`,
//    and `moduleResolution: bundler`), then run it with node in a fresh working directory;
// 4. the shipped Python helpers, imported from the installed package, against a reward server;
// 5. the root README's shell commands that run offline.
// Fails naming the README file and the block's line.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  extractBlocks,
  importedPackages,
  isExample,
  isTypeScript,
  npmInstallPackages,
} from './blocks.mjs';
import { checkExampleReadmes } from './example-readmes.mjs';
import { writeFixtures } from './fixtures.mjs';
import { excludedPackages, pinned, rootReadme } from './pinned.mjs';

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const work = process.env.AUTOTRAJ_README_WORK ?? join(root, '.cache', 'readme-examples');
const only = process.argv.slice(2); // optional README filter, e.g. packages/rl/README.md
const failures = [];
const timings = [];
const fail = (where, message) => {
  failures.push(`${where}: ${message}`);
  console.log(`FAIL ${where}\n${indent(message)}`);
};
const indent = (text) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
const timed = async (label, fn) => {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([label, (performance.now() - t0) / 1000]);
  }
};

// --- the READMEs and their blocks ---------------------------------------------------------
const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((dir) => ({
    dir,
    pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private);
const readmes = packages.map(({ dir, pkg }) => {
  const file = `packages/${dir}/README.md`;
  return { file, pkg, blocks: extractBlocks(join(root, file)) };
});

const unmatched = new Set(pinned);
const examples = [];
for (const readme of readmes) {
  const installs = npmInstallPackages(readme.blocks);
  if (!installs.has(readme.pkg.name))
    fail(readme.file, `no \`npm install\` line names ${readme.pkg.name}`);
  const excluded = excludedPackages[readme.pkg.name];
  for (const block of readme.blocks.filter(isExample)) {
    const where = `${readme.file}:${block.line}`;
    if (excluded !== undefined) {
      console.log(`skip ${where}: not installed (${excluded})`);
      continue;
    }
    const pins = pinned.filter((p) => p.file === readme.file && block.code.includes(p.contains));
    if (pins.length > 1) fail(where, 'matches several pinned entries');
    const pin = pins[0] ?? {};
    unmatched.delete(pin);
    // A README example may only import what its own install line tells the reader to install.
    for (const name of importedPackages(block.code))
      if (!installs.has(name))
        fail(where, `imports ${name}, which the README's \`npm install\` line does not name`);
    examples.push({
      ...block,
      readme,
      where,
      pin,
      id: `${readme.file.split('/')[1]}-L${block.line}`,
    });
  }
}
for (const pin of unmatched)
  fail(pin.file, `pinned entry matches no block: ${JSON.stringify(pin.contains)}`);
// The examples/ READMEs' prose: the imports they state are the ones the code makes.
if (only.length === 0) for (const problem of checkExampleReadmes(root)) failures.push(problem);
const selected =
  only.length === 0 ? examples : examples.filter((e) => only.includes(e.readme.file));

// --- pack and install ---------------------------------------------------------------------
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
rmSync(work, { recursive: true, force: true });
mkdirSync(tarballs, { recursive: true });
mkdirSync(project, { recursive: true });

await timed('pack', async () => {
  for (const { dir } of packages)
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: join(root, 'packages', dir),
      stdio: 'pipe',
    });
});

// The exact versions the workspace was tested with (pnpm-lock.yaml, through node_modules).
const workspaceVersion = (name) => {
  for (const dir of ['.', ...packages.map((p) => `packages/${p.dir}`)]) {
    const manifest = join(root, dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).version;
  }
  throw new Error(`README install line names ${name}, which no workspace package has installed`);
};
const tarballOf = Object.fromEntries(
  readdirSync(tarballs).map((file) => {
    const manifest = execFileSync('tar', ['-xzOf', join(tarballs, file), 'package/package.json'], {
      encoding: 'utf8',
    });
    return [JSON.parse(manifest).name, `file:../tarballs/${file}`];
  }),
);
const dependencies = {};
for (const readme of readmes.filter((r) => excludedPackages[r.pkg.name] === undefined))
  for (const name of npmInstallPackages(readme.blocks))
    dependencies[name] = tarballOf[name] ?? workspaceVersion(name);
// The harness's own tools: the type checker and Node's types.
const devDependencies = {
  typescript: workspaceVersion('typescript'),
  '@types/node': workspaceVersion('@types/node'),
};
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'readme-examples', private: true, type: 'module', dependencies, devDependencies }, null, 2)}\n`,
);
const installEnv = {
  ...process.env,
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true',
};
const install = await timed('npm install', () =>
  spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    env: installEnv,
    encoding: 'utf8',
  }),
);
if (install.status !== 0) {
  fail('npm install', `exit ${install.status}\n${install.stdout}\n${install.stderr}`);
  finish();
}
const fromTarballs = Object.values(dependencies).filter((d) => d.startsWith('file:')).length;
console.log(
  `ok   npm install: ${fromTarballs} packed tarballs + ${Object.keys(dependencies).length - fromTarballs} packages from the registry, ONNXRUNTIME_NODE_INSTALL=skip`,
);

// onnxruntime's CPU binding, as installed: loads and scores a reward model.
const ortCheck = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
     import { createOnnxScorer } from '@autotraj/reward-model';
     import { trajectoryFromText } from '@autotraj/trajectory';
     const path = await writeRandomRewardModel('ort-check.onnx');
     const scorer = await createOnnxScorer({ path });
     const { trajectory } = trajectoryFromText('<answer>\\\\boxed{1}</answer>', { format: 'tags', taskId: 't' });
     const scores = await scorer.score([{ trajectory }, { trajectory }]);
     await scorer.close();
     if (scores.length !== 2 || !scores.every(Number.isFinite) || scores[0] !== scores[1]) throw new Error('bad scores ' + scores);
     console.log(scores[0]);`,
  ],
  { cwd: project, encoding: 'utf8' },
);
if (ortCheck.status !== 0) fail('onnxruntime-node (CPU)', ortCheck.stderr);
else console.log(`ok   onnxruntime-node CPU binding loads and scores (${ortCheck.stdout.trim()})`);

// --- type-check ---------------------------------------------------------------------------
const fileOf = (example) => `examples/${example.id}.${isTypeScript(example) ? 'ts' : 'mjs'}`;
for (const example of selected) {
  mkdirSync(join(project, 'examples'), { recursive: true });
  writeFileSync(join(project, fileOf(example)), example.code);
}
const base = {
  strict: true,
  target: 'es2023',
  lib: ['es2023'],
  types: ['node'],
  noEmit: true,
  skipLibCheck: true,
  // Each block is its own module, even one without imports.
  moduleDetection: 'force',
  verbatimModuleSyntax: true,
};
const configs = {
  nodenext: { ...base, module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { ...base, module: 'preserve', moduleResolution: 'bundler' },
};
const tsFiles = selected.filter((e) => isTypeScript(e) && e.pin.typecheck !== false).map(fileOf);
for (const [name, compilerOptions] of Object.entries(configs)) {
  writeFileSync(
    join(project, `tsconfig.${name}.json`),
    JSON.stringify({ compilerOptions, files: tsFiles }, null, 2),
  );
  const tsc = await timed(`tsc (${name})`, () =>
    spawnSync(
      process.execPath,
      [join(project, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`],
      {
        cwd: project,
        encoding: 'utf8',
      },
    ),
  );
  const byFile = new Map();
  for (const line of tsc.stdout.split('\n')) {
    const m = /^examples\/(.+?)\.ts\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (!m) continue;
    const example = selected.find((e) => e.id === m[1]);
    const at = `${example.readme.file}:${example.line + Number(m[2])}:${m[3]}`;
    byFile.set(example.where, [...(byFile.get(example.where) ?? []), `${at} ${m[4]}`]);
  }
  for (const [where, errors] of byFile) fail(`${where} (tsc, ${name})`, errors.join('\n'));
  if (tsc.status !== 0 && byFile.size === 0) fail(`tsc (${name})`, tsc.stdout + tsc.stderr);
  else if (tsc.status === 0)
    console.log(`ok   ${tsFiles.length} TypeScript blocks type-check (${name})`);
}

// --- run ----------------------------------------------------------------------------------
const runEnv = { ...process.env, NODE_NO_WARNINGS: '1' };
for (const example of selected) {
  if (example.pin.run === false) {
    console.log(`skip ${example.where}: not run (${example.pin.reason})`);
    continue;
  }
  const cwd = join(work, 'run', example.id);
  mkdirSync(cwd, { recursive: true });
  await writeFixtures(example.pin.fixtures ?? [], cwd);
  const result = await timed(example.where, () =>
    runNode(
      join(project, fileOf(example)),
      cwd,
      example.pin.server === true,
      example.pin.timeoutMs ?? 180_000,
    ),
  );
  writeFileSync(join(cwd, 'output.txt'), result.output);
  if (result.ok) console.log(`ok   ${example.where} (${result.seconds.toFixed(1)} s)`);
  else fail(example.where, result.message);
}

// --- Python helpers shipped in @autotraj/rl -------------------------------------------------
if (only.length === 0 || only.includes('packages/rl/README.md'))
  await timed('python helpers', pythonHelpers);

// --- root README shell commands -----------------------------------------------------------
if (only.length === 0 || only.includes('README.md')) await timed('root README', rootCommands);

finish();

function finish() {
  console.log('\ntimings (s):');
  for (const [label, s] of timings) console.log(`  ${s.toFixed(1).padStart(6)}  ${label}`);
  if (failures.length > 0) {
    console.error(
      `\nREADME examples: ${failures.length} failure(s):\n${failures.map((f) => `  ${f.split('\n')[0]}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`\nREADME examples: all ${selected.length} blocks checked`);
  process.exit(0);
}

/** Run a block with node; a `server` block must print its URL, answer /health and exit 0 on SIGTERM. */
function runNode(file, cwd, server, timeoutMs) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { ...runEnv, ...(server ? { PORT: '0' } : {}) },
    });
    let out = '';
    let err = '';
    let probed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      err += `\n(killed after ${timeoutMs / 1000} s)`;
    }, timeoutMs);
    child.stdout.on('data', async (d) => {
      out += d;
      const url = /http:\/\/[\w.:[\]]+/.exec(out)?.[0];
      if (!server || probed || url === undefined) return;
      probed = true;
      try {
        const health = await fetch(`${url}/health`);
        if (!health.ok) err += `\nGET /health answered ${health.status}`;
      } catch (error) {
        err += `\nGET /health failed: ${error.message}`;
      }
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      const ok = code === 0 && (!server || probed) && !/GET \/health|killed after/.test(err);
      const tail = (text) => text.trimEnd().split('\n').slice(-25).join('\n');
      resolve({
        ok,
        seconds,
        output: `${out}\n--- stderr ---\n${err}`,
        message: `exit ${code ?? signal}${server && !probed ? ' (never printed its URL)' : ''}\n${tail(err) || tail(out)}`,
      });
    });
  });
}

async function pythonHelpers() {
  const python = process.env.AUTOTRAJ_PYTHON ?? 'python3';
  // The installed files, found the way a user finds them: through the package's exports.
  const resolve = (spec) =>
    execFileSync(process.execPath, ['-p', `require.resolve(${JSON.stringify(spec)})`], {
      cwd: project,
      encoding: 'utf8',
    }).trim();
  let trl;
  let verl;
  try {
    trl = resolve('@autotraj/rl/python/trl_reward.py');
    verl = resolve('@autotraj/rl/python/verl_reward.py');
  } catch (error) {
    fail('packages/rl/README.md (python helpers)', `not exported: ${error.message}`);
    return;
  }
  const script = `
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { createRewardServer } from '@autotraj/rl';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
// Asynchronous: the reward server answers from this same event loop.
const run = promisify(execFile);
const scorer = await openTrajectoryScorer({ path: await writeRandomRewardModel('python-check.onnx') });
const server = createRewardServer({ scorer });
const { url } = await server.listen({ port: 0 });
const env = { ...process.env, AUTOTRAJ_REWARD_URL: url };
const good = '<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\\\boxed{42}</answer>';
try {
  const { stdout: out } = await run(${JSON.stringify(python)}, ['-c', \`
import importlib.util, json, sys
def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
trl = load(${JSON.stringify(trl)}, "trl_reward")
verl = load(${JSON.stringify(verl)}, "verl_reward")
rewards = trl.autotraj_reward(prompts=["What is 6*7?", "What is 6*7?"], completions=[sys.argv[1], "no tags"], ground_truth=[["42"], ["42"]])
score = verl.compute_score("gsm8k", "<|im_start|>assistant\\\\n" + sys.argv[1], "42")
print(json.dumps({"rewards": rewards, "score": score["score"]}))
\`, good], { env, encoding: 'utf8', timeout: 60000 });
  console.log(out.trim());
} finally {
  await server.close();
  await scorer.close();
}`;
  const check = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: project,
    encoding: 'utf8',
  });
  const where = 'packages/rl/python (trl_reward.py, verl_reward.py from the installed package)';
  if (check.status !== 0) return fail(where, check.stderr);
  const { rewards, score } = JSON.parse(check.stdout.trim().split('\n').pop());
  // The paper reward: a correct, well-formed answer scores at least its outcome 1 (the RM
  // bonus never pulls it below), a malformed one -1.
  if (rewards.length !== 2 || !(rewards[0] >= 1) || rewards[1] !== -1 || !(score >= 1))
    return fail(where, `unexpected rewards ${check.stdout}`);
  console.log(`ok   ${where}: rewards ${JSON.stringify(rewards)}, compute_score ${score}`);
}

async function rootCommands() {
  const blocks = extractBlocks(join(root, 'README.md'));
  const seen = new Set();
  for (const block of blocks.filter((b) => b.lang === 'sh')) {
    const lines = block.code.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const where = `README.md:${block.line + 1 + i}`;
      let command = lines[i].replace(/\s+#.*$/, '').trim();
      if (command === '') continue;
      while (command.endsWith('\\'))
        command = `${command.slice(0, -1).trim()} ${lines[++i].replace(/\s+#.*$/, '').trim()}`;
      const pin = rootReadme.find((p) => command.startsWith(p.command));
      if (pin === undefined) {
        fail(where, `shell command not in the pinned root-README list: ${command}`);
        continue;
      }
      seen.add(pin);
      if (pin.run === false) {
        console.log(`skip ${where}: ${command} (${pin.reason})`);
        continue;
      }
      const t0 = performance.now();
      const result = spawnSync('bash', ['-c', command], {
        cwd: root,
        encoding: 'utf8',
        env: runEnv,
      });
      if (result.status !== 0)
        fail(
          `${where} ${command}`,
          `exit ${result.status}\n${(result.stderr || result.stdout).split('\n').slice(-25).join('\n')}`,
        );
      else
        console.log(
          `ok   ${where}: ${command} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      if (pin.check) {
        const problem = pin.check(root);
        if (problem) fail(`${where} ${command}`, problem);
      }
    }
  }
  for (const pin of rootReadme)
    if (!seen.has(pin)) fail('README.md', `pinned command matches no line: ${pin.command}`);
}

// Keep the scratch project for inspection; say where it is.
process.on('exit', () =>
  console.log(`(scratch project: ${relative(process.cwd(), project) || project})`),
);
