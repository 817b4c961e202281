import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository checkout. */
export const sharedDataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

export function sharedDataPath(relative: string): string {
  return `${sharedDataDir}${relative}`;
}

export function readSharedJsonl(relative: string): unknown[] {
  return readFileSync(sharedDataPath(relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
