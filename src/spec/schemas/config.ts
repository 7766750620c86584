/** config.schema.json: healthsim.config.yaml — the datasets to build and the exports to write. */
import { SCHEMA_BASE, SCHEMA_DIALECT, count, int, list, obj, seed, str, type JsonSchema } from './common.js';

export const EXPORT_FORMATS = ['csv', 'parquet', 'ndjson', 'fhir', 'sdtm', 'x12', 'ncpdp'] as const;
/** How build puts datasets in the project database (README, Config: `storage`). */
export const STORAGE_MODES = ['views', 'tables'] as const;
export const NAME_PATTERN = '^[a-z][a-z0-9_-]{0,62}$';

const path = (): JsonSchema => str({ minLength: 1 });
const tags = (): JsonSchema =>
  list(str({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', 'x-expected': 'a tag of letters, digits, ., - or _' }), {
    uniqueItems: true,
  });

const dataset = (): JsonSchema =>
  obj({
    profile: path(),
    profiles: list(path(), { minItems: 1 }),
    journey: path(),
    count: count(),
    seed: seed(),
    namespace: str({ pattern: NAME_PATTERN, 'x-expected': 'lowercase letters, digits, - or _, starting with a letter' }),
    merge: list(str({ minLength: 1 }), { minItems: 1 }),
    clone: str({ minLength: 1 }),
    tags: tags(),
    description: str(),
  });

const exportDef = (): JsonSchema =>
  obj(
    {
      dataset: str({ minLength: 1 }),
      format: { enum: [...EXPORT_FORMATS] },
      path: path(),
      tables: list(str({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
      description: str(),
    },
    ['dataset', 'format'],
  );

export const configSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE}config.schema.json`,
  title: 'healthsim.config.yaml',
  ...obj(
    {
      version: { const: 1 },
      name: str(),
      description: str(),
      seed: seed(),
      reference_date: str({
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
        'x-expected': 'a date written YYYY-MM-DD',
      }),
      output_dir: path(),
      storage: { enum: [...STORAGE_MODES] },
      skills_dir: path(),
      // propertyNames is for editors; the validator reports bad names itself, at the key
      datasets: { type: 'object', propertyNames: { pattern: NAME_PATTERN }, additionalProperties: dataset() },
      exports: { type: 'object', propertyNames: { pattern: NAME_PATTERN }, additionalProperties: exportDef() },
    },
    ['version'],
  ),
};
