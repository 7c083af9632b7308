/**
 * The admin API client, typed (and checked) with the shared zod schemas of shared/schemas.
 * A call sends `Authorization: Bearer <token>` when the session has a token; without one it relies on
 * Cloudflare Access, whose proxy adds its own assertion. A 401 calls `onUnauthorized` (back to sign-in).
 */
import { z } from 'zod';
import {
  Account,
  AccountPage,
  AlertRecord,
  AlertSecret,
  ApiTokenInfo,
  ApiTokenList,
  AuditLog,
  CreatedToken,
  type CreateSiteRequest,
  type CreateTokenRequest,
  Draft,
  ErrorBody,
  ImportResult,
  IntentImportResult,
  MemberList,
  PreviewLink,
  PreviewRevocation,
  type Role,
  ReadCopyRetry,
  ReadCopyStatus,
  Report,
  MatchRateReport,
  CrmSyncStatus,
  SegmentCounts,
  SignedLinks,
  SiteList,
  type SignedLinksRequest,
  SiteState,
  TagCheck,
  VersionInfo,
  WhoAmI,
  type SiteConfig,
} from '../../shared/schemas';
import type { IntervalMethod } from '../../shared/schemas';

export type Issue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

/** 409: someone saved the draft since `baseRevision`; `current` is their draft. */
export class StaleError extends ApiError {
  constructor(
    message: string,
    readonly current: Draft,
  ) {
    super(409, message);
  }
}

export interface Session {
  /** An API token or the admin token; empty behind Cloudflare Access. */
  token: string;
  site: string;
}

let unauthorized: (message: string) => void = () => {};
/** Registers what happens on any 401 (state.ts signs out with a message). */
export function onUnauthorized(handler: (message: string) => void): void {
  unauthorized = handler;
}

const StaleBody = z.object({ error: z.literal('stale'), message: z.string(), current: Draft });
const Versions = z.object({ versions: z.array(VersionInfo) });
const AlertList = z.object({ alerts: z.array(AlertRecord), next: z.string().nullable() });

/** A call to `/api/admin/sites/<session's site><path>`. */
const request = (session: Session, method: string, path: string, body?: unknown) =>
  adminRequest(session, method, `/sites/${encodeURIComponent(session.site)}${path}`, body);

/**
 * A call to `/api/admin<path>`, with the bearer token if any; a non-2xx answer throws an ApiError.
 * A body is sent as JSON, a Blob as it is with its type (a CSV file).
 * `quiet`: a 401 only throws (probing for an Access session must not sign anyone out).
 */
async function adminRequest(session: Session, method: string, path: string, body?: unknown, quiet = false): Promise<Response> {
  const headers: Record<string, string> = session.token ? { authorization: `Bearer ${session.token}` } : {};
  const blob = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = blob ? body.type : 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/admin${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : blob ? body : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'The edge could not be reached. Check your connection and try again.');
  }
  if (res.ok) return res;
  const json: unknown = await res.json().catch(() => null);
  if (res.status === 401) {
    const message = session.token ? 'Your token was not accepted (it may have been revoked or have expired). Sign in again.' : 'You are not signed in. Sign in again.';
    if (!quiet) unauthorized(message);
    throw new ApiError(401, message);
  }
  const stale = StaleBody.safeParse(json);
  if (res.status === 409 && stale.success) throw new StaleError(stale.data.message, stale.data.current);
  const err = ErrorBody.safeParse(json);
  if (res.status === 403) {
    const why = err.success ? err.data.issues?.[0]?.message : undefined;
    throw new ApiError(403, `Your role on this site does not allow this.${why ? ` (It ${why}.)` : ''}`);
  }
  if (res.status === 503) throw new ApiError(503, 'The admin is disabled on this edge: set the ADMIN_TOKEN secret.');
  if (res.status === 404 && err.success && err.data.error === 'unknown site') throw new ApiError(404, `There is no site "${session.site}".`);
  const message = err.success ? err.data.error : `The edge answered ${res.status}.`;
  throw new ApiError(res.status, message, err.success ? (err.data.issues ?? []) : []);
}

async function json<S extends z.ZodType>(schema: S, res: Promise<Response>): Promise<z.infer<S>> {
  return schema.parse(await (await res).json());
}

/** A report's day range (YYYY-MM-DD, UTC); absent: the edge's default, the last 30 days. `interval`: the report's only; absent: sequential. */
export interface ReportRange {
  from?: string | undefined;
  to?: string | undefined;
  interval?: IntervalMethod | undefined;
  /** The Pipeline goal's attribution window in days (the edge's default: 90). */
  attribution?: number | undefined;
}

const reportPath = (s: Session, range: ReportRange, format: 'json' | 'csv', path = '/report') => {
  const query = new URLSearchParams({ site: s.site, format });
  if (range.from) query.set('from', range.from);
  if (range.to) query.set('to', range.to);
  if (range.interval && path === '/report') query.set('interval', range.interval);
  if (range.attribution && path === '/report') query.set('attribution', String(range.attribution));
  return `${path}?${query}`;
};

/** A token as created: `token` is in this answer only. */
export type NewApiToken = z.infer<typeof CreatedToken>;

const tokenPath = (id: string) => `/tokens/${encodeURIComponent(id)}`;
const memberPath = (email: string) => `/members/${encodeURIComponent(email)}`;

export const api = {
  /** Who the credential names, and its role on the session's site. */
  whoami: (s: Session, quiet = false) => json(WhoAmI, adminRequest(s, 'GET', `/whoami?site=${encodeURIComponent(s.site)}`, undefined, quiet)),
  members: async (s: Session) => (await json(MemberList, request(s, 'GET', '/members'))).members,
  setMember: async (s: Session, email: string, role: Role) => (await json(MemberList, request(s, 'PUT', memberPath(email), { role }))).members,
  removeMember: async (s: Session, email: string) => (await json(MemberList, request(s, 'DELETE', memberPath(email)))).members,
  tokens: async (s: Session) => (await json(ApiTokenList, request(s, 'GET', '/tokens'))).tokens,
  createToken: (s: Session, body: CreateTokenRequest) => json(CreatedToken, request(s, 'POST', '/tokens', body)),
  revokeToken: (s: Session, id: string) => json(ApiTokenInfo, request(s, 'DELETE', tokenPath(id))),
  audit: async (s: Session) => (await json(AuditLog, request(s, 'GET', '/audit'))).entries,
  /** The sites the credential has a role on (not scoped to the session's site). */
  sites: async (s: Session) => (await json(SiteList, adminRequest(s, 'GET', '/sites'))).sites,
  createSite: async (s: Session, body: CreateSiteRequest) => void (await adminRequest(s, 'POST', '/sites', body)),
  site: (s: Session) => json(SiteState, request(s, 'GET', '')),
  archive: (s: Session, archived: boolean) => json(SiteState, request(s, 'POST', '/archive', { archived })),
  tagCheck: (s: Session) => json(TagCheck, request(s, 'GET', '/tag-check')),
  saveDraft: (s: Session, baseRevision: number, config: SiteConfig) => json(SiteState, request(s, 'PUT', '/draft', { baseRevision, config })),
  publish: (s: Session, baseRevision: number) => json(VersionInfo, request(s, 'POST', '/publish', { baseRevision })),
  versions: async (s: Session) => (await json(Versions, request(s, 'GET', '/versions'))).versions,
  rollback: (s: Session, version: number) => json(VersionInfo, request(s, 'POST', '/rollback', { version })),
  counts: (s: Session) => json(SegmentCounts, request(s, 'GET', '/segments/counts')),
  importChunk: (s: Session, rows: unknown[], firstRow: number) => json(ImportResult, request(s, 'POST', '/accounts/import', { rows, firstRow })),
  /** Intent scores: a CSV file's text as it is, or JSON rows numbered from `firstRow`. */
  importIntent: (s: Session, body: string | { rows: unknown[]; firstRow: number }) =>
    json(IntentImportResult, request(s, 'POST', '/intent/import', typeof body === 'string' ? new Blob([body], { type: 'text/csv' }) : body)),
  /** Recent sales alerts with each channel's delivery, newest first; `before` (an alert's enteredAt) pages on. */
  alerts: (s: Session, before?: string | null) => json(AlertList, request(s, 'GET', `/alerts?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`)),
  alertSecret: (s: Session) => json(AlertSecret, request(s, 'GET', '/alerts/secret')),
  accounts: (s: Session, q: string, after?: string | null, limit = 50) => {
    const query = new URLSearchParams({ q, limit: String(limit), ...(after ? { after } : {}) });
    return json(AccountPage, request(s, 'GET', `/accounts?${query}`));
  },
  putAccount: (s: Session, account: Account) => json(Account, request(s, 'PUT', `/accounts/${encodeURIComponent(account.domain)}`, account)),
  deleteAccount: async (s: Session, domain: string) => void (await request(s, 'DELETE', `/accounts/${encodeURIComponent(domain)}`)),
  exportAccounts: async (s: Session) => (await request(s, 'GET', '/accounts/export')).blob(),
  signedLinks: (s: Session, body: Omit<SignedLinksRequest, 'format' | 'days'> & { days?: number }) =>
    json(SignedLinks, request(s, 'POST', '/links', { ...body, format: 'json' })),
  signedLinksCsv: async (s: Session, body: Omit<SignedLinksRequest, 'format' | 'days'> & { days?: number }) =>
    (await request(s, 'POST', '/links', { ...body, format: 'csv' })).blob(),
  preview: (s: Session, body: { segment?: string; account?: string; pageUrl?: string; ttlSeconds?: number }) =>
    json(PreviewLink, request(s, 'POST', '/preview', body)),
  revokePreviews: (s: Session) => json(PreviewRevocation, request(s, 'POST', '/preview/revoke')),
  readCopy: (s: Session) => json(ReadCopyStatus, request(s, 'GET', '/read-copy')),
  crmStatus: (s: Session) => json(CrmSyncStatus, request(s, 'GET', '/crm')),
  crmSync: (s: Session) => json(CrmSyncStatus, request(s, 'POST', '/crm/sync')),
  retryReadCopy: (s: Session) => json(ReadCopyRetry, request(s, 'POST', '/read-copy/retry')),
  report: (s: Session, range: ReportRange = {}) => json(Report, adminRequest(s, 'GET', reportPath(s, range, 'json'))),
  reportCsv: async (s: Session, range: ReportRange = {}) => (await adminRequest(s, 'GET', reportPath(s, range, 'csv'))).blob(),
  matchRate: (s: Session, range: ReportRange = {}) => json(MatchRateReport, adminRequest(s, 'GET', reportPath(s, range, 'json', '/match-rate'))),
  matchRateCsv: async (s: Session, range: ReportRange = {}) => (await adminRequest(s, 'GET', reportPath(s, range, 'csv', '/match-rate'))).blob(),
};
