import { it } from 'vitest';
import { parseConfig, parseProfile } from '../../src/spec/index.js';
it('probe', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const docs: Record<string,string> = {
    a: `profile:\n  id: ${big}`, b: `profile:\n  id: "${big}"`, c: `${big}: 1`, d: `# ${big}`,
    deep1: 'a: ' + '['.repeat(100000) + ']'.repeat(100000),
    deep2: 'a: ' + '{b: '.repeat(100000) + '1' + '}'.repeat(100000),
    deep3: Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n'),
    deep4: '- '.repeat(5000) + 'x',
    dup: Array.from({ length: 5_000 }, () => 'k: 1').join('\n'),
  };
  for (const [k, d] of Object.entries(docs)) {
    for (const [n, f] of [['config', parseConfig], ['profile', parseProfile]] as const) {
      const t0 = performance.now(); const r = f(d, 'x.yaml');
      console.log(k, n, Math.round(performance.now() - t0), r.ok ? 'ok' : r.errors.length + ' ' + r.errors[0].message.slice(0, 80));
    }
  }
});
