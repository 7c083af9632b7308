import type { VisitorErasure } from '../../shared/schemas';
import { activityName, digestKey } from '../activity/account-activity';
import type { Env } from '../env';

/**
 * Erasure of one visitor id (the snippet's random id) on a site:
 * - its anonymous activity (`<site>:v:<id>`, kept while no account was resolved) and that digest;
 * - its views inside accounts' activity: the accounts its measurement rows name, and every account
 *   of the site's activity index, INDEX_PAGE per call (the caller pages with `after`), each recounting
 *   its digest without them;
 * - its measurement rows in D1 (eraseMeasurement).
 * Accounts are done first: until D1 is anonymised it still names the accounts to look in, so an
 * erasure that fails part-way (ErasureIncomplete) can simply be asked again.
 *
 * Not reached: views another isolate recorded in the last two minutes and overlays in memory
 * (edge/activity/digest-store.ts), which expire on their own, and a visitor still browsing, who is
 * recorded anew (Global Privacy Control stops that).
 */

/** Accounts looked in per call: with the measured ones, a few hundred subrequests, as segment counts make. */
export const INDEX_PAGE = 400;
const MAX_MEASURED_ACCOUNTS = 100;
const PARALLEL = 50;

type ErasureEnv = Pick<Env, 'ACCOUNT_ACTIVITY' | 'SITE_STORE' | 'EVENTS_DB'>;

export class ErasureIncomplete extends Error {}

/** null: no such site. */
export async function eraseVisitorData(env: ErasureEnv, site: string, visitor: string, after = ''): Promise<VisitorErasure | null> {
  const page = await env.SITE_STORE.getByName(site).activeAccountsPage(site, after, INDEX_PAGE);
  if (!page) return null;
  const measured = await measuredAccounts(env.EVENTS_DB, site, visitor);
  const domains = [...new Set([...measured, ...page.domains])];
  const erased = await eraseFromAccounts(env, site, visitor, domains);
  const anonymous = { site, visitor };
  const anonymousViews = await env.ACCOUNT_ACTIVITY.getByName(activityName(anonymous)).erase(digestKey(anonymous));
  const measurement = await eraseMeasurement(env.EVENTS_DB, site, visitor);
  return {
    site,
    visitor,
    anonymousViews,
    accounts: { checked: domains.length, changed: erased.filter((n) => n > 0).length, views: erased.reduce((a, n) => a + n, 0) },
    measurement,
    next: page.next,
  };
}

/** Views erased per account; ErasureIncomplete when any account could not be reached. */
async function eraseFromAccounts(env: ErasureEnv, site: string, visitor: string, domains: string[]): Promise<number[]> {
  const erased: number[] = [];
  let failed = 0;
  for (let i = 0; i < domains.length; i += PARALLEL) {
    const batch = domains.slice(i, i + PARALLEL);
    const results = await Promise.allSettled(batch.map((domain) => env.ACCOUNT_ACTIVITY.getByName(activityName({ site, domain })).eraseVisitor(visitor)));
    for (const r of results) {
      if (r.status === 'fulfilled') erased.push(r.value);
      else {
        failed++;
        console.error('visitor erasure: account activity not reached', r.reason);
      }
    }
  }
  if (failed) throw new ErasureIncomplete(`the activity of ${failed} of ${domains.length} accounts could not be reached: ask again (what was erased stays erased)`);
  return erased;
}

/** The accounts the visitor's measurement events name (an account's activity holds its views too). */
async function measuredAccounts(db: D1Database, site: string, visitor: string): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT DISTINCT account FROM events WHERE site = ?1 AND visitor = ?2 AND account IS NOT NULL LIMIT ?3')
    .bind(site, visitor, MAX_MEASURED_ACCOUNTS)
    .all<{ account: string }>();
  return results.map((r) => r.account);
}

/**
 * Rows whose unit is the visitor (`v:<id>`: no account was resolved) are deleted, as an account's are
 * when it is deleted: a kept row would still carry the visitor's history.
 * Rows whose unit is an account but that carry the visitor (raw events and exposure roll-ups, kept per
 * visitor to count distinct visitors) are the account's measurement: deleting them would change the
 * account's results (a unit whose exposure goes no longer counts its conversions). They are anonymised:
 * the id is replaced by one random pseudonym per erasure (`erased:<uuid>`, never a valid visitor id,
 * stored nowhere else), so units, events and distinct-visitor counts stay as they were and nothing
 * leads back to the id. Conversion roll-ups carry no visitor.
 */
async function eraseMeasurement(db: D1Database, site: string, visitor: string): Promise<VisitorErasure['measurement']> {
  const pseudonym = `erased:${crypto.randomUUID()}`;
  const [events, exposures, conversions, anonEvents, anonExposures] = await db.batch([
    ...(['events', 'exposures', 'conversions'] as const).map((table) => db.prepare(`DELETE FROM ${table} WHERE site = ?1 AND unit = ?2`).bind(site, `v:${visitor}`)),
    ...(['events', 'exposures'] as const).map((table) => db.prepare(`UPDATE ${table} SET visitor = ?3 WHERE site = ?1 AND visitor = ?2`).bind(site, visitor, pseudonym)),
  ]);
  const changes = (r: D1Result | undefined) => r?.meta.changes ?? 0;
  return {
    deleted: { events: changes(events), exposures: changes(exposures), conversions: changes(conversions) },
    anonymised: { events: changes(anonEvents), exposures: changes(anonExposures) },
  };
}
