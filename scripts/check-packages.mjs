// Release checks for every publishable package: publint (package.json, exports, files),
// arethetypeswrong on the packed tarball (types resolve for ESM consumers), and the metadata a
// user needs to trust a package (repository with its directory, homepage, bugs; every file
// `files` lists exists; every file `exports` maps to is in the tarball). Run after a build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];
const REPOSITORY = 'https://github.com/autotraj/autotraj';

/** Problems with the manifest fields a registry page and a user's tooling read. */
function metadataProblems(pkg, dir, pkgDir) {
  const problems = [];
  const expect = (field, actual, wanted) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted))
      problems.push(`${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  expect('repository', pkg.repository, {
    type: 'git',
    url: `git+${REPOSITORY}.git`,
    directory: `packages/${dir}`,
  });
  expect('homepage', pkg.homepage, `${REPOSITORY}/tree/main/packages/${dir}#readme`);
  expect('bugs', pkg.bugs, { url: `${REPOSITORY}/issues` });
  for (const entry of pkg.files ?? []) {
    if (entry.startsWith('!') || /[*?[]/.test(entry)) continue;
    if (!existsSync(join(pkgDir, entry)))
      problems.push(`files lists ${entry}, which does not exist`);
  }
  // changesets writes CHANGELOG.md on the first `./dev version-packages`; from then on it ships.
  if (existsSync(join(pkgDir, 'CHANGELOG.md')) && !(pkg.files ?? []).includes('CHANGELOG.md'))
    problems.push('CHANGELOG.md exists but files does not list it');
  return problems;
}

/** Plain-string `exports` targets (non-JS files such as Python helpers) missing from the tarball. */
function missingExportTargets(pkg, listing) {
  const exportsMap = pkg.publishConfig?.exports ?? pkg.exports ?? {};
  return Object.entries(exportsMap)
    .filter(([, target]) => typeof target === 'string' && !target.includes('*'))
    .map(([, target]) => target.replace(/^\.\//, 'package/'))
    .filter((file) => file !== 'package/package.json' && !listing.includes(file))
    .map((file) => `exports maps to ${file.slice(8)}, which the tarball lacks`);
}

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const out = mkdtempSync(join(tmpdir(), 'autotraj-pack-'));
  try {
    const problems = metadataProblems(pkg, dir, pkgDir);
    if (problems.length > 0) throw new Error(`${pkg.name}: ${problems.join('; ')}`);
    execFileSync(bin('publint'), [pkgDir, '--strict'], { stdio: 'pipe' });
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: pkgDir, stdio: 'pipe' });
    const tarball = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.tgz')),
    );
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    const missing = missingExportTargets(pkg, listing.split('\n'));
    if (missing.length > 0) throw new Error(`${pkg.name}: ${missing.join('; ')}`);
    for (const required of [
      'package/README.md',
      'package/LICENSE',
      'package/dist/index.js',
      'package/dist/index.d.ts',
    ]) {
      if (!listing.split('\n').includes(required))
        throw new Error(`${pkg.name}: tarball lacks ${required.slice(8)}`);
    }
    execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], {
      stdio: 'pipe',
    });
    console.log(`ok   ${pkg.name}`);
  } catch (error) {
    const detail = [error.stdout?.toString(), error.stderr?.toString(), error.message]
      .filter(Boolean)
      .join('\n');
    failures.push(pkg.name);
    console.log(`FAIL ${pkg.name}\n${detail}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
if (failures.length > 0) {
  console.error(`package checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
