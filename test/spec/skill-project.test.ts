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
  '    - id: flare-labs',
  '      event_type: lab_order',
  '      timing: {type: fixed, day: 20}',
  '      parameters: {skill_ref: {skill: gout, lookup: monitoring.labs.wbc}}',
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
    const patients = out.patients.map((r) => r.patient_id).sort();
    expect(patients.length).toBe(12);

    // condition: podagra (an alias of the project's gout skill) → its visit type, every 90 days
    const goutVisits = byEvent(out.encounters, 'gout-visit');
    expect(goutVisits.length).toBe(12 * 5);
    expect(new Set(goutVisits.map((e) => `${e.code} ${e.description} ${String(e.reason_code).slice(0, 3)}`))).toEqual(new Set(['99215 Gout follow-up visit M10']));
    expect(byEvent(without.encounters, 'gout-visit')).toEqual([]);

    // condition: htn → the project's hypertension pack replaces the shipped one (99213)
    expect(byEvent(out.encounters, 'bp-visit').map((e) => e.code)).toEqual(Array(12).fill('99204'));
    expect(byEvent(without.encounters, 'bp-visit').map((e) => e.code)).toEqual(Array(12).fill('99213'));

    // medication history follows the packs' lines: prednisone only (the override has no lines)
    expect(new Set(out.medications.map((m) => m.description))).toEqual(new Set(['prednisone 40 mg']));
    expect(without.medications.some((m) => String(m.description).startsWith('prednisone'))).toBe(false);
    expect(without.medications.some((m) => /^(lisinopril|losartan|amlodipine|hydrochlorothiazide)/.test(String(m.description)))).toBe(true);

    // skill_ref → a WBC on day 20 for everyone; every WBC lies in the band of the person's severity
    const day20 = (rows: Row[]) => rows.filter((l) => l.code === '6690-2' && l.effective_date === '2024-01-22').map((l) => l.patient_id).sort();
    expect(day20(out.lab_results)).toEqual(patients);
    expect(day20(without.lab_results)).toEqual([]);
    const severity = new Map(out.diagnoses.filter((d) => String(d.code).startsWith('M10')).map((d) => [d.patient_id, d.severity]));
    expect(new Set(severity.values())).toEqual(new Set(['quiet', 'flaring']));
    const band = { quiet: [5, 8], flaring: [11.5, 14] } as Record<string, [number, number]>;
    const wbc = out.lab_results.filter((l) => l.code === '6690-2');
    expect(wbc.length).toBeGreaterThanOrEqual(12);
    for (const l of wbc) {
      const [lo, hi] = band[severity.get(l.patient_id) as string]!;
      expect(Number(l.value) >= lo && Number(l.value) <= hi).toBe(true);
    }
  });
});

describe('journey references are checked against shipped and project skills (src/index.ts loadProject)', () => {
  test('unknown skills get a did-you-mean; aliases, codes and project skills resolve like the engine; CPT codes are checked', async () => {
    const journey = yaml(
      'journey:',
      '  id: gout-care',
      '  events:',
      '    - {id: a, event_type: encounter, condition: diabetes}',
      '    - {id: b, event_type: encounter, condition: Gouty Arthritis}',
      '    - {id: c, event_type: encounter, condition: M54.5}',
      '    - {id: d, event_type: encounter, condition: diabetis}',
      '    - {id: e, event_type: lab_order, parameters: {skill_ref: {skill: heart-failur, lookup: monitoring.labs.bnp}}}',
      '    - {id: f, event_type: lab_order, parameters: {skill_ref: {skill: unknown-skill}}}',
      '    - {id: g, event_type: lab_order, parameters: {skill_ref: {skill: gout, lookup: monitoring.labs.wbc}}}',
      '    - {id: h, event_type: procedure, cpt: "99999"}',
      '    - {id: i, event_type: procedure, cpt: "G0439"}',
      '    - {id: j, event_type: encounter, condition: asthma}',
    );
    const dir = project('refs', {
      'healthsim.config.yaml': CONFIG,
      'profiles/gout.yaml': PROFILE,
      'journeys/gout-care.yaml': journey,
      'skills/gout.yaml': GOUT,
    });
    expect(messages(await loadProjectWithHooks(dir))).toEqual([
      'journeys/gout-care.yaml:7:49 events[3].condition names an unknown skill "diabetis" (did you mean diabetes?)',
      'journeys/gout-care.yaml:8:70 events[4].parameters.skill_ref.skill names an unknown skill "heart-failur" (did you mean heart-failure?)',
      // with nothing close, the hint lists the skills by id (not their many aliases) and the other ways out
      'journeys/gout-care.yaml:9:70 events[5].parameters.skill_ref.skill names an unknown skill "unknown-skill" (known skills: chronic-kidney-disease, copd, diabetes-management, diabetes-type1, gout, heart-failure, hyperlipidemia, hypertension, oncology-nsclc; or define skills/unknown-skill.yaml)',
      'journeys/gout-care.yaml:11:43 events[7].cpt "99999" is not a known CPT/HCPCS code',
      'journeys/gout-care.yaml:13:49 events[9].condition names an unknown skill "asthma" (known skills: chronic-kidney-disease, copd, diabetes-management, diabetes-type1, gout, heart-failure, hyperlipidemia, hypertension, oncology-nsclc; a condition may also be an ICD-10-CM code (e.g. J45), or define skills/asthma.yaml)',
    ]);
  });

  test('the hooks on their own', () => {
    expect([skillExists('diabetes', []), skillExists('CHF', []), skillExists('E11.65', []), skillExists('M54.5', []), skillExists('gout', [])]).toEqual([true, true, true, undefined, false]);
    expect(skillExists.names([]).slice(0, 3)).toEqual(['chf', 'chronic-kidney-disease', 'chronic_kidney_disease']);
    const gout = { id: 'gout', aliases: ['podagra'], codes: { category: ['M10'] } };
    expect([skillExists('Podagra', [gout]), skillExists('M10.9', [gout]), skillExists.names([gout]).filter((n) => /^(gout|podagra)$/.test(n))]).toEqual([true, true, ['gout', 'podagra']]);
    expect([codeExists('cpt', '99214'), codeExists('cpt', 'G0439'), codeExists('cpt', '99999'), codeExists('cpt', '0450')]).toEqual([true, true, false, false]);
    expect([codeExists('hcpcs', 'G0439'), codeExists('hcpcs', '99214')]).toEqual([true, false]);
  });
});
