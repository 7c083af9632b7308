import type { DecideRequest, DecideResponse, ReasonCode, SiteConfig } from '../../shared/schemas';
import { visitContext } from '../../shared/decision/context';
import { decide, recordedUnderAccount } from '../../shared/decision/decide';
import { decisionResponse, fallbackResponse } from '../../shared/decision/response';
import { signMeasure } from '../../shared/measure/measure-token';
import { type ActivityDeps, digestPrefetch, observeVisit } from '../activity/observe-visit';
import type { Env } from '../env';
import { originAllowed } from '../http/origin';
import { StoreUnavailable } from '../kv/read';
import { getSiteConfig } from '../kv/site-config';
import { signingSecret } from '../signing-secret';
import { decidePreview, loadPreview } from './preview';
import { type Resolution, resolveAccount } from './resolve-account';

/** What the edge knows of the request beyond its body: never stored. */
export interface EdgeFacts {
  ip: string | null;
  country?: string;
  organisation?: string;
  /** The page's Origin header (absent: not a browser page, e.g. a server calling the API). */
  origin?: string;
  /** The URL this request was sent to: a page on the edge's own origin is always allowed. */
  edgeUrl?: string;
}

/** A decide request with its page URL parsed (once). */
export type PageRequest = DecideRequest & { page: URL };

export type DecideOutcome =
  | { status: 'ok'; body: DecideResponse }
  | { status: 'unknown-site' }
  /** A browser page on an origin the site does not allow: refused before anything about the visitor was read. */
  | { status: 'foreign-origin' };

type DecideEnv = Pick<Env, 'KV' | 'SITE_STORE' | 'PREVIEW_SECRET' | 'ADMIN_TOKEN' | 'LINK_SECRET' | 'ENVIRONMENT'>;

/**
 * A decide request, in this order: the site's config → a page on an origin the site does not allow is
 * refused (before any account lookup or activity read) → who the visitor is → what they did before
 * (behavioural rules; this view is recorded in the background) → the pure decision (shared/decision/decide.ts).
 * A valid preview link decides with the draft instead; an invalid one is ignored, and the answer says so.
 * Without `activity` nothing is read or recorded and behavioural conditions do not hold.
 */
export async function decideRequest(env: DecideEnv, request: DecideRequest, facts: EdgeFacts, activity?: ActivityDeps): Promise<DecideOutcome> {
  const req: PageRequest = { ...request, page: new URL(request.url) };

  const before: ReasonCode[] = [];
  if (req.preview !== undefined) {
    const preview = await loadPreview(env, req.site, req.preview);
    if (preview.ok) {
      if (!fromAllowedPage(facts, preview.data.config)) return { status: 'foreign-origin' };
      return { status: 'ok', body: await decidePreview(env, preview, req, facts) };
    }
    before.push(preview.reason);
  }

  let lookup;
  try {
    lookup = await getSiteConfig(env.KV, req.site);
  } catch (err) {
    if (!(err instanceof StoreUnavailable)) throw err;
    lookup = null;
  }
  if (lookup?.status === 'unknown') return { status: 'unknown-site' };
  // Without a config the answer is the page as written: it reveals nothing, so any origin may read it.
  if (lookup === null || lookup.status === 'corrupt') return { status: 'ok', body: fallbackResponse(req.site, lookup === null ? 'config-unavailable' : 'config-unreadable', before) };
  const { config } = lookup;
  if (!fromAllowedPage(facts, config)) return { status: 'foreign-origin' };

  const prefetch = digestPrefetch(activity, config);
  const resolution = await resolveVisitor(env, config, req, facts, prefetch.onCandidate);
  const visit = visitContext(req.page, req.referrer, facts.country);
  // a claimed identity's views are the visitor's own, never the account's
  const recordAs = recordedUnderAccount(resolution) ? resolution.account : null;
  const read = activity ? await observeVisit(activity, config, recordAs, req.visitor, visit.path, prefetch, realPageView(facts, req.page, config)) : null;
  const now = activity?.now ?? Date.now();
  const decision = decide({ config, resolution, visit, activity: read, now, mode: 'visit', visitor: req.visitor });
  const body = decisionResponse(config, resolution, decision, { reasonsBefore: [...before, ...resolution.ignored] });
  // what the snippet echoes in its events, signed so that POST /v1/events counts only what the edge decided
  const secret = signingSecret(env);
  if (body.measure && req.visitor && secret) body.measure.token = await signMeasure(secret, { site: req.site, visitor: req.visitor, measure: body.measure }, now / 1000);
  return { status: 'ok', body };
}

/**
 * Whether a page view may be recorded: `curl` can send any Origin, so this is hygiene rather than
 * proof, but a request with no Origin (a server, a script) or whose page URL is not on the site's
 * allowed origins is never recorded. The decision itself still answers.
 */
const realPageView = (facts: EdgeFacts, page: URL, config: SiteConfig) =>
  facts.origin !== undefined && siteOrigin(facts.origin, facts, config) && siteOrigin(page.origin, facts, config);

/** No Origin header (not a browser page), or a page the site allows. */
const fromAllowedPage = (facts: EdgeFacts, config: SiteConfig) => facts.origin === undefined || siteOrigin(facts.origin, facts, config);

const siteOrigin = (origin: string, facts: EdgeFacts, config: SiteConfig) => originAllowed(origin, facts.edgeUrl ?? 'https://edge.invalid/', config.allowedOrigins);

/** Who the visitor is, from the request's identity, link parameter (signed or, if the site accepts them, plain), IP and network. */
export function resolveVisitor(
  env: Pick<Env, 'KV' | 'LINK_SECRET' | 'ADMIN_TOKEN'>,
  config: Pick<SiteConfig, 'unsignedLinks'>,
  req: PageRequest,
  facts: EdgeFacts,
  onCandidate?: (domain: string) => void,
): Promise<Resolution> {
  return resolveAccount(env.KV, req.site, {
    identity: req.identity,
    linkAccount: req.page.searchParams.get('pz_account'),
    ip: facts.ip,
    organisation: facts.organisation,
    links: { secret: signingSecret(env), acceptUnsigned: config.unsignedLinks !== false, nowSeconds: Math.floor(Date.now() / 1000) },
    onCandidate,
  });
}
