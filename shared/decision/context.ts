import type { Account, ActivityDigest } from '../schemas';

/** What a rule can see about this page view besides the account. */
export interface VisitContext {
  path: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  referrer_host?: string;
  country?: string;
}

export interface DecisionInput {
  account: Account | null;
  visit: VisitContext;
  /** Who the visitor is within the account, as the page said (`pz('identify', { role })`): a claim, used only to choose content. */
  visitor?: { role?: string };
  /** The digest of the account's (or anonymous visitor's) recorded activity; absent: behavioural conditions do not hold. */
  activity?: ActivityDigest;
  /** The decision time (epoch ms) behavioural and intent windows count back from; without it neither holds. */
  now?: number;
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

/** Builds the visit context from the page URL, referrer and the edge's country. Never throws. */
export function visitContext(pageUrl: URL, referrer: string | undefined, country: string | undefined): VisitContext {
  const visit: VisitContext = { path: pageUrl.pathname };
  for (const key of UTM_KEYS) {
    const value = pageUrl.searchParams.get(key);
    if (value) visit[key] = value.slice(0, 200).toLowerCase();
  }
  if (referrer) {
    try {
      visit.referrer_host = new URL(referrer).hostname.toLowerCase();
    } catch {
      // an unparsable referrer is simply absent
    }
  }
  if (country) visit.country = country.toUpperCase();
  return visit;
}
