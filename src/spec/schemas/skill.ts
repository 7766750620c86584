/**
 * skill.schema.json: a condition pack, in exactly the shape of the packs shipped in `skills/`
 * and read by the engine (src/reference/skills.ts; documented in skills/README.md). A skill file
 * has no wrapper key: `id:` is at the top. Every object rejects unknown keys.
 */
import { SCHEMA_BASE, SCHEMA_DIALECT, distribution, distributionDef, icd10Code, int, list, num, obj, probability, str, type JsonSchema } from './common.js';

/** kebab-case skill ids, as shipped (diabetes-management) */
export const SKILL_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,127}$';

/** weights keyed by anything; key names are checked by the validator where they mean something */
const weightMap = (description?: string): JsonSchema => ({
  type: 'object',
  additionalProperties: num({ minimum: 0, 'x-hint': 'weights are non-negative fractions that sum to 1' }),
  minProperties: 1,
  ...(description ? { description } : {}),
});

const drugName = (): JsonSchema => str({ minLength: 1, description: 'a drug key or name from the RxNorm table, e.g. metformin or insulin_glargine' });
const doses = (): JsonSchema => list(num({ exclusiveMinimum: 0 }), { minItems: 1 });

const drugDose = (): JsonSchema => obj({ drug: drugName(), doses: doses(), frequency: str({ minLength: 1 }) }, ['drug']);

const medOption = (): JsonSchema =>
  obj(
    {
      drug: drugName(),
      weight: num({ minimum: 0 }),
      doses: doses(),
      frequency: str({ minLength: 1 }),
      also: { description: 'co-prescribed drug(s) started with this option', oneOf: [drugDose(), list(drugDose(), { minItems: 1 })] },
    },
    ['drug'],
  );

const medLine = (): JsonSchema =>
  obj(
    {
      line: int({ minimum: 1 }),
      probability: probability('probability that a person reaches this line'),
      options: list(medOption(), { minItems: 1 }),
    },
    ['options'],
  );

const labModel = (): JsonSchema =>
  obj({
    loinc: str({ pattern: '^[0-9]{1,7}-[0-9]$', 'x-expected': 'a LOINC code like 4548-4' }),
    frequency_days: num({ exclusiveMinimum: 0 }),
    within_person_sd: num({ minimum: 0 }),
    by_severity: { type: 'object', additionalProperties: distribution(), minProperties: 1 },
  });

const encounterType = (): JsonSchema =>
  obj({
    code: str({ minLength: 1 }),
    code_system: str({ minLength: 1 }),
    class: str({ pattern: '^[A-Z]+$', 'x-expected': 'an encounter class like AMB, EMER or IMP' }),
    description: str({ minLength: 1 }),
  });

const procedure = (): JsonSchema =>
  obj(
    {
      code: str({ minLength: 1 }),
      code_system: str({ minLength: 1 }),
      description: str(),
      annual_probability: probability('probability per year that the procedure is done'),
    },
    ['code', 'annual_probability'],
  );

export const skillSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE}skill.schema.json`,
  title: 'healthsim skill (condition pack)',
  ...obj(
    {
      id: str({ pattern: SKILL_ID_PATTERN, 'x-expected': 'a lowercase id like diabetes-management' }),
      name: str({ minLength: 1 }),
      version: int({ minimum: 1 }),
      aliases: list(str({ minLength: 1 })),
      codes: obj(
        {
          category: {
            description: 'the ICD-10-CM code(s) or categories the skill covers',
            oneOf: [icd10Code(), list(icd10Code(), { minItems: 1 })],
          },
          billable: weightMap('ICD-10-CM code → weight, used when a profile names the category'),
          uncomplicated: icd10Code(),
        },
        ['category'],
      ),
      severity: weightMap('severity / control level → weight, best to worst'),
      severity_codes: { type: 'object', additionalProperties: weightMap(), description: 'severity level → ICD-10-CM code weights' },
      monitoring: obj({
        panels: list(str({ minLength: 1 })),
        labs: { type: 'object', additionalProperties: labModel() },
      }),
      medications: obj({
        lines: list(medLine()),
        add_on: { type: 'boolean' },
        outcomes: weightMap('why an earlier line was superseded → weight'),
      }),
      complications: list(obj({ code: icd10Code(), description: str(), prevalence: probability(), also: icd10Code() }, ['code', 'prevalence'])),
      visits: obj({ cadence_days: num({ exclusiveMinimum: 0 }), encounter: encounterType() }),
      procedures: list(procedure()),
    },
    ['id', 'codes'],
  ),
  $defs: { Distribution: distributionDef() },
};
