/**
 * X12 export: 837P professional claims and 835 remittances, from membersim tables.
 *
 * Files (relative to the export directory), claims in claim_id order, `claimsPerFile` (default
 * 100) claims per file, one transaction set (ST…SE) per claim, one interchange and one
 * functional group per file:
 *   837p/837P-000001.x12 …   every professional claim that has service lines
 *   835/835-000001.x12 …     every paid professional claim that has service lines
 * Control numbers are deterministic: file k has ISA13 = k (9 digits) = IEA02, GS06 = k = GE02,
 * and ST02 = SE02 = the claim's position in the file (0001…). Dates come from the data
 * (`referenceDate`, default the latest claim service date), never the clock.
 * Institutional claims (837I) are not written.
 */
import { compareText, groupBy, indexBy, rowsOf, str, type ExportFile, type StandardTables } from '../common.js';
import { build835, build837P, type ClaimContext } from './claims.js';
import { interchange } from './segments.js';

export interface X12ExportOptions {
  /** 'YYYY-MM-DD' for ISA09/GS04/BHT04; defaults to the latest claim service date. */
  referenceDate?: string;
  claimsPerFile?: number;
  /** ISA06/GS02 (default HEALTHSIM). */
  senderId?: string;
  /** ISA08/GS03 (default HSIMPAYERS). */
  receiverId?: string;
  /** ISA15: T (test, default) or P. */
  usage?: 'T' | 'P';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function claimContexts(tables: StandardTables, date: string): ClaimContext[] {
  const members = indexBy(rowsOf(tables, 'members'), 'member_id');
  const plans = indexBy(rowsOf(tables, 'plans'), 'plan_id');
  const payers = indexBy(rowsOf(tables, 'payers'), 'payer_id');
  const providers = indexBy(rowsOf(tables, 'providers'), 'provider_id');
  const facilities = indexBy(rowsOf(tables, 'facilities'), 'facility_id');
  const lines = groupBy(
    rowsOf(tables, 'claim_lines').sort(
      (a, b) => Number(a.line_number ?? 0) - Number(b.line_number ?? 0) || compareText(String(a.claim_line_id), String(b.claim_line_id)),
    ),
    'claim_id',
  );
  return rowsOf(tables, 'claims')
    .filter((c) => (str(c.claim_type) ?? 'professional') === 'professional' && (lines.get(String(c.claim_id)) ?? []).length > 0)
    .map((claim) => {
      const member = members.get(String(claim.member_id));
      return {
        claim,
        lines: lines.get(String(claim.claim_id)) ?? [],
        member,
        plan: plans.get(String(member?.plan_id)),
        payer: payers.get(String(member?.payer_id)),
        provider: claim.provider_id ? providers.get(String(claim.provider_id)) : undefined,
        facility: claim.facility_id ? facilities.get(String(claim.facility_id)) : undefined,
        date,
      };
    });
}

export function exportX12(tables: StandardTables, opts: X12ExportOptions = {}): ExportFile[] {
  const claims = rowsOf(tables, 'claims');
  const date =
    opts.referenceDate ??
    claims
      .map((c) => String(c.service_date ?? ''))
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
      .sort(compareText)
      .at(-1) ??
    '2000-01-01';
  const size = Math.max(1, Math.floor(opts.claimsPerFile ?? 100));
  const base = { senderId: opts.senderId ?? 'HEALTHSIM', receiverId: opts.receiverId ?? 'HSIMPAYERS', date, usage: opts.usage ?? 'T' } as const;
  const contexts = claimContexts(tables, date);
  const files: ExportFile[] = [];
  chunks(contexts, size).forEach((group, i) => {
    files.push({
      path: `837p/837P-${String(i + 1).padStart(6, '0')}.x12`,
      content: interchange(group.map(build837P), { ...base, control: i + 1, functionalId: 'HC', version: '005010X222A1' }),
      rows: group.length,
      table: '837P',
    });
  });
  const paid = contexts.filter((c) => str(c.claim.status) === 'paid');
  chunks(paid, size).forEach((group, i) => {
    files.push({
      path: `835/835-${String(i + 1).padStart(6, '0')}.x12`,
      content: interchange(group.map(build835), {
        ...base,
        senderId: base.receiverId,
        receiverId: base.senderId,
        control: i + 1,
        functionalId: 'HP',
        version: '005010X221A1',
      }),
      rows: group.length,
      table: '835',
    });
  });
  return files.sort((a, b) => compareText(a.path, b.path));
}
