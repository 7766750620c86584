import { test } from 'vitest';
import { parseYaml, DiagnosticSink } from '../../src/spec/yaml.js';
import { validateAgainstSchema } from '../../src/spec/validate.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';
test('x', () => {
  const text = `profile:
  id: x
  product: patiensim
  generation: {count: 10}
  demographics:
    age:
      type: normal
      mean: seventy
      stddev: 3
    gender: {male: 0.5}
    geography: {stat: CA}
  clinical:
    primary_condition: {code: E119, prevalence: 1.5}
  utilization:
    pcp_visits_per_year: "lots"
    er_visits_per_year: {type: poison, mean: 1}
  trial: {phase: true}
`;
  const r = parseYaml(text, 'profiles/x.yaml');
  if (!r.ok) { console.log(r.errors); return; }
  const sink = new DiagnosticSink(r.value, 'profile');
  validateAgainstSchema('profile', r.value, sink);
  for (const d of sink.items) console.log(formatDiagnostic(d));
});
