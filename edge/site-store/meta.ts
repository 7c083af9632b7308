/** The SiteStore's `meta` table (schema.ts): one text value per key. */
export const getMeta = (sql: SqlStorage, key: string): string | undefined =>
  sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value;

export const setMeta = (sql: SqlStorage, key: string, value: string): void =>
  void sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);

export const deleteMeta = (sql: SqlStorage, key: string): void => void sql.exec('DELETE FROM meta WHERE key = ?', key);
