import { readFileSync } from 'node:fs';

/**
 * The version of the package `name`, read from the package.json one or two folders above the
 * module at `from` (its `import.meta.url`): that covers a module run from `dist/` (built) and
 * from `src/<folder>/` (tests). `unknown` when neither is that package's.
 */
export function packageVersion(name: string, from: string | URL): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, from), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    } catch {}
  }
  return 'unknown';
}
