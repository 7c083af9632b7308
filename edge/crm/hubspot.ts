import { readJsonCapped } from '../http/read-capped';
import { retryAfterSeconds } from '../http/retry-after';
import type { CrmRecord, PageFailure as Failure } from './sync';
import type { BatchResult } from './write-back';

/** HubSpot's CRM v3 API (https://developers.hubspot.com/docs/api/crm/search). */
export const HUBSPOT_API = 'https://api.hubapi.com';
/** Results per search page: the search endpoint's maximum. */
export const PAGE_SIZE = 200;
/** The search endpoint pages at most this far into one query (`after` + `limit` ≤ 10,000); past it, the next date window. */
export const SEARCH_CAP = 10_000;
/** Search requests are limited per account to a few per second: at least this much between two. */
export const MIN_GAP_MS = 300;
const MAX_BODY = 4 * 1024 * 1024;

export type SearchPage = { ok: true; records: CrmRecord[]; next: string | null; total: number } | Failure;

/**
 * A POST to the API with the private app's token, its JSON answer read (capped). A 429 carries how long
 * to wait (Retry-After, else HubSpot's secondly policy: 1 s); a status outside `ok` is a failure with
 * HubSpot's message.
 */
async function post(base: string, token: string, path: string, body: unknown, ok: number[]): Promise<{ ok: true; status: number; body: unknown } | Failure> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    return { ok: false, status: 0, why: `HubSpot unreachable (${err instanceof Error ? err.name : 'error'})` };
  }
  // too large reads as not the documented shape
  const answer = (await readJsonCapped(res, MAX_BODY))?.body;
  // HubSpot's secondly policy: a second when it says nothing
  if (res.status === 429) return { ok: false, status: 429, retryAfterSeconds: retryAfterSeconds(res.headers.get('retry-after'), 1, 60), why: 'HubSpot rate limit (429)' };
  if (!ok.includes(res.status)) {
    const message = (answer as { message?: unknown } | undefined)?.message;
    return { ok: false, status: res.status, why: `HubSpot answered ${res.status}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}` };
  }
  return { ok: true, status: res.status, body: answer };
}

/**
 * One page of companies or deals modified at or after `since` (epoch ms), oldest first:
 * `POST /crm/v3/objects/<object>/search` with a `hs_lastmodifieddate GTE` filter, sorted ascending,
 * `limit` 200 and the paging cursor `after`; answered `{total, results: [{id, properties, …}], paging}`.
 * 5xx, a refused token and a body that is not the documented shape are failures.
 */
export async function searchObjects(base: string, token: string, object: 'companies' | 'deals', since: number, after: string | null, properties: string[]): Promise<SearchPage> {
  const res = await post(
    base,
    token,
    `/crm/v3/objects/${object}/search`,
    {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: [...new Set([...properties, 'hs_lastmodifieddate'])],
      limit: PAGE_SIZE,
      ...(after !== null && { after }),
    },
    [200],
  );
  if (!res.ok) return res;
  const page = res.body as { total?: unknown; results?: unknown; paging?: { next?: { after?: unknown } } } | undefined;
  if (!page || !Array.isArray(page.results)) return { ok: false, status: 200, why: 'HubSpot answered without a results list' };
  const records: CrmRecord[] = [];
  for (const r of page.results as { id?: unknown; properties?: unknown; updatedAt?: unknown }[]) {
    if (typeof r?.id !== 'string' || typeof r.properties !== 'object' || r.properties === null) continue;
    const fields = r.properties as Record<string, string | null>;
    const modified = Date.parse(String(fields.hs_lastmodifieddate ?? r.updatedAt ?? ''));
    records.push({ id: r.id, fields, modifiedAt: Number.isFinite(modified) ? modified : since });
  }
  const next = page.paging?.next?.after;
  return { ok: true, records, next: typeof next === 'string' && next ? next : null, total: typeof page.total === 'number' ? page.total : records.length };
}

/** The deal → company association type HubSpot defines for a deal's primary company. */
export const PRIMARY_COMPANY_TYPE_ID = 5;

/**
 * The company of each deal: `POST /crm/v4/associations/deals/companies/batch/read` with
 * `{inputs: [{id}]}` (at most 1,000), answered `{status, results: [{from: {id}, to: [{toObjectId,
 * associationTypes: [{category, typeId, label}]}]}]}`; 207 when some deals have none (their
 * NO_ASSOCIATIONS_FOUND errors). The primary company (type 5) if the deal has one, else the first.
 */
export async function dealCompanies(base: string, token: string, dealIds: string[]): Promise<{ ok: true; companies: Map<string, string> } | Failure> {
  const companies = new Map<string, string>();
  if (!dealIds.length) return { ok: true, companies };
  const res = await post(base, token, '/crm/v4/associations/deals/companies/batch/read', { inputs: dealIds.map((id) => ({ id })) }, [200, 207]);
  if (!res.ok) return res;
  const results = (res.body as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return { ok: false, status: res.status, why: 'HubSpot answered the associations read without a results list' };
  for (const r of results as { from?: { id?: unknown }; to?: { toObjectId?: unknown; associationTypes?: { typeId?: unknown }[] }[] }[]) {
    const deal = r?.from?.id;
    const to = Array.isArray(r?.to) ? r.to.filter((t) => typeof t?.toObjectId === 'string' || typeof t?.toObjectId === 'number') : [];
    if ((typeof deal !== 'string' && typeof deal !== 'number') || !to.length) continue;
    const primary = to.find((t) => Array.isArray(t.associationTypes) && t.associationTypes.some((a) => a?.typeId === PRIMARY_COMPANY_TYPE_ID));
    companies.set(String(deal), String((primary ?? to[0])!.toObjectId));
  }
  return { ok: true, companies };
}

/** Companies per batch update: the batch endpoints' maximum. */
export const BATCH_LIMIT = 100;

/**
 * Writes properties of up to 100 companies: `POST /crm/v3/objects/companies/batch/update` with
 * `{inputs: [{id, properties}]}`, answered 200 `{status: 'COMPLETE', results}` or 207 with
 * `errors: [{status: 'error', category, message, context: {ids: […]}}]` for the records it refused.
 */
export async function updateCompanies(base: string, token: string, updates: { id: string; properties: Record<string, string> }[]): Promise<BatchResult> {
  const res = await post(base, token, '/crm/v3/objects/companies/batch/update', { inputs: updates }, [200, 207]);
  if (!res.ok) return res;
  const body = res.body as { errors?: unknown; status?: unknown } | undefined;
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
