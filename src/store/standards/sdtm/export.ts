/**
 * CDISC SDTM export (SDTMIG 3.3) of trialsim tables: DM, AE, DS, EX, LB, SV, TS, VS.
 *
 * Files (relative to the export directory):
 *   xpt/<domain>.xpt   SAS XPORT v5 transport file, one dataset per file (lower-case name)
 *   csv/<domain>.csv   the same records as CSV (header = variable names, LF, RFC 4180 quoting)
 *   define.json        define-style metadata: datasets, variables (name, label, type, length,
 *                      codelist) and the codelists' terms
 *
 * STUDYID = studies.protocol (study_id when protocols are missing or repeated), SITEID =
 * sites.site_number (site_id when not distinct), SUBJID = subjects.subject_number and
 * USUBJID = STUDYID-SITEID-SUBJID; --SEQ is numbered per subject; dates are ISO 8601. The
 * XPORT created/modified stamp is `referenceDate` (default: the earliest study start date).
 */
import { compareText, jsonFile, rowsOf, type ExportFile, type StandardTables } from '../common.js';
import { TrialData, sdtmStudyIds, type SdtmRecord } from './derive.js';
import { CODELISTS, DOMAINS, type SdtmDomain } from './metadata.js';
import { writeXport, type XptVariable } from './xport.js';

export interface SdtmExportOptions {
  /** 'YYYY-MM-DD' written into the XPORT headers; defaults to the earliest study start date. */
  referenceDate?: string;
}

export interface SdtmDataset {
  domain: SdtmDomain;
  variables: XptVariable[];
  records: SdtmRecord[];
}

const DOMAIN_ORDER = ['DM', 'AE', 'DS', 'EX', 'LB', 'SV', 'TS', 'VS'] as const;

function withLengths(domain: SdtmDomain, records: readonly SdtmRecord[]): XptVariable[] {
  return domain.variables.map((v) => {
    if (v.type === 'Num') return { name: v.name, label: v.label, type: 'Num', length: 8 };
    let longest = 1;
    for (const r of records) {
      const s = r[v.name];
      if (s !== null && s !== undefined) longest = Math.max(longest, String(s).length);
    }
    return { name: v.name, label: v.label, type: 'Char', length: Math.min(longest, 200) };
  });
}

/** The SDTM datasets (records and variable metadata), in domain order. */
export function sdtmDatasets(tables: StandardTables): SdtmDataset[] {
  const data = new TrialData(tables);
  const build: Record<(typeof DOMAIN_ORDER)[number], () => SdtmRecord[]> = {
    DM: () => data.dm(),
    AE: () => data.ae(),
    DS: () => data.ds(),
    EX: () => data.ex(),
    LB: () => data.lb(),
    SV: () => data.sv(),
    TS: () => data.ts(),
    VS: () => data.vs(),
  };
  return DOMAIN_ORDER.map((name) => {
    const domain = DOMAINS[name];
    const records = build[name]();
    return { domain, variables: withLengths(domain, records), records };
  });
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sdtmCsv(ds: SdtmDataset): string {
  const names = ds.variables.map((v) => v.name);
  const lines = [names.join(',')];
  for (const r of ds.records) lines.push(names.map((n) => csvCell(r[n])).join(','));
  return lines.join('\n') + '\n';
}

function defineJson(datasets: readonly SdtmDataset[], studyIds: string[]): unknown {
  const used = new Map<string, Set<string>>();
  const out = datasets.map((ds) => ({
    name: ds.domain.name,
    label: ds.domain.label,
    class: ds.domain.class,
    structure: ds.domain.structure,
    keys: ds.domain.keys,
    records: ds.records.length,
    files: { xpt: `xpt/${ds.domain.name.toLowerCase()}.xpt`, csv: `csv/${ds.domain.name.toLowerCase()}.csv` },
    variables: ds.variables.map((v, i) => {
      const codelist = ds.domain.variables[i].codelist;
      for (const c of typeof codelist === 'string' ? [codelist] : codelist ?? []) {
        const terms = used.get(c) ?? new Set<string>();
        used.set(c, terms);
        const allowed = CODELISTS[c].terms;
        for (const r of ds.records) {
          const value = r[v.name];
          if (typeof value === 'string' && (allowed.length === 0 || allowed.includes(value))) terms.add(value);
        }
      }
      return { order: i + 1, name: v.name, label: v.label, type: v.type, length: v.length, codelist };
    }),
  }));
  return {
    standard: 'SDTMIG',
    version: '3.3',
    controlledTerminology: 'NCI CDISC SDTM CT (the terms healthsim emits)',
    studies: studyIds,
    datasets: out,
    codelists: [...used.keys()]
      .sort(compareText)
      .map((name) => ({ name, nciCode: CODELISTS[name].nciCode, terms: [...used.get(name)!].sort(compareText) })),
  };
}

export function exportSdtm(tables: StandardTables, opts: SdtmExportOptions = {}): ExportFile[] {
  const studies = rowsOf(tables, 'studies');
  if (studies.length === 0 && (tables.subjects ?? []).length === 0) return [];
  const stamp =
    opts.referenceDate ??
    studies
      .map((s) => String(s.start_date ?? ''))
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
      .sort(compareText)[0] ??
    '1960-01-01';
  const datasets = sdtmDatasets(tables);
  const files: ExportFile[] = [];
  for (const ds of datasets) {
    const lower = ds.domain.name.toLowerCase();
    const rows = ds.records.map((r) => ds.variables.map((v) => r[v.name] ?? null));
    const n = ds.records.length;
    files.push({ path: `csv/${lower}.csv`, content: sdtmCsv(ds), rows: n, table: ds.domain.name });
    files.push({
      path: `xpt/${lower}.xpt`,
      content: writeXport({ name: ds.domain.name, label: ds.domain.label, variables: ds.variables, rows }, stamp),
      rows: n,
      table: ds.domain.name,
    });
  }
  files.push({ path: 'define.json', content: jsonFile(defineJson(datasets, [...sdtmStudyIds(studies).values()])), rows: datasets.length, table: 'define' });
  return files.sort((a, b) => compareText(a.path, b.path));
}
