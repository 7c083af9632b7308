/**
 * The SiteStore's tables of CRM write-back (edge/crm/write-back.ts): which CRM record each synced
 * account is, and each account's current segment beside the one last written to the CRM.
 * `segment` '' is "in no segment"; `written` NULL is "nothing written yet".
 */
export const WRITE_BACK_TABLES = [
  `CREATE TABLE IF NOT EXISTS crm_records (domain TEXT PRIMARY KEY, crm_id TEXT NOT NULL)`,
  // the pipeline finds a deal's account by its CRM id (edge/crm/pipeline.ts)
  `CREATE INDEX IF NOT EXISTS crm_records_by_id ON crm_records (crm_id)`,
  `CREATE TABLE IF NOT EXISTS crm_segments (
     domain TEXT PRIMARY KEY, segment TEXT NOT NULL, entered_at INTEGER NOT NULL,
     written TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)`,
];

/** Refused this often, a change waits for the account's next change. */
export const MAX_ATTEMPTS = 5;

export interface PendingSegment {
  domain: string;
  crmId: string;
  segment: string;
  enteredAt: number;
}

/** Remembers the CRM record of each account a sync wrote. */
export function noteCrmRecords(sql: SqlStorage, records: { domain: string; crmId: string }[]): void {
  for (const r of records) sql.exec(`INSERT INTO crm_records (domain, crm_id) VALUES (?, ?) ON CONFLICT (domain) DO UPDATE SET crm_id = excluded.crm_id`, r.domain, r.crmId);
}

/**
 * The domain of each CRM record among `crmIds` the sync brought (one JSON parameter: a Durable
 * Object's queries take at most 100). Two domains of one record (its domain changed): the later noted.
 */
export function crmDomains(sql: SqlStorage, crmIds: string[]): Map<string, string> {
  const domains = new Map<string, string>();
  if (!crmIds.length) return domains;
  const rows = sql.exec<{ domain: string; crm_id: string }>(`SELECT domain, crm_id FROM crm_records WHERE crm_id IN (SELECT value FROM json_each(?)) ORDER BY rowid`, JSON.stringify([...new Set(crmIds)]));
  for (const r of rows) domains.set(r.crm_id, r.domain);
  return domains;
}

/** A deleted account is no CRM record's any more: later deals of its company are not its. */
export const forgetCrmRecord = (sql: SqlStorage, domain: string): void => void sql.exec(`DELETE FROM crm_records WHERE domain = ?`, domain);

/** The account's segment now; whether it changed (a new segment gets a new entry time and fresh attempts). */
export function noteSegment(sql: SqlStorage, domain: string, segment: string, now: number): boolean {
  const cursor = sql.exec(
    `INSERT INTO crm_segments (domain, segment, entered_at) VALUES (?, ?, ?)
     ON CONFLICT (domain) DO UPDATE SET segment = excluded.segment, entered_at = excluded.entered_at, attempts = 0, last_error = NULL
     WHERE crm_segments.segment != excluded.segment`,
    domain,
    segment,
    now,
  );
  return cursor.rowsWritten > 0;
}

/** Changes not yet in the CRM, oldest first: accounts the sync knows the record of, whose segment is not the one written ("none" is written only over a segment). */
const PENDING = `FROM crm_segments s JOIN crm_records r USING (domain)
  WHERE s.written IS NOT s.segment AND NOT (s.segment = '' AND s.written IS NULL) AND s.attempts < ${MAX_ATTEMPTS}`;

export function pendingSegments(sql: SqlStorage, limit: number): PendingSegment[] {
  return sql
    .exec<{ domain: string; crm_id: string; segment: string; entered_at: number }>(`SELECT s.domain, r.crm_id, s.segment, s.entered_at ${PENDING} ORDER BY s.entered_at LIMIT ?`, limit)
    .toArray()
    .map((r) => ({ domain: r.domain, crmId: r.crm_id, segment: r.segment, enteredAt: r.entered_at }));
}

export const pendingCount = (sql: SqlStorage): number => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n ${PENDING}`).one().n;

export function markWritten(sql: SqlStorage, rows: PendingSegment[]): void {
  // only if the segment is still the one sent: a change that arrived meanwhile stays pending
  for (const r of rows) sql.exec(`UPDATE crm_segments SET written = segment, attempts = 0, last_error = NULL WHERE domain = ? AND segment = ?`, r.domain, r.segment);
}

export function markRefused(sql: SqlStorage, row: PendingSegment, why: string): void {
  sql.exec(`UPDATE crm_segments SET attempts = attempts + 1, last_error = ? WHERE domain = ? AND segment = ?`, why.slice(0, 300), row.domain, row.segment);
}

/** The most recent refusals, for the admin. */
export function refusals(sql: SqlStorage): { id: string; field: string; message: string }[] {
  return sql
    .exec<{ crm_id: string | null; domain: string; last_error: string }>(
      `SELECT r.crm_id, s.domain, s.last_error FROM crm_segments s LEFT JOIN crm_records r USING (domain) WHERE s.last_error IS NOT NULL ORDER BY s.entered_at DESC LIMIT 50`,
    )
    .toArray()
    .map((r) => ({ id: r.crm_id ?? r.domain, field: 'segment', message: `${r.domain}: ${r.last_error}` }));
}

/** Another CRM (or another portal/org): its records are not the old one's, and every current segment is unwritten there. */
export function forgetCrmRecords(sql: SqlStorage): void {
  sql.exec(`DELETE FROM crm_records`);
  sql.exec(`UPDATE crm_segments SET written = NULL, attempts = 0, last_error = NULL`);
}
