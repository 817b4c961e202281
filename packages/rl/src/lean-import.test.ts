import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Import `specifier` (as an application would: the built package) in a fresh Node process and
 * list what it loaded: every module URL resolved (ESM and require) and every native library.
 */
async function loadedBy(specifier: string): Promise<{ modules: string[]; libraries: string[] }> {
  const script = `
    import { registerHooks } from 'node:module';
    const modules = [];
    registerHooks({ resolve(s, c, next) { const r = next(s, c); modules.push(r.url); return r; } });
    await import(${JSON.stringify(specifier)});
    console.log(JSON.stringify({ modules, libraries: process.report.getReport().sharedObjects }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageDir,
  });
  return JSON.parse(stdout) as { modules: string[]; libraries: string[] };
}

const heavy = /onnxruntime|@huggingface[/+]tokenizers|reward-model/;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

describe('importing @autotraj/rl', () => {
  it('loads neither onnxruntime nor the tokenizers: rl codes against the scorer contract', async () => {
    // The check runs the built package (what users import); a stale build would test old code.
    const built = statSync(join(packageDir, 'dist', 'index.js')).mtimeMs;
    expect(
      built >= newestSource(join(packageDir, 'src')),
      'dist/ is older than src/: build first (./dev build; ./dev test does)',
    ).toBe(true);

    // The probe sees onnxruntime when it is loaded: the reward model package loads it on import.
    const control = await loadedBy('@autotraj/reward-model');
    expect(control.modules.some((url) => url.includes('/onnxruntime-node/'))).toBe(true);
    expect(control.libraries.some((path) => path.includes('onnxruntime'))).toBe(true);

    const rl = await loadedBy('@autotraj/rl');
    expect(rl.modules.some((url) => url.includes('/rl/dist/index.js'))).toBe(true);
    expect(rl.modules.filter((url) => heavy.test(url))).toEqual([]);
    expect(rl.libraries.filter((path) => heavy.test(path))).toEqual([]);
  }, 60_000);
});
