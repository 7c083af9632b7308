import type { DecideRequest, DecideResponse, ReasonCode, SiteConfig } from '../../shared/schemas';
import { visitContext } from '../../shared/decision/context';
import { decide, recordedUnderAccount } from '../../shared/decision/decide';
import { decisionResponse, fallbackResponse } from '../../shared/decision/response';
import { signMeasure } from '../../shared/measure/measure-token';
import { type ActivityDeps, digestPrefetch, observeVisit } from '../activity/observe-visit';
import { type AlertEnv, afterDecision } from '../alerts/detect';
import { noteCrmSegment } from '../crm/segment-changes';
import type { Env } from '../env';
import { originAllowed } from '../http/origin';
import { StoreUnavailable } from '../kv/read';
import { getSiteConfig } from '../kv/site-config';
import type { IpAddress } from '../../shared/resolve/ip';
import { enrich } from '../enrichment/lookup';
import { countDecision } from '../match-rate/count-decision';
import { signingSecret } from '../signing-secret';
import { decidePreview, loadPreview } from './preview';
import { type Resolution, resolveAccount } from './resolve-account';

/** What the edge knows of the request beyond its body: never stored. */
export interface EdgeFacts {
  ip: string | null;
  country?: string;
  organisation?: string;
  /** `request.cf.asn`: the network's number (the shipped list knows consumer ISPs, carriers and hosting by it). */
  asn?: number;
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

type DecideEnv = Pick<Env, 'KV' | 'SITE_STORE' | 'PREVIEW_SECRET' | 'ADMIN_TOKEN' | 'LINK_SECRET' | 'ENVIRONMENT' | 'EVENTS_QUEUE' | 'MATCH_RATE_FLUSH_MS' | EnrichmentSecrets> &
  AlertEnv;
type EnrichmentSecrets = 'IPINFO_TOKEN' | 'CLEARBIT_KEY' | 'IPINFO_API' | 'CLEARBIT_API';

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
  const resolution = await resolveVisitor(env, config, req, facts, prefetch.onCandidate, activity?.waitUntil);
  const visit = visitContext(req.page, req.referrer, facts.country);
  // a claimed identity's views are the visitor's own, never the account's
  const recordAs = recordedUnderAccount(resolution) ? resolution.account : null;
  const pageView = realPageView(facts, req.page, config);
  const read = activity ? await observeVisit(activity, config, recordAs, req.visitor, visit.path, prefetch, pageView) : null;
  const now = activity?.now ?? Date.now();
  const role = req.identity?.role || undefined;
  const decision = decide({ config, resolution, visit, activity: read, now, mode: 'visit', visitor: req.visitor, role });
  // sales alerts: an account entering a segment is checked (and alerted) in the background, edge/alerts/detect.ts
  // and the CRM's copy of the account's segment, when the site writes it back (edge/crm/segment-changes.ts)
  if (activity) {
    const decided = { config, resolution, decision, visit, read, now, role, edgeUrl: facts.edgeUrl, tracking: activity.tracking, pageView };
    afterDecision(env, activity, decided);
    noteCrmSegment(env, activity, decided);
  }
  const body = decisionResponse(config, resolution, decision, { reasonsBefore: [...before, ...resolution.ignored] });
  // what the snippet echoes in its events, signed so that POST /v1/events counts only what the edge decided
  const secret = signingSecret(env);
  if (body.measure && req.visitor && secret) body.measure.token = await signMeasure(secret, { site: req.site, visitor: req.visitor, measure: body.measure }, now / 1000);
  // the match rate counts real page views only, under the page's origin (edge/match-rate/)
  if (activity && pageView) countDecision(env, activity, req.site, facts.origin!, body);
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

/**
 * Who the visitor is, from the request's identity, link parameter (signed or, if the site accepts them,
 * plain), IP (the customer's ranges, then the site's enrichment provider) and network. A provider's
 * lookup that outlives the decision goes on under `waitUntil` (absent: it is not asked).
 */
export function resolveVisitor(
  env: Pick<Env, 'KV' | 'LINK_SECRET' | 'ADMIN_TOKEN' | EnrichmentSecrets>,
  config: Pick<SiteConfig, 'unsignedLinks' | 'enrichment'>,
  req: PageRequest,
  facts: EdgeFacts,
  onCandidate?: (domain: string) => void,
  waitUntil?: (promise: Promise<unknown>) => void,
): Promise<Resolution> {
  const provider = config.enrichment;
  return resolveAccount(env.KV, req.site, {
    identity: req.identity,
    linkAccount: req.page.searchParams.get('pz_account'),
    ip: facts.ip,
    organisation: facts.organisation,
    asn: facts.asn,
    ...(provider &&
      waitUntil && {
        enrich: (ip: IpAddress, budgetMs: number) => enrich({ kv: env.KV, env, waitUntil }, provider, ip, budgetMs),
        acceptFuzzy: provider.accept === 'fuzzy',
      }),
    links: { secret: signingSecret(env), acceptUnsigned: config.unsignedLinks !== false, nowSeconds: Math.floor(Date.now() / 1000) },
    onCandidate,
  });
}
