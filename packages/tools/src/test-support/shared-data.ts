import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository checkout. */
export const sharedDataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

export function sharedDataPath(relative: string): string {
  return `${sharedDataDir}${relative}`;
}
