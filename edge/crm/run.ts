import { DEFAULT_HUBSPOT_MAPPING } from '../../shared/crm/hubspot-mapping';
import { DEFAULT_SALESFORCE_MAPPING } from '../../shared/crm/salesforce-mapping';
import { type CrmConfig, isLoopback } from '../../shared/schemas';
import { devRoutesEnabled } from '../dev-routes';
import type { Env } from '../env';
import { BATCH_LIMIT, HUBSPOT_API, MIN_GAP_MS, dealCompanies, searchObjects, updateCompanies } from './hubspot';
import { DEAL_PROPERTIES, OPPORTUNITY_FIELDS, hubspotDeal, opportunityWriter, rematchAccounts, salesforceOpportunity } from './pipeline';
import { COLLECTION_LIMIT, type Failure, type SalesforceSession, queryModified, salesforceToken, updateAccounts } from './salesforce';
import { salesforceRun } from './salesforce-sync';
import { type PageWriter, type RunOutcome, type SyncState, type SyncedAccount, accountWriter, syncRun } from './sync';
import { type BatchResult, type WriteBackRun, writeBackFields, writeBackRun } from './write-back';
import { noteCrmRecords, type PendingSegment } from './write-back-table';

/** What a CRM run needs of the site's SiteStore. */
export interface CrmHost {
  env: Env;
  site: string;
  sql: SqlStorage;
  transaction<T>(fn: () => T): T;
  /** Writes synced accounts (and queues their read copy) inside the caller's transaction. */
  putAccounts(accounts: SyncedAccount['account'][]): void;
}

/**
 * Pages one run reads, within one invocation's 1,000 subrequests beside an alarm's read-copy flush
 * (≤ 900) and the write-back (≤ 20): HubSpot 25 search pages of 200 companies, then, when they are
 * all read, 10 pages of 200 deals (a search, an associations read and a D1 batch each); Salesforce 5
 * SOQL pages of 2,000 accounts, then 2 of opportunities (a query, or the batches Salesforce splits it
 * into, and a D1 batch each).
 */
const HUBSPOT_PAGES_PER_RUN = 25;
const HUBSPOT_DEAL_PAGES_PER_RUN = 10;
const SALESFORCE_PAGES_PER_RUN = 5;
const SALESFORCE_OPPORTUNITY_PAGES_PER_RUN = 2;
/** Write-back batches per run: 20 × 100 HubSpot companies, 20 × 200 Salesforce accounts. */
const WRITE_BACK_BATCHES_PER_RUN = 20;
/** HubSpot's private apps may send 100 requests per 10 s: batch updates keep this far apart. */
const HUBSPOT_BATCH_GAP_MS = 110;

const secret = (env: Env, name: string): string | null => {
  const value = (env as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' && value ? value : null;
};

const missing = (name: string) => `the deploy has no secret ${name} (wrangler secret put ${name})`;

/** Which CRM account a config reads: another one (a new portal's token, another org) starts from nothing. */
export const crmIdentity = (crm: CrmConfig) => (crm.provider === 'hubspot' ? `hubspot\n${crm.tokenSecret}` : `salesforce\n${crm.loginUrl}\n${crm.clientIdSecret}`);

export const crmMapping = (crm: CrmConfig) => crm.mapping ?? (crm.provider === 'hubspot' ? DEFAULT_HUBSPOT_MAPPING : DEFAULT_SALESFORCE_MAPPING);

/** One stream of a CRM run: reads its pages from `state` and writes them with `write`. */
type Stream = (state: SyncState, write: PageWriter) => Promise<RunOutcome>;

/**
 * One run of the site's sync: records modified since the last, written to the store page by page;
 * then, with `deals` (the site reads its pipeline) and every company/account read, the deals or
 * opportunities modified since the last, written to D1. `deals` is null when the companies had more
 * (or a rate limit to wait out): the deals go on in a later run.
 */
export async function syncCrm(host: CrmHost, crm: CrmConfig, companies: SyncState, deals: SyncState | null): Promise<{ companies: RunOutcome; deals: RunOutcome | null }> {
  const streams = crmStreams(host, crm);
  if ('failure' in streams) return { companies: { state: { ...companies, lastFailure: streams.failure }, more: false, waitMs: 0 }, deals: null };
  const mapping = crmMapping(crm);
  const writeAccounts = (accounts: SyncedAccount[]) =>
    host.transaction(() => {
      host.putAccounts(accounts.map((a) => a.account));
      noteCrmRecords(
        host.sql,
        accounts.map((a) => ({ domain: a.account.domain, crmId: a.crmId })),
      );
    });
  const run = await streams.companies(companies, accountWriter(mapping, writeAccounts));
  if (run.more || !deals) return { companies: run, deals: null };
  const pipeline = { db: host.env.EVENTS_DB, site: host.site, sql: host.sql };
  const dealRun = await streams.deals(deals, opportunityWriter(pipeline, streams.dealRows));
  // a pass of deals ended: those stored before their company was synced get its account
  if (!dealRun.more && dealRun.state.lastSyncedAt !== deals.lastSyncedAt) await rematchAccounts(pipeline).catch((err: unknown) => console.error('crm: pipeline accounts not matched again', err));
  return { companies: run, deals: dealRun };
}

/** The site's CRM as its two streams (companies/accounts, deals/opportunities), sharing one client and its pace. */
function crmStreams(host: CrmHost, crm: CrmConfig): { companies: Stream; deals: Stream; dealRows: Parameters<typeof opportunityWriter>[1] } | { failure: string } {
  const mapping = crmMapping(crm);
  if (crm.provider === 'hubspot') {
    const token = secret(host.env, crm.tokenSecret);
    if (!token) return { failure: missing(crm.tokenSecret) };
    const base = hubspotBase(host.env);
    const paced = pace(MIN_GAP_MS);
    const stream =
      (object: 'companies' | 'deals', properties: string[], pages: number): Stream =>
      (state, write) =>
        syncRun(state, { search: (since, after) => paced(() => searchObjects(base, token, object, since, after, properties)), write, now: Date.now }, pages);
    return {
      companies: stream('companies', Object.keys(mapping), HUBSPOT_PAGES_PER_RUN),
      deals: stream('deals', DEAL_PROPERTIES, HUBSPOT_DEAL_PAGES_PER_RUN),
      dealRows: async (records) => {
        const found = await paced(() => dealCompanies(base, token, records.map((r) => r.id)));
        return found.ok ? records.map((r) => hubspotDeal(r, found.companies.get(r.id) ?? null)) : found;
      },
    };
  }
  const client = salesforceClient(host.env, crm);
  if ('failure' in client) return client;
  const stream =
    (sobject: 'Account' | 'Opportunity', fields: string[], pages: number): Stream =>
    (state, write) =>
      salesforceRun(state, { query: (since, after) => client.call((s) => queryModified(s, sobject, fields, since, after)), write, now: Date.now }, pages);
  return {
    companies: stream('Account', Object.keys(mapping), SALESFORCE_PAGES_PER_RUN),
    deals: stream('Opportunity', OPPORTUNITY_FIELDS, SALESFORCE_OPPORTUNITY_PAGES_PER_RUN),
    dealRows: async (records) => records.map(salesforceOpportunity),
  };
}

/** Writes the pending segment changes to the CRM (a site without write-back: nothing). */
export async function writeBackCrm(host: CrmHost, crm: CrmConfig): Promise<WriteBackRun> {
  const none: WriteBackRun = { written: 0, refused: 0, more: false, waitMs: 0, failure: null };
  const writeBack = crm.writeBack;
  if (!writeBack) return none;
  let send: (rows: PendingSegment[]) => Promise<BatchResult>;
  let batchSize: number;
  if (crm.provider === 'hubspot') {
    const token = secret(host.env, crm.tokenSecret);
    if (!token) return { ...none, failure: missing(crm.tokenSecret) };
    const base = hubspotBase(host.env);
    const paced = pace(HUBSPOT_BATCH_GAP_MS);
    batchSize = BATCH_LIMIT;
    send = (rows) => paced(() => updateCompanies(base, token, rows.map((r) => ({ id: r.crmId, properties: writeBackFields(writeBack, r, '') as Record<string, string> }))));
  } else {
    const client = salesforceClient(host.env, crm);
    if ('failure' in client) return { ...none, failure: client.failure };
    batchSize = COLLECTION_LIMIT;
    send = (rows) => client.call((s) => updateAccounts(s, rows.map((r) => ({ id: r.crmId, fields: writeBackFields(writeBack, r, null) }))));
  }
  return writeBackRun({ sql: host.sql, send, batchSize, transaction: (fn) => host.transaction(fn) }, WRITE_BACK_BATCHES_PER_RUN);
}

const hubspotBase = (env: Env) => (env.HUBSPOT_API || HUBSPOT_API).replace(/\/+$/, '');

/** Runs calls at least `gapMs` apart. */
function pace(gapMs: number) {
  let last = 0;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const wait = last + gapMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    last = Date.now();
    return fn();
  };
}

/** Access tokens by org and app, kept while they work (Salesforce's answer carries no expiry: a 401 gets a new one). */
const sessions = new Map<string, SalesforceSession>();

/**
 * A Salesforce caller for the site's connected app: a token from the client-credentials flow, reused
 * until the API refuses it (401), then one new token and the call again.
 */
function salesforceClient(env: Env, crm: Extract<CrmConfig, { provider: 'salesforce' }>): { call<T extends { ok: boolean }>(fn: (s: SalesforceSession) => Promise<T | Failure>): Promise<T | Failure> } | { failure: string } {
  const clientId = secret(env, crm.clientIdSecret);
  const clientSecret = secret(env, crm.clientSecretSecret);
  if (!clientId) return { failure: missing(crm.clientIdSecret) };
  if (!clientSecret) return { failure: missing(crm.clientSecretSecret) };
  const dev = devRoutesEnabled(env);
  const reachable = (url: URL) => (url.protocol === 'https:' && /(^|\.)(salesforce|force)\.com$/.test(url.hostname)) || (dev && url.protocol === 'http:' && isLoopback(url));
  if (!reachable(new URL(crm.loginUrl))) return { failure: 'http login URLs are called only on 127.0.0.1 or localhost in development (DEV_ROUTES on)' };
  const key = `${crm.loginUrl}\n${clientId}\n${clientSecret}`;
  const session = async (fresh: boolean): Promise<SalesforceSession | Failure> => {
    const held = sessions.get(key);
    if (held && !fresh) return held;
    const got = await salesforceToken(crm.loginUrl, clientId, clientSecret, reachable);
    if (!got.ok) return got;
    sessions.set(key, got.session);
    return got.session;
  };
  return {
    async call(fn) {
      for (const fresh of [false, true]) {
        const s = await session(fresh);
        if ('ok' in s) return s;
        const res = await fn(s);
        if (!res.ok && (res as Failure).expired && !fresh) {
          sessions.delete(key);
          continue;
        }
        return res;
      }
      return { ok: false, status: 401, why: 'Salesforce refused a new access token' };
    },
  };
}
