import type { Account, ActivityDigest, SiteConfig } from '../../shared/schemas';
import { decide } from '../../shared/decision/decide';

/** How many of `accounts` each of the config's segments matches (an account counts in every segment it matches). */
export function countSegments(config: SiteConfig, accounts: Iterable<{ account: Account; digest: ActivityDigest | null }>, now: number): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(config.segments.map((s) => [s.id, 0]));
  for (const { account, digest } of accounts) {
    const { matched } = decide({
      config,
      resolution: { method: 'link', confidence: 'verified', account }, // counts: the accounts that qualify
      visit: { path: '/' },
      activity: digest ? { status: 'ok', digest } : null,
      now,
      mode: 'explain',
    });
    for (const s of matched ?? []) counts[s.id]!++;
  }
  return counts;
}

/** The accounts not in `skip`, as having no activity. */
export function* withoutActivity(accounts: Iterable<Account>, skip: ReadonlySet<string>) {
  for (const account of accounts) if (!skip.has(account.domain)) yield { account, digest: null };
}
