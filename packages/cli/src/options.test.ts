import { describe, expect, it } from 'vitest';
import { run } from './test-support/run.js';

// One parser per kind of flag: the same bad value is refused the same way by every command.
describe('numeric flags', () => {
  const commands: Array<[string, string[]]> = [
    ['synthesize', ['synthesize', '--out', 'x']],
    ['rollout', ['rollout', '--prompts', 'p', '--group-size', '2', '--model', 'm', '--out', 'x']],
    ['run', ['run', '--out', 'x']],
  ];
  for (const [name, argv] of commands) {
    for (const bad of ['2.5', '0', 'many', '']) {
      it(`${name} --concurrency "${bad}" is a usage error naming the flag`, async () => {
        const result = await run([...argv, '--concurrency', bad]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`--concurrency must be an integer >= 1, got "${bad}"`);
      });
    }
  }

  it('number flags state their range', async () => {
    const rm = await run(['train-rm', '--pairs', 'p', '--out', 'x', '--validation-split', '1']);
    expect(rm.code).toBe(2);
    expect(rm.stderr).toContain('--validation-split must be a number >= 0 and < 1, got "1"');
    const synth = await run(['synthesize', '--out', 'x', '--temperature', '-1']);
    expect(synth.code).toBe(2);
    expect(synth.stderr).toContain('--temperature must be a number >= 0, got "-1"');
    const roll = await run([
      ...['rollout', '--prompts', 'p', '--group-size', '2', '--model', 'm', '--out', 'x'],
      ...['--temperature', 'hot'],
    ]);
    expect(roll.code).toBe(2);
    expect(roll.stderr).toContain('--temperature must be a number >= 0, got "hot"');
  });
});
