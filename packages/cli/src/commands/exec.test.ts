import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-exec-'));
const file = (name: string, code: string) => {
  const path = join(dir, name);
  writeFileSync(path, code);
  return path;
};

describe('autotraj exec python', () => {
  it('runs a file in the sandbox and prints its output, with the isolation summary on stderr', async () => {
    const result = await run([
      'exec',
      'python',
      file('ok.py', 'import math\nprint(math.factorial(5))\n'),
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '120\n' });
    expect(result.stderr).toMatch(/python sandbox: mode=/);
  });

  it('prints the typed result as JSON and exits 1 when the code raises', async () => {
    const result = await run([
      'exec',
      'python',
      '--json',
      '--quiet',
      file('bad.py', 'print("a")\n1/0\n'),
    ]);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      stdout: 'a\n',
      error: { type: 'ZeroDivisionError', message: 'division by zero' },
      timedOut: false,
      truncated: false,
    });
    expect(result.stderr).toContain('ZeroDivisionError');
  });

  it('enforces --timeout-ms and --memory-mb', async () => {
    const slow = await run([
      'exec',
      'python',
      '--json',
      '--quiet',
      '--timeout-ms',
      '300',
      file('loop.py', 'while True:\n    pass\n'),
    ]);
    expect(slow.code).toBe(1);
    expect(JSON.parse(slow.stdout)).toMatchObject({
      timedOut: true,
      error: { type: 'TimeoutError' },
    });
    const hungry = await run([
      'exec',
      'python',
      '--json',
      '--quiet',
      '--memory-mb',
      '300',
      file('mem.py', 'x = bytearray(1024 ** 3)\n'),
    ]);
    expect(JSON.parse(hungry.stdout).error.type).toBe('MemoryError');
  });

  it('reports a missing file and bad options as user errors', async () => {
    expect(await run(['exec', 'python', join(dir, 'missing.py')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot read'),
    });
    expect((await run(['exec', 'python', '--timeout-ms', 'soon', file('x.py', '')])).code).toBe(2);
  });
});

describe('autotraj exec calc', () => {
  it('evaluates an expression, and refuses what is not arithmetic', async () => {
    expect(await run(['exec', 'calc', '250+150+1,050+180'])).toMatchObject({
      code: 0,
      stdout: '1630\n',
    });
    expect(JSON.parse((await run(['exec', 'calc', '--json', '10/4'])).stdout)).toEqual({
      ok: true,
      value: 2.5,
      text: '2.5',
    });
    const refused = await run(['exec', 'calc', 'import({})']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/NotAllowed|UndefinedSymbol/);
  });
});
