import { describe, expect, it } from 'vitest';
import { featurize } from './featurize.js';
import {
  backwardItem,
  createForwardCache,
  createGradients,
  forwardItem,
  initParams,
  PARAM_NAMES,
  type RewardModelShape,
  zeroGradients,
} from './model.js';
import { createRng } from './rng.js';
import { calcTrajectory } from './test-support/trajectories.js';
import { bradleyTerryGrad, bradleyTerryLoss } from './train.js';

describe('reward model gradients', () => {
  it('match central finite differences for every parameter tensor', () => {
    const config = { numBuckets: 64, maxNgram: 2 };
    const batch = featurize(
      [
        { trajectory: calcTrajectory('Half of 10 is <<10/2=5>>5 apples.\nA: 5') },
        {
          trajectory: calcTrajectory(
            'He gives away <<10-3=7>>7 so <<10-7=3>>3 remain, maybe.\nA: 3.5',
          ),
        },
      ],
      config,
    );
    const shape: RewardModelShape = {
      numBuckets: 64,
      denseDim: batch.denseDim,
      embeddingDim: 5,
      hiddenDim: 4,
    };
    const rng = createRng(7);
    const model = {
      shape,
      params: initParams(shape, { seed: 3, precision: 'float64' }),
      denseMean: Float32Array.from({ length: shape.denseDim }, () => rng.normal() * 0.1),
      denseScale: Float32Array.from({ length: shape.denseDim }, () => 0.5 + rng.next()),
    };
    // Larger biases keep every ReLU away from its kink, where finite differences are meaningless.
    model.params.bias1.fill(0.8);
    model.params.bias2.fill(0.8);
    const cc = createForwardCache(shape);
    const cr = createForwardCache(shape);
    // The pair loss alone is blind to the biases (they shift both scores), so the objective adds
    // terms in each score: L = BT(r_c - r_r) + 0.25 r_c - 0.1 r_r².
    const objective = (rc: number, rr: number) =>
      bradleyTerryLoss(rc - rr) + 0.25 * rc - 0.1 * rr * rr;
    const loss = () =>
      objective(forwardItem(model, batch, 0, cc), forwardItem(model, batch, 1, cr));
    const grads = createGradients(shape);
    zeroGradients(grads, shape);
    const rc = forwardItem(model, batch, 0, cc);
    const rr = forwardItem(model, batch, 1, cr);
    const dm = bradleyTerryGrad(rc - rr);
    backwardItem(model, batch, 0, cc, dm + 0.25, grads);
    backwardItem(model, batch, 1, cr, -dm - 0.2 * rr, grads);

    const eps = 1e-6;
    let checked = 0;
    for (const name of PARAM_NAMES) {
      const param = model.params[name];
      const grad = grads[name];
      // Embedding: check the rows the two bags touch (all others have zero gradient).
      const indices =
        name === 'embedding'
          ? Array.from(batch.ids).flatMap((id) => [id * 5, id * 5 + 4])
          : Array.from({ length: param.length }, (_, i) => i);
      let largest = 0;
      for (const i of indices) {
        const saved = param[i]!;
        param[i] = saved + eps;
        const up = loss();
        param[i] = saved - eps;
        const down = loss();
        param[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(numeric - grad[i]!), `${name}[${i}]`).toBeLessThan(
          1e-7 + 1e-5 * Math.abs(numeric),
        );
        largest = Math.max(largest, Math.abs(numeric));
        checked++;
      }
      expect(largest, `${name} has a non-trivial gradient`).toBeGreaterThan(1e-3);
    }
    expect(checked).toBeGreaterThan(200);
    // An untouched embedding row gets no gradient.
    const untouched = Array.from({ length: 64 }, (_, r) => r).find((r) => !batch.ids.includes(r))!;
    expect(grads.embedding.subarray(untouched * 5, untouched * 5 + 5).every((g) => g === 0)).toBe(
      true,
    );
  });

  it('Bradley-Terry loss is stable for large margins', () => {
    expect(bradleyTerryLoss(0)).toBeCloseTo(Math.log(2), 12);
    expect(bradleyTerryLoss(1000)).toBe(0);
    expect(bradleyTerryLoss(-1000)).toBeCloseTo(1000, 9);
    expect(bradleyTerryGrad(0)).toBe(-0.5);
  });
});
