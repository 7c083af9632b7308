import { Hono } from 'hono';
import { DecideRequest, Id } from '../../shared/schemas';
import { type DecideOutcome, type EdgeFacts, decide } from './decide';
import { type ActivityDeps, trackingAllowed } from '../activity/observe-visit';
import { decidePreview } from './preview';
import type { AppEnv, Env } from '../env';
import { jsonError } from '../http/errors';
import { originAllowed, refuseForeignOrigin } from '../http/origin';
import { readJson } from '../http/read-json';
import { getSiteConfig } from '../kv/site-config';

export const decideRoutes = new Hono<AppEnv>();

decideRoutes.post('/v1/decide', async (c) => {
  const parsed = await readJson(c, DecideRequest);
  if (!parsed.ok) return parsed.response;
  const req = parsed.data;
  const cf = c.req.raw.cf as IncomingRequestCfProperties | undefined;
  const facts = {
    ip: c.req.header('cf-connecting-ip') ?? null,
    country: typeof cf?.country === 'string' ? cf.country : undefined,
    organisation: typeof cf?.asOrganization === 'string' ? cf.asOrganization : undefined,
  };
  const origin = c.req.header('origin');
  const activity: ActivityDeps = {
    ns: c.env.ACCOUNT_ACTIVITY,
    now: Date.now(),
    tracking: trackingAllowed(c.req.raw.headers),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    // a page on another site is no page view of this one
    accepts: (config) => origin === undefined || originAllowed(origin, c.req.url, config.allowedOrigins),
  };
  const outcome = await decideOrPreview(c.env, req, facts, activity);
  if (outcome.status === 'unknown-site') return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${req.site}"` }]);

  const refused = refuseForeignOrigin(c, req.site, outcome.allowedOrigins);
  if (refused) return refused;
  c.header('Cache-Control', 'no-store');
  return c.json(outcome.body);
});

/**
 * A valid preview link decides with the draft (no activity read or recorded: an admin looking);
 * an invalid one is ignored, and the answer says so.
 */
async function decideOrPreview(env: Env, req: DecideRequest, facts: EdgeFacts, activity: ActivityDeps): Promise<DecideOutcome> {
  if (req.preview === undefined) return decide(env.KV, req, facts, activity);
  const preview = await decidePreview(env, { ...req, preview: req.preview }, facts);
  if (preview.ok) return preview.outcome;
  const outcome = await decide(env.KV, req, facts, activity);
  if (outcome.status === 'ok') outcome.body.reason = [preview.reason, outcome.body.reason].filter(Boolean).join('; ');
  return outcome;
}

/** The snippet sends text/plain and needs no preflight; other API clients preflight with `?site=`. */
decideRoutes.options('/v1/decide', async (c) => {
  const origin = c.req.header('origin');
  const site = Id.safeParse(c.req.query('site'));
  if (!origin || !site.success) return jsonError(c, 403, 'preflight refused', [{ path: 'site', message: 'preflight needs ?site=<id> and an Origin header' }]);
  const lookup = await getSiteConfig(c.env.KV, site.data).catch(() => null);
  if (lookup?.status !== 'ok' || !originAllowed(origin, c.req.url, lookup.config.allowedOrigins))
    return jsonError(c, 403, 'origin not allowed', [{ path: 'origin', message: `${origin.slice(0, 200)} may not call site "${site.data}"` }]);
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Allow-Methods', 'POST');
  c.header('Access-Control-Allow-Headers', 'content-type');
  c.header('Access-Control-Max-Age', '86400');
  c.header('Vary', 'Origin');
  return c.body(null, 204);
});
