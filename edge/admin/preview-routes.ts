import { Hono } from 'hono';
import { type PreviewClaims, type PreviewLink, PreviewRequest, type PreviewRevocation } from '../../shared/schemas';
import { issuedAt, previewSecret, signPreview } from '../decide/preview-token';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

export const previewRoutes = new Hono<AdminEnv>();

/** A signed link that shows the DRAFT as one segment or one account, until it expires (an hour by default) or the site's previews are revoked. */
previewRoutes.post('/sites/:site/preview', can('editor'), jsonBody(PreviewRequest), async (c) => {
  const site = c.req.param('site');
  const { segment, account, pageUrl, ttlSeconds } = c.req.valid('json');
  // the admin UI opens this link: only web pages, never javascript: or data:
  if (pageUrl !== undefined && !/^https?:$/.test(new URL(pageUrl).protocol))
    return jsonError(c, 400, 'invalid request', [{ path: 'pageUrl', message: 'must be an http(s) URL' }]);

  const data = await siteStore(c.env, site).previewData(site, account ?? null);
  if (!data) return unknownSite(c, site);
  if (segment !== undefined && !data.config.segments.some((s) => s.id === segment))
    return jsonError(c, 400, 'invalid request', [{ path: 'segment', message: `the draft has no segment "${segment}"` }]);
  if (account !== undefined && !data.account)
    return jsonError(c, 400, 'invalid request', [{ path: 'account', message: `no account ${account} is imported` }]);

  const now = Math.floor(Date.now() / 1000);
  const exp = now + ttlSeconds;
  const claims: PreviewClaims = { site, exp, iat: issuedAt(now, data.revokedBefore), ...(segment !== undefined ? { segment } : { account }) };
  const secret = previewSecret(c.env);
  if (!secret) return jsonError(c, 503, 'previews are off: set PREVIEW_SECRET (wrangler secret put PREVIEW_SECRET --env production)');
  const token = await signPreview(claims, secret);
  const url = new URL(pageUrl ?? `${new URL(c.req.url).origin}/demo`);
  url.searchParams.set('pz_preview', token);
  const link: PreviewLink = { url: url.toString(), token, expiresAt: new Date(exp * 1000).toISOString() };
  return c.json(link);
});

/** Voids every preview link of the site issued so far, however long it had left; links made afterwards work. */
previewRoutes.post('/sites/:site/preview/revoke', can('owner'), async (c) => {
  const site = c.req.param('site');
  const revoked = await siteStore(c.env, site).revokePreviews(site);
  if (!revoked) return unknownSite(c, site);
  const body: PreviewRevocation = { revokedBefore: new Date(revoked.revokedBefore * 1000).toISOString() };
  return c.json(body);
});
