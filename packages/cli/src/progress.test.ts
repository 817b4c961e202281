import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration, renderProgress } from './progress.js';

describe('renderProgress', () => {
  it('shows the bar, the rate and the ETA from this run', () => {
    expect(
      renderProgress({ done: 10, total: 40, resumed: 0, elapsedMs: 5000, unit: 'tasks', width: 8 }),
    ).toBe('[##......] 10/40 tasks  2.0 tasks/s  ETA 15s');
  });

  it('leaves resumed work out of the rate, so the ETA is not flattered', () => {
    // 20 done earlier, 5 in 10 s now: 0.5/s, 15 left -> 30 s.
    expect(
      renderProgress({
        done: 25,
        total: 40,
        resumed: 20,
        elapsedMs: 10_000,
        unit: 'tasks',
        width: 8,
      }),
    ).toBe('[#####...] 25/40 tasks  30.0 tasks/min  ETA 30s');
  });

  it('says when it is done, and what it cannot know yet', () => {
    expect(
      renderProgress({
        done: 4,
        total: 4,
        resumed: 0,
        elapsedMs: 65_000,
        unit: 'groups',
        width: 4,
        tail: 'mean 0.5',
      }),
    ).toBe('[####] 4/4 groups  3.7 groups/min  done in 1m05s  mean 0.5');
    expect(
      renderProgress({ done: 0, total: 4, resumed: 0, elapsedMs: 0, unit: 'groups', width: 4 }),
    ).toBe('[....] 0/4 groups  rate -');
    expect(
      renderProgress({ done: 300, total: null, resumed: 0, elapsedMs: 2000, unit: 'trajectories' }),
    ).toBe('300 trajectories  150 trajectories/s');
  });

  it('formats durations for people', () => {
    expect([formatDuration(900), formatDuration(42_000), formatDuration(3_725_000)]).toEqual([
      '1s',
      '42s',
      '1h02m',
    ]);
  });
});

describe('createProgressBar', () => {
  const capture = (interactive: boolean) => {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (c: Buffer) => (text += c.toString()));
    return { io: { stdout: new PassThrough(), stderr, interactive }, text: () => text };
  };

  it('draws on a terminal only', () => {
    let t = 0;
    const tty = capture(true);
    const bar = createProgressBar(tty.io, { unit: 'tasks', total: 2, now: () => t });
    t = 1000;
    bar.update(1);
    bar.finish();
    expect(tty.text()).toBe('\r[############............] 1/2 tasks  1.0 tasks/s  ETA 1s\x1b[K\n');
    const pipe = capture(false);
    const quiet = createProgressBar(pipe.io, { unit: 'tasks', total: 2 });
    quiet.update(1);
    quiet.finish();
    expect(pipe.text()).toBe('');
  });
});
