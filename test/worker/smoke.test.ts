import { env, exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { evaluateRule } from '../../shared/rules/evaluate';
it('runs in workerd with KV', async () => {
  await env.KV.put('a', 'b');
  expect(await env.KV.get('a')).toBe('b');
  const res = await exports.default.fetch('http://x/health');
  expect(await res.json()).toEqual({ ok: true });
  expect(evaluateRule({ all: [{ field: 'visit.path', op: 'matches', pattern: '/p*' }], any: [] }, { account: null, visit: { path: '/pricing' } })).toBe(true);
});
