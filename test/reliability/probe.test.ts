import { it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, smallProject } from './helpers.js';
it('probe', async () => {
  const dir = await smallProject();
  const cfg = path.join(dir, 'healthsim.config.yaml');
  console.log((await readFile(cfg, 'utf8')).includes('count: 12'));
  await writeFile(cfg, (await readFile(cfg, 'utf8')).replace('count: 12', 'count: 40'));
  console.log(await readFile(cfg, 'utf8'));
  const r = await runCli(dir, ['build', '--dry-run']);
  console.log(r.stdout, r.stderr);
});
