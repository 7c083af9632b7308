import { TAG_TABLE } from '../tag-check/tag-table';
import { WRITE_BACK_TABLES } from '../crm/write-back-table';

/**
 * The tables of a site's SiteStore. `CREATE ... IF NOT EXISTS` runs on every start; a later change
 * to a table gets its own statement here (SQLite has no migration runner in a Durable Object).
 */
const STATEMENTS = [
  // Every saved draft is kept: the latest revision is the draft, older ones are its history.
  `CREATE TABLE IF NOT EXISTS drafts (
     revision INTEGER PRIMARY KEY, config TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS versions (
     version INTEGER PRIMARY KEY, config TEXT NOT NULL, published_at TEXT NOT NULL, published_by TEXT NOT NULL,
     summary TEXT NOT NULL, rolled_back_from INTEGER)`,
  // `search`: lower-cased "domain name", for case-insensitive substring search.
  `CREATE TABLE IF NOT EXISTS accounts (domain TEXT PRIMARY KEY, search TEXT NOT NULL, data TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ip_ranges (
     bucket TEXT NOT NULL, range_start TEXT NOT NULL, range_end TEXT NOT NULL, prefix INTEGER NOT NULL, domain TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ip_ranges_by_bucket ON ip_ranges (bucket)`,
  `CREATE INDEX IF NOT EXISTS ip_ranges_by_domain ON ip_ranges (domain)`,
  `CREATE TABLE IF NOT EXISTS org_names (name TEXT NOT NULL, domain TEXT NOT NULL, PRIMARY KEY (name, domain))`,
  `CREATE INDEX IF NOT EXISTS org_names_by_domain ON org_names (domain)`,
  // KV writes not yet applied to the edge's read copy (value NULL = delete). A newer write to a key
  // replaces the pending one and gets a new seq, so a flush in flight never drops it.
  `CREATE TABLE IF NOT EXISTS kv_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value TEXT)`,
  // Per key, what keeps a queued write waiting (edge/site-store/outbox.ts; times are epoch ms): its last
  // successful write (KV takes one write per key per second), and its failed attempts with their backoff.
  `CREATE TABLE IF NOT EXISTS kv_key_state (
     key TEXT PRIMARY KEY, written_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, retry_at INTEGER,
     failing_since INTEGER, last_error TEXT)`,
  // Writes set aside after failing too often, so they hold up nothing; a new write to the key or a retry queues them again.
  `CREATE TABLE IF NOT EXISTS kv_stuck (
     key TEXT PRIMARY KEY, value TEXT, attempts INTEGER NOT NULL, last_error TEXT NOT NULL, since INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Accounts with recorded activity (edge/site-store/activity-index.ts); last_seen is epoch ms.
  `CREATE TABLE IF NOT EXISTS active_accounts (domain TEXT PRIMARY KEY, last_seen INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS active_accounts_by_time ON active_accounts (last_seen)`,
  TAG_TABLE,
  ...WRITE_BACK_TABLES,
];

export function migrate(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
}
