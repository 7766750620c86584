import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { configSchema, journeySchema, profileSchema, skillSchema } from '../../src/spec/schemas/index.js';

const SCHEMAS = { config: configSchema, profile: profileSchema, journey: journeySchema, skill: skillSchema };

/**
 * schemas/*.schema.json are editor-facing copies of the TS schemas the validator uses.
 * Regenerate with: HEALTHSIM_UPDATE_SCHEMAS=1 npx vitest run test/spec/schemas.test.ts
 */
describe('schemas/*.schema.json', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    test(`${name}.schema.json matches the schema the validator uses`, () => {
      const path = `schemas/${name}.schema.json`;
      const expected = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.HEALTHSIM_UPDATE_SCHEMAS === '1') writeFileSync(path, expected);
      expect(readFileSync(path, 'utf8')).toBe(expected);
    });

    test(`${name}.schema.json compiles as draft 2020-12 in strict mode`, () => {
      const ajv = new Ajv2020({ strict: true, strictTypes: false, logger: false });
      ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
      ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
      const parsed = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as Record<string, unknown>;
      expect(parsed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(() => ajv.compile(parsed)).not.toThrow();
    });
  }
});
