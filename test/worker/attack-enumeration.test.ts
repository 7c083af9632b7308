/**
 * Attack: learning a site's target-account list through POST /v1/decide. Site ids are public (they are
 * in the tag); before confidence levels, `?pz_account=halcyon-freight.example` answered the account's
 * name and its segment "customers", quillon-health.example "evaluating", and a domain not imported
 * `method: "none"`, so a loop over a list of domains told customers, open deals and targets apart.
 * Now an unsigned link or an identify is a claim: segments that reveal where an account stands
 * (lifecycle, intent, behaviour) are never shown to it, the answer names the account only when the
 * segment shown accepts claims, and a claim on an imported domain with no such segment answers exactly
 * like one on a domain never imported. Signed links (the admin's) resolve as verified.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearConfigCache } from '../../edge/kv/site-config';
import { demoAccounts } from '../../shared/demo/accounts';
import { demoSite } from '../../shared/demo/site';
import { decide as decide_ } from '../../shared/decision/decide';
import { buildKvEntries } from '../../shared/kv/entries';
import { signLink } from '../../shared/links/signed-link';
import { requiredConfidence } from '../../shared/resolve/confidence';
import { DecideResponse, SiteConfig } from '../../shared/schemas';
import { WORKER_TEST_LINK_SECRET } from '../support/links';
import { uniqueSite } from './support/admin';
import { post } from './support/fixture';

const site = uniqueSite('enum');
const config = SiteConfig.parse({ ...demoSite, site });
const kindOf = new Map(config.segments.map((s) => [s.id, s]));
/** The demo's accounts, plus an open deal and another customer whose only segments are lifecycle ones (as Halcyon Freight's are). */
const halcyon = demoAccounts.find((a) => a.domain === 'halcyon-freight.example')!;
const accounts = [
  ...demoAccounts,
  { ...halcyon, domain: 'open-deal.example', name: 'Open Deal Ltd', stage: 'evaluating' as const, ipRanges: [] },
  { ...halcyon, domain: 'another-customer.example', name: 'Another Customer', ipRanges: [] },
];

beforeAll(async () => {
  const { entries } = buildKvEntries(site, config, accounts);
  for (let i = 0; i < entries.length; i += 100) await Promise.all(entries.slice(i, i + 100).map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
});

/** A decide as an outsider sends it: curl, no Origin, a page URL of its choosing. */
async function decide(body: Record<string, unknown>): Promise<DecideResponse> {
  const res = await post('/v1/decide', { site, url: 'https://attacker.invalid/', ...body });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return DecideResponse.parse(JSON.parse(text));
}
const linkTo = (domain: string) => decide({ url: `https://attacker.invalid/?pz_account=${domain}` });
const identify = (domain: string) => decide({ identity: { domain, source: 'identify' } });

describe('enumeration by unsigned link and by identify', () => {
  it('never shows a claimed identity a lifecycle, intent or behavioural segment, and names the account only for a segment that accepts claims', async () => {
    for (const account of accounts) {
      for (const answer of [await linkTo(account.domain), await identify(account.domain)]) {
        expect(answer.confidence, account.domain).toBe('claimed');
        const segment = answer.segment && kindOf.get(answer.segment.id)!;
        if (segment) expect(['intent', 'behavioural'], `${account.domain} was shown ${segment.id}`).not.toContain(segment.kind);
        if (answer.account) expect(segment && requiredConfidence(segment), `${account.domain} named without a segment accepting claims`).toBe('claimed');
      }
    }
  });

  it('answers a claim on an account whose segments all need more (a customer, an open deal) exactly as a claim on a domain never imported', async () => {
    // the accounts that, known for sure, match only segments a claim may not see
    const hidden = accounts.filter((account) => {
      const { matched } = decide_({ config, resolution: { method: 'link', confidence: 'verified', account }, visit: { path: '/' }, activity: null, now: Date.now(), mode: 'explain' });
      return matched!.length > 0 && matched!.every((s) => requiredConfidence(s) !== 'claimed');
    });
    expect(hidden.map((a) => a.domain)).toEqual(expect.arrayContaining(['halcyon-freight.example', 'open-deal.example', 'another-customer.example']));
    expect(hidden.length, hidden.map((a) => `${a.domain} (${a.stage})`).join(', ')).toBeGreaterThanOrEqual(3);

    const nobody = await linkTo('never-imported.example');
    expect(nobody).toMatchObject({ method: 'link', confidence: 'claimed', account: null, segment: null, changes: [] });
    const nobodyIdentify = await identify('never-imported.example');
    for (const { domain } of hidden) {
      expect(await linkTo(domain), domain).toEqual(nobody);
      expect(await linkTo(`eu.${domain}`), `a subdomain of ${domain}`).toEqual(nobody);
      expect(await identify(domain), domain).toEqual(nobodyIdentify);
      expect(await identify(`jane@eu.${domain}`), `an e-mail at ${domain}`).toEqual(nobodyIdentify);
    }
  });

  it('a signed link for the same account shows its lifecycle segment and its name', async () => {
    const token = await signLink(WORKER_TEST_LINK_SECRET, site, { domain: 'halcyon-freight.example', exp: Math.floor(Date.now() / 1000) + 3600 });
    expect(await linkTo(token)).toMatchObject({
      method: 'link',
      confidence: 'verified',
      account: { domain: 'halcyon-freight.example', name: 'Halcyon Freight' },
      segment: { id: 'customers' },
    });
  });
});

describe('signed links', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: { domain: string; exp: number; campaign?: string }, forSite = site, secret = WORKER_TEST_LINK_SECRET) => signLink(secret, forSite, claims);

  it('resolves a valid one as verified, with or without a campaign', async () => {
    for (const campaign of [undefined, 'q4-abm']) {
      const d = await linkTo(await sign({ domain: 'quillon-health.example', exp: now() + 60, campaign }));
      expect(d).toMatchObject({ confidence: 'verified', segment: { id: 'evaluating' } });
      expect(d.reasons).toBeUndefined();
    }
  });

  it.each([
    ['expired', async () => sign({ domain: 'quillon-health.example', exp: now() - 1 }), 'link-expired', 'signed link expired: ignored'],
    ['for another site', async () => sign({ domain: 'quillon-health.example', exp: now() + 60 }, 'demo'), 'link-invalid', 'signed link invalid: ignored'],
    ['signed with another key', async () => sign({ domain: 'quillon-health.example', exp: now() + 60 }, site, 'guessed'), 'link-invalid', 'signed link invalid: ignored'],
    [
      'with its domain swapped (signature kept)',
      async () => (await sign({ domain: 'northwind-bank.example', exp: now() + 60 })).replace('northwind-bank.example', 'halcyon-freight.example'),
      'link-invalid',
      'signed link invalid: ignored',
    ],
    [
      'with its expiry pushed out (signature kept)',
      async () => {
        const [domain, , campaign, sig] = (await sign({ domain: 'halcyon-freight.example', exp: now() - 10 })).split('~');
        return [domain, (now() + 86_400 * 365).toString(36), campaign, sig].join('~');
      },
      'link-invalid',
      'signed link invalid: ignored',
    ],
    ['truncated', async () => (await sign({ domain: 'halcyon-freight.example', exp: now() + 60 })).slice(0, -3), 'link-invalid', 'signed link invalid: ignored'],
    ['with too many parts', async () => `${await sign({ domain: 'halcyon-freight.example', exp: now() + 60 })}~x`, 'link-invalid', 'signed link invalid: ignored'],
  ])('ignores one %s and says why: the visitor is decided without it', async (_label, token, code, text) => {
    const d = await linkTo(encodeURIComponent(await token()));
    expect(d).toMatchObject({ method: 'none', account: null, segment: null, reasons: [code, 'no-segment'] });
    expect(d.reason).toContain(text);
  });

  it('a site can turn unsigned links off: they are then ignored, saying so, while signed ones still resolve', async () => {
    const strict = uniqueSite('strict');
    const strictConfig = SiteConfig.parse({ ...demoSite, site: strict, unsignedLinks: false });
    const { entries } = buildKvEntries(strict, strictConfig, demoAccounts.slice(0, 20));
    await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
    const account = demoAccounts.find((a) => a.domain === 'northwind-bank.example')!;
    expect(demoAccounts.slice(0, 20)).toContainEqual(account);
    const plain = await post('/v1/decide', { site: strict, url: 'https://attacker.invalid/?pz_account=northwind-bank.example' });
    expect(DecideResponse.parse(await plain.json())).toMatchObject({ method: 'none', account: null, reasons: ['link-unsigned-off', 'no-segment'] });
    const token = await sign({ domain: 'northwind-bank.example', exp: now() + 60 }, strict);
    const signedRes = await post('/v1/decide', { site: strict, url: `https://attacker.invalid/?pz_account=${token}` });
    expect(DecideResponse.parse(await signedRes.json())).toMatchObject({ method: 'link', confidence: 'verified', account: { domain: 'northwind-bank.example' } });
  });
});
