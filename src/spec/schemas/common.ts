/**
 * Building blocks shared by the four JSON Schemas. Schemas are written as TS objects (so the
 * spec layer needs no file reads) and mirrored to `schemas/*.schema.json` for editors; a test
 * keeps the two in sync.
 *
 * Two annotation keywords are ours: `x-expected` (what a `pattern` means, in words) and `x-hint`
 * (a hint attached to range/pattern errors). Inside `oneOf` branches everything is inlined (no
 * `$ref`), so error schema paths group by branch.
 */
export type JsonSchema = Record<string, unknown>;

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const SCHEMA_BASE = 'https://healthsim.dev/schemas/';

export const num = (extra: JsonSchema = {}): JsonSchema => ({ type: 'number', ...extra });
export const int = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
export const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const list = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });

/** An object that rejects unknown keys. */
export function obj(properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  const s: JsonSchema = { type: 'object', properties, additionalProperties: false, ...extra };
  if (required.length > 0) s.required = required;
  return s;
}

export const probability = (description?: string): JsonSchema => ({
  type: 'number',
  minimum: 0,
  maximum: 1,
  'x-hint': 'a rate or prevalence is a fraction between 0 and 1',
  ...(description ? { description } : {}),
});

export const seed = (): JsonSchema => int({ minimum: 0, maximum: 4294967295, description: 'a whole number 0..4294967295' });

/** A count; range and integrality are checked with a friendlier message after the schema. */
export const count = (): JsonSchema => num({ description: 'a positive whole number, at most 10,000,000' });

export const weights = (description?: string): JsonSchema => ({
  type: 'object',
  additionalProperties: num({ minimum: 0, 'x-hint': 'weights are non-negative fractions that sum to 1' }),
  minProperties: 1,
  ...(description ? { description } : {}),
});

export const icd10Code = (): JsonSchema =>
  str({
    pattern: '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$',
    'x-expected': 'an ICD-10-CM code like E11 or E11.65',
  });

export const expression = (): JsonSchema =>
  str({ minLength: 1, description: "condition expression, e.g. age >= 65 and sex == 'F'" });

export const usState = (): JsonSchema =>
  str({ pattern: '^[A-Z]{2}$', 'x-expected': 'a two-letter US state code like CA' });

export const countyFips = (): JsonSchema => str({ pattern: '^[0-9]{5}$', 'x-expected': 'a 5-digit county FIPS code like "48201"' });

export const DISTRIBUTION_TYPES = ['constant', 'normal', 'log_normal', 'uniform', 'poisson', 'categorical'] as const;

function distBranch(type: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: obj({ type: {}, ...properties }, required),
  };
}

/** A reference to the shared Distribution definition. */
export function distribution(description?: string): JsonSchema {
  return { $ref: '#/$defs/Distribution', ...(description ? { description } : {}) };
}

/**
 * A distribution object, or a bare number meaning a constant. Its oneOf branches are inlined
 * (no `$ref` inside), so error schema paths group by branch.
 */
export function distributionDef(): JsonSchema {
  const bounds = { min: num(), max: num() };
  return {
    description: 'a number (constant) or {type: normal|log_normal|uniform|poisson|categorical|constant, …}',
    oneOf: [
      num(),
      {
        type: 'object',
        required: ['type'],
        properties: { type: { enum: [...DISTRIBUTION_TYPES] } },
        allOf: [
          distBranch('constant', { value: num() }, ['value']),
          distBranch('normal', { mean: num(), std_dev: num(), ...bounds }, ['mean', 'std_dev']),
          distBranch('log_normal', { mean: num(), std_dev: num(), ...bounds }, ['mean', 'std_dev']),
          distBranch('uniform', bounds, ['min', 'max']),
          distBranch('poisson', { mean: num({ minimum: 0 }), ...bounds }, ['mean']),
          distBranch('categorical', { weights: weights() }, ['weights']),
        ],
      },
    ],
  };
}

/** `{days: 7}`, `{weeks: 2}`, `{months: 3}` (a month is 30 days). */
export const duration = (): JsonSchema =>
  obj({ days: num({ minimum: 0 }), weeks: num({ minimum: 0 }), months: num({ minimum: 0 }) }, [], { minProperties: 1 });

export function rootSchema(name: string, title: string, wrapper: string, body: JsonSchema, defs?: Record<string, JsonSchema>): JsonSchema {
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_BASE}${name}.schema.json`,
    title,
    type: 'object',
    required: [wrapper],
    properties: { [wrapper]: body },
    additionalProperties: false,
    ...(defs ? { $defs: defs } : {}),
  };
}
