/**
 * What a site's SiteStore keeps for the tag check: per page origin, the last page view the edge saw
 * (allowed) or refused (an origin the site does not allow), at most once a minute per origin and
 * isolate (edge/tag-check/note.ts). Refused origins are capped, since anyone can send any Origin.
 */
export const MAX_REFUSED_ORIGINS = 20;

export type TagSighting = {
  origin: string;
  status: 'seen' | 'refused';
  at: number;
  /** The page's path (no query string: it may carry campaign or personal data). */
  path: string;
  /** The snippet's build and the tag's version, when the snippet reports them. */
  snippet: string | null;
  tag: string | null;
};

export const TAG_TABLE = `CREATE TABLE IF NOT EXISTS tag_sightings (
  origin TEXT PRIMARY KEY, status TEXT NOT NULL, at INTEGER NOT NULL, path TEXT NOT NULL, snippet TEXT, tag TEXT)`;

export function noteSighting(sql: SqlStorage, s: TagSighting): void {
  sql.exec(
    `INSERT INTO tag_sightings (origin, status, at, path, snippet, tag) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (origin) DO UPDATE SET status = excluded.status, at = excluded.at, path = excluded.path, snippet = excluded.snippet, tag = excluded.tag
     WHERE excluded.at >= tag_sightings.at`,
    s.origin, s.status, s.at, s.path, s.snippet, s.tag,
  );
  if (s.status === 'refused')
    sql.exec(
      "DELETE FROM tag_sightings WHERE status = 'refused' AND origin NOT IN (SELECT origin FROM tag_sightings WHERE status = 'refused' ORDER BY at DESC LIMIT ?)",
      MAX_REFUSED_ORIGINS,
    );
}

export function sightings(sql: SqlStorage): TagSighting[] {
  return sql.exec<TagSighting>('SELECT origin, status, at, path, snippet, tag FROM tag_sightings ORDER BY at DESC').toArray();
}
