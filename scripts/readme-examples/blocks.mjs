// Fenced code blocks of a Markdown file, with the line of their opening fence.
import { readFileSync } from 'node:fs';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

/** Every fenced block: { lang, line (1-based line of the opening fence), code }. */
export function extractBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j].trim();
      if (close.length >= fence.length && close === fence[0].repeat(close.length)) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: code fence is never closed`);
    blocks.push({ lang: lang.toLowerCase(), line: i + 1, code: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

const EXAMPLE_LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

export function isExample(block) {
  return EXAMPLE_LANGS.has(block.lang);
}

export function isTypeScript(block) {
  return block.lang === 'ts' || block.lang === 'typescript';
}

/** The package names a block imports (`node:` built-ins left out). */
export function importedPackages(code) {
  const names = new Set();
  const pattern =
    /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(pattern)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('node:') || spec.startsWith('.')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return names;
}

/** The packages an `npm install ...` line of a shell block names. */
export function npmInstallPackages(blocks) {
  const names = new Set();
  for (const block of blocks) {
    if (block.lang !== 'sh' && block.lang !== 'bash') continue;
    for (const line of block.code.split('\n')) {
      const m = /(?:^|\s)npm (?:install|i)\s+(.*)$/.exec(line.replace(/#.*$/, ''));
      if (!m) continue;
      for (const word of m[1].trim().split(/\s+/)) {
        if (word === '' || word.startsWith('-')) continue;
        const at = word.lastIndexOf('@');
        names.add(at > 0 ? word.slice(0, at) : word);
      }
    }
  }
  return names;
}
