// The loopback endpoint for the benchmark, in its own process so its CPU does not count
// against the pipeline under test. Prints its baseURL, serves until killed.
import { readFileSync } from 'node:fs';
import { gsm8kPolicyReply, startLoopbackServer } from '@autotraj/generation/testing';

const [trainPath, limit, latency] = process.argv.slice(2);
const problems = readFileSync(trainPath, 'utf8')
  .split('\n')
  .slice(0, Number(limit))
  .map((line) => JSON.parse(line));
const server = await startLoopbackServer({
  reply: gsm8kPolicyReply({ problems }),
  latencyMs: Number(latency),
});
process.stdout.write(`${server.baseURL}\n`);
// The server keeps every request it received; this stand-in for a remote model server drops
// them once counted, so its heap (and GC, on the cores the pipeline uses) does not grow.
let served = 0;
setInterval(() => {
  served += server.requests.length;
  server.requests.length = 0;
}, 500).unref();
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage();
  served += server.requests.length;
  process.stderr.write(
    `loopback server: ${served} requests, ${((cpu.user + cpu.system) / 1000 / Math.max(1, served)).toFixed(3)} ms CPU each\n`,
  );
  server.close().then(() => process.exit(0));
});
