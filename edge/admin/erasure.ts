import { activityName, digestKey } from '../activity/account-activity';
import { eraseAccountAlerts } from '../alerts/alerts-db';
import type { Env } from '../env';

/**
 * Erasure of a deleted account: its page views (the AccountActivity object and its KV digest), its
 * place in the site's activity index, and its measurement rows in D1 (raw events and roll-ups whose
 * unit is the account). The D1 rows are deleted, not anonymised: the unit is the account itself, and a
 * row kept under a random id would still carry its history (days, segments, arms, goals), so the
 * report's past figures lose that account's units instead. Its sales alerts (what they said, their
 * deliveries, the claims that dedupe them) go too, and so do the CRM deals / opportunities the
 * pipeline attributed to it (its SiteStore forgets its CRM record, so later ones are not its).
 */
export async function eraseAccountData(env: Pick<Env, 'ACCOUNT_ACTIVITY' | 'SITE_STORE' | 'EVENTS_DB'>, site: string, domain: string): Promise<void> {
  const key = { site, domain };
  const unit = `a:${domain}`;
  await Promise.all([
    env.ACCOUNT_ACTIVITY.getByName(activityName(key)).erase(digestKey(key)),
    env.SITE_STORE.getByName(site).forgetActivity(site, domain),
    env.EVENTS_DB.batch(
      [
        ...(['events', 'exposures', 'conversions'] as const).map((table) => env.EVENTS_DB.prepare(`DELETE FROM ${table} WHERE site = ?1 AND unit = ?2`).bind(site, unit)),
        env.EVENTS_DB.prepare('DELETE FROM opportunities WHERE site = ?1 AND account = ?2').bind(site, domain),
      ],
    ),
    eraseAccountAlerts(env.EVENTS_DB, site, domain),
  ]);
}
