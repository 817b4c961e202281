import { createHash } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDigest, modelRunSettings, settingName } from './run-settings.js';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('run settings of the CLI', () => {
  it('a local: model is recorded with its file hash, which follows the file; a server model has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-run-settings-'));
    const gguf = join(dir, 'model.gguf');
    writeFileSync(gguf, 'first weights');
    const local = await modelRunSettings(
      { model: `local:${gguf}` },
      { model: `local:${gguf}`, repairModel: `local:${gguf}` },
    );
    expect(local).toEqual({
      model: `local:${gguf}`,
      modelFile: sha('first weights'),
      repairModel: `local:${gguf}`,
      repairModelFile: sha('first weights'),
      replay: null,
    });
    writeFileSync(gguf, 'other weights, same name');
    expect(await fileDigest(gguf, '--model')).toBe(sha('other weights, same name'));
    // A fetched model's hash stamped by @autotraj/llama-cpp's verification is used while it
    // describes the file as it is; a stale stamp is ignored.
    const { size, mtimeMs } = statSync(gguf);
    const stamp = join(dir, 'model.gguf.verified.json');
    writeFileSync(stamp, JSON.stringify({ size, mtimeMs, sha256: 'a'.repeat(64) }));
    expect(await fileDigest(gguf, '--model')).toBe(`sha256:${'a'.repeat(64)}`);
    writeFileSync(stamp, JSON.stringify({ size: size + 1, mtimeMs, sha256: 'a'.repeat(64) }));
    expect(await fileDigest(gguf, '--model')).toBe(sha('other weights, same name'));
    const served = await modelRunSettings({ model: 'vllm:qwen' }, { model: 'vllm:qwen' });
    expect(served).toEqual({ model: 'vllm:qwen', modelFile: null, replay: null });
  });

  it('names a setting with the flag that sets it', () => {
    expect(settingName('maxToolCalls')).toBe('maxToolCalls (--max-tool-calls)');
    expect(settingName('prompts')).toBe('prompts (--prompt)');
    expect(settingName('rows')).toBe('rows (--sft)');
    expect(settingName('modelFile')).toBe('modelFile');
  });
});
