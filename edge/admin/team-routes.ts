import { Hono, type MiddlewareHandler } from 'hono';
import { roleOn } from '../../shared/identity/roles';
import { type ApiTokenInfo, CreateTokenRequest, Id, MemberEmail, SetMemberRequest, type WhoAmI } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { hashToken, newToken } from '../identity/api-token';
import { directory } from '../identity/directory';
import { siteStore, unknownSite } from './common';
import { can, signedIn } from './permissions';

/** Who is signed in; members (Access e-mails) and API tokens, managed by owners; the audit trail. */
export const teamRoutes = new Hono<AdminEnv>();

const MAX_TOKENS_PER_SITE = 100;
const AUDIT_PAGE = 200;

/** Answers any valid credential, even one with no grants yet (so the admin can say whom to ask). */
teamRoutes.get('/whoami', signedIn, (c) => {
  const { name, kind, grants } = c.get('principal');
  const site = Id.safeParse(c.req.query('site'));
  const body: WhoAmI = { name, kind, grants, ...(site.success && { site: site.data, role: roleOn(grants, site.data) }) };
  return c.json(body);
});

// Hono has percent-decoded the path parameter already
const emailParam = (raw: string | undefined) => MemberEmail.safeParse(raw ?? '');

/** Members, tokens and the audit trail are kept only for sites that exist. */
const knownSite: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const site = c.req.param('site')!;
  if (!(await siteStore(c.env, site).state(site))) return unknownSite(c, site);
  await next();
};
teamRoutes.use('/sites/:site/members', knownSite);
teamRoutes.use('/sites/:site/members/*', knownSite);
teamRoutes.use('/sites/:site/tokens', knownSite);
teamRoutes.use('/sites/:site/tokens/*', knownSite);
teamRoutes.use('/sites/:site/audit', knownSite);

teamRoutes.get('/sites/:site/members', can('owner'), async (c) => c.json({ members: await directory(c.env).members(c.req.param('site')) }));

teamRoutes.put('/sites/:site/members/:email', can('owner'), jsonBody(SetMemberRequest), async (c) => {
  const email = emailParam(c.req.param('email'));
  if (!email.success) return jsonError(c, 400, 'invalid request', [{ path: 'email', message: email.error.issues[0]!.message }]);
  const { role } = c.req.valid('json');
  await directory(c.env).setMember(email.data, c.req.param('site'), role, c.get('actor'));
  c.set('audit', `${email.data} is ${role}`);
  return c.json({ members: await directory(c.env).members(c.req.param('site')) });
});

teamRoutes.delete('/sites/:site/members/:email', can('owner'), async (c) => {
  const email = emailParam(c.req.param('email'));
  if (!email.success) return jsonError(c, 400, 'invalid request', [{ path: 'email', message: email.error.issues[0]!.message }]);
  if (!(await directory(c.env).removeMember(email.data, c.req.param('site'))))
    return jsonError(c, 404, 'unknown member', [{ path: 'email', message: `${email.data} has no role on this site` }]);
  c.set('audit', `${email.data} removed`);
  return c.json({ members: await directory(c.env).members(c.req.param('site')) });
});

/** Grants on every site (and sites created later): only an owner of every site gives them. */
teamRoutes.get('/members', can('owner', 'all'), async (c) => c.json({ members: await directory(c.env).members('*') }));

teamRoutes.put('/members/:email', can('owner', 'all'), jsonBody(SetMemberRequest), async (c) => {
  const email = emailParam(c.req.param('email'));
  if (!email.success) return jsonError(c, 400, 'invalid request', [{ path: 'email', message: email.error.issues[0]!.message }]);
  const { role } = c.req.valid('json');
  await directory(c.env).setMember(email.data, '*', role, c.get('actor'));
  c.set('audit', `${email.data} is ${role} on every site`);
  return c.json({ members: await directory(c.env).members('*') });
});

teamRoutes.delete('/members/:email', can('owner', 'all'), async (c) => {
  const email = emailParam(c.req.param('email'));
  if (!email.success) return jsonError(c, 400, 'invalid request', [{ path: 'email', message: email.error.issues[0]!.message }]);
  if (!(await directory(c.env).removeMember(email.data, '*')))
    return jsonError(c, 404, 'unknown member', [{ path: 'email', message: `${email.data} has no role on every site` }]);
  c.set('audit', `${email.data} removed from every site`);
  return c.json({ members: await directory(c.env).members('*') });
});

teamRoutes.get('/sites/:site/tokens', can('owner'), async (c) => c.json({ tokens: await directory(c.env).tokens(c.req.param('site')) }));

teamRoutes.post('/sites/:site/tokens', can('owner'), jsonBody(CreateTokenRequest), async (c) => {
  const site = c.req.param('site');
  const { name, role, expiresInDays } = c.req.valid('json');
  const live = (await directory(c.env).tokens(site)).filter((t) => t.revokedAt === null);
  if (live.length >= MAX_TOKENS_PER_SITE)
    return jsonError(c, 400, 'invalid request', [{ path: 'name', message: `a site has at most ${MAX_TOKENS_PER_SITE} live tokens: revoke one first` }]);
  const { id, token } = newToken();
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000).toISOString() : null;
  const info: ApiTokenInfo = await directory(c.env).createToken({ id, hash: await hashToken(token), name, site, role, createdBy: c.get('actor'), expiresAt });
  c.set('audit', `token ${id} "${name}" (${role}) created`);
  return c.json({ token, info }, 201);
});

teamRoutes.delete('/sites/:site/tokens/:id', can('owner'), async (c) => {
  const id = c.req.param('id');
  const info = /^[0-9a-f]{16}$/.test(id) ? await directory(c.env).revokeToken(c.req.param('site'), id) : null;
  if (!info) return jsonError(c, 404, 'unknown token', [{ path: 'id', message: `this site has no token ${id.slice(0, 40)}` }]);
  c.set('audit', `token ${id} "${info.name}" revoked`);
  return c.json(info);
});

teamRoutes.get('/sites/:site/audit', can('viewer'), async (c) => c.json({ entries: await directory(c.env).audit(c.req.param('site'), AUDIT_PAGE) }));
