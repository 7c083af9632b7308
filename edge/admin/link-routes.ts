import { Hono } from 'hono';
import { formatCsvRecord } from '../../shared/csv';
import { identifySecret } from '../../shared/links/identify-hash';
import { signLink } from '../../shared/links/signed-link';
import { SignedLinksRequest, type SignedLinks } from '../../shared/schemas';
import { signingSecret } from '../signing-secret';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

/**
 * Signed ABM links for marketers' email and ad tools: `POST /sites/:site/links` (SignedLinksRequest).
 * A signed link resolves its account as `verified`; an unsigned `?pz_account=` is only a claim. And the
 * site's identify secret, with which the customer's server makes identifies verified.
 */
export const linkRoutes = new Hono<AdminEnv>();

const PAGE = 1000;

linkRoutes.post('/sites/:site/links', can('editor'), jsonBody(SignedLinksRequest), async (c) => {
  const site = c.req.param('site');
  const req = c.req.valid('json');
  const secret = signingSecret(c.env);
  if (!secret) return jsonError(c, 503, 'links cannot be signed: set LINK_SECRET (wrangler secret put LINK_SECRET)');
  const stub = siteStore(c.env, site);
  if (!(await stub.attributeKeys(site))) return unknownSite(c, site);

  const exp = Math.floor(Date.now() / 1000) + req.days * 86_400;
  // the token is URL-safe as it is: appended unencoded (URLSearchParams would turn each ~ into %7E)
  const page = new URL(req.url);
  page.searchParams.delete('pz_account');
  const urlFor = async (domain: string) =>
    `${page.origin}${page.pathname}${page.search || '?'}${page.search ? '&' : ''}pz_account=${await signLink(secret, site, { domain, exp, campaign: req.campaign })}${page.hash}`;
  const expiresAt = new Date(exp * 1000).toISOString();

  if (req.format === 'json') {
    const links = await Promise.all(req.domains!.map(async (domain) => ({ domain, url: await urlFor(domain) })));
    return c.json({ expiresAt, links } satisfies SignedLinks);
  }

  // CSV: the given domains in one chunk, or every imported account a page at a time (a list can be long).
  const encoder = new TextEncoder();
  let header = false;
  let after: string | null = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!header) {
        header = true;
        controller.enqueue(encoder.encode(formatCsvRecord(['domain', 'name', 'url', 'expires_at'])));
        return;
      }
      const page = req.domains ? null : await stub.searchAccounts(site, '', PAGE, after);
      const rows = req.domains?.map((domain) => ({ domain, name: '' })) ?? page?.accounts ?? [];
      const lines = await Promise.all(rows.map(async (a) => formatCsvRecord([a.domain, a.name, await urlFor(a.domain), expiresAt])));
      controller.enqueue(encoder.encode(lines.join('')));
      after = page?.next ?? null;
      if (after === null) controller.close();
    },
  });
  return c.body(stream, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${site}-signed-links${req.campaign ? `-${req.campaign}` : ''}.csv"`,
  });
});

/**
 * The site's identify secret, for the customer's server to compute verified identify hashes with
 * (shared/links/identify-hash.ts). Derived from the edge's signing key: rotating LINK_SECRET rotates it.
 */
linkRoutes.get('/sites/:site/identify-secret', can('owner'), async (c) => {
  const site = c.req.param('site');
  const secret = signingSecret(c.env);
  if (!secret) return jsonError(c, 503, 'no signing key: set LINK_SECRET (wrangler secret put LINK_SECRET)');
  // no store lookup: the secret is a function of the key and the site id, valid before the site's first save
  c.header('Cache-Control', 'no-store');
  return c.json({
    secret: await identifySecret(secret, site),
    usage: "hash = HMAC-SHA256(secret, company domain, lower case) in hex; then pz('identify', { domain: domain + '~' + hash })",
  });
});
