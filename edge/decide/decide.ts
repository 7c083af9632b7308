import type { ActivitySummary, DecideRequest, DecideResponse, Segment, SiteConfig } from '../../shared/schemas';
import { type DecisionInput, type VisitContext, visitContext } from '../../shared/decision/context';
import { selectChanges } from '../../shared/decision/variants';
import { measureDecision } from '../../shared/measure/measure-visit';
import { pickSegment } from '../../shared/rules/evaluate';
import { getSiteConfig } from '../kv/site-config';
import { StoreUnavailable } from '../kv/read';
import { type ActivityDeps, observeVisit } from '../activity/observe-visit';
import { type Resolution, resolveAccount } from './resolve-account';

export interface EdgeFacts {
  ip: string | null;
  country?: string;
  organisation?: string;
}

export type DecideOutcome =
  /** allowedOrigins null: a fallback that reveals nothing, so any origin may read it. */
  | { status: 'ok'; body: DecideResponse; allowedOrigins: readonly string[] | null }
  | { status: 'unknown-site' };

/**
 * request → site config → account → (its activity, for behavioural rules) → segment → variants → arm
 * (holdout or personalized) → response.
 * Without `activity` nothing is read or recorded and behavioural conditions do not hold.
 */
export async function decide(kv: KVNamespace, req: DecideRequest, facts: EdgeFacts, activity?: ActivityDeps): Promise<DecideOutcome> {
  const pageUrl = new URL(req.url);
  const fallback = (reason: string): DecideOutcome => ({
    status: 'ok',
    allowedOrigins: null,
    body: { site: req.site, version: 0, method: 'none', account: null, segment: null, changes: [], reason },
  });

  let lookup;
  try {
    lookup = await getSiteConfig(kv, req.site);
  } catch (err) {
    if (err instanceof StoreUnavailable) return fallback('site configuration unavailable');
    throw err;
  }
  if (lookup.status === 'unknown') return { status: 'unknown-site' };
  if (lookup.status === 'corrupt') return fallback('site configuration unreadable');
  const { config } = lookup;

  const resolution = await resolveVisitor(kv, req, facts);
  const visit = visitContext(pageUrl, req.referrer, facts.country);
  const observed = activity ? await observeVisit(activity, config, resolution.account, req.visitor, visit.path) : null;
  const decided = decisionBody(config, resolution, visit, observed?.activity && { activity: observed.activity, now: activity!.now });
  const body = measureDecision(config, decided, req.visitor, visit.path);
  if (observed) body.behaviour = observed.status;
  if (resolution.degraded.length) body.reason = `account store unavailable for: ${resolution.degraded.join(', ')}`;
  return { status: 'ok', body, allowedOrigins: config.allowedOrigins };
}

/** Who the visitor is, from the request's identity, link parameter, IP and network. */
export function resolveVisitor(kv: KVNamespace, req: DecideRequest, facts: EdgeFacts): Promise<Resolution> {
  return resolveAccount(kv, req.site, {
    identity: req.identity,
    linkAccount: new URL(req.url).searchParams.get('pz_account'),
    ip: facts.ip,
    organisation: facts.organisation,
  });
}

/** The answer for a resolved account (or none) on this visit, with its activity at `now` if known: the winning segment's changes. */
export function decisionBody(
  config: SiteConfig,
  resolution: Pick<Resolution, 'method' | 'account'>,
  visit: VisitContext,
  behaviour?: { activity: ActivitySummary; now: number },
): DecideResponse {
  const input: DecisionInput = { account: resolution.account, visit, ...behaviour };
  const segment = pickSegment(config.segments, input);
  return segmentBody(config, resolution, segment, input);
}

/** The answer once the segment is known: its changes, or the page as written. */
export function segmentBody(config: SiteConfig, resolution: Pick<Resolution, 'method' | 'account'>, segment: Segment | null, input: DecisionInput): DecideResponse {
  const account = resolution.account && { domain: resolution.account.domain, name: resolution.account.name };
  const body: DecideResponse = {
    site: config.site,
    version: config.version,
    method: resolution.method,
    account,
    segment: segment && { id: segment.id, name: segment.name },
    changes: segment ? selectChanges(config, segment, input) : [],
  };
  if (!segment) body.reason = 'no segment matched';
  return body;
}
