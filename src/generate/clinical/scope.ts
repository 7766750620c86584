import type { Person } from '../person.js';
import type { GenerateContext } from '../types.js';
import type { WhenScope } from './when.js';

/** The variables an `if:` sees for a person. */
export function personScope(person: Person, ctx: GenerateContext, extra: Record<string, string | number | boolean> = {}): WhenScope {
  const primary = person.conditions.find((c) => c.is_primary);
  const L = person.clinical.levels;
  return {
    vars: {
      age: person.age,
      sex: person.sex,
      state: person.state,
      severity: primary?.severity,
      bmi: person.clinical.bmi,
      hba1c: L.hba1c,
      egfr: L.egfr,
      ldl: L.ldl,
      systolic_bp: L.systolic_bp,
      smoker: person.clinical.smoker,
      product: ctx.req.profile.product,
      ...extra,
    },
    hasCondition: (prefix) => {
      const p = prefix.toUpperCase();
      return person.conditions.some((c) => c.code.startsWith(p));
    },
  };
}
