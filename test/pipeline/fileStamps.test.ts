import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStamps, RACY_MS } from '../../src/pipeline/fileStamps.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hs-stamps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('FileStamps', () => {
  const file = path.join(dir, 'out.csv');
  const stampsFile = path.join(dir, 'state', 'file-stamps.json');

  it('hashes a file until a stamp taken well after its mtime vouches for it, and keeps that across processes', async () => {
    writeFileSync(file, 'a,b\n1,2\n');
    const mtime = statSync(file).mtimeMs;
    // hashed within the racy window of its mtime: not trusted next time
    let clock = mtime + 10;
    const s = await FileStamps.load(stampsFile, () => clock);
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,2\n'));
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,2\n'));
    expect(s.hashed).toBe(2);
    // hashed later than that: trusted
    clock = mtime + RACY_MS + 1_000;
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,2\n'));
    expect(s.hashed).toBe(3);
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,2\n'));
    expect(s.hashed).toBe(3);
    await s.save();
    const again = await FileStamps.load(stampsFile, () => clock);
    expect(await again.sha256(file, statSync(file))).toBe(sha('a,b\n1,2\n'));
    expect(again.hashed).toBe(0);
  });

  it('hashes again when the size or the mtime changed, and records the new bytes', async () => {
    const s = await FileStamps.load(stampsFile, () => Date.now() + 60_000);
    writeFileSync(file, 'a,b\n1,3\n'); // same size, new mtime
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,3\n'));
    writeFileSync(file, 'a,b\n1,3\n4,5\n'); // other size
    utimesSync(file, later, later);
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,3\n4,5\n'));
    expect(s.hashed).toBe(2);
  });

  it('starts empty from a missing or damaged stamps file, and saves nothing when nothing was hashed', async () => {
    await writeFile(stampsFile, '{ not json');
    const s = await FileStamps.load(stampsFile, () => Date.now() + 60_000);
    expect(await s.sha256(file, statSync(file))).toBe(sha('a,b\n1,3\n4,5\n'));
    expect(s.hashed).toBe(1);
    await s.save();
    const t = await FileStamps.load(stampsFile, () => Date.now() + 60_000);
    await t.sha256(file, statSync(file));
    expect(t.hashed).toBe(0);
    await t.save();
    const missing = await FileStamps.load(path.join(dir, 'nowhere', 'stamps.json'));
    await missing.save();
    expect(() => statSync(path.join(dir, 'nowhere'))).toThrow();
  });
});
