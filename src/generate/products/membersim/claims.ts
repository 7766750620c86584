/**
 * Medical claims for one member over the claims window: office (PCP and specialist) visits,
 * labs, emergency visits, inpatient stays and outpatient surgery, driven by the utilization
 * spec and the member's conditions. Amounts are handled in integer cents so that
 * header = Σ lines and member_responsibility = allowed − paid hold exactly.
 */
import type { Row } from '../../../model/types.js';
import type { Distribution, UtilizationKey, UtilizationSpec } from '../../../spec/types.js';
import type { Person } from '../../person.js';
import type { Rng } from '../../rng.js';
import type { GenerateContext } from '../../types.js';
import { isKnownProcedure, procedure } from '../../../reference/claims/procedures.js';
import { SETTING_POS, type ClaimSetting } from '../../../reference/claims/placeOfService.js';
import { SPECIALTIES } from '../../../reference/claims/specialties.js';
import type { Enrollment } from './enrollment.js';
import { scheduleJourney } from '../../journeys/schedule.js';
import { facilitiesFor, providersFor, type FacilityType, type NetworkState } from './network.js';
import { preventiveVisitCode } from '../patientsim/visitTypes.js';
import { ageOnDay } from '../../dates.js';
import { childUtilizationFactor, wellChildSchedule } from '../../clinical/pediatrics.js';
import { clamp, dollars, epochDay, isoDate, logNormal, pad, pickByWeight, poisson, sampleDistribution } from './common.js';

export const DEFAULT_UTILIZATION: UtilizationSpec = {
  pcp_visits_per_year: { type: 'poisson', mean: 4 },
  specialist_visits_per_year: { type: 'poisson', mean: 2.5 },
  er_visits_per_year: { type: 'log_normal', mean: 0.35, std_dev: 0.3 },
  inpatient_admits_per_year: { type: 'log_normal', mean: 0.25, std_dev: 0.2 },
  monthly_fills: { type: 'poisson', mean: 3 },
  defaulted: ['pcp_visits_per_year', 'specialist_visits_per_year', 'er_visits_per_year', 'inpatient_admits_per_year', 'monthly_fills'],
};

/** Outpatient surgeries per member-year at age 65 (rises with age). */
const OUTPATIENT_SURGERY_RATE = 0.2;
const DENIAL_RATE = 0.04;

interface LineDraft {
  code: string;
  units: number;
  pointers: number[]; // 1-based indexes into the claim's diagnoses
  billed: number; // cents
}

interface ClaimDraft {
  day: number;
  endDay: number;
  setting: ClaimSetting;
  claimType: 'professional' | 'institutional';
  pos: string;
  providerId: string | null;
  facilityId: string | null;
  diagnoses: string[];
  lines: LineDraft[];
  /** member copay for the claim, before capping at allowed (cents) */
  copay: number;
  /** coinsurance fraction applied after the copay */
  coinsurance: number;
  allowedRatio: number;
}

interface MemberContext {
  ctx: GenerateContext;
  person: Person;
  rng: Rng;
  net: NetworkState;
  planType: string;
  state: string;
  pcpId: string | null;
}

/** Billed cents for a code: synthetic median fee × units × log-normal spread. */
function charge(rng: Rng, code: string, units = 1, spread = 0.2): number {
  return Math.max(100, Math.round(procedure(code).fee * units * logNormal(rng, 1, spread) * 100));
}

function line(m: MemberContext, code: string, pointers: number[], units = 1, spread = 0.2): LineDraft {
  return { code, units, pointers, billed: charge(m.rng, code, units, spread) };
}

/** Condition codes active on a day (onset on or before it), primary first. */
function activeConditions(person: Person, day: number): string[] {
  const active = person.conditions.filter((c) => !c.onset_date || epochDay(c.onset_date) <= day);
  active.sort((a, b) => Number(b.is_primary) - Number(a.is_primary));
  return active.map((c) => c.code);
}

/** Up to 4 distinct diagnosis codes, `first` (if any) leading. */
function diagnosisList(first: string | null, rest: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of first ? [first, ...rest] : rest) {
    if (!out.includes(c)) out.push(c);
    if (out.length === 4) break;
  }
  return out;
}

function pointersAll(dx: readonly string[]): number[] {
  return dx.map((_, k) => k + 1);
}

function pickProvider(m: MemberContext, specialty: string): string | null {
  const list = providersFor(m.net, specialty, m.state);
  return list.length > 0 ? list[m.rng.int(0, list.length - 1)].provider_id : null;
}

function pickFacility(m: MemberContext, type: FacilityType): string | null {
  const list = facilitiesFor(m.net, type, m.state);
  return list.length > 0 ? list[m.rng.int(0, list.length - 1)].facility_id : null;
}

const COPAYS: Record<string, Record<string, number>> = {
  // dollars per claim (inpatient: per day, first 5 days)
  pcp: { HMO: 5, PPO: 20, PFFS: 25, SNP: 0, default: 20 },
  specialist: { HMO: 35, PPO: 45, PFFS: 50, SNP: 0, default: 45 },
  emergency: { HMO: 100, PPO: 120, PFFS: 120, SNP: 0, default: 120 },
  inpatient: { HMO: 295, PPO: 350, PFFS: 400, SNP: 0, default: 350 },
  outpatient_surgery: { HMO: 250, PPO: 325, PFFS: 0, SNP: 0, default: 300 },
  lab: { default: 0 },
};

function copayFor(kind: keyof typeof COPAYS, planType: string): number {
  const t = COPAYS[kind];
  return (t[planType] ?? t.default) * 100;
}

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

// ---- encounters -----------------------------------------------------------------------------

function officeVisit(m: MemberContext, day: number, specialist: boolean): ClaimDraft {
  const conds = activeConditions(m.person, day);
  let specialty = 'internal_medicine';
  let providerId = m.pcpId;
  let dx: string[];
  if (specialist) {
    const matching = SPECIALTIES.filter((s) => s.conditions.length > 0 && s.key !== 'oncology' && conds.some((c) => s.conditions.some((p) => c.startsWith(p))));
    const oncology = conds.some((c) => c.startsWith('C')) ? ['oncology'] : [];
    const options = [...matching.map((s) => s.key), ...oncology];
    specialty = options.length > 0 ? m.rng.pick(options) : m.rng.pick(isChild(m) ? ['otolaryngology', 'orthopedics', 'ophthalmology', 'gastroenterology'] : ['cardiology', 'orthopedics', 'ophthalmology', 'gastroenterology']);
    providerId = pickProvider(m, specialty);
    const sp = SPECIALTIES.find((s) => s.key === specialty);
    const related = conds.filter((c) => sp?.conditions.some((p) => c.startsWith(p)) ?? false);
    const fallback: Record<string, string> = { cardiology: 'R00.2', orthopedics: 'M25.561', ophthalmology: isChild(m) ? 'H52.13' : 'H52.4', gastroenterology: 'K21.9', otolaryngology: 'H65.90' };
    dx = diagnosisList(related[0] ?? fallback[specialty] ?? 'R53.83', conds);
  } else {
    dx = conds.length > 0 ? diagnosisList(null, conds) : [m.rng.pick(isChild(m) ? ['J06.9', 'H66.90', 'R50.9', 'R05.9', 'L30.9'] : ['J06.9', 'M54.50', 'R53.83', 'R05.9', 'L30.9'])];
  }
  const lines: LineDraft[] = [];
  if (specialty === 'ophthalmology') {
    lines.push(line(m, '92014', [1]));
    if (conds.some((c) => c.startsWith('E11') || c.startsWith('E10')) && m.rng.chance(0.5)) lines.push(line(m, '92250', [1]));
  } else {
    const complexity = Math.min(3, conds.length) / 3;
    const em = pickByWeight(m.rng, ['99212', '99213', '99214', '99215'], [0.12 - 0.06 * complexity, 0.5 - 0.15 * complexity, 0.32 + 0.15 * complexity, 0.06 + 0.06 * complexity]);
    lines.push(line(m, em, pointersAll(dx).slice(0, 4)));
    if (specialty === 'cardiology' && m.rng.chance(0.5)) lines.push(line(m, '93000', [1]));
    if (specialty === 'cardiology' && m.rng.chance(0.15)) lines.push(line(m, '93306', [1]));
    if (specialty === 'pulmonology' && m.rng.chance(0.4)) lines.push(line(m, '94010', [1]));
    if (!specialist && m.rng.chance(0.08) && !isChild(m)) lines.push(line(m, '93000', [1]));
  }
  return {
    day, endDay: day, setting: 'office', claimType: 'professional', pos: SETTING_POS.office,
    providerId, facilityId: null, diagnoses: dx, lines,
    copay: copayFor(specialist ? 'specialist' : 'pcp', m.planType), coinsurance: 0, allowedRatio: uniform(m.rng, 0.55, 0.75),
  };
}

function wellnessVisit(m: MemberContext, day: number, first: boolean): ClaimDraft {
  const conds = activeConditions(m.person, day);
  const dx = diagnosisList('Z00.00', conds);
  return {
    day, endDay: day, setting: 'office', claimType: 'professional', pos: SETTING_POS.office,
    providerId: m.pcpId, facilityId: null, diagnoses: dx, lines: [line(m, first ? 'G0438' : 'G0439', [1], 1, 0.1)],
    copay: 0, coinsurance: 0, allowedRatio: uniform(m.rng, 0.6, 0.8),
  };
}

function fluShot(m: MemberContext, day: number): ClaimDraft {
  return {
    day, endDay: day, setting: 'office', claimType: 'professional', pos: SETTING_POS.office,
    providerId: m.pcpId, facilityId: null, diagnoses: ['Z23'], lines: fluShotLines(m),
    copay: 0, coinsurance: 0, allowedRatio: uniform(m.rng, 0.6, 0.8),
  };
}

/**
 * Medicare bills the administration as G0008 and the high-dose vaccine (90662) is for 65 and
 * older; everyone else gets 90471 with a standard quadrivalent vaccine (the 6–35-month dose under 3).
 */
function fluShotLines(m: MemberContext): LineDraft[] {
  if (m.person.age >= 65) return [line(m, 'G0008', [1], 1, 0.1), line(m, '90662', [1], 1, 0.1)];
  return [line(m, '90471', [1], 1, 0.1), line(m, m.person.age < 3 ? '90685' : '90686', [1], 1, 0.1)];
}

const isChild = (m: MemberContext): boolean => m.person.age < 18;

/**
 * A well-child visit (CPT 99391–99394 for the age, Z00.12x): with a blood lead test at 1 and 2,
 * and a lipid screen at 9–11 and 17, as in the AAP/Bright Futures schedule.
 */
function wellChildVisit(m: MemberContext, day: number, months?: number): ClaimDraft {
  const conds = activeConditions(m.person, day);
  const dx = diagnosisList(months === 0 ? 'Z00.110' : conds.length > 0 ? 'Z00.121' : 'Z00.129', conds);
  // age at the visit: a scheduled infant visit knows it in months
  const age = months !== undefined ? Math.floor(months / 12) : ageOnDay(epochDay(m.person.birth_date), day);
  const lines: LineDraft[] = [line(m, preventiveVisitCode(age), pointersAll(dx).slice(0, 4), 1, 0.1)];
  // blood lead at 12 and 24 months (at the yearly visit of a 1- or 2-year-old when no schedule applies)
  if (months !== undefined ? months === 12 || months === 24 : age === 1 || age === 2) lines.push(line(m, '36415', [1], 1, 0.1), line(m, '83655', [1]));
  if ((age >= 9 && age <= 11) || age === 17) lines.push(line(m, '36415', [1], 1, 0.1), line(m, '80061', [1]));
  return {
    day, endDay: day, setting: 'office', claimType: 'professional', pos: SETTING_POS.office,
    providerId: m.pcpId, facilityId: null, diagnoses: dx, lines,
    copay: 0, coinsurance: 0, allowedRatio: uniform(m.rng, 0.55, 0.75),
  };
}

/** A child's lab visit: a blood count, and chemistry, A1c or TSH only for a condition that calls for them. */
function childLabDraw(m: MemberContext, day: number): ClaimDraft {
  const conds = activeConditions(m.person, day);
  const has = (p: string) => conds.some((c) => c.startsWith(p));
  const dx = conds.length > 0 ? diagnosisList(null, conds) : ['R50.9'];
  const lines: LineDraft[] = [line(m, '36415', [1], 1, 0.1), line(m, '85025', [1])];
  if (has('E10') || has('E11')) lines.push(line(m, '83036', [1]), line(m, '80048', [1]));
  if (has('E03') || has('E05')) lines.push(line(m, '84443', [1]));
  if (has('N18') || has('N04')) lines.push(line(m, '80053', [1]));
  return {
    day, endDay: day, setting: 'lab', claimType: 'professional', pos: SETTING_POS.lab,
    providerId: null, facilityId: pickFacility(m, 'laboratory'), diagnoses: dx, lines,
    copay: copayFor('lab', m.planType), coinsurance: 0, allowedRatio: uniform(m.rng, 0.25, 0.45),
  };
}

function labDraw(m: MemberContext, day: number): ClaimDraft {
  if (isChild(m)) return childLabDraw(m, day);
  const conds = activeConditions(m.person, day);
  const has = (p: string) => conds.some((c) => c.startsWith(p));
  const dx = conds.length > 0 ? diagnosisList(null, conds) : ['Z13.220'];
  const ptr = (p: string) => {
    const k = dx.findIndex((c) => c.startsWith(p));
    return [k >= 0 ? k + 1 : 1];
  };
  const lines: LineDraft[] = [line(m, '36415', [1], 1, 0.1)];
  lines.push(line(m, m.rng.chance(0.7) ? '80053' : '80048', [1]));
  if (has('E10') || has('E11')) {
    lines.push(line(m, '83036', ptr('E1')));
    if (m.rng.chance(0.4)) lines.push(line(m, '82043', ptr('E1')), line(m, '82570', ptr('E1')));
  }
  if (has('E78') || m.rng.chance(0.3)) lines.push(line(m, '80061', has('E78') ? ptr('E78') : [1]));
  if (m.rng.chance(0.4)) lines.push(line(m, '85025', [1]));
  if (has('E03') || has('E05') || m.rng.chance(0.12)) lines.push(line(m, '84443', [1]));
  if (has('I50') && m.rng.chance(0.5)) lines.push(line(m, '83880', ptr('I50')));
  return {
    day, endDay: day, setting: 'lab', claimType: 'professional', pos: SETTING_POS.lab,
    providerId: null, facilityId: pickFacility(m, 'laboratory'), diagnoses: dx, lines,
    copay: copayFor('lab', m.planType), coinsurance: 0, allowedRatio: uniform(m.rng, 0.25, 0.45),
  };
}

const ED_REASONS: readonly { code: string; weight: number }[] = [
  { code: 'R07.9', weight: 18 }, { code: 'R10.9', weight: 14 }, { code: 'R06.02', weight: 12 }, { code: 'R55', weight: 8 },
  { code: 'N39.0', weight: 9 }, { code: 'J18.9', weight: 8 }, { code: 'R51.9', weight: 7 }, { code: 'S09.90XA', weight: 7 },
  { code: 'M54.50', weight: 8 }, { code: 'L03.90', weight: 5 }, { code: 'R42', weight: 4 },
];

/** Children's emergency visits: infections, fever, injuries, vomiting, allergic reactions, asthma. */
const CHILD_ED_REASONS: readonly { code: string; weight: number }[] = [
  { code: 'J06.9', weight: 14 }, { code: 'R50.9', weight: 14 }, { code: 'H66.90', weight: 8 }, { code: 'A08.4', weight: 8 },
  { code: 'S09.90XA', weight: 8 }, { code: 'R11.10', weight: 6 }, { code: 'R10.9', weight: 6 }, { code: 'S52.501A', weight: 5 },
  { code: 'S93.401A', weight: 4 }, { code: 'T78.40XA', weight: 3 }, { code: 'L03.90', weight: 3 }, { code: 'J45.901', weight: 4 },
];

function emergencyVisit(m: MemberContext, day: number): ClaimDraft {
  const reasons = isChild(m) ? CHILD_ED_REASONS : ED_REASONS;
  const reason = pickByWeight(m.rng, reasons.map((r) => r.code), reasons.map((r) => r.weight));
  const dx = diagnosisList(reason, activeConditions(m.person, day));
  const em = pickByWeight(m.rng, ['99283', '99284', '99285'], [0.35, 0.4, 0.25]);
  const lines: LineDraft[] = [line(m, em, pointersAll(dx))];
  const cardiopulmonary = ['R07.9', 'R06.02', 'R55', 'J18.9'].includes(reason);
  if (m.rng.chance(isChild(m) ? 0.3 : 0.75)) lines.push(line(m, '36415', [1], 1, 0.1), line(m, isChild(m) ? '80048' : '80053', [1]), line(m, '85025', [1]));
  if (reason === 'R07.9') lines.push(line(m, '84484', [1]));
  if (cardiopulmonary) lines.push(line(m, '93000', [1]), line(m, '71046', [1]));
  if (['R51.9', 'R55', 'S09.90XA', 'R42'].includes(reason) && m.rng.chance(0.55)) lines.push(line(m, '70450', [1]));
  if (reason === 'R10.9' && m.rng.chance(0.6)) lines.push(line(m, '74177', [1]));
  if (reason === 'N39.0') lines.push(line(m, '81001', [1]));
  return {
    day, endDay: day, setting: 'emergency', claimType: 'institutional', pos: SETTING_POS.emergency,
    providerId: pickProvider(m, 'emergency_medicine'), facilityId: pickFacility(m, 'hospital'), diagnoses: dx, lines,
    copay: copayFor('emergency', m.planType), coinsurance: 0, allowedRatio: uniform(m.rng, 0.3, 0.5),
  };
}

function admissionReason(m: MemberContext, conds: readonly string[]): string {
  if (isChild(m)) return childAdmissionReason(m, conds);
  const options: { code: string; weight: number }[] = [
    { code: 'J18.9', weight: 10 }, { code: 'A41.9', weight: 9 }, { code: 'N39.0', weight: 6 }, { code: 'I21.4', weight: 4 },
    { code: 'I63.9', weight: 4 }, { code: 'K92.2', weight: 3 }, { code: 'I48.91', weight: 3 },
  ];
  if (m.person.age >= 70) options.push({ code: 'S72.001A', weight: 3 });
  const hf = conds.find((c) => c.startsWith('I50'));
  if (hf) options.push({ code: hf, weight: 18 });
  if (conds.some((c) => c.startsWith('J44'))) options.push({ code: 'J44.1', weight: 14 });
  if (conds.some((c) => c.startsWith('N18'))) options.push({ code: 'N17.9', weight: 6 });
  if (conds.some((c) => c.startsWith('E11'))) options.push({ code: 'E11.65', weight: 4 });
  return pickByWeight(m.rng, options.map((o) => o.code), options.map((o) => o.weight));
}

/** Children are admitted for pneumonia, bronchiolitis (under 2), gastroenteritis, UTI, asthma, diabetic ketoacidosis. */
function childAdmissionReason(m: MemberContext, conds: readonly string[]): string {
  const options: { code: string; weight: number }[] = [
    { code: 'J18.9', weight: 10 }, { code: 'A08.4', weight: 6 }, { code: 'N39.0', weight: 4 }, { code: 'A41.9', weight: 2 },
  ];
  if (m.person.age < 2) options.push({ code: 'J21.9', weight: 14 });
  if (conds.some((c) => c.startsWith('J45'))) options.push({ code: 'J45.901', weight: 16 });
  if (conds.some((c) => c.startsWith('E10'))) options.push({ code: 'E10.10', weight: 8 });
  return pickByWeight(m.rng, options.map((o) => o.code), options.map((o) => o.weight));
}

const MIN_INPATIENT_BILLED = 8_000_00;
const MAX_INPATIENT_BILLED = 60_000_00;

function inpatientStay(m: MemberContext, day: number, lastDay: number): ClaimDraft {
  const conds = activeConditions(m.person, day);
  const reason = admissionReason(m, conds);
  const dx = diagnosisList(reason, conds);
  const los = clamp(1 + poisson(m.rng, 3.2), 1, 14);
  const endDay = Math.min(day + los, lastDay);
  const days = Math.max(1, endDay - day);
  const respiratory = reason.startsWith('J') || reason.startsWith('I50');
  const surgical = reason === 'S72.001A' || m.rng.chance(0.12);
  const lines: LineDraft[] = [
    line(m, '0120', [1], days, 0.15),
    line(m, '0250', pointersAll(dx), 1, 0.35),
    line(m, '0270', [1], 1, 0.35),
    line(m, '0300', pointersAll(dx), 1, 0.3),
  ];
  if (m.rng.chance(0.7)) lines.push(line(m, '0320', [1], 1, 0.3));
  if (respiratory) lines.push(line(m, '0410', [1], 1, 0.3));
  if (surgical) lines.push(line(m, '0360', [1], 1, 0.3));
  // keep the stay's total charge in the realistic $8k–$60k band by scaling every line alike
  const total = lines.reduce((s, l) => s + l.billed, 0);
  const floor = MIN_INPATIENT_BILLED + Math.round(m.rng.next() * 2_500_00);
  const target = clamp(total, floor, MAX_INPATIENT_BILLED);
  if (target !== total) for (const l of lines) l.billed = Math.max(100, Math.round((l.billed * target) / total));
  return {
    day, endDay, setting: 'inpatient', claimType: 'institutional', pos: SETTING_POS.inpatient,
    providerId: pickProvider(m, 'hospitalist'), facilityId: pickFacility(m, 'hospital'), diagnoses: dx, lines,
    copay: copayFor('inpatient', m.planType) * Math.min(days, 5), coinsurance: 0, allowedRatio: uniform(m.rng, 0.28, 0.45),
  };
}

interface SurgeryKind {
  code: string;
  dx: string;
  anesthesia: string;
  pathology: boolean;
  specialty: string;
  ascShare: number;
  weight: (age: number) => number;
}

const SURGERIES: readonly SurgeryKind[] = [
  { code: '66984', dx: 'H25.9', anesthesia: '00142', pathology: false, specialty: 'ophthalmology', ascShare: 0.7, weight: (a) => (a >= 65 ? 30 : 8) },
  { code: '45378', dx: 'Z12.11', anesthesia: '00811', pathology: false, specialty: 'gastroenterology', ascShare: 0.6, weight: () => 18 },
  { code: '45380', dx: 'K63.5', anesthesia: '00811', pathology: true, specialty: 'gastroenterology', ascShare: 0.6, weight: () => 14 },
  { code: '43239', dx: 'K21.9', anesthesia: '00731', pathology: true, specialty: 'gastroenterology', ascShare: 0.5, weight: () => 10 },
  { code: '29881', dx: 'M23.91', anesthesia: '01400', pathology: false, specialty: 'orthopedics', ascShare: 0.6, weight: (a) => (a >= 75 ? 4 : 8) },
  { code: '27447', dx: 'M17.11', anesthesia: '01402', pathology: false, specialty: 'orthopedics', ascShare: 0, weight: (a) => (a >= 60 ? 7 : 2) },
  { code: '64483', dx: 'M54.16', anesthesia: '', pathology: false, specialty: 'anesthesiology', ascShare: 0.6, weight: () => 12 },
];

/** Children's outpatient surgery: tonsils and adenoids, ear tubes (mostly under 6), a teenager's knee. */
const CHILD_SURGERIES: readonly SurgeryKind[] = [
  { code: '42820', dx: 'J35.3', anesthesia: '00170', pathology: false, specialty: 'otolaryngology', ascShare: 0.6, weight: (a) => (a >= 2 && a < 12 ? 10 : 0) },
  { code: '42821', dx: 'J35.3', anesthesia: '00170', pathology: false, specialty: 'otolaryngology', ascShare: 0.6, weight: (a) => (a >= 12 ? 4 : 0) },
  { code: '69436', dx: 'H65.90', anesthesia: '00120', pathology: false, specialty: 'otolaryngology', ascShare: 0.7, weight: (a) => (a < 6 ? 12 : 1) },
  { code: '29881', dx: 'M23.91', anesthesia: '01400', pathology: false, specialty: 'orthopedics', ascShare: 0.6, weight: (a) => (a >= 14 ? 3 : 0) },
];

function outpatientSurgery(m: MemberContext, day: number): ClaimDraft {
  const kinds = isChild(m) ? CHILD_SURGERIES : SURGERIES;
  const kind = pickByWeight(m.rng, kinds, kinds.map((s) => s.weight(m.person.age)));
  const dx = diagnosisList(kind.dx, activeConditions(m.person, day));
  const asc = m.rng.chance(kind.ascShare);
  const lines: LineDraft[] = [line(m, kind.code, [1], 1, 0.25)];
  if (kind.anesthesia) lines.push(line(m, kind.anesthesia, [1], 1, 0.2));
  if (kind.pathology) lines.push(line(m, '88305', [1], 1, 0.2));
  return {
    day, endDay: day, setting: 'outpatient_surgery', claimType: 'institutional', pos: asc ? '24' : SETTING_POS.outpatient_surgery,
    providerId: pickProvider(m, kind.specialty), facilityId: pickFacility(m, asc ? 'ambulatory surgery center' : 'hospital'), diagnoses: dx, lines,
    copay: copayFor('outpatient_surgery', m.planType), coinsurance: m.planType === 'PFFS' ? 0.2 : 0, allowedRatio: uniform(m.rng, 0.35, 0.55),
  };
}

/**
 * Cancer screening by sex and age, as the USPSTF recommends and claims show it: a screening
 * mammogram (77067, Z12.31) for women of 40–74 about every other year (and less often after),
 * cervical cytology (88175, Z12.4) for women of 21–65 about every three to four years, and a PSA
 * test for men of 50–69 (shared decision; less often after 70): 84153, or G0103 under Medicare
 * from 65, with Z12.5. Drawn from the member's own `screening` stream, so the other claims'
 * services and amounts are unchanged.
 */
function screeningClaims(m: MemberContext, window: ClaimWindow, years: number): ClaimDraft[] {
  const { person } = m;
  const sm: MemberContext = { ...m, rng: m.ctx.streams.entity(person.index, 'screening') };
  const out: ClaimDraft[] = [];
  const span = window.endDay - window.startDay + 1;
  const visits = (annual: number) => poisson(sm.rng, annual * years);
  const day = () => window.startDay + sm.rng.int(0, span - 1);
  const age = person.age;
  const conds = (d: number) => activeConditions(person, d);
  if (person.sex === 'F') {
    const mammo = age >= 40 && age <= 74 ? 0.42 : age >= 75 ? 0.18 : 0;
    for (let k = visits(mammo); k > 0; k--) {
      const d = day();
      out.push({
        day: d, endDay: d, setting: 'office', claimType: 'professional', pos: SETTING_POS.office, // an imaging center or office
        providerId: pickProvider(sm, 'radiology'), facilityId: null,
        diagnoses: diagnosisList('Z12.31', conds(d)), lines: [line(sm, '77067', [1], 1, 0.15)],
        copay: 0, coinsurance: 0, allowedRatio: uniform(sm.rng, 0.45, 0.7),
      });
    }
    const pap = age >= 21 && age <= 65 ? 0.27 : 0;
    for (let k = visits(pap); k > 0; k--) {
      const d = day();
      out.push({
        day: d, endDay: d, setting: 'lab', claimType: 'professional', pos: SETTING_POS.lab,
        providerId: pickProvider(sm, 'obstetrics_gynecology'), facilityId: pickFacility(sm, 'laboratory'),
        diagnoses: diagnosisList('Z12.4', conds(d)), lines: [line(sm, '88175', [1], 1, 0.15)],
        copay: 0, coinsurance: 0, allowedRatio: uniform(sm.rng, 0.35, 0.6),
      });
    }
  } else {
    const psa = age >= 50 && age <= 69 ? 0.3 : age >= 70 ? 0.15 : 0;
    for (let k = visits(psa); k > 0; k--) {
      const d = day();
      const medicare = /medicare/i.test(m.ctx.req.profile.coverage?.line_of_business ?? '') && age >= 65;
      out.push({
        day: d, endDay: d, setting: 'lab', claimType: 'professional', pos: SETTING_POS.lab,
        providerId: null, facilityId: pickFacility(sm, 'laboratory'),
        diagnoses: diagnosisList('Z12.5', conds(d)), lines: [line(sm, '36415', [1], 1, 0.1), line(sm, medicare ? 'G0103' : '84153', [1])],
        copay: 0, coinsurance: 0, allowedRatio: uniform(sm.rng, 0.3, 0.5),
      });
    }
  }
  return out;
}

/**
 * Claims for the dataset's journey: each scheduled encounter, lab order, procedure or claim
 * event inside the claim window becomes a claim of the matching setting. Each event draws from
 * its own stream (journey-claims:<event id>), so a journey never changes the utilization claims
 * a member already has, only adds its own.
 */
function journeyClaims(m: MemberContext, window: ClaimWindow): ClaimDraft[] {
  const journey = m.ctx.req.journey;
  if (!journey) return [];
  const out: ClaimDraft[] = [];
  for (const ev of scheduleJourney(m.ctx, m.person, journey)) {
    if (ev.day < window.startDay || ev.day > window.endDay) continue;
    const em: MemberContext = { ...m, rng: m.ctx.streams.entity(m.person.index, `journey-claims:${ev.event.id}`).fork(ev.occurrence) };
    // where the claim happens: parameters.setting, else the encounter class a patientsim journey gives (EMER, IMP)
    const params = ev.event.parameters ?? {};
    const cls = String(params.class_code ?? params.encounter_class ?? '');
    const setting = String(params.setting ?? (cls === 'EMER' ? 'emergency' : cls === 'IMP' ? 'inpatient' : ''));
    switch (ev.event.event_type) {
      case 'encounter':
      case 'visit':
        out.push(setting === 'emergency' ? emergencyVisit(em, ev.day) : setting === 'inpatient' ? inpatientStay(em, ev.day, window.endDay) : officeVisit(em, ev.day, setting === 'specialist' || !!ev.event.condition));
        break;
      case 'lab_order':
        out.push(labDraw(em, ev.day));
        break;
      case 'procedure': {
        const code = ev.event.codes.cpt ?? (typeof params.code === 'string' ? params.code : undefined);
        if (code && isKnownProcedure(code)) {
          const visit = officeVisit(em, ev.day, true);
          visit.lines.push(line(em, code, [1], 1, 0.25));
          out.push(visit);
        } else out.push(outpatientSurgery(em, ev.day));
        break;
      }
      case 'claim':
        out.push(
          setting === 'inpatient' ? inpatientStay(em, ev.day, window.endDay)
            : setting === 'emergency' ? emergencyVisit(em, ev.day)
              : setting === 'outpatient_surgery' ? outpatientSurgery(em, ev.day)
                : setting === 'lab' ? labDraw(em, ev.day)
                  : officeVisit(em, ev.day, false),
        );
        break;
      default:
        break; // medication and adverse_event events do not produce medical claims
    }
  }
  return out;
}

// ---- schedule and amounts -------------------------------------------------------------------

function countFor(rng: Rng, dist: Distribution, years: number, multiplier: number): number {
  const annual = Math.max(0, sampleDistribution(dist, rng));
  return poisson(rng, annual * years * multiplier);
}

export interface ClaimWindow {
  startDay: number;
  endDay: number;
}

/** The claims window: the last `months` months before the reference date, within enrollment. */
export function claimWindow(ctx: GenerateContext, e: Enrollment, months: number): ClaimWindow {
  const start = Math.max(e.startDay, ctx.refDay - Math.round(months * 30.4375) + 1);
  return { startDay: start, endDay: Math.min(e.endDay, ctx.refDay) };
}

export function claimsFor(
  ctx: GenerateContext,
  person: Person,
  e: Enrollment,
  net: NetworkState,
  util: UtilizationSpec,
  window: ClaimWindow,
): { claims: Row[]; claim_lines: Row[] } {
  const rng = ctx.streams.entity(person.index, 'claims');
  const span = window.endDay - window.startDay + 1;
  if (span <= 0) return { claims: [], claim_lines: [] };
  const years = span / 365.25;
  // children see a pediatrician (the network has them when the profile's ages reach under 18)
  const pcpSpecialty = rng.chance(0.5) ? 'internal_medicine' : 'family_medicine';
  const childPcps = person.age < 18 ? providersFor(net, 'pediatrics', person.state) : [];
  const pcps = childPcps.length > 0 ? childPcps : providersFor(net, person.age < 18 ? 'family_medicine' : pcpSpecialty, person.state);
  const m: MemberContext = {
    ctx, person, rng, net, planType: e.plan.plan_type, state: person.state,
    pcpId: pcps.length > 0 ? pcps[rng.int(0, pcps.length - 1)].provider_id : null,
  };
  const chronic = person.conditions.length;
  const burden = clamp(1 + 0.18 * chronic, 1, 2.2) * clamp(1 + 0.02 * (person.age - 70), 0.7, 1.5);
  const dayIn = () => window.startDay + rng.int(0, span - 1);

  const drafts: ClaimDraft[] = [];
  // a child's rates of what the profile left at the (adult) defaults are scaled by age
  const child = (key: UtilizationKey) => (util.defaulted?.includes(key) ? childUtilizationFactor(key, person.age) : 1);
  const pcpVisits = countFor(rng, util.pcp_visits_per_year, years, clamp(burden, 1, 1.6) * child('pcp_visits_per_year'));
  for (let k = 0; k < pcpVisits; k++) {
    const day = dayIn();
    drafts.push(officeVisit(m, day, false));
    if (rng.chance(person.age >= 18 ? 0.6 : 0.12)) drafts.push(labDraw(m, Math.min(window.endDay, day + rng.int(0, 3))));
  }
  const specialistVisits = countFor(rng, util.specialist_visits_per_year, years, burden * child('specialist_visits_per_year'));
  for (let k = 0; k < specialistVisits; k++) drafts.push(officeVisit(m, dayIn(), true));
  const edVisits = countFor(rng, util.er_visits_per_year, years, burden * child('er_visits_per_year'));
  for (let k = 0; k < edVisits; k++) drafts.push(emergencyVisit(m, dayIn()));
  const admits = countFor(rng, util.inpatient_admits_per_year, years, burden * child('inpatient_admits_per_year'));
  for (let k = 0; k < admits; k++) drafts.push(inpatientStay(m, dayIn(), window.endDay));
  // children: ≈ 0.03 outpatient surgeries a year (tonsils, ear tubes), a seventh of the adults' lowest rate
  const surgeries = poisson(rng, OUTPATIENT_SURGERY_RATE * years * (person.age < 18 ? 0.15 : clamp(1 + 0.03 * (person.age - 65), 0.5, 1.6)));
  for (let k = 0; k < surgeries; k++) drafts.push(outpatientSurgery(m, dayIn()));
  if (person.age >= 65 && rng.chance(0.55 * Math.min(1, years))) drafts.push(wellnessVisit(m, dayIn(), e.startDay > window.startDay));
  if (person.age < 3) {
    // under 3: the Bright Futures schedule (newborn, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30 months), each kept by 90 %
    for (const v of wellChildSchedule(epochDay(person.birth_date), window.startDay, window.endDay)) {
      if (rng.chance(0.9)) drafts.push(wellChildVisit(m, v.day, v.months));
    }
  } else if (person.age < 18 && rng.chance(0.75 * Math.min(1, years))) drafts.push(wellChildVisit(m, dayIn()));
  for (let y = new Date(window.startDay * 86_400_000).getUTCFullYear(); ; y++) {
    const oct1 = Math.floor(Date.UTC(y, 9, 1) / 86_400_000);
    if (oct1 > window.endDay) break;
    if (oct1 >= window.startDay && rng.chance(0.55)) drafts.push(fluShot(m, Math.min(window.endDay, oct1 + rng.int(0, 45))));
  }

  drafts.push(...screeningClaims(m, window, years));
  drafts.push(...journeyClaims(m, window));

  // stable order: by service day, then by draw order
  const ordered = drafts.map((d, k) => ({ d, k })).sort((a, b) => a.d.day - b.d.day || a.k - b.k);
  const claims: Row[] = [];
  const lines: Row[] = [];
  ordered.forEach(({ d }, k) => {
    const claimId = `${e.member_id}-C${pad(k + 1, 4)}`;
    const denied = rng.chance(DENIAL_RATE);
    let billed = 0;
    let allowed = 0;
    let paid = 0;
    let copayLeft = denied ? 0 : d.copay;
    d.lines.forEach((l, n) => {
      const lineAllowed = denied ? 0 : Math.min(l.billed - 1, Math.round(l.billed * d.allowedRatio));
      const fromCopay = Math.min(copayLeft, lineAllowed);
      copayLeft -= fromCopay;
      const coins = Math.round((lineAllowed - fromCopay) * d.coinsurance);
      const linePaid = lineAllowed - fromCopay - coins;
      billed += l.billed;
      allowed += lineAllowed;
      paid += linePaid;
      lines.push({
        claim_line_id: `${claimId}-L${n + 1}`,
        claim_id: claimId,
        line_number: n + 1,
        service_date: isoDate(d.day),
        code: l.code,
        code_system: procedure(l.code).system,
        description: procedure(l.code).label,
        diagnosis_pointers: l.pointers.filter((p) => p <= d.diagnoses.length).join(',') || '1',
        units: l.units,
        billed_amount: dollars(l.billed),
        allowed_amount: dollars(lineAllowed),
        paid_amount: dollars(linePaid),
      });
    });
    claims.push({
      claim_id: claimId,
      member_id: e.member_id,
      claim_type: d.claimType,
      setting: d.setting,
      service_date: isoDate(d.day),
      end_date: isoDate(d.endDay),
      place_of_service: d.pos,
      provider_id: d.providerId,
      facility_id: d.facilityId,
      diagnosis_code_1: d.diagnoses[0] ?? null,
      diagnosis_code_2: d.diagnoses[1] ?? null,
      diagnosis_code_3: d.diagnoses[2] ?? null,
      diagnosis_code_4: d.diagnoses[3] ?? null,
      billed_amount: dollars(billed),
      allowed_amount: dollars(allowed),
      paid_amount: dollars(paid),
      member_responsibility: dollars(allowed - paid),
      status: denied ? 'denied' : 'paid',
    });
  });
  return { claims, claim_lines: lines };
}
