import type { Draft, SiteConfig, VersionInfo } from '../../shared/schemas';
import { diffSummary, sameContent } from '../../shared/admin/diff-summary';
import { kvKeys } from '../../shared/kv/keys';
import { appendDraft, currentDraft, insertVersion, liveVersion, versionNumbered } from './drafts';
import { archivedAt } from './archive';
import { enqueue } from './outbox';
import { redactAlerts } from '../../shared/alerts/secrets';

/**
 * Draft → publish → rollback, each a synchronous step run inside one SQLite transaction, so two
 * admins racing can never both win: the loser gets `stale` with the draft that beat them.
 */

export interface Edit {
  site: string;
  actor: string;
  /** ISO time of the request. */
  at: string;
}

export type Stale = { status: 'stale'; current: Draft };

/** A draft as it leaves the store for a client: the alert webhook URLs redacted (shared/alerts/secrets.ts). */
const forClient = (draft: Draft): Draft => ({ ...draft, config: redactAlerts(draft.config) });
export type Missing = { status: 'missing' };

export interface DraftState {
  draft: Draft;
  live: VersionInfo | null;
  unpublished: boolean;
  /** When the site was archived (not served); null while it is served. */
  archivedAt: string | null;
}

export function draftState(sql: SqlStorage): DraftState | null {
  const draft = currentDraft(sql);
  if (!draft) return null;
  const live = liveVersion(sql);
  return { draft: forClient(draft), live: live?.info ?? null, unpublished: !live || !sameContent(live.config, draft.config), archivedAt: archivedAt(sql) };
}

/** A site the edge already serves becomes editable: its KV config is the first draft and the live version. */
export function adoptLiveConfig(sql: SqlStorage, config: SiteConfig, edit: Edit): void {
  if (currentDraft(sql)) return;
  appendDraft(sql, { revision: 1, config, updatedAt: edit.at, updatedBy: edit.actor });
  if (config.version >= 1)
    insertVersion(sql, { version: config.version, publishedAt: edit.at, publishedBy: edit.actor, summary: 'adopted from the edge' }, config);
}

/** Saves over `baseRevision`; baseRevision 0 on a site with no draft creates it. */
export function saveDraft(sql: SqlStorage, baseRevision: number, config: SiteConfig, edit: Edit): { status: 'saved'; draft: Draft } | Stale | Missing {
  const current = currentDraft(sql);
  if (!current && baseRevision !== 0) return { status: 'missing' };
  if (current && current.revision !== baseRevision) return { status: 'stale', current: forClient(current) };
  const draft = appendDraft(sql, { revision: baseRevision + 1, config, updatedAt: edit.at, updatedBy: edit.actor });
  return { status: 'saved', draft };
}

function release(sql: SqlStorage, site: string, config: SiteConfig, info: VersionInfo): VersionInfo {
  const published = { ...config, version: info.version };
  if (archivedAt(sql) === null) enqueue(sql, kvKeys.config(site), JSON.stringify(published));
  return insertVersion(sql, info, published);
}

/** Publishing a draft identical to the live version publishes nothing and answers the live version (a double click). */
export function publish(sql: SqlStorage, baseRevision: number, edit: Edit): { status: 'published'; version: VersionInfo } | Stale | Missing {
  const draft = currentDraft(sql);
  if (!draft) return { status: 'missing' };
  if (draft.revision !== baseRevision) return { status: 'stale', current: forClient(draft) };
  const live = liveVersion(sql);
  if (live && sameContent(live.config, draft.config)) return { status: 'published', version: live.info };
  const info: VersionInfo = {
    version: (live?.info.version ?? 0) + 1,
    publishedAt: edit.at,
    publishedBy: edit.actor,
    summary: diffSummary(live?.config ?? null, draft.config),
  };
  return { status: 'published', version: release(sql, edit.site, draft.config, info) };
}

export type RollbackResult = { status: 'published'; version: VersionInfo } | Missing | { status: 'unknown-version' } | { status: 'already-live' };

/** Re-publishes an earlier version as a new one, and makes it the draft (a new revision, so stale editors get 409). */
export function rollback(sql: SqlStorage, target: number, edit: Edit): RollbackResult {
  const draft = currentDraft(sql);
  if (!draft) return { status: 'missing' };
  const earlier = versionNumbered(sql, target);
  const live = liveVersion(sql);
  if (!earlier || !live) return { status: 'unknown-version' };
  if (earlier.info.version === live.info.version) return { status: 'already-live' };
  const info: VersionInfo = {
    version: live.info.version + 1,
    publishedAt: edit.at,
    publishedBy: edit.actor,
    summary: `rollback to v${target}: ${diffSummary(live.config, earlier.config)}`,
    rolledBackFrom: target,
  };
  const version = release(sql, edit.site, earlier.config, info);
  appendDraft(sql, { revision: draft.revision + 1, config: { ...earlier.config, version: info.version }, updatedAt: edit.at, updatedBy: edit.actor });
  return { status: 'published', version };
}
