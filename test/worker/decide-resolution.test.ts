import { beforeEach, describe, expect, it } from 'vitest';
import { DecideResponse } from '../../shared/schemas';
import { SITE, page, post, seedFixture, signed } from './support/fixture';

beforeEach(seedFixture);

async function decide(body: Record<string, unknown>, options?: Parameters<typeof post>[2]) {
  const res = await post('/v1/decide', { site: SITE, url: page(), ...body }, options);
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

describe('account resolution order', () => {
  it('resolves an explicit identify to the email domain account', async () => {
    const d = await decide({ identity: { domain: 'bank.example', source: 'identify' } });
    expect(d).toMatchObject({ method: 'identify', account: { domain: 'bank.example', name: 'Northwind Bank' } });
  });

  it('resolves an identify from a subdomain mailbox to the company domain', async () => {
    const d = await decide({ identity: { domain: 'jane@eu.bank.example', source: 'identify' } });
    expect(d).toMatchObject({ method: 'identify', account: { domain: 'bank.example' } });
  });

  it('ignores free-mail identify and falls through to the next method', async () => {
    const d = await decide({ identity: { domain: 'gmail.com', source: 'identify' } }, { headers: { 'cf-connecting-ip': '198.51.100.9' } });
    expect(d).toMatchObject({ method: 'ip', account: { domain: 'client.example' } });
  });

  it('lets identify win over a link parameter and the IP', async () => {
    const d = await decide(
      { url: page('?pz_account=snow.example'), identity: { domain: 'client.example', source: 'identify' } },
      { headers: { 'cf-connecting-ip': '192.0.2.1' } },
    );
    expect(d.method).toBe('identify');
    expect(d.account?.domain).toBe('client.example');
  });

  it('resolves the pz_account link parameter of an ABM email or ad', async () => {
    const d = await decide({ url: page('?utm_source=email&pz_account=snow.example') });
    expect(d).toMatchObject({ method: 'link', account: { domain: 'snow.example' } });
  });

  it('prefers this page link parameter over a remembered link identity', async () => {
    const d = await decide({ url: page('?pz_account=snow.example'), identity: { domain: 'bank.example', source: 'link' } });
    expect(d.account?.domain).toBe('snow.example');
  });

  it('uses a remembered link identity on later page views', async () => {
    const d = await decide({ identity: { domain: 'snow.example', source: 'link' } });
    expect(d).toMatchObject({ method: 'link', account: { domain: 'snow.example' } });
  });

  it('resolves an IPv4 address through the imported ranges, most specific range first', async () => {
    const wide = await decide({}, { headers: { 'cf-connecting-ip': '192.0.2.200' } });
    expect(wide).toMatchObject({ method: 'ip', account: { domain: 'bank.example' } });
    const nested = await decide({}, { headers: { 'cf-connecting-ip': '192.0.2.20' } });
    expect(nested).toMatchObject({ method: 'ip', account: { domain: 'snow.example' } });
  });

  it('resolves an IPv6 address and an IPv4-mapped IPv6 address', async () => {
    const v6 = await decide({}, { headers: { 'cf-connecting-ip': '2001:db8:100:42::1' } });
    expect(v6).toMatchObject({ method: 'ip', account: { domain: 'bank.example' } });
    const mapped = await decide({}, { headers: { 'cf-connecting-ip': '::ffff:198.51.100.7' } });
    expect(mapped).toMatchObject({ method: 'ip', account: { domain: 'client.example' } });
  });

  it('resolves the network organisation name from request.cf', async () => {
    const d = await decide({}, { headers: { 'cf-connecting-ip': '203.0.113.5' }, cf: { asOrganization: 'NORTHWIND BANK, N.A.' } });
    expect(d).toMatchObject({ method: 'org', account: { domain: 'bank.example' } });
  });

  it('answers method none with the page as written when nothing matches', async () => {
    const d = await decide({}, { headers: { 'cf-connecting-ip': '203.0.113.5' }, cf: { asOrganization: 'Comcast Cable' } });
    expect(d).toMatchObject({ method: 'none', account: null, segment: null, changes: [], reason: 'no segment matched' });
  });

  it('skips a link to a domain that was never imported', async () => {
    const d = await decide({ url: page(`?pz_account=${await signed('unknown.example')}`) });
    expect(d.method).toBe('none');
    // an unsigned one is a claim, answered as a claim whether or not the domain is imported
    expect(await decide({ url: page('?pz_account=unknown.example') })).toMatchObject({ method: 'link', confidence: 'claimed', account: null, segment: null });
  });
});

describe('segments and variants', () => {
  it('resolves overlapping segments by priority', async () => {
    // Northwind Bank is a fintech enterprise AND a Snowflake user: fintech (30) beats snowflake (40).
    const d = await decide({ url: page(`?pz_account=${await signed('bank.example')}`) });
    expect(d.segment).toEqual({ id: 'fintech', name: 'Fintech enterprise' });
    // Loyal Client is a fintech enterprise AND a customer: customers (10) wins (a signed link: lifecycle segments need more than a claim).
    const c = await decide({ url: page(`?pz_account=${await signed('client.example')}`) });
    expect(c.segment?.id).toBe('customers');
  });

  it('renders tokens with the account value or the fallback', async () => {
    const bank = await decide({ url: page('?pz_account=bank.example') });
    expect(bank.changes.find((c) => c.slot === 'headline')?.content).toEqual({ type: 'text', text: 'Compliance-ready analytics for Northwind Bank' });
    const snow = await decide({ url: page('?pz_account=snow.example') });
    expect(snow.changes[0]?.content).toEqual({ type: 'text', text: 'Native on Snowflake, worldwide' });
  });

  it('returns one change per slot with a variant, with data-pz-slot or configured selectors', async () => {
    const d = await decide({ url: page('?pz_account=bank.example') });
    expect(d.changes.map((c) => [c.slot, c.selector])).toEqual([
      ['headline', '[data-pz-slot="headline"]'],
      ['cta', '#cta'],
      ['note', '[data-pz-slot="note"]'],
    ]);
    expect(d.version).toBe(7);
  });

  it('sanitizes HTML variants: no scripts, no event handlers', async () => {
    const d = await decide({ url: page('?pz_account=bank.example') });
    const note = d.changes.find((c) => c.slot === 'note')?.content;
    expect(note?.type).toBe('html');
    const html = note?.type === 'html' ? note.html : '';
    expect(html).toContain('<strong>Northwind Bank</strong>');
    expect(html).not.toMatch(/<script|onerror|alert\(2\)/i);
  });

  it('matches visit-context segments on UTM campaign and referrer for anonymous visitors', async () => {
    const utm = await decide({ url: page('?utm_campaign=Q4-Webinar') });
    expect(utm).toMatchObject({ method: 'none', segment: { id: 'webinar' } });
    const ref = await decide({ referrer: 'https://events.example/talks' });
    expect(ref.segment?.id).toBe('webinar');
  });

  it('keeps the page as written for an account that matches no segment', async () => {
    const d = await decide({ url: page(`?pz_account=${await signed('plain.example')}`) });
    expect(d).toMatchObject({ method: 'link', confidence: 'verified', account: { domain: 'plain.example' }, segment: null, changes: [] });
  });
});
