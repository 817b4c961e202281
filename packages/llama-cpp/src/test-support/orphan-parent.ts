// A parent process for the worker-leak test: loads the model given as argv[2] in one worker,
// starts a long generation, and once text is streaming prints `{"worker": <pid>}`. The test
// then kills this process and watches the worker.
import { createLlamaCppModel } from '../language-model.js';
import { childPids } from './processes.js';

const model = createLlamaCppModel({ modelPath: process.argv[2] ?? '', contextSize: 1024 });
await model.ready();
const { stream } = await model.doStream({
  prompt: [
    { role: 'user', content: [{ type: 'text', text: 'Count from 1 to 500, one per line.' }] },
  ],
  maxOutputTokens: 900,
});
const reader = stream.getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  if (value.type === 'text-delta') {
    const [worker] = childPids(process.pid, 'worker');
    console.log(JSON.stringify({ worker }));
    break;
  }
}
// Keep generating until killed.
for (;;) if ((await reader.read()).done) break;
