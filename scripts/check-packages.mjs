// Release checks for every publishable package: publint (package.json, exports, files) and
// arethetypeswrong on the packed tarball (types resolve for ESM consumers). Run after a build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const out = mkdtempSync(join(tmpdir(), 'autotraj-pack-'));
  try {
    execFileSync(bin('publint'), [pkgDir, '--strict'], { stdio: 'pipe' });
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: pkgDir, stdio: 'pipe' });
    const tarball = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.tgz')),
    );
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
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
