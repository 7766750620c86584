import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, type CliIO } from '../io.js';

/** The example project ships at the package root; `init` copies it. */
const EXAMPLE_FILES = ['healthsim.config.yaml', 'profiles', 'journeys'];

function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function initCommand(io: CliIO, dir: string): Promise<number> {
  const target = path.resolve(io.cwd, dir);
  const conflicts: string[] = [];
  for (const f of EXAMPLE_FILES) if (await exists(path.join(target, f))) conflicts.push(path.join(dir, f));
  if (conflicts.length) throw new CliError(`refusing to overwrite ${conflicts.join(', ')}; choose an empty directory (healthsim init <dir>)`, 1);
  await mkdir(target, { recursive: true });
  const root = packageRoot();
  for (const f of EXAMPLE_FILES) await cp(path.join(root, f), path.join(target, f), { recursive: true, errorOnExist: true, force: false });
  if (!(await exists(path.join(target, '.gitignore')))) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(target, '.gitignore'), 'outputs/\n.healthsim/\n');
  }
  const created = (await readdir(target)).sort();
  io.out(`created a healthsim project in ${dir === '.' ? 'the current directory' : dir}: ${created.join(', ')}`);
  io.out(`next: ${dir === '.' ? '' : `cd ${dir} && `}npx healthsim build`);
  return 0;
}
