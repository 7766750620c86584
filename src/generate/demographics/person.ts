/**
 * `makePerson(ctx, i)`: who person i is. Demographics draw only from the entity's
 * `demographics` stream and conditions only from its `conditions` stream, so neither journeys,
 * products nor the batch/shard layout can change a person.
 */
import type { Person } from '../person.js';
import type { GenerateContext } from '../types.js';
import { sample, pickWeighted } from '../distributions.js';
import { isoOfDay, yearsBefore } from '../dates.js';
import { birthDayFromIso } from '../clinical/util.js';
import { personIdFor } from '../ids.js';
import { datasetPlan } from '../plan.js';
import { firstNamesFor, pickWeighted as pickName, surnameTable } from '../../reference/names.js';
import { emailAddress, phoneNumber, streetAddress } from './contact.js';
import { assignConditions } from '../clinical/conditions.js';

const MAX_AGE = 110;

export function makePerson(ctx: GenerateContext, i: number): Person {
  const plan = datasetPlan(ctx);
  const demo = ctx.req.profile.demographics;
  const rng = ctx.streams.entity(i, 'demographics');

  const male = demo?.gender?.male ?? 0.49;
  const female = demo?.gender?.female ?? 0.51;
  const sex: 'M' | 'F' = rng.next() * (male + female) < male ? 'M' : 'F';

  // ages are whole years and a profile's age bounds include both ends: `uniform, min 5, max 17`
  // gives 5 … 17 year olds (a draw of exact ages in [5, 17) would never give a 17-year-old)
  const ageDist = demo?.age;
  const ageDraw = ageDist ? (ageDist.type === 'uniform' ? ageDist.min + rng.next() * (ageDist.max - ageDist.min + 1) : sample(ageDist, rng)) : 18 + rng.next() * 67;
  const ageMax = ageDist && ageDist.type !== 'constant' && ageDist.type !== 'categorical' && ageDist.max !== undefined ? ageDist.max : MAX_AGE;
  const age = Math.max(0, Math.min(MAX_AGE, Math.floor(ageMax), Math.floor(Number.isFinite(ageDraw) ? ageDraw : 40)));
  // birth date uniformly inside the year of life that gives exactly `age` at the reference date
  const latest = yearsBefore(ctx.refDay, age);
  const earliest = yearsBefore(ctx.refDay, age + 1) + 1;
  const birthDay = earliest + Math.floor(rng.next() * (latest - earliest + 1));

  const race = pickWeighted(plan.race, rng);
  const ethnicity = pickWeighted(plan.ethnicity, rng);
  const { county, zip } = plan.geography.pick(rng);

  const first = pickName(firstNamesFor(sex), rng.next());
  const last = pickName(surnameTable(), rng.next());
  const streetSurname = pickName(surnameTable(), rng.next());

  const person: Person = {
    index: i,
    person_id: personIdFor(ctx.nsToken, i),
    first_name: first,
    last_name: last,
    sex,
    birth_date: isoOfDay(birthDay),
    age,
    race,
    ethnicity,
    address_line: streetAddress(rng, streetSurname),
    city: zip.city,
    state: county.state,
    zip: zip.zip,
    county_fips: county.fips,
    county_name: county.name,
    phone: phoneNumber(rng),
    email: emailAddress(rng, first, last),
    conditions: [],
    clinical: { height_cm: 0, weight_kg: 0, bmi: 0, smoker: false, levels: {}, severity: {}, skills: [] },
  };
  assignConditions(ctx, person, ctx.streams.entity(i, 'conditions'));
  return person;
}

/** Epoch day of a person's birth. */
export function birthDayOf(person: Person): number {
  return birthDayFromIso(person.birth_date);
}
