/**
 * A profile's demographics against the sex and age its conditions apply to (the ICD-10-CM edits
 * the reference layer answers through `CodeExists.applicability`).
 *
 * - The primary condition defines the cohort. What the profile leaves unwritten follows it: no
 *   `gender` with C61 gives males only; no `age` (or no bound) with O24.4 narrows the ages to
 *   12–55; no `age` with Z00.1 gives 0–17.
 * - What the profile writes is kept, and checked: a primary condition at prevalence 1 that part
 *   of the written cohort cannot have is an error (women in a prostate-cancer cohort); a condition
 *   no one in the cohort can have is an error for the primary and a warning for a comorbidity.
 * - The generator gives a condition only to persons it applies to, so a prevalence below 1 is
 *   the prevalence among them.
 */
import { DEFAULT_AGE } from './profile-defaults.js';
import type { ConditionSpec, Distribution, NormalizedProfile } from './types.js';
import type { DiagnosticSink, SpecPath } from './yaml.js';

/** Whom a code applies to; undefined for anyone. */
export interface Applicability {
  sex?: 'M' | 'F';
  minAge: number;
  maxAge: number;
  /** "males only", "females aged 12–55" */
  who: string;
}

export type ApplicabilityOf = (code: string) => Applicability | undefined;

/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

const P = ['profile'] as const;
const SEX_NAME = { M: 'male', F: 'female' } as const;

const describeCode = (c: ConditionSpec) => (c.description ? `${c.code} (${c.description})` : c.code);

/** The ages a distribution can give: [lowest, highest], both included. */
function support(d: Distribution): [number, number] | undefined {
  switch (d.type) {
    case 'constant':
      return [d.value, d.value];
    case 'uniform':
      return [d.min, d.max];
    case 'categorical':
      return undefined;
    default:
      return [d.min ?? 0, d.max ?? Infinity];
  }
}

export function fitDemographics(profile: NormalizedProfile, raw: Raw, sink: DiagnosticSink, applicability: ApplicabilityOf): void {
  const demo = profile.demographics;
  const rawDemo = raw?.demographics ?? {};
  const primary = profile.clinical.primary_condition;
  const edit = primary ? applicability(primary.code) : undefined;
  if (primary && edit) {
    const rule = `applies to ${edit.who} (ICD-10-CM sex edit)`;
    const ageRule = `applies to ${edit.who} (ICD-10-CM age edit)`;
    const certain = primary.prevalence >= 1;
    // sex
    if (edit.sex) {
      const own = SEX_NAME[edit.sex];
      const other = SEX_NAME[edit.sex === 'M' ? 'F' : 'M'];
      const fix = `gender: { ${own}: 1, ${other}: 0 }`;
      if (rawDemo.gender === undefined) {
        demo.gender = edit.sex === 'M' ? { male: 1, female: 0 } : { male: 0, female: 1 };
      } else if (!(demo.gender[own] > 0)) {
        sink.error([...P, 'demographics', 'gender'], 'spec.condition-sex', `gives no ${own}s, but the primary condition ${describeCode(primary)} ${rule}: no one could have it`, {
          hint: `set ${fix}, or leave gender out (a sex-specific primary condition sets it)`,
        });
      } else if (certain && demo.gender[other] > 0) {
        sink.error([...P, 'demographics', 'gender'], 'spec.condition-sex', `gives ${other} ${demo.gender[other]}, but the primary condition ${describeCode(primary)} ${rule} and has prevalence 1`, {
          hint: `set ${fix}, leave gender out (a sex-specific primary condition sets it), or give the condition a prevalence below 1 (it is then the prevalence among ${own}s)`,
        });
      }
    }
    // age
    if (rawDemo.age === undefined) {
      const d = DEFAULT_AGE as Extract<Distribution, { type: 'uniform' }>;
      const lo = Math.max(d.min, edit.minAge);
      const hi = Math.min(d.max, edit.maxAge);
      demo.age = lo <= hi ? { type: 'uniform', min: lo, max: hi } : { type: 'uniform', min: edit.minAge, max: Math.min(edit.maxAge, d.max) };
    } else {
      const range = support(demo.age);
      const agePath: SpecPath = [...P, 'demographics', 'age'];
      if (range && (range[1] < edit.minAge || range[0] > edit.maxAge)) {
        sink.error(agePath, 'spec.condition-age', `gives ${fmtAges(range)}, but the primary condition ${describeCode(primary)} ${ageRule}: no one could have it`, {
          hint: `ages within ${edit.minAge}–${edit.maxAge}`,
        });
      } else if (range && demo.age.type !== 'constant' && demo.age.type !== 'categorical') {
        const a = demo.age as { min?: number; max?: number };
        const bound = (key: 'min' | 'max', outside: boolean, limit: number) => {
          if (!outside) return;
          if (rawDemo.age[key] === undefined) a[key] = limit; // unwritten bound: follows the condition
          else if (certain) {
            const side = key === 'min' ? 'below' : 'above';
            const edge = key === 'min' ? 'youngest' : 'oldest';
            const leaveOut = demo.age.type === 'uniform' ? '' : `, leave ${key} out (it then follows the condition)`;
            sink.error([...agePath, key], 'spec.condition-age', `${rawDemo.age[key]} is ${side} ${limit}, the ${edge} age the primary condition ${describeCode(primary)} applies to (${edit.who}, ICD-10-CM age edit), and its prevalence is 1`, {
              hint: `set ${key}: ${limit}${leaveOut}, or give the condition a prevalence below 1 (it is then the prevalence among those it applies to)`,
            });
          }
        };
        bound('min', range[0] < edit.minAge, edit.minAge);
        bound('max', range[1] > edit.maxAge, edit.maxAge);
      }
    }
  }
  // comorbidities no one in the cohort can have
  const range = support(demo.age);
  profile.clinical.comorbidities.forEach((c, i) => {
    const e = applicability(c.code);
    if (!e) return;
    const path: SpecPath = [...P, 'clinical', 'comorbidities', i, 'code'];
    if (e.sex && !(demo.gender[SEX_NAME[e.sex]] > 0)) {
      sink.warn(path, 'spec.condition-sex', `${describeCode(c)} applies to ${e.who} (ICD-10-CM sex edit), and this profile has no ${SEX_NAME[e.sex]}s: no one will have it`);
    } else if (range && (range[1] < e.minAge || range[0] > e.maxAge)) {
      sink.warn(path, 'spec.condition-age', `${describeCode(c)} applies to ${e.who} (ICD-10-CM age edit), and this profile gives ${fmtAges(range)}: no one will have it`);
    }
  });
}

const fmtAges = (r: [number, number]) => (r[0] === r[1] ? `age ${r[0]}` : `ages ${r[0]}–${Number.isFinite(r[1]) ? r[1] : '…'}`);
