import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/spec/config.js';
import { parseJourney } from '../../src/spec/journey.js';
import { parseProfile } from '../../src/spec/profile.js';
import { parseSkill } from '../../src/spec/skill.js';
import { parseYaml } from '../../src/spec/yaml.js';
import type { Result } from '../../src/spec/result.js';

const dir = 'test/fixtures/spec/project';
const seeds: Array<[string, (t: string, f: string) => Result<unknown>]> = [
  [`${dir}/profiles/elderly-diabetic.yaml`, parseProfile],
  [`${dir}/profiles/medicare-advantage-ca.yaml`, parseProfile],
  [`${dir}/profiles/nsclc-phase3.yaml`, parseProfile],
  [`${dir}/journeys/diabetic-year-one.yaml`, parseJourney],
  [`${dir}/journeys/oncology-treatment.yaml`, parseJourney],
  [`${dir}/skills/diabetes-management.yaml`, parseSkill],
  [`${dir}/healthsim.config.yaml`, parseConfig],
];

type Json = unknown;

/** All paths to leaves and containers of a plain value. */
function paths(v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(v: Json, path: Array<string | number>, x: Json): Json {
  if (path.length === 0) return x;
  const copy = structuredClone(v) as Record<string | number, Json>;
  let cur = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, Json>;
  cur[path[path.length - 1]!] = x;
  return copy;
}

describe('mutated valid specs never throw and always answer with positions', () => {
  for (const [file, parse] of seeds) {
    test(file.split('/').slice(-2).join('/'), () => {
      const base = (parseYaml(readFileSync(file, 'utf8'), file) as { ok: true; value: { value: Json } }).value.value;
      const all = paths(base);
      const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1.5, 1e12, '', 'x', null, [], {}));
      fc.assert(
        fc.property(fc.nat(all.length - 1), leaf, (i, x) => {
          const text = stringify(setAt(base, all[i]!, x));
          const r = parse(text, 'm.yaml');
          if (!r.ok) {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const d of r.errors) {
              expect(d.line).toBeGreaterThanOrEqual(1);
              expect(d.col).toBeGreaterThanOrEqual(1);
              expect(d.message.length).toBeGreaterThan(0);
            }
          }
        }),
        { numRuns: 50, seed: 20250101 },
      );
    });
  }
});
