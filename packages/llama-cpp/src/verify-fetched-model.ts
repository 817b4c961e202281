import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { GgufFileError } from './errors.js';
import {
  FETCHED_MODELS,
  type FetchedModelName,
  type FetchedModelOptions,
  fetchedModelPath,
} from './fetched-models.js';

/** What a verified file looked like: re-hashing is skipped while it still looks so. */
interface VerifiedStamp {
  size: number;
  mtimeMs: number;
  sha256: string;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readStamp(path: string): VerifiedStamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as VerifiedStamp;
  } catch {
    return undefined;
  }
}

/**
 * The path of a model fetched by `./dev models`, its SHA-256 checked against the pinned one: a
 * file damaged anywhere (also inside the weights, which the header check cannot see) is a
 * {@link GgufFileError} `model_file_corrupted`. The file is hashed once (about 2 s per GB); a
 * stamp beside it (`<file>.verified.json`, with its size and mtime) skips the hash while the file
 * is unchanged. A models directory that cannot be written to is hashed every time.
 */
export async function verifiedFetchedModelPath(
  name: FetchedModelName,
  options: FetchedModelOptions = {},
): Promise<string> {
  const file = fetchedModelPath(name, options);
  const pinned = FETCHED_MODELS[name].sha256;
  const { size, mtimeMs } = statSync(file);
  const stampPath = `${file}.verified.json`;
  const stamp = readStamp(stampPath);
  if (stamp?.size === size && stamp.mtimeMs === mtimeMs && stamp.sha256 === pinned) return file;
  const actual = await sha256Of(file);
  if (actual !== pinned)
    throw new GgufFileError({
      file,
      code: 'model_file_corrupted',
      detail: `its SHA-256 is ${actual}, not the pinned ${pinned} of ${name}: the file is damaged; delete it and run \`./dev models\` again`,
    });
  try {
    writeFileSync(stampPath, `${JSON.stringify({ size, mtimeMs, sha256: actual })}\n`);
  } catch {
    // A read-only models directory: the file is checked again next time.
  }
  return file;
}
