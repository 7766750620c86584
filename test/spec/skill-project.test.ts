import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Row } from '../../src/model/types.js';
import { generate } from '../../src/generate/engine.js';
import type { GenerateRequest } from '../../src/generate/types.js';
import { loadProject as loadProjectWithHooks } from '../../src/index.js';
import { loadProject, type Project } from '../../src/pipeline/project.js';
import { codeExists } from '../../src/reference/codes.js';
import { skillExists } from '../../src/reference/skills.js';
import { messages, value, yaml } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'healthsim-skills-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Write a small project: files by relative path. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const CONFIG = yaml('version: 1', 'seed: 7', 'reference_date: 2025-01-01', 'datasets:', '  gout: {profile: profiles/gout.yaml, journey: journeys/gout-care.yaml, count: 12}');

const PROFILE = yaml(
  'profile:',
  '  id: gout-patients',
  '  product: patientsim',
  '  demographics:',
  '    age: {type: uniform, min: 50, max: 80}',
  '  clinical:',
  '    primary_condition: {code: M10.9, prevalence: 1.0}',
  '    comorbidities:',
  '      - {code: I10, prevalence: 1.0}',
);

const GOUT = yaml(
  'id: gout',
  'name: Gout',
  'aliases: [gouty_arthritis, podagra]',
  'codes:',
  '  category: M10',
  '  billable: {M10.9: 0.7, M10.071: 0.3}',
  'severity: {quiet: 0.5, flaring: 0.5}',
  'monitoring:',
  '  panels: [cbc]',
  '  labs:',
  '    wbc:',
  '      loinc: 6690-2',
  '      within_person_sd: 0.5',
  '      by_severity:',
  '        quiet: {type: uniform, min: 5, max: 8}',
  '        flaring: {type: uniform, min: 11.5, max: 14}',
  'medications:',
  '  lines:',
  '    - {line: 1, options: [{drug: prednisone, doses: [40]}]}',
  'visits:',
  '  cadence_days: 60',
  "  encounter: {code: '99215', code_system: CPT, class: AMB, description: Gout follow-up visit}",
);

/** Overrides the shipped hypertension pack (same id): a different visit type, no drug lines. */
const HYPERTENSION = yaml(
  'id: hypertension',
  'aliases: [htn]',
  'codes: {category: I10, billable: {I10: 1}}',
  "visits: {encounter: {code: '99204', code_system: CPT, class: AMB, description: Hypertension clinic visit}}",
);

const JOURNEY = yaml(
  'journey:',
  '  id: gout-care',
  '  duration_days: 365',
  '  events:',
  '    - id: gout-visit',
  '      event_type: encounter',
  '      timing: {type: recurring, interval_days: 90, jitter_days: 0}',
  '      condition: podagra',
  '    - id: flare-meds',
  '      event_type: medication',
  '      timing: {type: fixed, day: 10}',
  '      parameters: {skill_ref: {skill: gout, lookup: medications.lines.0}}',
  '    - id: bp-visit',
  '      event_type: encounter',
  '      timing: {type: fixed, day: 200}',
  '      condition: htn',
);

function request(p: Project, withSkills: boolean): GenerateRequest {
  return {
    profile: p.profiles.get('profiles/gout.yaml')!.normalized,
    journey: p.journeys.get('journeys/gout-care.yaml')!.normalized,
    seed: 7,
    count: 12,
    namespace: 'gout-patients',
    referenceDate: '2025-01-01',
    skills: withSkills ? new Map([...p.skills].map(([id, s]) => [id, s.normalized])) : undefined,
  };
}

const byEvent = (rows: Row[], event: string) => rows.filter((r) => r.journey_event === event);

describe('a project skill drives generation', () => {
  const dir = project('gout', {
    'healthsim.config.yaml': CONFIG,
    'profiles/gout.yaml': PROFILE,
    'journeys/gout-care.yaml': JOURNEY,
    'skills/gout.yaml': GOUT,
    'skills/hypertension.yaml': HYPERTENSION,
  });

  test('loadProject validates the skills folder; condition, skill_ref and the override change the rows', async () => {
    const p = value(await loadProject(dir, { codeExists, skillExists }));
    expect([...p.skills.keys()]).toEqual(['gout', 'hypertension']);
    const out = generate(request(p, true));
    const without = generate(request(p, false));
    console.log(JSON.stringify({
      enc: out.encounters.slice(0, 3), meds: out.medications.slice(0, 3),
      wbc: out.lab_results.filter((l) => l.code === '6690-2').map((l) => l.value),
      cond: (out.diagnoses ?? out.conditions ?? []).slice(0, 3),
      events: [...new Set(out.encounters.map((e) => `${e.journey_event}:${e.code}`))],
      eventsWithout: [...new Set(without.encounters.map((e) => `${e.journey_event}:${e.code}`))],
      medsWithout: [...new Set(without.medications.map((e) => e.description))],
      medsWith: [...new Set(out.medications.map((e) => e.description))],
      tables: Object.keys(out),
    }, null, 1));
  });
});
