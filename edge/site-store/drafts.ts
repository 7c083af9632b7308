import type { Draft, SiteConfig, VersionInfo } from '../../shared/schemas';

/** Row access for drafts and published versions. Stored configs were validated before they were written. */

type DraftRow = { revision: number; config: string; updated_at: string; updated_by: string };
type VersionRow = {
  version: number;
  config: string;
  published_at: string;
  published_by: string;
  summary: string;
  rolled_back_from: number | null;
};

export interface Version {
  info: VersionInfo;
  config: SiteConfig;
}

const toDraft = (r: DraftRow): Draft => ({ revision: r.revision, config: JSON.parse(r.config) as SiteConfig, updatedAt: r.updated_at, updatedBy: r.updated_by });

function toInfo(r: Omit<VersionRow, 'config'>): VersionInfo {
  const info: VersionInfo = { version: r.version, publishedAt: r.published_at, publishedBy: r.published_by, summary: r.summary };
  if (r.rolled_back_from !== null) info.rolledBackFrom = r.rolled_back_from;
  return info;
}

export function currentDraft(sql: SqlStorage): Draft | null {
  const row = sql.exec<DraftRow>('SELECT revision, config, updated_at, updated_by FROM drafts ORDER BY revision DESC LIMIT 1').toArray()[0];
  return row ? toDraft(row) : null;
}

/** A saved revision (every one is kept). */
export function draftAt(sql: SqlStorage, revision: number): Draft | null {
  const row = sql.exec<DraftRow>('SELECT revision, config, updated_at, updated_by FROM drafts WHERE revision = ?', revision).toArray()[0];
  return row ? toDraft(row) : null;
}

export function appendDraft(sql: SqlStorage, draft: Draft): Draft {
  sql.exec('INSERT INTO drafts (revision, config, updated_at, updated_by) VALUES (?, ?, ?, ?)', draft.revision, JSON.stringify(draft.config), draft.updatedAt, draft.updatedBy);
  return draft;
}

function version(sql: SqlStorage, where: string, ...bindings: unknown[]): Version | null {
  const row = sql.exec<VersionRow>(`SELECT * FROM versions ${where} LIMIT 1`, ...bindings).toArray()[0];
  return row ? { info: toInfo(row), config: JSON.parse(row.config) as SiteConfig } : null;
}

export const liveVersion = (sql: SqlStorage) => version(sql, 'ORDER BY version DESC');
export const versionNumbered = (sql: SqlStorage, n: number) => version(sql, 'WHERE version = ?', n);

/** Newest first. */
export function listVersions(sql: SqlStorage): VersionInfo[] {
  return sql
    .exec<Omit<VersionRow, 'config'>>('SELECT version, published_at, published_by, summary, rolled_back_from FROM versions ORDER BY version DESC')
    .toArray()
    .map(toInfo);
}

export function insertVersion(sql: SqlStorage, info: VersionInfo, config: SiteConfig): VersionInfo {
  sql.exec(
    'INSERT INTO versions (version, config, published_at, published_by, summary, rolled_back_from) VALUES (?, ?, ?, ?, ?, ?)',
    info.version, JSON.stringify(config), info.publishedAt, info.publishedBy, info.summary, info.rolledBackFrom ?? null,
  );
  return info;
}
