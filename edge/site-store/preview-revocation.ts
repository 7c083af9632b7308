/**
 * One value per site: preview links issued (claims `iat`, epoch seconds) before it are void; 0 while
 * none was revoked. Kept in the SiteStore, which every preview decision reads anyway for the draft,
 * so a revocation holds at once, everywhere.
 */
const KEY = 'previews_revoked_before';

export const previewsRevokedBefore = (sql: SqlStorage): number =>
  Number(sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', KEY).toArray()[0]?.value ?? 0);

/** Voids every link issued up to now, this second's too (a link issued afterwards is stamped no earlier, see preview-routes.ts). */
export function revokePreviews(sql: SqlStorage, nowMs: number): number {
  const before = Math.max(previewsRevokedBefore(sql), Math.floor(nowMs / 1000) + 1);
  sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', KEY, String(before));
  return before;
}
