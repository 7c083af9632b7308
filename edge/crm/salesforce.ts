import { readJsonCapped } from '../http/read-capped';
import { retryAfterSeconds } from '../http/retry-after';
import type { CrmRecord, PageFailure } from './sync';
import type { BatchResult } from './write-back';

/** The REST API version the sync speaks (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/). */
export const SALESFORCE_API_VERSION = 'v62.0';
/** Records per query: SOQL's default batch, so a query answers in one response. */
export const QUERY_LIMIT = 2000;
/** sObject Collections take at most this many records per request. */
export const COLLECTION_LIMIT = 200;
/** Past this share of the org's daily API requests (`Sforce-Limit-Info`), the sync pauses until its next schedule. */
const API_USAGE_CEILING = 0.9;
const MAX_BODY = 8 * 1024 * 1024;

/** A failed call; `expired`: the access token was refused (401), so a new one may be asked for. */
export type Failure = PageFailure & { expired?: boolean };

export interface SalesforceSession {
  accessToken: string;
  instanceUrl: string;
}

/**
 * OAuth 2.0 client-credentials flow: `POST <My Domain>/services/oauth2/token` with
 * `grant_type=client_credentials`, the connected app's consumer key and secret; answered
 * `{access_token, instance_url, token_type, issued_at, signature}`, or `{error, error_description}`.
 */
export async function salesforceToken(loginUrl: string, clientId: string, clientSecret: string, instanceAllowed: (url: URL) => boolean): Promise<{ ok: true; session: SalesforceSession } | Failure> {
  const res = await call(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  if (!res.ok) return res;
  const body = res.body as { access_token?: unknown; instance_url?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (res.status !== 200) {
    const detail = typeof body?.error === 'string' ? `: ${body.error}${typeof body.error_description === 'string' ? ` (${body.error_description.slice(0, 200)})` : ''}` : '';
    return { ok: false, status: res.status, retryAfterSeconds: res.retryAfterSeconds, why: `Salesforce refused the client credentials (${res.status}${detail})` };
  }
  if (typeof body?.access_token !== 'string' || typeof body.instance_url !== 'string') return { ok: false, status: 200, why: 'Salesforce answered the token request without access_token and instance_url' };
  let instance: URL;
  try {
    instance = new URL(body.instance_url);
  } catch {
    return { ok: false, status: 200, why: 'Salesforce answered an instance_url that is not a URL' };
  }
  if (!instanceAllowed(instance)) return { ok: false, status: 200, why: `Salesforce answered an instance_url this deploy does not call (${instance.origin})` };
  return { ok: true, session: { accessToken: body.access_token, instanceUrl: instance.origin } };
}

/** `full`: the query answered as many records as it asked for, so more may follow. */
export type QueryPage = { ok: true; records: CrmRecord[]; full: boolean; apiUsage: { used: number; limit: number } | null } | Failure;

/** Record ids are 15 or 18 letters and digits: checked before one goes into a query. */
export const RECORD_ID = /^[A-Za-z0-9]{15,18}$/;

/** A SOQL datetime literal (second precision, as Salesforce keeps LastModifiedDate). */
const soqlTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The records the sync reads: accounts, and opportunities for the report's Pipeline. */
export type SyncedObject = 'Account' | 'Opportunity';

/**
 * The SOQL of one page: records of `sobject` modified after (`since`, `afterId`) in (LastModifiedDate,
 * Id) order, the first page of a pass at or after `since`. Keyset paging needs no server-side cursor,
 * so a run may stop anywhere and the next one goes on from the last record it wrote.
 */
export function modifiedQuery(sobject: SyncedObject, fields: string[], since: number, afterId: string | null): string {
  const select = [...new Set(['Id', 'LastModifiedDate', ...fields])].join(', ');
  const at = soqlTime(since);
  const where = afterId && RECORD_ID.test(afterId) ? `(LastModifiedDate > ${at} OR (LastModifiedDate = ${at} AND Id > '${afterId}'))` : `LastModifiedDate >= ${at}`;
  return `SELECT ${select} FROM ${sobject} WHERE ${where} ORDER BY LastModifiedDate ASC, Id ASC LIMIT ${QUERY_LIMIT}`;
}

/** A Salesforce datetime (`2026-12-03T10:00:00.000+0000`) or date (`2026-12-03`, midnight UTC) as epoch ms; null if it is neither. */
export function salesforceTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * One page of records: `GET /services/data/vXX.X/query?q=<SOQL>`, answered `{totalSize, done,
 * records: [{attributes, Id, …}], nextRecordsUrl?}` (a further batch, if Salesforce split it, is read
 * too). Errors are `[{message, errorCode}]`: 401 INVALID_SESSION_ID (the token expired: get another),
 * 403 REQUEST_LIMIT_EXCEEDED (the org's daily API requests), 400 INVALID_FIELD for an unmapped field.
 */
export async function queryModified(session: SalesforceSession, sobject: SyncedObject, fields: string[], since: number, afterId: string | null): Promise<QueryPage> {
  const records: CrmRecord[] = [];
  let answered = 0;
  let path: string | null = `/services/data/${SALESFORCE_API_VERSION}/query?q=${encodeURIComponent(modifiedQuery(sobject, fields, since, afterId))}`;
  let apiUsage: { used: number; limit: number } | null = null;
  while (path) {
    const res = await call(`${session.instanceUrl}${path}`, { headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' } });
    if (!res.ok) return res;
    apiUsage = res.apiUsage ?? apiUsage;
    if (res.status !== 200) return apiFailure(res);
    const body = res.body as { records?: unknown; done?: unknown; nextRecordsUrl?: unknown } | undefined;
    if (!body || !Array.isArray(body.records)) return { ok: false, status: 200, why: 'Salesforce answered the query without a records list' };
    answered += body.records.length;
    for (const r of body.records as Record<string, unknown>[]) {
      if (typeof r?.Id !== 'string' || !RECORD_ID.test(r.Id)) continue;
      const modified = salesforceTime(r.LastModifiedDate);
      if (modified === null) continue;
      records.push({ id: r.Id, fields: r, modifiedAt: modified });
    }
    const next: unknown = body.nextRecordsUrl;
    path = body.done === false && typeof next === 'string' && next.startsWith('/services/data/') ? next : null;
  }
  if (apiUsage && apiUsage.limit > 0 && apiUsage.used >= apiUsage.limit * API_USAGE_CEILING)
    return { ok: false, status: 0, why: `the org has used ${apiUsage.used} of its ${apiUsage.limit} daily API requests: the sync waits for its next schedule` };
  return { ok: true, records, full: answered >= QUERY_LIMIT, apiUsage };
}

/**
 * Writes fields of up to 200 accounts in one request: `PATCH /services/data/vXX.X/composite/sobjects`
 * with `{allOrNone: false, records: [{attributes: {type: 'Account'}, id, …fields}]}`, answered one
 * SaveResult per record in order: `{id, success, errors: [{statusCode, message, fields}]}`.
 */
export async function updateAccounts(session: SalesforceSession, updates: { id: string; fields: Record<string, string | null> }[]): Promise<BatchResult> {
  const res = await call(`${session.instanceUrl}/services/data/${SALESFORCE_API_VERSION}/composite/sobjects`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ allOrNone: false, records: updates.map((u) => ({ attributes: { type: 'Account' }, id: u.id, ...u.fields })) }),
  });
  if (!res.ok) return res;
  if (res.status !== 200) return apiFailure(res);
  if (!Array.isArray(res.body) || res.body.length !== updates.length) return { ok: false, status: 200, why: 'Salesforce answered the update without one result per record' };
  const refused = new Map<string, string>();
  (res.body as { success?: unknown; errors?: { statusCode?: unknown; message?: unknown }[] }[]).forEach((r, i) => {
    if (r?.success === true) return;
    const e = Array.isArray(r?.errors) ? r.errors[0] : undefined;
    refused.set(updates[i]!.id, `${typeof e?.statusCode === 'string' ? e.statusCode : 'refused'}: ${typeof e?.message === 'string' ? e.message.slice(0, 200) : 'no reason given'}`);
  });
  return { ok: true, refused };
}

function apiFailure(res: Answer): Failure {
  const first = Array.isArray(res.body) ? (res.body[0] as { message?: unknown; errorCode?: unknown } | undefined) : undefined;
  const code = typeof first?.errorCode === 'string' ? first.errorCode : '';
  const message = typeof first?.message === 'string' ? `: ${code ? `${code} ` : ''}${first.message.slice(0, 200)}` : '';
  return { ok: false, status: res.status, retryAfterSeconds: res.retryAfterSeconds, why: `Salesforce answered ${res.status}${message}`, expired: res.status === 401 };
}

interface Answer {
  ok: true;
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
  apiUsage?: { used: number; limit: number };
}

/** A request with a 20 s budget and a capped body; a 429 or 503 says how long to wait (Retry-After, else 5 s). */
async function call(url: string, init: RequestInit): Promise<Answer | Failure> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  } catch (err) {
    return { ok: false, status: 0, why: `Salesforce unreachable (${err instanceof Error ? err.name : 'error'})` };
  }
  // too large reads as not JSON
  const body = (await readJsonCapped(res, MAX_BODY))?.body;
  const usage = /api-usage=(\d+)\/(\d+)/.exec(res.headers.get('sforce-limit-info') ?? '');
  const answer: Answer = { ok: true, status: res.status, body, ...(usage && { apiUsage: { used: Number(usage[1]), limit: Number(usage[2]) } }) };
  if (res.status === 429 || res.status === 503) return { ok: false, status: res.status, retryAfterSeconds: retryAfterSeconds(res.headers.get('retry-after'), 5, 300), why: `Salesforce answered ${res.status} (busy)` };
  if (res.status === 200 && body === undefined) return { ok: false, status: 200, why: 'Salesforce answered 200 with a body that is not JSON' };
  return answer;
}
