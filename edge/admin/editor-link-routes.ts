import { Hono } from 'hono';
import { EDIT_TOKEN_MAX_SECONDS, type EditorLink, EditorLinkRequest } from '../../shared/schemas';
import { signEditToken } from '../editor/edit-token';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { originAllowed } from '../http/origin';
import { jsonBody } from '../http/validate';
import { signingSecret } from '../signing-secret';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

export const editorLinkRoutes = new Hono<AdminEnv>();

/**
 * The customer's page opened in the visual editor: `#pz_edit=<token>` in the fragment (never sent to
 * the customer's server), the token naming the site and the verified caller, valid for 30 minutes.
 */
editorLinkRoutes.post('/sites/:site/editor-link', can('editor'), jsonBody(EditorLinkRequest), async (c) => {
  const site = c.req.param('site');
  const page = new URL(c.req.valid('json').pageUrl);
  const state = await siteStore(c.env, site).state(site);
  if (!state) return unknownSite(c, site);
  if (!originAllowed(page.origin, c.req.url, state.draft.config.allowedOrigins))
    return jsonError(c, 400, 'invalid request', [{ path: 'pageUrl', message: `${page.origin} is not one of the site's allowed origins (Site & tag)` }]);
  const secret = signingSecret(c.env);
  if (!secret) return jsonError(c, 503, 'edit links cannot be signed: set LINK_SECRET (wrangler secret put LINK_SECRET)');

  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + EDIT_TOKEN_MAX_SECONDS;
  const token = await signEditToken({ site, user: c.get('actor'), exp, iat }, secret);
  page.hash = `pz_edit=${token}`;
  const link: EditorLink = { url: page.toString(), expiresAt: new Date(exp * 1000).toISOString() };
  c.header('Cache-Control', 'no-store');
  return c.json(link);
});
