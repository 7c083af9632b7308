import { type Draft, EditorDraft, ErrorBody, type SiteConfig, StaleWrite } from '../../shared/schemas';

/** The editor's calls to the edge (`/v1/editor/*`, CORS), authorised by the edit token only. */

export type Answer =
  | { kind: 'ok'; body: EditorDraft }
  | { kind: 'stale'; current: Draft }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'error'; message: string };

export interface Connection {
  edge: string;
  site: string;
  token: string;
}

async function call(conn: Connection, method: 'GET' | 'PUT', body?: unknown): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`${conn.edge}/v1/editor/draft?site=${encodeURIComponent(conn.site)}`, {
      method,
      headers: { authorization: `Bearer ${conn.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'error', message: 'The edge could not be reached (or refused this page’s origin).' };
  }
  const json: unknown = await res.json().catch(() => null);
  const err = ErrorBody.safeParse(json);
  const issues = err.success ? (err.data.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ') : '';
  if (res.status === 401) return { kind: 'unauthorized', message: err.success ? (err.data.issues?.[0]?.message ?? err.data.error) : 'The edit link is not valid.' };
  const stale = StaleWrite.safeParse(json);
  if (res.status === 409 && stale.success) return { kind: 'stale', current: stale.data.current };
  const ok = EditorDraft.safeParse(json);
  if (res.ok && ok.success) return { kind: 'ok', body: ok.data };
  return { kind: 'error', message: `The edge answered ${res.status}${err.success ? `: ${err.data.error}` : ''}${issues ? ` (${issues})` : ''}.` };
}

export const loadDraft = (conn: Connection) => call(conn, 'GET');

export const saveDraft = (conn: Connection, baseRevision: number, config: SiteConfig) => call(conn, 'PUT', { site: conn.site, baseRevision, config });
