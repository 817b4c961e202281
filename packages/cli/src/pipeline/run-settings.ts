import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { RunSettings, RunSettingsMismatchError } from '@autotraj/trajectory';
import { formatSettingDifferences } from '@autotraj/trajectory/internal';
import { CliError } from '../cli-error.js';
import {
  importLlamaCpp,
  type ModelFlags,
  normalizeModelFlag,
  type RepairModelFlags,
} from '../model-options.js';
import { flagOf } from '../parameter-flags.js';

const digests = new Map<string, Promise<string>>();

/**
 * `sha256:<hex>` of a file's bytes: once per process for a path, size and modification time (a
 * GGUF takes seconds), so a file replaced meanwhile is hashed again.
 */
export function fileDigest(path: string, flag: string): Promise<string> {
  let key = path;
  try {
    const stat = statSync(path);
    key = `${path}\u0000${stat.size}\u0000${stat.mtimeMs}`;
    // A fetched model verified by @autotraj/llama-cpp has its hash stamped beside it.
    const stamped = verifiedStamp(path, stat.size, stat.mtimeMs);
    if (stamped !== null) return Promise.resolve(`sha256:${stamped}`);
  } catch {
    // Unreadable: the read below says so, with the flag.
  }
  let digest = digests.get(key);
  if (digest === undefined) {
    digest = (async () => {
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      } catch (cause) {
        throw new CliError({
          message: `${flag} ${path}: cannot read it (${(cause as Error).message})`,
          exitCode: 2,
          cause,
        });
      }
      return `sha256:${hash.digest('hex')}`;
    })();
    digests.set(key, digest);
    digest.catch(() => digests.delete(key));
  }
  return digest;
}

/** The SHA-256 in `<file>.verified.json` when it describes the file as it is now, else null. */
function verifiedStamp(path: string, size: number, mtimeMs: number): string | null {
  try {
    const stamp = JSON.parse(readFileSync(`${path}.verified.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    return stamp.size === size &&
      stamp.mtimeMs === mtimeMs &&
      typeof stamp.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(stamp.sha256)
      ? stamp.sha256
      : null;
  } catch {
    return null;
  }
}

/** The hash of a `local:` model's GGUF file, or null for any other model (a server's model has no file here). */
async function localModelDigest(
  flagValue: string | undefined,
  flag: string,
): Promise<string | null> {
  // `local` is the embedded default model.
  const model = normalizeModelFlag(flagValue);
  if (model === undefined || !model.startsWith('local:')) return null;
  const llama = await importLlamaCpp(`${model} runs`);
  const name = model.slice('local:'.length);
  const path = llama.isFetchedModelName(name) ? llama.fetchedModelPath(name) : name;
  return fileDigest(path, flag);
}

/**
 * The model settings of a run: the resolved names (a LoRA adapter joins the name with its
 * hash) and, for `local:` models, the GGUF file's hash: a file replaced under the same name is
 * another model.
 */
export async function modelRunSettings(
  flags: ModelFlags & RepairModelFlags,
  names: { model: string; repairModel?: string },
): Promise<RunSettings> {
  return {
    model: names.model,
    modelFile: await localModelDigest(flags.model, '--model'),
    ...(names.repairModel === undefined
      ? {}
      : {
          repairModel: names.repairModel,
          repairModelFile: await localModelDigest(
            flags.repairModel ?? flags.model,
            '--repair-model',
          ),
        }),
    replay: flags.replay ?? null,
  };
}

/** Settings no flag sets directly (file hashes, rules of the library). */
const NOT_FLAGS = new Set([
  'modelFile',
  'repairModelFile',
  'baseFile',
  'seedDerivation',
  'command',
  'topP',
]);

/** A setting with its flag as the user types it (`maxToolCalls (--max-tool-calls)`). */
export function settingName(setting: string): string {
  if (NOT_FLAGS.has(setting)) return setting;
  return `${setting} (${flagOf(setting)})`;
}

/** The refusal as the CLI says it: settings with their flags, and what to do instead. */
export function settingsMismatchMessage(error: RunSettingsMismatchError): string {
  return `${error.dir} holds another run (recorded in ${error.file}): ${formatSettingDifferences(error.differences, settingName)}. Nothing was changed: write this run to a new --out, or pass --force-new to move the old run aside (to ${error.dir}.replaced-<time>) and start again there`;
}
