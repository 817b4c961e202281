import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPythonPool } from './pool.js';
import type { IsolationReport } from './types.js';

// Set before the pool starts: the workers must not see it anywhere.
process.env.AUTOTRAJ_TEST_SECRET = 'secret-7f3a9c1e';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const pool = createPythonPool({
  size: 2,
  defaults: { timeoutMs: 5000, memoryMb: 512, cpuSeconds: 5, maxOutputBytes: 16 * 1024 },
});
let report: IsolationReport;

beforeAll(async () => {
  report = await pool.isolation();
});
afterAll(() => pool.close());

async function expectServing(): Promise<void> {
  const result = await pool.run('print("alive")');
  expect(result).toMatchObject({ stdout: 'alive\n', error: null });
}

describe('hostile code is contained and the pool keeps serving', () => {
  it('uses the strongest isolation this machine offers (namespaces when root with unshare)', () => {
    if (isRoot) expect(report.mode).toMatch(/^(namespaces|bwrap)$/);
    expect(report.summary).toContain(report.mode);
  });

  it('infinite loop: wall timeout kills and replaces the worker', async () => {
    const result = await pool.run('while True:\n    pass', { timeoutMs: 800, cpuSeconds: 60 });
    expect(result).toMatchObject({ timedOut: true, error: { type: 'TimeoutError' } });
    expect(result.durationMs).toBeLessThan(5000);
    await expectServing();
  });

  it('CPU-bound loop: RLIMIT_CPU stops the cell without killing the worker', {
    timeout: 60_000,
  }, async () => {
    await pool.run('x = 1', { sessionId: 'cpu' });
    const result = await pool.run('while True:\n    pass', {
      sessionId: 'cpu',
      cpuSeconds: 1,
      timeoutMs: 45_000,
    });
    expect(result).toMatchObject({ timedOut: false, error: { type: 'CpuLimitExceeded' } });
    expect((await pool.run('print(x)', { sessionId: 'cpu' })).stdout).toBe('1\n');
  });

  it('memory bomb: RLIMIT_AS turns it into MemoryError', async () => {
    const big = await pool.run('x = bytearray(8 * 1024 ** 3)');
    expect(big.error?.type).toBe('MemoryError');
    const growing = await pool.run('chunks = []\nwhile True:\n    chunks.append(b"x" * 10 ** 7)');
    expect(growing.error?.type).toBe('MemoryError');
    await expectServing();
  });

  it('fork bomb: capped, and strays are killed after the cell', async () => {
    const result = await pool.run('import os\nwhile True:\n    os.fork()', { timeoutMs: 8000 });
    expect(result.error).not.toBeNull();
    if (report.processes.includes('at most')) expect(result.error?.type).toBe('BlockingIOError');
    await expectServing();
  });

  it('100 MB of output is truncated with a marker, at Python and fd level', async () => {
    const printed = await pool.run('for _ in range(1000):\n    print("y" * 100_000)', {
      timeoutMs: 20_000,
    });
    expect(printed.truncated).toBe(true);
    expect(printed.stdout.length).toBeLessThan(17 * 1024 + 200);
    expect(printed.stdout).toMatch(/\[\.\.\. output truncated: \d+ bytes omitted \.\.\.\]/);
    const raw = await pool.run(
      'import os\nfor _ in range(100):\n    os.write(1, b"z" * 1_000_000)',
    );
    expect(raw.truncated || raw.error !== null).toBe(true);
    expect(raw.stdout.length).toBeLessThan(17 * 1024 + 200);
    await expectServing();
  });

  it('opening a network socket to a server on this machine fails', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await pool.run(
        `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=2)\nprint("connected")`,
      );
      if (report.network === 'isolated') {
        expect(result.error?.type).toMatch(/OSError|ConnectionRefusedError|TimeoutError/);
        expect(result.stdout).not.toContain('connected');
        expect(connections).toBe(0);
      }
    } finally {
      server.close();
    }
    await expectServing();
  });

  it('writing outside the working directory fails; inside it works and is private', async () => {
    const target = `/tmp/autotraj-escape-${process.pid}`;
    const result = await pool.run(`open(${JSON.stringify(target)}, "w").write("x")`);
    if (report.filesystem.startsWith('read-only')) {
      expect(result.error?.type).toMatch(/OSError|PermissionError/);
      expect(existsSync(target)).toBe(false);
    }
    const inside = await pool.run(
      'open("note.txt", "w").write("kept")\nprint(open("note.txt").read())\nimport os\nprint(os.getcwd())',
    );
    expect(inside.stdout.split('\n')[0]).toBe('kept');
    const cwd = inside.stdout.split('\n')[1]!;
    // A session-less cell's directory is removed afterwards.
    expect(existsSync(cwd)).toBe(false);
  });

  it('filling the disk stops at the per-file size limit', async () => {
    const result = await pool.run(
      'with open("big.bin", "wb") as f:\n    for _ in range(100):\n        f.write(b"0" * 1_000_000)',
    );
    expect(result.error).toMatchObject({
      type: 'OSError',
      message: expect.stringContaining('File too large'),
    });
    await expectServing();
  });

  it("cannot read the parent's environment secrets", async () => {
    const result = await pool.run(
      [
        'import os, glob',
        'found = [repr(dict(os.environ))]',
        'for path in glob.glob("/proc/*/environ"):',
        '    try:',
        '        found.append(open(path, "rb").read().decode("latin1"))',
        '    except OSError:',
        '        pass',
        'print("\\n".join(found))',
      ].join('\n'),
    );
    expect(result.error).toBeNull();
    expect(result.stdout).not.toContain('secret-7f3a9c1e');
    expect(result.stdout).not.toContain('AUTOTRAJ_TEST_SECRET');
  });

  it('killing the parent process does not reach it', async () => {
    const viaPpid = await pool.run(
      'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint("still here")',
    );
    expect(
      viaPpid.error === null ||
        viaPpid.error.type === 'WorkerCrashed' ||
        viaPpid.error.type === 'PermissionError',
    ).toBe(true);
    if (report.processes.startsWith('own pid namespace')) {
      const direct = await pool.run(`import os, signal\nos.kill(${process.pid}, signal.SIGKILL)`);
      expect(direct.error?.type).toMatch(/ProcessLookupError|PermissionError/);
    }
    expect(process.pid).toBeGreaterThan(0);
    await expectServing();
  });

  it('os._exit ends the worker, which is replaced', async () => {
    const result = await pool.run('import os\nos._exit(3)');
    expect(result.error?.type).toBe('WorkerCrashed');
    expect(result.error?.message).toMatch(/code 3|signal/);
    await expectServing();
  });

  it('a segfault through ctypes crashes only the worker', async () => {
    const result = await pool.run('import ctypes\nctypes.string_at(0)');
    expect(result.error?.type).toBe('WorkerCrashed');
    await expectServing();
  });

  it('recursion blow-up is a RecursionError, or at worst a crashed worker', async () => {
    const plain = await pool.run('def f():\n    return f()\nf()');
    expect(plain.error?.type).toBe('RecursionError');
    // With the limit lifted, CPython 3.11 grows frames on the heap until a limit stops it.
    const deep = await pool.run(
      'import sys\nsys.setrecursionlimit(10 ** 7)\ndef g(n):\n    return g(n + 1)\ng(0)',
      { timeoutMs: 2000 },
    );
    expect(deep.error?.type).toMatch(/RecursionError|WorkerCrashed|MemoryError|TimeoutError/);
    await expectServing();
  });

  it('a session whose worker was killed says its state was reset', async () => {
    await pool.run('kept = 1', { sessionId: 'doomed' });
    await pool.run('while True:\n    pass', { sessionId: 'doomed', timeoutMs: 500 });
    const after = await pool.run('print(kept)', { sessionId: 'doomed' });
    expect(after.sessionReset).toBe(true);
    expect(after.error?.type).toBe('NameError');
  });

  it('50 calls in flight at once on a pool of 2, some hostile, all answered correctly', async () => {
    const calls = Array.from({ length: 50 }, (_, i) => {
      if (i % 17 === 5)
        return pool.run('while True:\n    pass', { timeoutMs: 400 }).then((r) => ({ i, r }));
      if (i % 10 === 3)
        return pool.run(`step = ${i}`, { sessionId: `s${i % 4}` }).then((r) => ({ i, r }));
      return pool.run(`print(${i} * ${i})`).then((r) => ({ i, r }));
    });
    const results = await Promise.all(calls);
    for (const { i, r } of results) {
      if (i % 17 === 5) expect(r.timedOut, `call ${i}`).toBe(true);
      else if (i % 10 === 3) expect(r.error, `call ${i}`).toBeNull();
      else expect(r.stdout, `call ${i}`).toBe(`${i * i}\n`);
    }
    await expectServing();
  });
});
