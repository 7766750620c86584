/**
 * Severity / control levels. A profile may name levels its own way (controlled/uncontrolled);
 * lab value models are keyed by the skill's levels, so names are mapped onto the nearest skill
 * level: an exact key, else by wording (poor/uncontrolled → the worst level, moderate → the
 * middle one, well/controlled/mild → the best), else the first level.
 */
import type { Skill } from '../../reference/skills.js';

const memo = new WeakMap<Skill, Map<string, string | undefined>>();

export function skillSeverityKey(skill: Skill, severity: string | undefined): string | undefined {
  if (severity === undefined) return Object.keys(skill.severity).length === 0 ? severity : undefined;
  let m = memo.get(skill);
  if (!m) memo.set(skill, (m = new Map()));
  if (m.has(severity)) return m.get(severity);
  const k = mapSeverity(skill, severity);
  m.set(severity, k);
  return k;
}

function mapSeverity(skill: Skill, severity: string): string | undefined {
  const keys = Object.keys(skill.severity);
  if (keys.length === 0) return severity;
  if (!severity) return undefined;
  if (keys.includes(severity)) return severity;
  const s = severity.toLowerCase();
  if (/uncontrolled|poor|severe|resistant|advanced/.test(s)) return keys[keys.length - 1];
  if (/moderate/.test(s)) return keys[Math.floor(keys.length / 2)];
  if (/well|controlled|mild|good|early/.test(s)) return keys[0];
  return keys[0];
}
