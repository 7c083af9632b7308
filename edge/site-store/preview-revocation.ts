/**
 * One value per site: preview links issued (claims `iat`, epoch seconds) before it are void; 0 while
 * none was revoked. Kept in the SiteStore, which every preview decision reads anyway for the draft,
 * so a revocation holds at once, everywhere.
 */
import { getMeta, setMeta } from './meta';

const KEY = 'previews_revoked_before';

export const previewsRevokedBefore = (sql: SqlStorage): number =>
  Number(getMeta(sql, KEY) ?? 0);

/** Voids every link issued up to now, this second's too (a link issued afterwards is stamped no earlier, see preview-routes.ts). */
export function revokePreviews(sql: SqlStorage, nowMs: number): number {
  const before = Math.max(previewsRevokedBefore(sql), Math.floor(nowMs / 1000) + 1);
  setMeta(sql, KEY, String(before));
  return before;
}
