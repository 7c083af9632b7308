import { kvKeys } from '../../shared/kv/keys';
import { liveVersion } from './drafts';
import { deleteMeta, getMeta, setMeta } from './meta';
import { enqueue } from './outbox';

/**
 * An archived site is not served: its config is taken out of the edge's read copy, so decisions for
 * it answer "unknown site" and the snippet leaves the page as written. Everything else is kept; a
 * publish while archived becomes live only when the site is restored.
 */
const KEY = 'archived_at';

export const archivedAt = (sql: SqlStorage): string | null => getMeta(sql, KEY) ?? null;

export function setArchived(sql: SqlStorage, site: string, archived: boolean, at: string): void {
  if (archived === (archivedAt(sql) !== null)) return;
  if (archived) {
    setMeta(sql, KEY, at);
    enqueue(sql, kvKeys.config(site), null);
    return;
  }
  deleteMeta(sql, KEY);
  const live = liveVersion(sql);
  if (live) enqueue(sql, kvKeys.config(site), JSON.stringify(live.config));
}
