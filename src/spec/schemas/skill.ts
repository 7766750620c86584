/**
 * skill.schema.json: a condition pack as YAML data (labs by control level, medication lines,
 * complications). Known shapes are strict; `data` and `monitoring` are free-form, and any
 * top-level key starting with `x_` or `x-` is kept for engine-specific content.
 */
import { icd10Code, int, list, num, obj, probability, rootSchema, str, weights, type JsonSchema } from './common.js';

const labRange = (): JsonSchema =>
  obj({ mean: num(), std_dev: num({ minimum: 0 }), min: num(), max: num() }, ['mean', 'std_dev']);

const lab = (): JsonSchema =>
  obj(
    {
      loinc: str({ pattern: '^[0-9]{1,7}-[0-9]$', 'x-expected': 'a LOINC code like 4548-4' }),
      name: str(),
      unit: str(),
      description: str(),
      decimals: int({ minimum: 0, maximum: 6 }),
      reference_range: obj({ low: num(), high: num() }),
      by_control: { type: 'object', additionalProperties: labRange(), minProperties: 1 },
    },
    ['loinc', 'unit'],
  );

const drug = (): JsonSchema =>
  obj(
    {
      name: str({ minLength: 1 }),
      rxnorm: str({ pattern: '^[0-9]{1,10}$', 'x-expected': 'a numeric RxNorm CUI like 860975' }),
      ndc: str(),
      dose: { type: ['number', 'string'] },
      unit: str(),
      frequency: str(),
      route: str(),
      description: str(),
      days_supply: int({ minimum: 1 }),
      prevalence: probability(),
    },
    ['name'],
  );

const codeList = (): JsonSchema => list(str({ minLength: 1 }));

export const skillSchema: JsonSchema = rootSchema(
  'skill',
  'healthsim skill (condition pack)',
  'skill',
  obj(
    {
      id: str({ pattern: '^[a-z0-9][a-z0-9._-]{0,127}$', 'x-expected': 'a lowercase id like diabetes-management' }),
      name: str(),
      description: str(),
      version: { type: ['string', 'number'] },
      conditions: list(str({ minLength: 1 })),
      codes: {
        type: 'object',
        properties: { icd10: list(icd10Code()), loinc: codeList(), rxnorm: codeList(), cpt: codeList() },
        additionalProperties: codeList(),
      },
      severity: weights(),
      labs: { type: 'object', additionalProperties: lab() },
      medications: obj({
        lines: list(
          obj(
            {
              line: { type: ['integer', 'string'] },
              description: str(),
              if: str(),
              prevalence: probability(),
              drugs: list(drug(), { minItems: 1 }),
            },
            ['line', 'drugs'],
          ),
        ),
      }),
      complications: list(
        obj({ code: icd10Code(), description: str(), prevalence: probability(), if: str() }, ['code', 'prevalence']),
      ),
      visit_cadence_days: num({ exclusiveMinimum: 0 }),
      monitoring: { type: 'object' },
      data: { type: 'object' },
    },
    ['id'],
    { patternProperties: { '^x[-_]': {} } },
  ),
);
