// Reward server in its own process for the benchmark: node bench/serve-child.mjs <model.onnx> <maxBatchSize>
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { createRewardServer } from '../dist/index.js';

const [model, maxBatchSize = '256'] = process.argv.slice(2);
const scorer = await openTrajectoryScorer({ path: model, intraOpNumThreads: 1 });
const server = createRewardServer({
  scorer,
  maxBatchSize: Number(maxBatchSize),
  maxItemsPerRequest: 100_000,
  maxBodyBytes: 64 * 1024 * 1024,
});
const { url } = await server.listen({ port: 0 });
process.send?.({ url });
process.on('message', async (message) => {
  if (message === 'metrics') process.send?.({ metrics: server.metrics() });
  if (message === 'stop') {
    await server.close();
    await scorer.close();
    process.exit(0);
  }
});
