/**
 * ExportSink adapters for the standards exporters: read the tables a standard needs from the
 * sink's DuckDB views (model columns, ordered by primary key), run the pure exporter, write its
 * files. Options come from the config's export entry; snake_case and camelCase are accepted
 * (`reference_date` / `referenceDate`, `claims_per_file` / `claimsPerFile`, …).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent } from '../../model/ddl.js';
import type { Row, TableDef } from '../../model/types.js';
import type { ExportSink, ExportSinkContext, ExportedFile } from '../exporters/sink.js';
import { registerSink } from '../exporters/sink.js';
import { orderByClause } from '../parquet.js';
import { queryRows } from '../values.js';
import { compareText, type ExportFile, type StandardTables } from './common.js';
import { exportFhir } from './fhir/export.js';
import { exportNcpdp } from './ncpdp/export.js';
import { exportSdtm } from './sdtm/export.js';
import { exportX12 } from './x12/export.js';

const NEEDS = {
  fhir: ['providers', 'facilities', 'payers', 'plans', 'patients', 'encounters', 'diagnoses', 'lab_results', 'medications', 'procedures', 'allergies', 'members', 'claims', 'claim_lines', 'pharmacy_claims'],
  sdtm: ['studies', 'sites', 'arms', 'subjects', 'visits', 'adverse_events', 'disposition_events', 'trial_lab_results', 'exposures'],
  x12: ['providers', 'facilities', 'payers', 'plans', 'members', 'claims', 'claim_lines'],
  ncpdp: ['members', 'pharmacy_claims'],
} as const;

/** Reads the listed tables (those present) as plain rows in primary-key order. */
export async function readStandardTables(ctx: Pick<ExportSinkContext, 'connection' | 'tables'>, names: readonly string[]): Promise<StandardTables> {
  const out: Record<string, Row[]> = {};
  for (const t of ctx.tables.filter((d: TableDef) => names.includes(d.name))) {
    const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
    const rows = await queryRows(ctx.connection, `SELECT ${cols} FROM ${quoteIdent(t.name)} ORDER BY ${orderByClause(t)}`);
    out[t.name] = rows as Row[];
  }
  return out;
}

export async function writeExportFiles(outDir: string, files: readonly ExportFile[]): Promise<ExportedFile[]> {
  const written: ExportedFile[] = [];
  for (const f of files) {
    const full = path.join(outDir, ...f.path.split('/'));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, f.content);
    written.push({ file: f.path, rows: f.rows, table: f.table });
  }
  return written.sort((a, b) => compareText(a.file, b.file));
}

function option(options: Readonly<Record<string, unknown>>, camel: string, snake: string): unknown {
  return options[camel] ?? options[snake];
}

function stringOption(options: Readonly<Record<string, unknown>>, camel: string, snake: string): string | undefined {
  const v = option(options, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string') throw new Error(`export option ${snake} must be a string (got ${JSON.stringify(v)})`);
  return v;
}

function dateOption(options: Readonly<Record<string, unknown>>): string | undefined {
  const v = stringOption(options, 'referenceDate', 'reference_date');
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(`export option reference_date must be YYYY-MM-DD (got "${v}")`);
  return v;
}

function boolOption(options: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const v = options[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Error(`export option ${name} must be true or false (got ${JSON.stringify(v)})`);
  return v;
}

function standardSink(
  format: keyof typeof NEEDS,
  description: string,
  run: (tables: StandardTables, options: Readonly<Record<string, unknown>>) => ExportFile[],
): ExportSink {
  return {
    format,
    description,
    async write(ctx) {
      const tables = await readStandardTables(ctx, NEEDS[format]);
      return writeExportFiles(ctx.outDir, run(tables, ctx.options));
    },
  };
}

export const fhirSink = standardSink('fhir', 'FHIR R4 transaction Bundles per patient/member and Bulk Data ndjson per resource type', (t, o) =>
  exportFhir(t, { bundles: boolOption(o, 'bundles'), ndjson: boolOption(o, 'ndjson') }),
);

export const sdtmSink = standardSink('sdtm', 'CDISC SDTM (SDTMIG 3.3) DM, AE, DS, EX, LB, SV, TS, VS as SAS XPORT v5, CSV and define.json', (t, o) =>
  exportSdtm(t, { referenceDate: dateOption(o) }),
);

export const x12Sink = standardSink('x12', 'X12 5010 837P professional claims and 835 remittances', (t, o) => {
  const perFile = option(o, 'claimsPerFile', 'claims_per_file');
  if (perFile !== undefined && (typeof perFile !== 'number' || !Number.isInteger(perFile) || perFile < 1)) {
    throw new Error(`export option claims_per_file must be a positive integer (got ${JSON.stringify(perFile)})`);
  }
  const usage = stringOption(o, 'usage', 'usage');
  if (usage !== undefined && usage !== 'T' && usage !== 'P') throw new Error(`export option usage must be "T" or "P" (got "${usage}")`);
  return exportX12(t, {
    referenceDate: dateOption(o),
    claimsPerFile: perFile as number | undefined,
    senderId: stringOption(o, 'senderId', 'sender_id'),
    receiverId: stringOption(o, 'receiverId', 'receiver_id'),
    usage,
  });
});

export const ncpdpSink = standardSink('ncpdp', 'NCPDP-style pipe-delimited flat pharmacy claims with a field layout', (t) => exportNcpdp(t));

/** Registers fhir, sdtm, x12 and ncpdp (idempotent: registering replaces by format name). */
export function registerStandardSinks(): void {
  for (const s of [fhirSink, sdtmSink, x12Sink, ncpdpSink]) registerSink(s);
}
