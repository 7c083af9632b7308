import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { previewSecret, signPreview, verifyPreview } from '../../edge/decide/preview-token';
import { clearConfigCache } from '../../edge/kv/site-config';
import { DecideResponse, PreviewLink, PreviewRevocation, type SiteConfig, SiteState } from '../../shared/schemas';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { accounts, page, post, signed } from './support/fixture';

const SECRET = 'test-preview-secret'; // vitest.config.ts
const site = uniqueSite('preview');
const now = () => Math.floor(Date.now() / 1000);

async function decide(body: Record<string, unknown>) {
  clearConfigCache();
  const res = await post('/v1/decide', { site, url: page(), ...body });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

async function previewLink(body: Record<string, unknown>) {
  return PreviewLink.parse(await adminJson('POST', `/sites/${site}/preview`, body));
}

beforeAll(async () => {
  const draft = await createSite(site);
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
  // an unpublished edit: only previews may show it
  const config: SiteConfig = { ...draft.config, variants: { ...draft.config.variants, customers: { headline: { type: 'text', text: 'Draft welcome, {{account.name|friend}}' } } } };
  SiteState.parse(await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config }));
});

describe('preview links', () => {
  it('shows the draft as a segment, with token fallbacks, and says it is a preview', async () => {
    const link = await previewLink({ segment: 'customers', ttlSeconds: 600 });
    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe('https://edge.test/demo');
    expect(url.searchParams.get('pz_preview')).toBe(link.token);
    expect(Date.parse(link.expiresAt) / 1000).toBeCloseTo(now() + 600, -1);

    const d = await decide({ preview: link.token });
    expect(d).toMatchObject({ preview: true, method: 'none', account: null, segment: { id: 'customers' } });
    expect(d.changes).toEqual([{ slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text: 'Draft welcome, friend' } }]);

    // the segment is forced whoever the visitor is; an account the page names fills the tokens
    const asBank = await decide({ url: page('?pz_account=bank.example'), preview: link.token });
    expect(asBank).toMatchObject({ preview: true, method: 'link', account: { domain: 'bank.example' }, segment: { id: 'customers' } });
    expect(asBank.changes[0]?.content).toEqual({ type: 'text', text: 'Draft welcome, Northwind Bank' });
  });

  it('shows the draft as an account, resolving its segment with the draft rules', async () => {
    const link = await previewLink({ account: 'client.example', pageUrl: 'https://www.vendor.example/pricing?x=1' });
    expect(link.url).toBe(`https://www.vendor.example/pricing?x=1&pz_preview=${link.token}`);
    const d = await decide({ preview: link.token });
    expect(d).toMatchObject({ preview: true, method: 'link', account: { domain: 'client.example' }, segment: { id: 'customers' } });
    expect(d.changes[0]?.content).toEqual({ type: 'text', text: 'Draft welcome, Loyal Client' });
  });

  it('leaves real visitors on the published version', async () => {
    const d = await decide({ url: page(`?pz_account=${await signed('client.example', site)}`) });
    expect(d.preview).toBeUndefined();
    expect(d.changes[0]?.content).toEqual({ type: 'text', text: 'Welcome back, Loyal Client' });
  });

  it.each([
    ['expired', async () => signPreview({ site, segment: 'customers', exp: now() - 1 }, SECRET)],
    ['signed with another key', async () => signPreview({ site, segment: 'customers', exp: now() + 600 }, 'guessed-secret')],
    ['for another site', async () => signPreview({ site: 'acme-test', segment: 'customers', exp: now() + 600 }, SECRET)],
    [
      'tampered with (segment swapped, signature kept)',
      async () => {
        const [, sig] = (await signPreview({ site, segment: 'fintech', exp: now() + 600 }, SECRET)).split('.');
        const forged = btoa(JSON.stringify({ site, segment: 'customers', exp: now() + 86_400 * 365 })).replace(/=+$/, '');
        return `${forged}.${sig}`;
      },
    ],
    ['garbage', async () => 'not.a.token'],
  ])('ignores a token %s and decides normally, saying why', async (_label, token) => {
    const d = await decide({ url: page(`?pz_account=${await signed('client.example', site)}`), preview: await token() });
    expect(d.preview).toBeUndefined();
    expect(d.reason).toBe('preview link invalid or expired');
    expect(d).toMatchObject({ method: 'link', segment: { id: 'customers' } });
    expect(d.changes[0]?.content).toEqual({ type: 'text', text: 'Welcome back, Loyal Client' }); // the published version
  });

  it('verifies only unexpired tokens with the right key, and falls back to the admin token as key', async () => {
    const token = await signPreview({ site, account: 'bank.example', exp: now() + 60 }, SECRET);
    expect(await verifyPreview(token, SECRET)).toEqual({ site, account: 'bank.example', exp: now() + 60 });
    expect(await verifyPreview(token, SECRET, now() + 61)).toBeNull();
    expect(await verifyPreview(token, 'other')).toBeNull();
    expect(previewSecret({ ADMIN_TOKEN: 'admin' })).toBe('admin');
    expect(previewSecret({ ADMIN_TOKEN: 'admin', PREVIEW_SECRET: 'preview' })).toBe('preview');
    expect(previewSecret({})).toBeNull();
  });

  it('names the field of a bad preview request', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ segment: 'customers', account: 'client.example' }, '(body)'],
      [{}, '(body)'],
      [{ segment: 'nobody' }, 'segment'],
      [{ account: 'unknown.example' }, 'account'],
      [{ segment: 'customers', ttlSeconds: 5 }, 'ttlSeconds'],
      [{ segment: 'customers', pageUrl: 'javascript:alert(1)' }, 'pageUrl'],
    ];
    for (const [body, path] of cases) {
      const res = await admin('POST', `/sites/${site}/preview`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path), JSON.stringify(body)).toContain(path);
    }
  });
});

describe('preview link lifetime and revocation', () => {
  const revoking = uniqueSite('preview-revoke');
  const decideAt = async (preview: string) => {
    const res = await post('/v1/decide', { site: revoking, url: page(), preview });
    expect(res.status).toBe(200);
    return DecideResponse.parse(await res.json());
  };
  const linkFor = async (body: Record<string, unknown> = { segment: 'customers' }) => PreviewLink.parse(await adminJson('POST', `/sites/${revoking}/preview`, body));

  beforeAll(async () => {
    const draft = await createSite(revoking);
    await adminJson('POST', `/sites/${revoking}/accounts/import`, { rows: accounts });
    await adminJson('POST', `/sites/${revoking}/publish`, { baseRevision: draft.revision });
  });

  it('last an hour unless asked otherwise, and carry when they were issued', async () => {
    const link = await linkFor();
    expect(Date.parse(link.expiresAt) / 1000).toBeCloseTo(now() + 3600, -1);
    const claims = await verifyPreview(link.token, SECRET);
    expect(claims?.iat).toBeCloseTo(now(), -1);
    expect(claims!.exp - claims!.iat!).toBe(3600);
  });

  it('stop working when the owner revokes them; a link made afterwards works', async () => {
    const before = await linkFor();
    const unstamped = await signPreview({ site: revoking, segment: 'customers', exp: now() + 600 }, SECRET); // made before links carried iat
    expect(await decideAt(before.token)).toMatchObject({ preview: true, segment: { id: 'customers' } });
    expect(await decideAt(unstamped)).toMatchObject({ preview: true });

    const revoked = PreviewRevocation.parse(await adminJson('POST', `/sites/${revoking}/preview/revoke`));
    expect(Date.parse(revoked.revokedBefore) / 1000).toBeGreaterThan(now() - 1);

    for (const token of [before.token, unstamped]) {
      const d = await decideAt(token);
      expect(d.preview).toBeUndefined();
      expect(d.reasons).toContain('preview-invalid');
    }
    // the same second as the revocation too
    const after = await linkFor({ account: 'client.example' });
    expect(await decideAt(after.token)).toMatchObject({ preview: true, account: { domain: 'client.example' } });
    expect(await decideAt(before.token)).not.toHaveProperty('preview');
  });

  it('revocation needs the admin token and a known site', async () => {
    expect((await admin('POST', `/sites/${revoking}/preview/revoke`, undefined, { token: null })).status).toBe(401);
    expect((await admin('POST', `/sites/${uniqueSite('none')}/preview/revoke`)).status).toBe(404);
  });
});

describe('preview links in production', () => {
  /** The Worker as [env.production] runs it, without PREVIEW_SECRET set. */
  async function inProduction(path: string, init: RequestInit) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`https://edge.test${path}`, init), { ...env, ENVIRONMENT: 'production', DEV_ROUTES: 'off', PREVIEW_SECRET: undefined }, ctx);
    const body = await res.text();
    await waitOnExecutionContext(ctx);
    return { status: res.status, body };
  }

  it('need a PREVIEW_SECRET of their own: without it no link is made (503), and one signed with the admin token is not honoured', async () => {
    expect(previewSecret({ ENVIRONMENT: 'production', ADMIN_TOKEN: 'x' })).toBeNull();
    expect(previewSecret({ ENVIRONMENT: 'production', ADMIN_TOKEN: 'x', PREVIEW_SECRET: 'p' })).toBe('p');
    const made = await inProduction(`/api/admin/sites/${site}/preview`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ segment: 'customers' }),
    });
    expect(made.status, made.body).toBe(503);
    expect(made.body).toContain('PREVIEW_SECRET');
    const withAdminToken = await signPreview({ site, segment: 'customers', exp: now() + 600 }, 'test-admin-token');
    const decided = await inProduction('/v1/decide', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ site, url: page(), preview: withAdminToken }) });
    expect(JSON.parse(decided.body)).toMatchObject({ reasons: expect.arrayContaining(['preview-invalid']) });
    expect(JSON.parse(decided.body).preview).toBeUndefined();
  });
});
