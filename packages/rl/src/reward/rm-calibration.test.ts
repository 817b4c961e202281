import { describe, expect, it } from 'vitest';
import { RlConfigError } from '../errors.js';
import { createFunctionScorer } from '../scorer.js';
import { tagTrajectory } from '../test-support.js';
import { createReward, fitRmCalibration } from './create-reward.js';
import { mathOutcome } from './outcomes.js';
import { createPresetReward } from './paper-reward.js';

const exactMath = mathOutcome({
  verify: ({ gold, pred }) => ({ equivalent: gold.trim() === pred.trim() }),
});
// Every correct trajectory scores below zero, as the demo's RM does: the raw paper rule adds nothing.
const rmByAnswer: Record<string, number> = { '42': -1.5, '42.0': -0.5, '0': -3 };
const scorer = createFunctionScorer((item) => rmByAnswer[item.trajectory.finalAnswer ?? ''] ?? 0);
const items = ['42', '42.0', '0'].map((answer) => ({
  trajectory: tagTrajectory({ answer, salt: answer }),
  goldAnswers: ['42', '42.0'],
}));

describe('RM calibration', () => {
  it('raw scores below zero never change a total; calibrated ones do, and order the correct rollouts', async () => {
    const raw = await createReward({ outcome: exactMath, trajectoryModel: scorer }).score(items);
    expect(raw.map((r) => r.total)).toEqual([1, 1, 0]);
    const calibrated = await createReward({
      outcome: exactMath,
      trajectoryModel: scorer,
      trajectoryModelCalibration: { center: -1.5, scale: 0.5 },
    }).score(items);
    // 42: (−1.5 + 1.5) / 0.5 = 0 -> no bonus; 42.0: (−0.5 + 1.5) / 0.5 = 2 -> +0.4; 0: wrong, no RM.
    expect(calibrated.map((r) => r.total)).toEqual([1, 1.4, 0]);
    expect(calibrated[1]!.components).toMatchObject({
      trajectoryModel: -0.5,
      trajectoryModelCalibrated: 2,
    });
    expect(calibrated[1]!.components.trajectoryModelBonus).toBeCloseTo(0.4, 12);
  });

  it('fits the median and the scaled median absolute deviation', () => {
    expect(fitRmCalibration([1, 2, 3, 4, 100])).toEqual({ center: 3, scale: 1 * 1.4826 });
    expect(fitRmCalibration([2, 2, 2])).toEqual({ center: 2, scale: 1 });
    expect(() => fitRmCalibration([])).toThrow(RlConfigError);
  });

  it('is refused by the paper preset (raw score, as the paper) and checked when given', () => {
    expect(() =>
      createPresetReward('paper', {
        trajectoryModel: scorer,
        trajectoryModelCalibration: { center: 0, scale: 1 },
      }),
    ).toThrow(RlConfigError);
    expect(() =>
      createPresetReward('autotraj', {
        trajectoryModel: scorer,
        trajectoryModelCalibration: { center: 0, scale: 0 },
      }),
    ).toThrow(/scale > 0/);
  });
});
