// The examples/ READMEs: `./dev examples` runs each example's code, but the prose around it can
// drift (examples/repair-in-agent said startLoopbackServer came from @autotraj/repairer/testing
// while index.mjs imported it from @autotraj/generation/testing). Every "`name` from `module`"
// a README states must be an import of that name from that module in the example's code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CODE = /\.(?:mjs|js|ts|mts)$/;

/** Each mismatch as "file: message"; [] when every stated import is real. */
export function checkExampleReadmes(root) {
  const problems = [];
  const dir = join(root, 'examples');
  for (const example of readdirSync(dir, { withFileTypes: true })) {
    if (!example.isDirectory()) continue;
    const readme = join(dir, example.name, 'README.md');
    let text;
    try {
      text = readFileSync(readme, 'utf8');
    } catch {
      continue;
    }
    const code = sources(join(dir, example.name)).join('\n');
    for (const m of text.matchAll(/`([A-Za-z_$][\w$]*)` from `(@?[\w./-]+)`/g)) {
      const [, name, module] = m;
      const imports = [
        ...code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g),
      ];
      const found = imports.some(
        ([, names, from]) =>
          from === module && names.split(',').some((n) => n.trim().split(/\s+as\s+/)[0] === name),
      );
      if (!found)
        problems.push(
          `examples/${example.name}/README.md: says \`${name}\` comes from \`${module}\`, but the example's code imports no such name from it`,
        );
    }
  }
  return problems;
}

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (CODE.test(entry.name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}
