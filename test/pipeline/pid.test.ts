import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { pidAlive } from '../../src/pipeline/pid.js';

it('a running process is alive, an exited one is not', async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  expect(pidAlive(child.pid!)).toBe(true);
  expect(pidAlive(process.pid)).toBe(true);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  expect(pidAlive(child.pid!)).toBe(false);
});

it.runIf(process.platform === 'linux')('a zombie (killed, never reaped by its parent) is not alive, though it answers signal 0', async () => {
  // `sleep 0` exits at once; its parent exec's into a sleep that never reaps it
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 20']);
  try {
    const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
    await new Promise((r) => setTimeout(r, 300));
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(pidAlive(zombie)).toBe(false);
  } finally {
    parent.kill('SIGKILL');
  }
});
