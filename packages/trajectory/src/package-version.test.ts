import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersion } from './package-version.js';

describe('packageVersion', () => {
  it("reads the named package's version above the calling module, else unknown", () => {
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(packageVersion('@autotraj/trajectory', import.meta.url)).toBe(own.version);
    expect(packageVersion('@autotraj/repairer', import.meta.url)).toBe('unknown');
  });
});
