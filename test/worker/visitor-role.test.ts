/**
 * `pz('identify', { email, role })`: the role (never the address) reaches the decision as
 * `visitor.role`, so two people of one account can see different proof points.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKvEntries } from '../../shared/kv/entries';
import { DecideResponse, SiteConfig } from '../../shared/schemas';
import { clearConfigCache } from '../../edge/kv/site-config';
import { accounts, noHoldout, page, post, siteConfig } from './support/fixture';

const SITE = 'role-test';

beforeAll(async () => {
  const config = SiteConfig.parse({
    ...siteConfig,
    site: SITE,
    segments: noHoldout([
      {
        id: 'bank-finance',
        name: 'Bank finance buyers',
        priority: 5,
        rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Banking' }, { field: 'visitor.role', op: 'in', values: ['cfo', 'controller', 'vp finance'] }] },
      },
      ...siteConfig.segments,
    ]),
    variants: { ...siteConfig.variants, 'bank-finance': { headline: { type: 'text', text: 'Cut the cost of compliance reporting by 40 %' } } },
  });
  const { entries } = buildKvEntries(SITE, config, accounts);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
});

async function decide(identity: Record<string, unknown>) {
  const res = await post('/v1/decide', { site: SITE, url: page(), identity });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

describe('visitor.role', () => {
  it('shows a CFO and an engineer of one account different content', async () => {
    const cfo = await decide({ domain: 'bank.example', source: 'identify', role: 'CFO' });
    expect(cfo).toMatchObject({ account: { domain: 'bank.example' }, segment: { id: 'bank-finance' } });
    expect(cfo.changes[0]).toMatchObject({ content: { text: 'Cut the cost of compliance reporting by 40 %' } });
    const engineer = await decide({ domain: 'bank.example', source: 'identify', role: 'engineer' });
    expect(engineer).toMatchObject({ account: { domain: 'bank.example' }, segment: { id: 'fintech' } });
    const none = await decide({ domain: 'bank.example', source: 'identify' });
    expect(none.segment?.id).toBe('fintech');
  });

  it('refuses a role that is not a short text, naming the field', async () => {
    const res = await post('/v1/decide', { site: SITE, url: page(), identity: { domain: 'bank.example', source: 'identify', role: 'x'.repeat(61) } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('identity.role');
  });
});
