import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteServiceError } from '../errors.js';
import { type Loopback, sendJson, startLoopback } from '../test-support/loopback.js';
import { createSandboxFusionExecutor, errorFromTraceback } from './sandbox-fusion.js';

let server: Loopback;
let reply: (body: { code: string; run_timeout: number }) => unknown = () => ({});
let delayMs = 0;

beforeAll(async () => {
  server = await startLoopback(async (body, req, res) => {
    if (req.url !== '/run_code') return sendJson(res, 404, { detail: 'not found' });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const answer = reply(body as { code: string; run_timeout: number });
    if (typeof answer === 'number') return sendJson(res, answer, 'upstream failure');
    sendJson(res, 200, answer);
  });
});
afterAll(() => server.close());

const finished = (stdout: string, stderr = '', returnCode = 0, status = 'Finished') => ({
  status: returnCode === 0 ? 'Success' : 'Failed',
  message: '',
  compile_result: null,
  run_result: { status, execution_time: 0.01, return_code: returnCode, stdout, stderr },
});

describe('SandboxFusion executor', () => {
  it('sends /run_code {code, language, run_timeout, memory_limit_MB} and maps the run result', async () => {
    reply = () => finished('2\n');
    const executor = createSandboxFusionExecutor({ baseURL: server.url });
    const result = await executor.run('print(1+1)', { timeoutMs: 3000, memoryMb: 256 });
    expect(server.requests.at(-1)).toEqual({
      code: 'print(1+1)',
      language: 'python',
      run_timeout: 3,
      memory_limit_MB: 256,
    });
    expect(result).toMatchObject({
      stdout: '2\n',
      stderr: '',
      error: null,
      timedOut: false,
      truncated: false,
    });
    expect((await executor.isolation()).network).toBe('remote');
  });

  it('parses the traceback into a typed error, and reports sandbox timeouts', async () => {
    const executor = createSandboxFusionExecutor({ baseURL: server.url });
    reply = () =>
      finished(
        '',
        'Traceback (most recent call last):\n  File "x.py", line 1\nNameError: name \'y\' is not defined\n',
        1,
        'Finished',
      );
    expect((await executor.run('y')).error).toMatchObject({
      type: 'NameError',
      message: "name 'y' is not defined",
    });
    reply = () => finished('', '', -1, 'TimeLimitExceeded');
    expect(await executor.run('while True: pass')).toMatchObject({
      timedOut: true,
      error: { type: 'TimeoutError' },
    });
    expect(errorFromTraceback('no error here')).toBeNull();
  });

  it('emulates sessions by replaying earlier successful cells with their output discarded', async () => {
    reply = () => finished('ok\n');
    const executor = createSandboxFusionExecutor({ baseURL: server.url });
    await executor.run('x = 1\nprint("first")', { sessionId: 's' });
    await executor.run('print(x)', { sessionId: 's' });
    const sent = (server.requests.at(-1) as { code: string }).code;
    expect(sent).toContain(JSON.stringify('x = 1\nprint("first")'));
    expect(sent.endsWith('print(x)')).toBe(true);
    await executor.endSession('s');
    await executor.run('print(x)', { sessionId: 's' });
    expect((server.requests.at(-1) as { code: string }).code).toBe('print(x)');
  });

  it('truncates long output with the marker', async () => {
    reply = () => finished('a'.repeat(5000));
    const result = await createSandboxFusionExecutor({ baseURL: server.url }).run('x', {
      maxOutputBytes: 1000,
    });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toMatch(/^a{1000}\n\[\.\.\. output truncated: 4000 bytes omitted/);
  });

  it('turns HTTP errors, timeouts, sandbox errors and malformed answers into typed errors', async () => {
    const executor = createSandboxFusionExecutor({ baseURL: server.url, httpSlackMs: 100 });
    const failure = async () => {
      const error = await executor.run('x', { timeoutMs: 100 }).catch((e: unknown) => e);
      expect(RemoteServiceError.isInstance(error)).toBe(true);
      return error as RemoteServiceError;
    };
    reply = () => 502;
    expect(await failure()).toMatchObject({ kind: 'http-status', status: 502 });
    reply = () => ({ status: 'SandboxError', message: 'no runner for python' });
    expect((await failure()).message).toContain('no runner for python');
    reply = () => ({ unexpected: true });
    expect(await failure()).toMatchObject({ kind: 'malformed-response' });
    reply = () => ({ status: 'Success' });
    expect(await failure()).toMatchObject({ kind: 'malformed-response' });
    delayMs = 1000;
    reply = () => finished('late');
    expect(await failure()).toMatchObject({ kind: 'timeout' });
    delayMs = 0;
  });
});
