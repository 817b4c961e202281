import { afterAll, describe, expect, it } from 'vitest';
import { PythonPoolError } from '../errors.js';
import { createPythonPool } from './pool.js';

const pool = createPythonPool({ size: 2 });
afterAll(() => pool.close());

describe('python pool', () => {
  it('runs code and returns typed results', async () => {
    const result = await pool.run('print(1 + 1)');
    expect(result).toMatchObject({
      stdout: '2\n',
      stderr: '',
      error: null,
      timedOut: false,
      truncated: false,
    });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('reports exceptions with type, message and a traceback starting at the cell', async () => {
    const result = await pool.run('x = 1\nprint("before")\ny = undefined_name + 1');
    expect(result.stdout).toBe('before\n');
    expect(result.error).toMatchObject({
      type: 'NameError',
      message: "name 'undefined_name' is not defined",
    });
    expect(result.error!.traceback).toContain('File "<cell>", line 3');
    expect(result.error!.traceback).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "<cell>", line 3/,
    );
    expect(result.error!.traceback).not.toContain('in execute');
    const syntax = await pool.run('def f(:\n  pass');
    expect(syntax.error).toMatchObject({ type: 'SyntaxError', message: 'invalid syntax' });
  });

  it('shares state within a session and starts clean in a new one', async () => {
    await pool.run('counter = 41', { sessionId: 'a' });
    expect((await pool.run('counter += 1\nprint(counter)', { sessionId: 'a' })).stdout).toBe(
      '42\n',
    );
    expect((await pool.run('print(counter)', { sessionId: 'b' })).error?.type).toBe('NameError');
    expect((await pool.run('print(counter)')).error?.type).toBe('NameError');
    await pool.endSession('a');
    expect((await pool.run('print(counter)', { sessionId: 'a' })).error?.type).toBe('NameError');
  });

  // Model-written TIR code imports sympy and numpy: the project's venv (./dev sets
  // AUTOTRAJ_PYTHON) must reach the cells through the sandbox's read-only view.
  it.skipIf(!process.env.AUTOTRAJ_PYTHON)(
    "uses the project's venv by default, so cells can import sympy and numpy",
    async () => {
      const result = await pool.run(
        'import sys, sympy, numpy\nprint(sys.prefix != sys.base_prefix, sympy.Rational(1, 3) + 1, int(numpy.arange(4).sum()))',
      );
      expect(result.error).toBeNull();
      expect(result.stdout).toBe('True 4/3 6\n');
    },
  );

  it('describes its isolation, and announces it once when the first worker is up', async () => {
    const announced: string[] = [];
    const announcing = createPythonPool({ size: 2, onIsolation: (r) => announced.push(r.summary) });
    await announcing.ready();
    await announcing.close();
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatch(/^python sandbox: mode=/);
    const report = await pool.isolation();
    expect(report.summary).toContain(`mode=${report.mode}`);
    expect(['bwrap', 'namespaces', 'network-only', 'none']).toContain(report.mode);
  });

  it('rejects bad options, a missing interpreter and calls after close with typed errors', async () => {
    expect(() => createPythonPool({ size: 0 })).toThrow(RangeError);
    await expect(pool.run('1', { timeoutMs: -5 })).rejects.toThrow(/timeoutMs/);
    const broken = createPythonPool({ size: 1, python: '/nonexistent/python3' });
    const error = await broken.run('print(1)').catch((e: unknown) => e);
    expect(PythonPoolError.isInstance(error)).toBe(true);
    expect((error as PythonPoolError).code).toBe('worker_start_failed');
    await broken.close();
    const closing = createPythonPool({ size: 1 });
    await closing.ready();
    await closing.close();
    await expect(closing.run('print(1)')).rejects.toSatisfy((e: unknown) =>
      PythonPoolError.isInstance(e),
    );
  });

  it('serializes calls of one session and runs different sessions in parallel workers', async () => {
    // Two sessions' cells overlap in time: they ran on two workers at once.
    const cell = 'import time\nstart = time.time()\ntime.sleep(0.3)\nprint(start, time.time())';
    const [a, b] = await Promise.all([
      pool.run(cell, { sessionId: 'p1' }),
      pool.run(cell, { sessionId: 'p2' }),
    ]);
    const [aStart, aEnd] = a.stdout.split(' ').map(Number) as [number, number];
    const [bStart, bEnd] = b.stdout.split(' ').map(Number) as [number, number];
    expect(aStart < bEnd && bStart < aEnd).toBe(true);
    const order = await Promise.all([
      pool.run('import time\ntime.sleep(0.1)\nlog = ["first"]', { sessionId: 'p3' }),
      pool.run('log.append("second")\nprint(log)', { sessionId: 'p3' }),
    ]);
    expect(order[1].stdout).toBe("['first', 'second']\n");
  });

  it('degrades to weaker isolation modes and says so', async () => {
    process.env.AUTOTRAJ_TEST_SECRET = 'not-for-workers';
    for (const mode of ['network-only', 'none'] as const) {
      const weaker = createPythonPool({ size: 1, isolation: mode });
      try {
        const report = await weaker.isolation().catch(() => null);
        if (report === null) continue; // this machine cannot offer the mode (e.g. no unshare)
        expect(report.mode).toBe(mode);
        expect(report.network).toBe(mode === 'none' ? 'shared' : 'isolated');
        expect(report.filesystem).toMatch(/^shared with the parent/);
        const result = await weaker.run(
          'import os\nprint(os.environ.get("AUTOTRAJ_TEST_SECRET"), len(os.environ) < 20)',
        );
        expect(result.stdout).toBe('None True\n');
      } finally {
        await weaker.close();
      }
    }
  });

  it('recycles a worker after recycleAfterCalls cells, dropping module-level tampering', async () => {
    const recycling = createPythonPool({ size: 1, recycleAfterCalls: 2 });
    try {
      await recycling.run('import math\nmath.tau = 1');
      expect((await recycling.run('import math\nprint(math.tau)')).stdout).toBe('1\n');
      expect((await recycling.run('import math\nprint(math.tau)')).stdout).toBe(
        '6.283185307179586\n',
      );
    } finally {
      await recycling.close();
    }
  });
});
