import { describe, expect, it } from 'vitest';
import { X12Parser, type X12Interchange, type X12Segment, type X12Transaction } from 'node-x12';
import { exportX12 } from '../../src/store/standards/x12/export.js';
import { x12Amount, x12Text } from '../../src/store/standards/x12/segments.js';
import { REFERENCE_DATE, tables } from '../fixtures/standards/dataset.js';

const files = exportX12(tables, { referenceDate: REFERENCE_DATE, claimsPerFile: 2 });
const parse = (text: string) => new X12Parser(true).parse(text) as X12Interchange;
const val = (s: X12Segment, i: number) => s.valueOf(i) ?? '';
/** Segments of a transaction, ST and SE included. */
const all = (t: X12Transaction) => [t.header, ...t.segments, t.trailer];
const toCents = (s: string) => Math.round(Number(s) * 100);

describe('X12 export', () => {
  it('writes 837P files of N claims and 835 files for paid claims', () => {
    expect(files.map((f) => f.path)).toEqual(['835/835-000001.x12', '837p/837P-000001.x12', '837p/837P-000002.x12']);
    for (const f of files) {
      expect(String(f.content)).not.toContain('\r');
      expect(String(f.content).endsWith('~\n')).toBe(true);
    }
  });

  it('is byte-identical across runs and independent of input row order', () => {
    const shuffled = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, [...v].reverse()]));
    expect(exportX12(shuffled, { referenceDate: REFERENCE_DATE, claimsPerFile: 2 })).toEqual(files);
  });

  it('parses every file with node-x12 in strict mode, with matched control numbers and counts', () => {
    files.forEach((f) => {
      const ix = parse(String(f.content));
      const fileNo = Number(f.path.match(/(\d{6})\.x12$/)![1]);
      // node-x12 reads ISA13/IEA02 as numbers; the raw ISA is fixed-width (106 characters)
      const text = String(f.content);
      expect(text.indexOf('~')).toBe(105);
      expect(text.slice(90, 99)).toBe(String(fileNo).padStart(9, '0'));
      expect(text).toContain(`IEA*1*${String(fileNo).padStart(9, '0')}~\n`);
      expect(Number(val(ix.header, 13))).toBe(fileNo);
      expect(val(ix.trailer, 2)).toBe(val(ix.header, 13));
      expect(val(ix.trailer, 1)).toBe(String(ix.functionalGroups.length));
      expect(ix.header.elements).toHaveLength(16);
      for (const g of ix.functionalGroups) {
        expect(val(g.header, 6)).toBe(String(fileNo));
        expect(val(g.trailer, 2)).toBe(val(g.header, 6));
        expect(Number(val(g.trailer, 1))).toBe(g.transactions.length);
        g.transactions.forEach((t, i) => {
          expect(val(t.header, 2)).toBe(String(i + 1).padStart(4, '0'));
          expect(val(t.trailer, 2)).toBe(val(t.header, 2));
          expect(Number(val(t.trailer, 1))).toBe(all(t).length);
        });
      }
    });
  });

  it('837P: CLM02 = Σ SV102, ICD-10 without dots, NM1 identifiers', () => {
    const claims: string[] = [];
    for (const f of files.filter((x) => x.path.startsWith('837p/'))) {
      const ix = parse(String(f.content));
      expect(val(ix.functionalGroups[0].header, 8)).toBe('005010X222A1');
      for (const t of ix.functionalGroups[0].transactions) {
        const segs = all(t);
        expect(val(t.header, 3)).toBe('005010X222A1');
        const clm = segs.find((s) => s.tag === 'CLM')!;
        claims.push(val(clm, 1));
        const sv1 = segs.filter((s) => s.tag === 'SV1');
        expect(sv1.length).toBeGreaterThan(0);
        expect(toCents(val(clm, 2))).toBe(sv1.reduce((s, x) => s + toCents(val(x, 2)), 0));
        const hi = segs.find((s) => s.tag === 'HI')!;
        const codes = hi.elements.map((e) => e.value);
        expect(codes[0]).toMatch(/^ABK:[A-Z0-9]+$/);
        for (const c of codes.slice(1)) expect(c).toMatch(/^ABF:[A-Z0-9]+$/);
        const nm1 = Object.fromEntries(segs.filter((s) => s.tag === 'NM1').map((s) => [val(s, 1), s]));
        expect(val(nm1['85'], 8)).toBe('XX');
        expect(val(nm1['85'], 9)).toMatch(/^\d{10}$/);
        expect(val(nm1.IL, 8)).toBe('MI');
        expect(val(nm1.PR, 8)).toBe('PI');
        expect(segs.filter((s) => s.tag === 'LX').length).toBe(sv1.length);
        expect(segs.filter((s) => s.tag === 'DTP' && val(s, 1) === '472').length).toBe(sv1.length);
      }
    }
    // only professional claims with lines; the institutional claim is not an 837P
    expect(claims).toEqual(['MA-C0000001', 'MA-C0000002', 'MA-C0000003']);
  });

  it('837P: writes the claim exactly', () => {
    const text = String(files[1].content);
    expect(text).toContain('HI*ABK:E1165*ABF:I10*ABF:E785~\n');
    expect(text).toContain('CLM*MA-C0000001*310.25***11:B:1*Y*A*Y*Y~\n');
    expect(text).toContain('SV1*HC:99214*265.15*UN*1***1:2:3~\nDTP*472*D8*20240214~\n');
    expect(text).toContain('SBR*P*18*DC-PL01******16~\n');
    expect(text).toContain('DMG*D8*19510227*M~\n');
  });

  it('835: balances BPR, CLP, SVC and CAS for paid claims', () => {
    const ix = parse(String(files[0].content));
    expect(val(ix.functionalGroups[0].header, 1)).toBe('HP');
    const txs = ix.functionalGroups[0].transactions;
    expect(txs.map((t) => val(all(t).find((s) => s.tag === 'CLP')!, 1))).toEqual(['MA-C0000001', 'MA-C0000002']);
    for (const t of txs) {
      const segs = all(t);
      const bpr = segs.find((s) => s.tag === 'BPR')!;
      const clp = segs.find((s) => s.tag === 'CLP')!;
      expect(toCents(val(bpr, 2))).toBe(toCents(val(clp, 4)));
      const cas = segs.filter((s) => s.tag === 'CAS');
      expect(toCents(val(clp, 3)) - cas.reduce((s, c) => s + toCents(val(c, 3)), 0)).toBe(toCents(val(clp, 4)));
      const pr = cas.filter((c) => val(c, 1) === 'PR').reduce((s, c) => s + toCents(val(c, 3)), 0);
      expect(toCents(val(clp, 5))).toBe(pr);
      for (const s of segs.filter((x) => x.tag === 'SVC')) expect(toCents(val(s, 2))).toBeGreaterThanOrEqual(toCents(val(s, 3)));
    }
    const first = all(txs[0]).map((s) => s.tag === 'CAS' ? `${val(s, 1)}-${val(s, 2)}-${val(s, 3)}` : '').filter(Boolean);
    expect(first).toEqual(['CO-45-95.15', 'PR-2-20', 'CO-45-32.7']);
  });

  it('formats amounts and sanitizes delimiters', () => {
    expect([x12Amount(31025), x12Amount(4510), x12Amount(15000), x12Amount(5), x12Amount(-300)]).toEqual(['310.25', '45.1', '150', '0.05', '-3']);
    expect(x12Text('5 Elm Ct*Apt~2: ^x')).toBe('5 ELM CT APT 2 X');
    expect(x12Text('José Núñez')).toBe('JOSE NUNEZ');
  });
});
