/**
 * Journey events → patientsim rows. encounter: a visit (skill visit type, or parameters
 * code/class_code), with vitals, any `parameters.panels` and, at an ambulatory visit, the patient's
 * conditions' monitoring panels the journey leaves undone (monitoring.ts); lab_order: results for panels from
 * `parameters.panels`/`tests`, `codes.loinc`, a `skill_ref` lookup or the skill's monitoring
 * panels, linked to the latest encounter in the 14 days before; medication: an explicit drug
 * (`parameters.drug`, `codes.rxnorm`, skill_ref), else the skill's next line of therapy, else a
 * dose increase of its current drug; procedure: `codes.cpt`/`parameters.code`, skill_ref, or one
 * of the skill's procedures. claim/visit/adverse_event belong to other products.
 */
import type { Person } from '../../person.js';
import type { GenerateContext } from '../../types.js';
import type { Skill, SkillEncounterType, SkillMedLine, SkillMedOption, SkillProcedure, SkillRegistry } from '../../../reference/skills.js';
import { lookupSkill } from '../../../reference/skills.js';
import { findDrug } from '../../../reference/rxnorm.js';
import { pickByWeight, pickWeighted } from '../../distributions.js';
import { doseFor, doseWho, type DoseFor, type MedOrder } from '../../clinical/medications.js';
import { childDose } from '../../clinical/pediatrics.js';
import { datasetPlan } from '../../plan.js';
import type { ScheduledEvent } from '../../journeys/schedule.js';
import type { CareNetwork } from '../../network/network.js';
import { addVisit, orderLabs, VITALS } from './care.js';
import type { PatientRecord } from './record.js';
import { visitLabel } from './visitTypes.js';
import { describe } from '../../clinical/codes.js';
import { encounterPanels, JourneyMonitoring, strList } from './monitoring.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

function skillRefValue(reg: SkillRegistry, ev: ScheduledEvent): { value: unknown; path: string } | undefined {
  const ref = ev.event.parameters.skill_ref as { skill?: string; lookup?: string } | undefined;
  if (!ref?.skill || !ref.lookup) return undefined;
  const skill = reg.resolve(ref.skill);
  return skill ? { value: lookupSkill(skill, ref.lookup), path: ref.lookup } : undefined;
}

/** The skill an event is about: its condition's, else its skill_ref's. */
function eventSkill(reg: SkillRegistry, ev: ScheduledEvent): Skill | undefined {
  const ref = ev.event.parameters.skill_ref as { skill?: unknown } | undefined;
  return ev.skill ?? (typeof ref?.skill === 'string' ? reg.resolve(ref.skill) : undefined);
}

/** The panels, tests and LOINC codes a lab_order event orders (never none: the skill's monitoring, else a CMP). */
function labOrderPanels(reg: SkillRegistry, ev: ScheduledEvent): string[] {
  const p = ev.event.parameters;
  const panels = [...strList(p.panels), ...strList(p.tests)];
  if (ev.event.codes.loinc) panels.push(ev.event.codes.loinc);
  const ref = skillRefValue(reg, ev);
  if (ref) {
    if (Array.isArray(ref.value)) panels.push(...ref.value.map(String));
    else if (ref.path.startsWith('monitoring.labs.')) panels.push(ref.path.slice('monitoring.labs.'.length));
  }
  const skill = eventSkill(reg, ev);
  if (panels.length === 0 && skill) panels.push(...skill.monitoring.panels);
  if (panels.length === 0) panels.push('cmp');
  return panels;
}

export function materializeEvents(ctx: GenerateContext, person: Person, rec: PatientRecord, net: CareNetwork, events: readonly ScheduledEvent[]): void {
  const reg = datasetPlan(ctx).skills;
  const monitoring = JourneyMonitoring.of(ctx, person, reg, events, (ev) => labOrderPanels(reg, ev));
  for (const ev of events) {
    const p = ev.event.parameters;
    const rng = ev.rng;
    const skill = eventSkill(reg, ev);
    switch (ev.event.event_type) {
      case 'encounter': {
        const ref = skillRefValue(reg, ev)?.value as Partial<SkillEncounterType> | undefined;
        const code = ev.event.codes.cpt ?? str(p.code) ?? ref?.code;
        const cls = str(p.class_code) ?? str(p.encounter_class) ?? ref?.class;
        const enc = addVisit(rec, person, net, rng, {
          day: ev.day, skill, encounterClass: cls, code, journeyEvent: ev.event.id,
          description: str(p.description) ?? (code ? visitLabel(code) : undefined),
          lengthDays: typeof p.length_days === 'number' ? p.length_days : undefined,
          reason: ev.event.codes.icd10 ? { code: ev.event.codes.icd10, description: describe(ev.event.codes.icd10) } : undefined,
        });
        orderLabs(rec, person, reg, ev.day, encounterPanels(p), rng, enc);
        if (monitoring && p.monitoring !== false) {
          const due = monitoring.due(ev.day, enc.encounterClass);
          if (due.length > 0) orderLabs(rec, person, reg, ev.day, due, monitoring.rng(), enc);
        }
        break;
      }
      case 'lab_order':
        orderLabs(rec, person, reg, ev.day, labOrderPanels(reg, ev), rng, rec.encounterNear(ev.day, 14));
        break;
      case 'medication':
        prescribe(rec, ev, skill?.id, skill?.medications.lines ?? [], reg, doseWho(person));
        break;
      case 'procedure': {
        const ref = skillRefValue(reg, ev)?.value as Partial<SkillProcedure> | undefined;
        let code = ev.event.codes.cpt ?? str(p.code) ?? ref?.code;
        let description = str(p.description) ?? ref?.description;
        let system = str(p.code_system) ?? ref?.code_system ?? 'CPT';
        if (!code && skill && skill.procedures.length > 0) {
          const proc = skill.procedures[Math.floor(rng.next() * skill.procedures.length)];
          ({ code, description, code_system: system } = proc);
        }
        description ??= code ? procedureLabel(reg, code) : undefined;
        if (code) rec.procedure(ev.day, code, system, description ?? 'Procedure', rec.encounterNear(ev.day, 0));
        break;
      }
      case 'claim':
      case 'visit':
      case 'adverse_event':
        break;
      default: {
        const never: never = ev.event.event_type;
        throw new Error(`unknown event type ${String(never)}`);
      }
    }
  }
}

/** Our label for a procedure code named by a journey: the first skill that lists it, else generic. */
function procedureLabel(reg: SkillRegistry, code: string): string | undefined {
  for (const id of reg.ids()) {
    const p = reg.get(id)!.procedures.find((x) => x.code === code);
    if (p) return p.description;
  }
  return visitLabel(code) === 'Clinical encounter' ? undefined : visitLabel(code);
}

function prescribe(rec: PatientRecord, ev: ScheduledEvent, skillId: string | undefined, lines: readonly SkillMedLine[], reg: SkillRegistry, who: DoseFor): void {
  const p = ev.event.parameters;
  const rng = ev.rng;
  const enc = rec.encounterNear(ev.day, 14);
  const ref = skillRefValue(reg, ev)?.value as Partial<SkillMedOption & SkillMedLine> | undefined;
  const explicit = str(p.drug) ?? ev.event.codes.rxnorm ?? (ref?.drug as string | undefined);
  const refOption = ref?.options ? pickByWeight(ref.options, (o) => o.weight, rng) : undefined;
  const name = explicit ?? refOption?.drug;
  if (name) {
    const drug = findDrug(name);
    if (!drug) return;
    if (rec.activeMeds().some((m) => m.drug.rxcui === drug.rxcui)) return;
    const dose = typeof p.dose === 'number' ? p.dose : doseFor(drug, refOption, rng, who); // a dose the journey writes is kept
    rec.med({ drug, dose, frequency: str(p.frequency) ?? drug.frequency, startDay: ev.day, status: 'active', outcome: 'ongoing', line: ref?.line, skill: skillId }, enc);
    return;
  }
  if (!skillId) return;
  const active = rec.activeMeds().filter((m) => m.skill === skillId && m.startDay <= ev.day);
  const current = Math.max(0, ...active.map((m) => m.line ?? 0));
  // a history line started after this event's day: the record already moved on
  if (rec.activeMeds().some((m) => m.skill === skillId && m.startDay > ev.day)) return;
  const next = lines.find((l) => l.line > current);
  if (next && next.options.length > 0) {
    const option = pickByWeight(next.options, (o) => o.weight, rng);
    const skill = reg.get(skillId)!;
    if (!skill.medications.add_on) {
      const outcome = pickWeighted(skill.medications.outcomes, rng);
      for (const m of active) Object.assign(m, { status: 'stopped', endDay: ev.day, outcome });
    }
    for (const part of [option, ...(option.also ?? [])]) {
      const drug = findDrug(part.drug);
      if (!drug || rec.activeMeds().some((m) => m.drug.rxcui === drug.rxcui)) continue;
      rec.med({ drug, dose: doseFor(drug, part, rng, who), frequency: part.frequency ?? drug.frequency, startDay: ev.day, status: 'active', line: next.line, outcome: 'ongoing', skill: skillId }, enc);
    }
    return;
  }
  // no further line: intensify the current drug to its next dose
  const cur = active[active.length - 1];
  if (!cur) return;
  const higher = cur.drug.doses.map((d) => childDose(cur.drug.key, cur.drug.doseUnit, d, who.age, who.weightKg)).find((d) => d > cur.dose);
  if (higher === undefined) return;
  Object.assign(cur, { status: 'stopped', endDay: ev.day, outcome: 'partial response' } satisfies Partial<MedOrder>);
  rec.med({ ...cur, dose: higher, startDay: ev.day, endDay: undefined, status: 'active', outcome: 'ongoing' }, enc);
}

export { VITALS };
