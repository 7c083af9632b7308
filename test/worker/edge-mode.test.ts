/**
 * Edge mode: the Worker in front of a customer's origin (test/support/origin-server.ts, a real HTTP
 * server): HTML pages are personalized as they stream, everything else passes through byte for byte,
 * the first byte never waits for the origin's body, and a personalized page is never shared-cacheable.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import worker from '../../edge/index';
import { SNIPPET } from '../../build/snippet';
import { SiteConfig, SiteState } from '../../shared/schemas';
import { adminJson, uniqueSite } from './support/admin';
import { accounts, signed } from './support/fixture';
import { PAGE_HTML } from './support/origin-pages';
import { settleReadCopy } from './support/read-copy';

const HOST = 'www.customer.test';
const site = uniqueSite('edge');
const origin = () => inject('customerOrigin');

async function viaEdge(path: string, init: RequestInit & { bindings?: Partial<Cloudflare.Env> } = {}) {
  const ctx = createExecutionContext();
  const { bindings, ...rest } = init;
  const res = await worker.fetch(new Request(`https://${HOST}${path}`, { redirect: 'manual', ...rest }), { ...env, EDGE_HOSTS: `${HOST}=${site}`, ...bindings }, ctx);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { res, bytes, text: new TextDecoder().decode(bytes) };
}

beforeAll(async () => {
  const config = SiteConfig.parse({
    site,
    name: 'Edge mode',
    allowedOrigins: [`https://${HOST}`],
    edge: { origin: origin(), prefix: '/assets-e' },
    segments: [{ id: 'fintech', name: 'Fintech', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'in', values: ['Fintech', 'Banking'] }] } }],
    slots: [
      { id: 'headline', type: 'text' },
      { id: 'cta', type: 'link', selector: '#cta' },
      { id: 'note', type: 'html' },
    ],
    variants: {
      fintech: {
        headline: { type: 'text', text: 'Compliance for {{account.name}} </script><b>' },
        cta: { type: 'link', text: 'Talk to our fintech team', href: '/contact?team=fintech' },
        note: { type: 'html', html: '<p>SOC 2 for <strong>{{account.name}}</strong><img src=x onerror=alert(1)></p>' },
      },
    },
  });
  await adminJson('POST', '/sites', { id: site, name: 'Edge mode' }, 201);
  const state = SiteState.parse(await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: 1, config }));
  for (const account of accounts) await adminJson('PUT', `/sites/${site}/accounts/${account.domain}`, account);
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: state.draft.revision });
  await settleReadCopy(site);
});

describe('edge mode: personalized as the page streams', () => {
  it("puts the account's content in the page's slots, with the decision for the snippet, never shared-cacheable", async () => {
    const { res, text } = await viaEdge(`/pricing?pz_account=${await signed('bank.example', site)}`);
    expect(res.status).toBe(200);
    expect(text).toContain('<h1 data-pz-slot="headline" data-pz-applied="headline">Compliance for Northwind Bank &lt;/script&gt;&lt;b&gt;</h1>');
    expect(text).toContain('<a id="cta" href="/contact?team=fintech" data-pz-applied="cta">Talk to our fintech team</a>');
    expect(text).toContain('<div data-pz-slot="note" data-pz-applied="note"><p>SOC 2 for <strong>Northwind Bank</strong><img></p></div>');
    expect(text).not.toContain('onerror');
    const json = /<script type="application\/json" id="pz-edge">(.*?)<\/script>/.exec(text)![1]!;
    expect(json).not.toMatch(/<\/script/i);
    expect(JSON.parse(json)).toMatchObject({ segment: { id: 'fintech' }, account: { domain: 'bank.example' } });
    expect(text).toContain('<style id="pz-edge-reveal">');
    expect(text).toContain('<script>window.templateRan = true</script>');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('set-cookie')).toMatch(/^pz_vid=[0-9a-f]{32}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('leaves the page as written for a visitor no segment matches, and keeps their visitor id', async () => {
    const { res, text } = await viaEdge('/pricing', { headers: { cookie: 'pz_vid=0123456789abcdef0123456789abcdef' } });
    expect(text).toContain('<h1 data-pz-slot="headline">Analytics for every team</h1>');
    expect(text).toContain('<a id="cta" href="/signup">Start a trial</a>');
    expect(JSON.parse(/id="pz-edge">(.*?)<\/script>/.exec(text)![1]!)).toMatchObject({ segment: null, visitor: '0123456789abcdef0123456789abcdef' });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets no visitor cookie for a browser that asks not to be tracked', async () => {
    const { res } = await viaEdge('/pricing', { headers: { 'sec-gpc': '1' } });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('streams the page as written with edge decisions off (EDGE_DECISION_BUDGET_MS = 0): the snippet decides in the browser', async () => {
    const { text } = await viaEdge(`/pricing?pz_account=${await signed('bank.example', site)}`, { bindings: { EDGE_DECISION_BUDGET_MS: '0' } });
    expect(text).toBe(PAGE_HTML);
  });
});

describe('edge mode: everything else is the origin’s, byte for byte', () => {
  it.each(['/api.json', '/logo.png', '/moved', '/broken', '/no-transform', '/nowhere'])('%s', async (path) => {
    const direct = await fetch(`${origin()}${path}`, { redirect: 'manual' });
    const directBytes = new Uint8Array(await direct.arrayBuffer());
    const { res, bytes } = await viaEdge(`${path}?pz_account=${await signed('bank.example', site)}`);
    expect(res.status).toBe(direct.status);
    expect(res.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(res.headers.get('location')).toBe(direct.headers.get('location'));
    expect(bytes).toEqual(directBytes);
  });

  it('a POST goes to the origin as it came', async () => {
    const { res, text } = await viaEdge('/pricing', { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(200);
    expect(text).toBe(PAGE_HTML);
  });
});

describe("edge mode: the origin's page as written is cached, personalized after the cache", () => {
  const hits = async (path: string) => ((await (await fetch(`${origin()}/__hits`)).json()) as Record<string, number>)[path] ?? 0;

  it('asks the origin once for a page it lets shared caches keep, and still personalizes each visitor', async () => {
    await viaEdge('/pricing?warm=1');
    const before = await hits('/pricing');
    const bank = await viaEdge(`/pricing?warm=1&pz_account=${await signed('bank.example', site)}`);
    const plain = await viaEdge('/pricing?warm=1');
    expect(await hits('/pricing')).toBe(before);
    expect(bank.text).toContain('Compliance for Northwind Bank');
    expect(plain.text).toContain('Analytics for every team');
    expect(bank.res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('asks the origin every time for a page it marks private', async () => {
    await viaEdge('/private');
    const before = await hits('/private');
    await viaEdge('/private');
    expect(await hits('/private')).toBe(before + 1);
  });
});

describe('first-party serving: the snippet and the public API on the customer’s own host', () => {
  it('serves the snippet and decides under the neutral prefix, same-origin', async () => {
    const snippet = await viaEdge('/assets-e/p.js');
    expect(snippet.res.status).toBe(200);
    expect(snippet.res.headers.get('content-type')).toContain('javascript');
    expect(snippet.text).toBe(SNIPPET);
    const body = JSON.stringify({ site, url: `https://${HOST}/pricing?pz_account=${await signed('bank.example', site)}` });
    const decided = await viaEdge('/assets-e/v1/decide', { method: 'POST', body, headers: { origin: `https://${HOST}`, 'content-type': 'text/plain' } });
    expect(decided.res.status).toBe(200);
    expect(decided.res.headers.get('access-control-allow-origin')).toBe(`https://${HOST}`);
    expect(JSON.parse(decided.text)).toMatchObject({ segment: { id: 'fintech' } });
  });

  it('hands nothing else under the prefix to this Worker: the admin there is the origin’s path', async () => {
    const { res, text } = await viaEdge('/assets-e/api/admin/sites', { headers: { authorization: 'Bearer test-admin-token' } });
    expect(res.status).toBe(404);
    expect(text).toBe('not found');
  });

  it('refuses a prefix ad blockers list', () => {
    for (const prefix of ['/analytics', '/track', '/pz', '/stats-x', 'assets']) expect(SiteConfig.shape.edge.unwrap().shape.prefix.safeParse(prefix).success, prefix).toBe(false);
    expect(SiteConfig.shape.edge.unwrap().shape.prefix.safeParse('/assets-e').success).toBe(true);
  });
});

describe('edge mode: an origin that cannot be reached', () => {
  it('answers a plain 502, not this Worker’s JSON errors', async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('https://shop.customer.test/pricing'), { ...env, EDGE_HOSTS: `shop.customer.test=${uniqueSite('edge-none')}` }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/plain');
  });
});

describe('edge mode: the first byte does not wait for the body', () => {
  it('answers with the head before the origin has sent the body (it pauses 1 s)', async () => {
    const ctx = createExecutionContext();
    const started = performance.now();
    const res = await worker.fetch(new Request(`https://${HOST}/slow`), { ...env, EDGE_HOSTS: `${HOST}=${site}` }, ctx);
    const reader = res.body!.getReader();
    let text = '';
    let headMs = Infinity;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += new TextDecoder().decode(chunk.value);
      if (headMs === Infinity && text.includes('<title>Slow</title>')) headMs = performance.now() - started;
    }
    expect(headMs).toBeLessThan(900);
    expect(text).toContain('Analytics for every team');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    await waitOnExecutionContext(ctx);
  });
});
