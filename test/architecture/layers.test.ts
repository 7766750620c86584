/**
 * The layer table of DESIGN.md, enforced: every relative import in src/ points down (or stays in
 * its layer), only src/cli prints or reads argv, and the pure layers use no clock or Math.random.
 * `src/docs` (the static site) sits between cli and pipeline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../e2e/helpers.js';

const SRC = path.join(REPO, 'src');
const MAY_IMPORT: Record<string, string[]> = {
  cli: ['docs', 'pipeline', 'store', 'generate', 'reference', 'spec', 'model', '.'],
  docs: ['pipeline', 'store', 'spec', 'model'],
  pipeline: ['store', 'generate', 'spec', 'model'],
  store: ['model', 'spec'],
  generate: ['reference', 'spec', 'model'],
  reference: ['model'],
  spec: ['model'],
  model: [],
};
const PURE = ['generate', 'reference', 'spec', 'model'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const layerOf = (file: string): string => {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? '.' : rel[0];
};

/** Relative module specifiers of static imports, re-exports and dynamic imports (type-only imports excluded). */
function imports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) out.push(m[1]);
  for (const m of text.matchAll(/import\('(\.[^']+)'\)/g)) out.push(m[1]);
  return out;
}

describe('layers point down (DESIGN.md)', () => {
  const all = files(SRC);

  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(new Set(all.map(layerOf))).toEqual(new Set([...Object.keys(MAY_IMPORT), '.']));
  });

  it('every relative import stays in its layer or points to one it may import', () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      if (from === '.') continue; // src/index.ts is the library facade over every layer
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        const to = layerOf(path.resolve(path.dirname(file), spec));
        if (to !== from && !MAY_IMPORT[from].includes(to)) violations.push(`${path.relative(REPO, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('only src/cli prints or reads argv; pure layers use no clock, no Math.random, no filesystem writes', () => {
    const violations: string[] = [];
    for (const file of all) {
      const layer = layerOf(file);
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (layer !== 'cli' && /\bconsole\.(log|error|warn|info)\(|process\.argv|process\.stdout\.write/.test(text)) violations.push(`${path.relative(REPO, file)} prints or reads argv`);
      if (PURE.includes(layer)) {
        if (/Math\.random\(|Date\.now\(|new Date\(\)|performance\.now\(/.test(text)) violations.push(`${path.relative(REPO, file)} uses a clock or Math.random`);
        if (/\b(writeFile|writeFileSync|appendFile|mkdir|rename|rm|unlink)(Sync)?\(/.test(text)) violations.push(`${path.relative(REPO, file)} writes files`);
      }
    }
    expect(violations).toEqual([]);
  });
});
