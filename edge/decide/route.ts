import { type Context, Hono } from 'hono';
import { networkFacts } from './network-facts';
import { DecideRequest, Id } from '../../shared/schemas';
import { trackingAllowed } from '../activity/observe-visit';
import type { AppEnv } from '../env';
import { jsonError } from '../http/errors';
import { allowOrigin, allowPreflight, originAllowed, refuseOrigin } from '../http/origin';
import { limitPerClient, refuseOverSiteLimit } from '../http/rate-limit';
import { jsonBody } from '../http/validate';
import { withoutCache } from '../kv/cache';
import { getSiteConfig } from '../kv/site-config';
import { devRoutesEnabled } from '../dev-routes';
import { noteTag, sightingOf, siteCreated } from '../tag-check/note';
import { decideRequest } from './decide';

export const decideRoutes = new Hono<AppEnv>();

/** POST /v1/decide: within the client's rate limit, the body is valid, within the site's limit, then edge/decide/decide.ts decideRequest. */
decideRoutes.post('/v1/decide', limitPerClient('decide'), jsonBody(DecideRequest), async (c) => {
  const req = c.req.valid('json');
  const limited = await refuseOverSiteLimit(c, c.env, 'decide', req.site);
  if (limited) return limited;
  const cf = c.req.raw.cf as IncomingRequestCfProperties | undefined;
  const decideNow = () => decideRequest(
    c.env,
    req,
    {
      ip: c.req.header('cf-connecting-ip') ?? null,
      ...networkFacts(cf),
      origin: c.req.header('origin'),
      edgeUrl: c.req.url,
    },
    {
      kv: c.env.KV,
      ns: c.env.ACCOUNT_ACTIVITY,
      now: Date.now(),
      tracking: trackingAllowed(c.req.raw.headers),
      waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    },
  );
  // `npm run bench` prices a decision whose every read misses the isolate cache; never in production
  const uncached = devRoutesEnabled(c.env) && c.req.header('x-pz-bench-cache') === 'off';
  const outcome = await (uncached ? withoutCache(decideNow) : decideNow());
  const versions = { snippet: req.sv, tag: req.tag };
  if (outcome.status === 'unknown-site') {
    // a site created but not published yet: the tag check shows its page views already
    if (await siteCreated(c.env.KV, req.site)) noteTagCheck(c, req.site, req.url, 'seen', versions, true);
    return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${req.site}"` }]);
  }
  noteTagCheck(c, req.site, req.url, outcome.status === 'foreign-origin' ? 'refused' : 'seen', versions);
  if (outcome.status === 'foreign-origin') return refuseOrigin(c, req.site);
  allowOrigin(c);
  c.header('Cache-Control', 'no-store');
  return c.json(outcome.body);
});

/** For the admin's tag check: a browser page ran the tag (its Origin is the page's), or was refused. */
function noteTagCheck(c: Context<AppEnv>, site: string, pageUrl: string, status: 'seen' | 'refused', versions: { snippet?: string; tag?: string }, unpublished = false): void {
  const origin = c.req.header('origin');
  if (status === 'seen' && origin !== new URL(pageUrl).origin) return;
  c.executionCtx.waitUntil(noteTag(c.env, site, sightingOf(origin, pageUrl, status, Date.now(), versions), unpublished));
}

/** The snippet sends text/plain and needs no preflight; other API clients preflight with `?site=`. */
decideRoutes.options('/v1/decide', async (c) => {
  const origin = c.req.header('origin');
  const site = Id.safeParse(c.req.query('site'));
  if (!origin || !site.success) return jsonError(c, 403, 'preflight refused', [{ path: 'site', message: 'preflight needs ?site=<id> and an Origin header' }]);
  const lookup = await getSiteConfig(c.env.KV, site.data).catch(() => null);
  if (lookup?.status !== 'ok' || !originAllowed(origin, c.req.url, lookup.config.allowedOrigins))
    return jsonError(c, 403, 'origin not allowed', [{ path: 'origin', message: `${origin.slice(0, 200)} may not call site "${site.data}"` }]);
  return allowPreflight(c, origin, 'POST', 'content-type', 86_400);
});
