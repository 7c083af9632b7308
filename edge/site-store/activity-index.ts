import { DAY_MS } from '../../shared/rules/behaviour';

/**
 * A site's index of the accounts that have recorded activity, kept by its SiteStore and updated by
 * the accounts' AccountActivity objects (on their first view, then at most daily, and when their last
 * view expires). Segment counts visit the activity of these accounts only, never every account.
 */

export function noteActive(sql: SqlStorage, domain: string, at: number): void {
  sql.exec(
    'INSERT INTO active_accounts (domain, last_seen) VALUES (?, ?) ON CONFLICT (domain) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)',
    domain, at,
  );
}

export const forgetActive = (sql: SqlStorage, domain: string) => void sql.exec('DELETE FROM active_accounts WHERE domain = ?', domain);

/**
 * The most recently active accounts (at most `limit`) and how many there are. Entries not refreshed
 * for longer than the retention (an object that could not say it emptied) are dropped first.
 */
export function activeAccounts(sql: SqlStorage, now: number, retentionDays: number, limit: number): { domains: string[]; total: number } {
  sql.exec('DELETE FROM active_accounts WHERE last_seen < ?', now - (retentionDays + 1) * DAY_MS);
  const domains = sql
    .exec<{ domain: string }>('SELECT domain FROM active_accounts ORDER BY last_seen DESC LIMIT ?', limit)
    .toArray()
    .map((r) => r.domain);
  const total = sql.exec<{ n: number }>('SELECT count(*) AS n FROM active_accounts').one().n;
  return { domains, total };
}

/** Every indexed account in domain order, a page at a time (erasure visits them all); `next` continues after the page. */
export function activeAccountsAfter(sql: SqlStorage, after: string, limit: number): { domains: string[]; next: string | null } {
  const domains = sql
    .exec<{ domain: string }>('SELECT domain FROM active_accounts WHERE domain > ? ORDER BY domain LIMIT ?', after, limit + 1)
    .toArray()
    .map((r) => r.domain);
  const page = domains.slice(0, limit);
  return { domains: page, next: domains.length > limit ? page.at(-1)! : null };
}
