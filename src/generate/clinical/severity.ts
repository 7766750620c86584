/**
 * Severity / control levels. A profile may name levels its own way (controlled/uncontrolled);
 * lab value models are keyed by the skill's levels, so names are mapped onto the nearest skill
 * level: an exact key, else by wording (poor/uncontrolled → the worst level, moderate → the
 * middle one, well/controlled/mild → the best), else the first level.
 */
import type { Skill } from '../../reference/skills.js';

export function skillSeverityKey(skill: Skill, severity: string | undefined): string | undefined {
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
