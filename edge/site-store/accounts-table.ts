import type { Account, AccountPage } from '../../shared/schemas';
import { ipRangeParts, orgNamesOf } from '../../shared/kv/entries';

/** Row access for accounts and the two indexes derived from them (IP-range buckets, org names). */

/** Buckets and org names whose read-copy values an account change may alter. */
export interface Touched {
  buckets: Set<string>;
  orgNames: Set<string>;
}

export const nothingTouched = (): Touched => ({ buckets: new Set(), orgNames: new Set() });

function touchExisting(sql: SqlStorage, domain: string, touched: Touched): void {
  for (const r of sql.exec<{ bucket: string }>('SELECT DISTINCT bucket FROM ip_ranges WHERE domain = ?', domain)) touched.buckets.add(r.bucket);
  for (const r of sql.exec<{ name: string }>('SELECT name FROM org_names WHERE domain = ?', domain)) touched.orgNames.add(r.name);
}

/** Inserts or replaces an account with its ranges and names. Ranges were validated by the caller; invalid ones are skipped. */
export function upsertAccount(sql: SqlStorage, account: Account, touched: Touched): void {
  const { domain } = account;
  touchExisting(sql, domain, touched);
  sql.exec(
    'INSERT INTO accounts (domain, search, data) VALUES (?, ?, ?) ON CONFLICT (domain) DO UPDATE SET search = excluded.search, data = excluded.data',
    domain, `${domain} ${account.name}`.toLowerCase(), JSON.stringify(account),
  );
  sql.exec('DELETE FROM ip_ranges WHERE domain = ?', domain);
  for (const { bucket, entry, prefix } of ipRangeParts(account).parts) {
    sql.exec('INSERT INTO ip_ranges (bucket, range_start, range_end, prefix, domain) VALUES (?, ?, ?, ?, ?)', bucket, entry[0], entry[1], prefix, domain);
    touched.buckets.add(bucket);
  }
  const names = orgNamesOf(account);
  // Unchanged names keep their rows (and so their place: the first account to claim a name keeps it).
  for (const r of sql.exec<{ name: string }>('SELECT name FROM org_names WHERE domain = ?', domain).toArray())
    if (!names.includes(r.name)) sql.exec('DELETE FROM org_names WHERE name = ? AND domain = ?', r.name, domain);
  for (const name of names) {
    sql.exec('INSERT OR IGNORE INTO org_names (name, domain) VALUES (?, ?)', name, domain);
    touched.orgNames.add(name);
  }
}

/** Rewrites an account's record where nothing its indexes derive from (ranges, names) changed: its intent scores. */
export function replaceAccountData(sql: SqlStorage, account: Account): void {
  sql.exec('UPDATE accounts SET data = ? WHERE domain = ?', JSON.stringify(account), account.domain);
}

export function deleteAccount(sql: SqlStorage, domain: string, touched: Touched): boolean {
  touchExisting(sql, domain, touched);
  sql.exec('DELETE FROM ip_ranges WHERE domain = ?', domain);
  sql.exec('DELETE FROM org_names WHERE domain = ?', domain);
  return sql.exec('DELETE FROM accounts WHERE domain = ?', domain).rowsWritten > 0;
}

const parse = (data: string) => JSON.parse(data) as Account;

export function getAccount(sql: SqlStorage, domain: string): Account | null {
  const row = sql.exec<{ data: string }>('SELECT data FROM accounts WHERE domain = ?', domain).toArray()[0];
  return row ? parse(row.data) : null;
}

export const hasAccount = (sql: SqlStorage, domain: string) => sql.exec('SELECT 1 FROM accounts WHERE domain = ?', domain).toArray().length > 0;

/** A page of accounts in domain order; `q` matches a substring of the domain or name, case-insensitively. */
export function searchAccounts(sql: SqlStorage, q: string, limit: number, after: string | null): AccountPage {
  const needle = q.trim().toLowerCase();
  const rows = sql
    .exec<{ domain: string; data: string }>(
      'SELECT domain, data FROM accounts WHERE instr(search, ?) > 0 AND domain > ? ORDER BY domain LIMIT ?',
      needle, after ?? '', limit + 1,
    )
    .toArray();
  const page = rows.slice(0, limit);
  const total = sql.exec<{ n: number }>('SELECT count(*) AS n FROM accounts WHERE instr(search, ?) > 0', needle).one().n;
  return { accounts: page.map((r) => parse(r.data)), next: rows.length > limit ? page.at(-1)!.domain : null, total };
}

export const countAccounts = (sql: SqlStorage): number => sql.exec<{ n: number }>('SELECT count(*) AS n FROM accounts').one().n;

/** Every account, one at a time (a site may hold more than fit in memory at once as objects). */
export function* eachAccount(sql: SqlStorage): Generator<Account> {
  for (const row of sql.exec<{ data: string }>('SELECT data FROM accounts')) yield parse(row.data);
}

/** The free-form attribute names in use, sorted: the extra columns of a CSV export. */
export function attributeKeys(sql: SqlStorage): string[] {
  return sql
    .exec<{ key: string }>("SELECT DISTINCT j.key AS key FROM accounts, json_each(accounts.data, '$.attributes') AS j ORDER BY key")
    .toArray()
    .map((r) => r.key);
}
