/**
 * trialsim tables → SDTM domain records. Each builder returns records (variable → value) in
 * output order: sorted by USUBJID and the domain's natural keys, with --SEQ numbered per
 * subject. Dates stay ISO 8601 (YYYY-MM-DD); study days follow the SDTM rule (no day 0).
 */
import type { Row } from '../../../model/index.js';
import { compareText, epochDay, groupBy, indexBy, num, rowsOf, str, toAscii, type StandardTables } from '../common.js';
import { CODELISTS, LB_TESTS, TRIAL_PHASE, VS_TESTS, cdiscUnit } from './metadata.js';

export type SdtmValue = string | number | null;
export type SdtmRecord = Record<string, SdtmValue>;

/** ASCII, at most 200 characters (the XPORT v5 limit); empty → null. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = toAscii(String(v)).trim();
  return s === '' ? null : s.slice(0, 200);
}

function term(codelist: string, v: unknown, otherwise: string | null = null): string | null {
  const s = text(v)?.toUpperCase() ?? null;
  return s !== null && CODELISTS[codelist].terms.includes(s) ? s : otherwise;
}

function numberText(v: number | undefined): string | null {
  return v === undefined ? null : String(v);
}

/** SDTM study day: date − RFSTDTC + 1 on or after the reference start, date − RFSTDTC before it. */
export function studyDay(date: string | null | undefined, rfstdtc: string | null | undefined): number | null {
  const d = epochDay(date ?? undefined);
  const r = epochDay(rfstdtc ?? undefined);
  if (d === undefined || r === undefined) return null;
  return d >= r ? d - r + 1 : d - r;
}

interface SubjectInfo {
  row: Row;
  studyId: string;
  siteId: string;
  usubjid: string;
  rfstdtc: string | null;
}

function minDate(dates: (string | null | undefined)[]): string | null {
  const ds = dates.filter((d): d is string => !!d).sort(compareText);
  return ds[0] ?? null;
}
function maxDate(dates: (string | null | undefined)[]): string | null {
  const ds = dates.filter((d): d is string => !!d).sort(compareText);
  return ds.at(-1) ?? null;
}

/** Compares records by the listed variables (nulls first, numbers numerically). */
function byVars(vars: readonly string[]): (a: SdtmRecord, b: SdtmRecord) => number {
  return (a, b) => {
    for (const v of vars) {
      const x = a[v] ?? null;
      const y = b[v] ?? null;
      if (x === y) continue;
      if (x === null) return -1;
      if (y === null) return 1;
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
      if (d !== 0) return d;
    }
    return 0;
  };
}

function sequence(records: SdtmRecord[], seqVar: string, order: readonly string[]): SdtmRecord[] {
  records.sort(byVars(['USUBJID', ...order]));
  let last = '';
  let seq = 0;
  for (const r of records) {
    const u = String(r.USUBJID);
    seq = u === last ? seq + 1 : 1;
    last = u;
    r[seqVar] = seq;
  }
  return records;
}

/**
 * STUDYID is the protocol number (studies.protocol) when every study has one and they are
 * distinct in the dataset (a merged dataset may hold two copies of one protocol); otherwise
 * studies.study_id.
 */
export function sdtmStudyIds(studies: readonly Row[]): Map<string, string> {
  const protocols = studies.map((s) => text(s.protocol));
  const usable = protocols.every((p) => p !== null) && new Set(protocols).size === protocols.length;
  return new Map(studies.map((s, i) => [String(s.study_id), (usable ? protocols[i] : text(s.study_id)) ?? '']));
}

/** SITEID is sites.site_number when it is distinct within each study; otherwise sites.site_id. */
export function sdtmSiteIds(sites: readonly Row[]): Map<string, string> {
  const keys = sites.map((s) => `${String(s.study_id)}\u0000${text(s.site_number) ?? ''}`);
  const usable = sites.every((s) => text(s.site_number) !== null) && new Set(keys).size === keys.length;
  return new Map(sites.map((s) => [String(s.site_id), (usable ? text(s.site_number) : text(s.site_id)) ?? '']));
}

export class TrialData {
  readonly studies: Row[];
  readonly subjects: Row[];
  readonly info = new Map<string, SubjectInfo>();
  readonly arms: Map<string, Row>;
  readonly visits: Map<string, Row>;
  private readonly exposuresBySubject: Map<string, Row[]>;
  private readonly dsBySubject: Map<string, Row[]>;
  private readonly visitsBySubject: Map<string, Row[]>;

  constructor(readonly tables: StandardTables) {
    this.studies = rowsOf(tables, 'studies');
    this.subjects = rowsOf(tables, 'subjects');
    this.arms = indexBy(rowsOf(tables, 'arms'), 'arm_id');
    const visits = rowsOf(tables, 'visits');
    this.visits = indexBy(visits, 'visit_id');
    this.visitsBySubject = groupBy(visits, 'subject_id');
    this.exposuresBySubject = groupBy(rowsOf(tables, 'exposures'), 'subject_id');
    this.dsBySubject = groupBy(rowsOf(tables, 'disposition_events'), 'subject_id');
    const studyIds = sdtmStudyIds(this.studies);
    const siteIds = sdtmSiteIds(rowsOf(tables, 'sites'));
    for (const s of this.subjects) {
      const studyId = studyIds.get(String(s.study_id)) ?? text(s.study_id) ?? '';
      const siteId = siteIds.get(String(s.site_id)) ?? text(s.site_id) ?? '';
      const usubjid = [studyId, siteId, text(s.subject_number) ?? ''].join('-');
      const ex = this.exposuresBySubject.get(String(s.subject_id)) ?? [];
      const rfstdtc = minDate(ex.map((e) => str(e.start_date))) ?? str(s.randomization_date) ?? null;
      this.info.set(String(s.subject_id), { row: s, studyId, siteId, usubjid, rfstdtc });
    }
  }

  /** Subject-level fields shared by every domain record, or undefined for an unknown subject. */
  private subject(id: unknown): SubjectInfo | undefined {
    return this.info.get(String(id));
  }

  private visitOf(visitId: unknown): { VISITNUM: number | null; VISIT: string | null } {
    const v = this.visits.get(String(visitId));
    return { VISITNUM: num(v?.visit_number) ?? null, VISIT: text(v?.visit_name) };
  }

  dm(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const s of this.subjects) {
      const info = this.subject(s.subject_id)!;
      const sid = String(s.subject_id);
      const ex = this.exposuresBySubject.get(sid) ?? [];
      const ds = this.dsBySubject.get(sid) ?? [];
      const visits = this.visitsBySubject.get(sid) ?? [];
      const death = ds.find((d) => text(d.event)?.toUpperCase() === 'DEATH');
      const arm = s.arm_id ? this.arms.get(String(s.arm_id)) : undefined;
      const screenFailure = text(s.status)?.toUpperCase() === 'SCREEN FAILURE' || !arm;
      const treated = ex.length > 0;
      const rfxstdtc = minDate(ex.map((e) => str(e.start_date)));
      const rfxendtc = maxDate(ex.map((e) => str(e.end_date) ?? str(e.start_date)));
      const lastVisit = maxDate(visits.map((v) => str(v.actual_date)));
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'DM',
        USUBJID: info.usubjid,
        SUBJID: text(s.subject_number),
        RFSTDTC: screenFailure ? null : info.rfstdtc,
        RFENDTC: screenFailure ? null : rfxendtc ?? lastVisit,
        RFXSTDTC: rfxstdtc,
        RFXENDTC: rfxendtc,
        RFICDTC: text(s.consent_date),
        RFPENDTC: maxDate([...visits.map((v) => str(v.actual_date)), ...ds.map((d) => str(d.event_date)), rfxendtc, str(s.screening_date)]),
        DTHDTC: death ? text(death.event_date) : null,
        DTHFL: death ? 'Y' : null,
        SITEID: info.siteId,
        BRTHDTC: text(s.birth_date),
        AGE: num(s.age) ?? null,
        AGEU: num(s.age) !== undefined ? 'YEARS' : null,
        SEX: term('SEX', s.sex, 'U'),
        RACE: term('RACE', s.race, s.race ? 'OTHER' : 'NOT REPORTED'),
        ETHNIC: term('ETHNIC', s.ethnicity, 'NOT REPORTED'),
        ARMCD: screenFailure ? null : text(arm?.arm_code),
        ARM: screenFailure ? null : text(arm?.name),
        ACTARMCD: screenFailure || !treated ? null : text(arm?.arm_code),
        ACTARM: screenFailure || !treated ? null : text(arm?.name),
        ARMNRS: screenFailure ? 'SCREEN FAILURE' : treated ? null : 'ASSIGNED, NOT TREATED',
        COUNTRY: 'USA',
      });
    }
    return out.sort(byVars(['STUDYID', 'USUBJID']));
  }

  ae(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const a of rowsOf(this.tables, 'adverse_events')) {
      const info = this.subject(a.subject_id);
      if (!info) continue;
      const grade = num(a.ctcae_grade);
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'AE',
        USUBJID: info.usubjid,
        AESEQ: null,
        AESPID: text(a.adverse_event_id),
        AETERM: text(a.term),
        AEDECOD: text(a.term),
        AEBODSYS: text(a.system_organ_class),
        AESEV: grade === undefined ? null : grade <= 1 ? 'MILD' : grade === 2 ? 'MODERATE' : 'SEVERE',
        AESER: a.serious === null || a.serious === undefined ? null : a.serious === true || a.serious === 'true' ? 'Y' : 'N',
        AEACN: term('ACN', a.action_taken, a.action_taken ? 'UNKNOWN' : null),
        AEREL: text(a.relatedness),
        AEOUT: term('OUT', a.outcome, a.outcome ? 'UNKNOWN' : null),
        AETOXGR: grade === undefined ? null : String(grade),
        AESTDTC: text(a.onset_date),
        AEENDTC: text(a.end_date),
        AESTDY: studyDay(str(a.onset_date), info.rfstdtc),
        AEENDY: studyDay(str(a.end_date), info.rfstdtc),
      });
    }
    return sequence(out, 'AESEQ', ['AESTDTC', 'AETERM', 'AESPID']);
  }

  ds(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const d of rowsOf(this.tables, 'disposition_events')) {
      const info = this.subject(d.subject_id);
      if (!info) continue;
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'DS',
        USUBJID: info.usubjid,
        DSSEQ: null,
        DSTERM: text(d.event),
        DSDECOD: text(d.event)?.toUpperCase() ?? null,
        DSCAT: term('DSCAT', d.category, 'DISPOSITION EVENT'),
        DSSTDTC: text(d.event_date),
        DSSTDY: studyDay(str(d.event_date), info.rfstdtc),
      });
    }
    return sequence(out, 'DSSEQ', ['DSSTDTC', 'DSCAT', 'DSDECOD']);
  }

  ex(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const e of rowsOf(this.tables, 'exposures')) {
      const info = this.subject(e.subject_id);
      if (!info) continue;
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'EX',
        USUBJID: info.usubjid,
        EXSEQ: null,
        EXTRT: text(e.treatment),
        EXDOSE: num(e.dose) ?? null,
        EXDOSU: text(e.dose_unit),
        EXROUTE: text(e.route)?.toUpperCase() ?? null,
        ...this.visitOf(e.visit_id),
        EXSTDTC: text(e.start_date),
        EXENDTC: text(e.end_date),
        EXSTDY: studyDay(str(e.start_date), info.rfstdtc),
        EXENDY: studyDay(str(e.end_date), info.rfstdtc),
      });
    }
    return sequence(out, 'EXSEQ', ['EXSTDTC', 'EXTRT']);
  }

  private findings(vital: boolean): Row[] {
    return rowsOf(this.tables, 'trial_lab_results').filter((r) => (text(r.category)?.toUpperCase() === 'VITAL SIGNS') === vital);
  }

  vs(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const r of this.findings(true)) {
      const info = this.subject(r.subject_id);
      if (!info) continue;
      const testcd = text(r.test_code)?.toUpperCase() ?? null;
      const value = num(r.value);
      const unit = cdiscUnit(str(r.unit), testcd ?? undefined) ?? null;
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'VS',
        USUBJID: info.usubjid,
        VSSEQ: null,
        VSTESTCD: testcd,
        VSTEST: (testcd && VS_TESTS[testcd]) ?? text(r.description)?.slice(0, 40) ?? null,
        VSORRES: numberText(value),
        VSORRESU: value === undefined ? null : unit,
        VSSTRESC: numberText(value),
        VSSTRESN: value ?? null,
        VSSTRESU: value === undefined ? null : unit,
        VSSTAT: value === undefined ? 'NOT DONE' : null,
        ...this.visitOf(r.visit_id),
        VSDTC: text(r.collection_date),
        VSDY: studyDay(str(r.collection_date), info.rfstdtc),
      });
    }
    return sequence(out, 'VSSEQ', ['VISITNUM', 'VSDTC', 'VSTESTCD']);
  }

  lb(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const r of this.findings(false)) {
      const info = this.subject(r.subject_id);
      if (!info) continue;
      const testcd = text(r.test_code)?.toUpperCase().slice(0, 8) ?? null;
      const value = num(r.value);
      const low = num(r.reference_low);
      const high = num(r.reference_high);
      const unit = cdiscUnit(str(r.unit)) ?? null;
      const nrind =
        value === undefined ? null : low !== undefined && value < low ? 'LOW' : high !== undefined && value > high ? 'HIGH' : low !== undefined || high !== undefined ? 'NORMAL' : null;
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'LB',
        USUBJID: info.usubjid,
        LBSEQ: null,
        LBTESTCD: testcd,
        LBTEST: (testcd && LB_TESTS[testcd]) ?? text(r.description)?.slice(0, 40) ?? null,
        LBCAT: text(r.category)?.toUpperCase() ?? null,
        LBORRES: numberText(value),
        LBORRESU: value === undefined ? null : unit,
        LBORNRLO: numberText(low),
        LBORNRHI: numberText(high),
        LBSTRESC: numberText(value),
        LBSTRESN: value ?? null,
        LBSTRESU: value === undefined ? null : unit,
        LBSTNRLO: low ?? null,
        LBSTNRHI: high ?? null,
        LBNRIND: nrind,
        LBSTAT: value === undefined ? 'NOT DONE' : null,
        LBLOINC: text(r.code),
        ...this.visitOf(r.visit_id),
        LBDTC: text(r.collection_date),
        LBDY: studyDay(str(r.collection_date), info.rfstdtc),
      });
    }
    return sequence(out, 'LBSEQ', ['VISITNUM', 'LBDTC', 'LBCAT', 'LBTESTCD']);
  }

  sv(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    for (const v of [...this.visits.values()]) {
      const info = this.subject(v.subject_id);
      const date = text(v.actual_date);
      if (!info || !date) continue;
      out.push({
        STUDYID: info.studyId,
        DOMAIN: 'SV',
        USUBJID: info.usubjid,
        VISITNUM: num(v.visit_number) ?? null,
        VISIT: text(v.visit_name),
        SVSTDTC: date,
        SVENDTC: date,
        SVSTDY: studyDay(date, info.rfstdtc),
        SVENDY: studyDay(date, info.rfstdtc),
      });
    }
    return out.sort(byVars(['STUDYID', 'USUBJID', 'VISITNUM', 'SVSTDTC']));
  }

  ts(): SdtmRecord[] {
    const out: SdtmRecord[] = [];
    const armsByStudy = groupBy(rowsOf(this.tables, 'arms'), 'study_id');
    const studyIds = sdtmStudyIds(this.studies);
    for (const st of this.studies) {
      const studyId = studyIds.get(String(st.study_id)) ?? '';
      const randomized = this.subjects.filter((s) => String(s.study_id) === String(st.study_id) && s.randomization_date).length;
      const phase = TRIAL_PHASE[text(st.phase)?.toUpperCase() ?? ''];
      const params: [string, string, SdtmValue, SdtmValue, SdtmValue][] = [
        ['TITLE', 'Trial Title', text(st.title), null, null],
        ['TPHASE', 'Trial Phase Classification', phase?.term ?? text(st.phase), phase?.code ?? null, phase ? 'CDISC CT' : null],
        ['INDIC', 'Trial Disease/Condition Indication', text(st.indication), text(st.indication_code), st.indication_code ? 'ICD-10-CM' : null],
        ['STYPE', 'Study Type', 'INTERVENTIONAL', 'C98388', 'CDISC CT'],
        ['SPONSOR', 'Clinical Study Sponsor', text(st.sponsor), null, null],
        ['SSTDTC', 'Study Start Date', text(st.start_date), null, null],
        ['PLANSUB', 'Planned Number of Subjects', numberText(num(st.planned_subjects)), null, null],
        ['ACTSUB', 'Actual Number of Subjects', String(randomized), null, null],
        ['NARMS', 'Planned Number of Arms', String((armsByStudy.get(String(st.study_id)) ?? []).length), null, null],
      ];
      for (const [cd, name, val, code, ref] of params) {
        if (val === null) continue;
        out.push({ STUDYID: studyId, DOMAIN: 'TS', TSSEQ: 1, TSPARMCD: cd, TSPARM: name, TSVAL: val, TSVALCD: code, TSVCDREF: ref });
      }
    }
    return out;
  }
}
