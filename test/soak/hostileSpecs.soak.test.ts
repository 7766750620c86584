/**
 * Soak: the hostile-spec property run of test/reliability/hostileSpecs.test.ts with many more
 * documents (HEALTHSIM_SOAK_DOCS, default 50,000) and a fresh random seed each run (printed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseConfig, parseJourney, parseProfile, type Diagnostic } from '../../src/spec/index.js';
import { envInt } from '../reliability/helpers.js';

const DOCS = envInt('HEALTHSIM_SOAK_DOCS', 50_000);
const PARSERS = [parseConfig, parseProfile, parseJourney];

describe.skipIf(!process.env.HEALTHSIM_SOAK)('soak: hostile YAML', () => {
  it(`${DOCS} random documents: no throw, bounded time, diagnostics with file:line:col`, () => {
    const seed = envInt('HEALTHSIM_SOAK_SEED', Date.now() % 2 ** 31);
    // eslint-disable-next-line no-console
    console.log(`soak hostile specs: seed ${seed}`);
    const frag = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('- ', '? ', ': ', '[', ']', '{', '}', '&a ', '*a ', '!!str ', '"', "'", '#', '\n', '\n  ', '\t', '|', '>', '---', '...', '1e999', '.nan', '~', ','),
    );
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.array(frag, { maxLength: 60 }), (which, parts) => {
        const text = parts.join('');
        const t0 = performance.now();
        const r = PARSERS[which]!(text, 'f.yaml') as { ok: boolean; errors?: Diagnostic[] };
        expect(performance.now() - t0).toBeLessThan(5_000);
        if (!r.ok) {
          expect(r.errors!.length).toBeGreaterThan(0);
          for (const e of r.errors!) expect(formatDiagnostic(e)).toMatch(/^f\.yaml:\d+:\d+ /);
        }
      }),
      { numRuns: DOCS, seed },
    );
  });
});
