import { DurableObject } from 'cloudflare:workers';
import type { ApiTokenInfo, AuditEntry, Grant, Member, Role, Scope } from '../../shared/schemas';
import type { Env } from '../env';

/** A token's last-used time is written at most this often (one write per use would make every call a write). */
const LAST_USED_RESOLUTION_MS = 60_000;
const AUDIT_KEEP = 10_000;

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS members (
     email TEXT NOT NULL, site TEXT NOT NULL, role TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
     PRIMARY KEY (email, site))`,
  // hash: hex SHA-256 of the whole token; the token itself is never stored.
  `CREATE TABLE IF NOT EXISTS api_tokens (
     id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, site TEXT NOT NULL, role TEXT NOT NULL,
     created_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT, revoked_at TEXT)`,
  `CREATE INDEX IF NOT EXISTS api_tokens_by_site ON api_tokens (site)`,
  `CREATE TABLE IF NOT EXISTS audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, site TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS audit_by_site ON audit (site, seq)`,
  // The sites the admin lists (each site's own data is in its SiteStore).
  `CREATE TABLE IF NOT EXISTS sites (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, archived_at TEXT)`,
];

type TokenRow = {
  id: string; name: string; site: string; role: Role; created_by: string; created_at: string;
  expires_at: string | null; last_used_at: string | null; revoked_at: string | null;
};

const tokenInfo = (r: TokenRow): ApiTokenInfo => ({
  id: r.id, name: r.name, site: r.site, role: r.role, createdBy: r.created_by, createdAt: r.created_at,
  expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

/**
 * Who may administer what: members (Access e-mails) with their grants, API tokens and the audit
 * trail. One object for the whole deployment (strongly consistent: a revoked token or removed
 * member is refused by the very next request, from any location).
 */
export class AdminDirectory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const s of STATEMENTS) this.sql.exec(s);
  }

  // ── Members ────────────────────────────────────────────────────────────────

  async grantsOf(email: string): Promise<Grant[]> {
    return this.sql.exec<Grant>('SELECT site, role FROM members WHERE email = ? ORDER BY site', email).toArray();
  }

  /** The members with a grant on `site`, and those with one on every site. */
  async members(site: Scope): Promise<Member[]> {
    return this.sql
      .exec<{ email: string; site: string; role: Role; added_by: string; added_at: string }>(
        "SELECT * FROM members WHERE site = ? OR site = '*' ORDER BY site = '*' DESC, email",
        site,
      )
      .toArray()
      .map((r) => ({ email: r.email, site: r.site, role: r.role, addedBy: r.added_by, addedAt: r.added_at }));
  }

  async setMember(email: string, site: Scope, role: Role, by: string): Promise<void> {
    this.sql.exec(
      'INSERT INTO members (email, site, role, added_by, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (email, site) DO UPDATE SET role = excluded.role',
      email, site, role, by, new Date().toISOString(),
    );
  }

  async removeMember(email: string, site: Scope): Promise<boolean> {
    return this.sql.exec('DELETE FROM members WHERE email = ? AND site = ?', email, site).rowsWritten > 0;
  }

  // ── API tokens ─────────────────────────────────────────────────────────────

  async createToken(row: { id: string; hash: string; name: string; site: string; role: Role; createdBy: string; expiresAt: string | null }): Promise<ApiTokenInfo> {
    this.sql.exec(
      'INSERT INTO api_tokens (id, hash, name, site, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      row.id, row.hash, row.name, row.site, row.role, row.createdBy, new Date().toISOString(), row.expiresAt,
    );
    return this.tokenById(row.id)!;
  }

  async tokens(site: string): Promise<ApiTokenInfo[]> {
    return this.sql.exec<TokenRow>('SELECT * FROM api_tokens WHERE site = ? ORDER BY created_at DESC', site).toArray().map(tokenInfo);
  }

  /** Revokes one of `site`'s tokens; false when it has no such token. Revoking twice keeps the first time. */
  async revokeToken(site: string, id: string): Promise<ApiTokenInfo | null> {
    this.sql.exec('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND site = ?', new Date().toISOString(), id, site);
    const info = this.tokenById(id);
    return info && info.site === site ? info : null;
  }

  /** The grant of a live token with this hash (recording its use); null for unknown, revoked or expired. */
  async useToken(hash: string, now = Date.now()): Promise<{ name: string; grant: Grant } | null> {
    const row = this.sql.exec<TokenRow>('SELECT * FROM api_tokens WHERE hash = ?', hash).toArray()[0];
    if (!row || row.revoked_at !== null) return null;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now) return null;
    if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS)
      this.sql.exec('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', new Date(now).toISOString(), row.id);
    return { name: row.name, grant: { site: row.site, role: row.role } };
  }

  // ── Sites ──────────────────────────────────────────────────────────────────

  /** Lists a site (again: its name is kept current). */
  async registerSite(id: string, name: string, by: string): Promise<void> {
    this.sql.exec(
      'INSERT INTO sites (id, name, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
      id, name, new Date().toISOString(), by,
    );
  }

  async setArchived(id: string, archivedAt: string | null): Promise<void> {
    this.sql.exec('UPDATE sites SET archived_at = ? WHERE id = ?', archivedAt, id);
  }

  /** Every listed site, by id. */
  async sites(): Promise<{ id: string; name: string; createdAt: string; createdBy: string; archivedAt: string | null }[]> {
    return this.sql
      .exec<{ id: string; name: string; created_at: string; created_by: string; archived_at: string | null }>('SELECT * FROM sites ORDER BY id')
      .toArray()
      .map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, createdBy: r.created_by, archivedAt: r.archived_at }));
  }

  // ── Audit trail ────────────────────────────────────────────────────────────

  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    this.sql.exec('INSERT INTO audit (at, actor, site, action, detail) VALUES (?, ?, ?, ?, ?)', new Date().toISOString(), entry.actor, entry.site, entry.action, entry.detail);
    this.sql.exec('DELETE FROM audit WHERE seq <= (SELECT max(seq) FROM audit) - ?', AUDIT_KEEP);
  }

  async audit(site: Scope, limit: number): Promise<AuditEntry[]> {
    return this.sql
      .exec<AuditEntry>('SELECT at, actor, site, action, detail FROM audit WHERE site = ? ORDER BY seq DESC LIMIT ?', site, limit)
      .toArray();
  }

  private tokenById(id: string): ApiTokenInfo | null {
    const row = this.sql.exec<TokenRow>('SELECT * FROM api_tokens WHERE id = ?', id).toArray()[0];
    return row ? tokenInfo(row) : null;
  }
}

/** The deployment's one directory. */
export const directory = (env: Pick<Env, 'ADMIN_DIRECTORY'>) => env.ADMIN_DIRECTORY.getByName('directory');
