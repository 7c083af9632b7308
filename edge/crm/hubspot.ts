import { readCapped } from '../http/read-capped';
import type { CrmRecord } from './sync';

/** HubSpot's CRM v3 API (https://developers.hubspot.com/docs/api/crm/search). */
export const HUBSPOT_API = 'https://api.hubapi.com';
/** Results per search page: the search endpoint's maximum. */
export const PAGE_SIZE = 200;
/** The search endpoint pages at most this far into one query (`after` + `limit` ≤ 10,000); past it, the next date window. */
export const SEARCH_CAP = 10_000;
/** Search requests are limited per account to a few per second: at least this much between two. */
export const MIN_GAP_MS = 300;
const MAX_BODY = 4 * 1024 * 1024;

export type SearchPage = { ok: true; companies: CrmRecord[]; next: string | null; total: number } | { ok: false; status: number; retryAfterSeconds?: number; why: string };

/**
 * One page of companies modified at or after `since` (epoch ms), oldest first:
 * `POST /crm/v3/objects/companies/search` with a `hs_lastmodifieddate GTE` filter, sorted ascending,
 * `limit` 200 and the paging cursor `after`. A 429 carries how long to wait (Retry-After, else HubSpot's
 * secondly policy: 1 s); 5xx, a refused token and a body that is not the documented shape are failures.
 */
export async function searchCompanies(base: string, token: string, since: number, after: string | null, properties: string[]): Promise<SearchPage> {
  let res: Response;
  try {
    res = await fetch(`${base}/crm/v3/objects/companies/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] }],
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
        properties: [...new Set([...properties, 'hs_lastmodifieddate'])],
        limit: PAGE_SIZE,
        ...(after !== null && { after }),
      }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    return { ok: false, status: 0, why: `HubSpot unreachable (${err instanceof Error ? err.name : 'error'})` };
  }
  const bytes = res.body ? await readCapped(res.body, MAX_BODY) : new Uint8Array();
  let body: unknown;
  try {
    body = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  } catch {
    body = undefined;
  }
  if (res.status === 429) {
    const header = Number(res.headers.get('retry-after'));
    return { ok: false, status: 429, retryAfterSeconds: Number.isFinite(header) && header > 0 ? Math.min(header, 60) : 1, why: 'HubSpot rate limit (429)' };
  }
  if (res.status !== 200) {
    const message = typeof (body as { message?: unknown })?.message === 'string' ? `: ${(body as { message: string }).message.slice(0, 200)}` : '';
    return { ok: false, status: res.status, why: `HubSpot answered ${res.status}${message}` };
  }
  const page = body as { total?: unknown; results?: unknown; paging?: { next?: { after?: unknown } } };
  if (!page || !Array.isArray(page.results)) return { ok: false, status: 200, why: 'HubSpot answered without a results list' };
  const companies: CrmRecord[] = [];
  for (const r of page.results as { id?: unknown; properties?: unknown; updatedAt?: unknown }[]) {
    if (typeof r?.id !== 'string' || typeof r.properties !== 'object' || r.properties === null) continue;
    const properties = r.properties as Record<string, string | null>;
    const modified = Date.parse(String(properties.hs_lastmodifieddate ?? r.updatedAt ?? ''));
    companies.push({ id: r.id, fields: properties, modifiedAt: Number.isFinite(modified) ? modified : since });
  }
  const next = page.paging?.next?.after;
  return { ok: true, companies, next: typeof next === 'string' && next ? next : null, total: typeof page.total === 'number' ? page.total : companies.length };
}

/** Companies per batch update: the batch endpoints' maximum. */
export const BATCH_LIMIT = 100;

export type BatchUpdate = { ok: true; refused: Map<string, string> } | { ok: false; status: number; retryAfterSeconds?: number; why: string };

/**
 * Writes properties of up to 100 companies: `POST /crm/v3/objects/companies/batch/update` with
 * `{inputs: [{id, properties}]}`, answered 200 `{status: 'COMPLETE', results}` or 207 with
 * `errors: [{status: 'error', category, message, context: {ids: […]}}]` for the records it refused.
 */
export async function updateCompanies(base: string, token: string, updates: { id: string; properties: Record<string, string> }[]): Promise<BatchUpdate> {
  let res: Response;
  try {
    res = await fetch(`${base}/crm/v3/objects/companies/batch/update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: updates }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    return { ok: false, status: 0, why: `HubSpot unreachable (${err instanceof Error ? err.name : 'error'})` };
  }
  const bytes = res.body ? await readCapped(res.body, MAX_BODY) : new Uint8Array();
  let body: { message?: unknown; errors?: unknown; status?: unknown } | undefined;
  try {
    body = bytes?.length ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  } catch {
    body = undefined;
  }
  if (res.status === 429) {
    const header = Number(res.headers.get('retry-after'));
    return { ok: false, status: 429, retryAfterSeconds: Number.isFinite(header) && header > 0 ? Math.min(header, 60) : 1, why: 'HubSpot rate limit (429)' };
  }
  if (res.status !== 200 && res.status !== 207) {
    const message = typeof body?.message === 'string' ? `: ${body.message.slice(0, 200)}` : '';
    return { ok: false, status: res.status, why: `HubSpot answered ${res.status}${message}` };
  }
  if (!body || typeof body.status !== 'string') return { ok: false, status: res.status, why: 'HubSpot answered the batch update without a status' };
  const refused = new Map<string, string>();
  if (Array.isArray(body.errors))
    for (const e of body.errors as { category?: unknown; message?: unknown; context?: { ids?: unknown } }[]) {
      const why = `${typeof e?.category === 'string' ? e.category : 'error'}: ${typeof e?.message === 'string' ? e.message.slice(0, 200) : 'no reason given'}`;
      const ids = Array.isArray(e?.context?.ids) ? (e.context.ids as unknown[]) : [];
      for (const id of ids) if (typeof id === 'string') refused.set(id, why);
    }
  return { ok: true, refused };
}
