import { readFileSync } from 'node:fs';

/**
 * Whether process `pid` of this machine is running. A zombie (killed, not yet reaped by its
 * parent: common in containers whose PID 1 does not reap) answers signal 0 like a live process,
 * so on Linux its state in /proc decides.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // "pid (comm) S …": the state follows the last ')' (comm may hold spaces and parentheses)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
