import { DEFAULT_HUBSPOT_MAPPING } from '../../shared/crm/hubspot-mapping';
import { DEFAULT_SALESFORCE_MAPPING } from '../../shared/crm/salesforce-mapping';
import { type CrmConfig, isLoopback } from '../../shared/schemas';
import { devRoutesEnabled } from '../dev-routes';
import type { Env } from '../env';
import { BATCH_LIMIT, HUBSPOT_API, MIN_GAP_MS, searchCompanies, updateCompanies } from './hubspot';
import { COLLECTION_LIMIT, type Failure, type SalesforceSession, queryAccounts, salesforceToken, updateAccounts } from './salesforce';
import { salesforceRun } from './salesforce-sync';
import { type SyncState, type SyncedAccount, syncRun } from './sync';
import { type BatchResult, type WriteBackRun, writeBackFields, writeBackRun } from './write-back';
import { noteCrmRecords, type PendingSegment } from './write-back-table';

/** What a CRM run needs of the site's SiteStore. */
export interface CrmHost {
  env: Env;
  sql: SqlStorage;
  transaction<T>(fn: () => T): T;
  /** Writes synced accounts (and queues their read copy) inside the caller's transaction. */
  putAccounts(accounts: SyncedAccount['account'][]): void;
}

export type SyncOutcome = { state: SyncState; more: boolean; waitMs: number };

/** Search pages one HubSpot run reads (200 companies each), and SOQL pages one Salesforce run reads (2,000 each): with the run's own flush, well inside one invocation's 1,000 subrequests. */
const HUBSPOT_PAGES_PER_RUN = 25;
const SALESFORCE_PAGES_PER_RUN = 5;
/** Write-back batches per run: 20 × 100 HubSpot companies, 20 × 200 Salesforce accounts. */
const WRITE_BACK_BATCHES_PER_RUN = 20;
/** HubSpot's private apps may send 100 requests per 10 s: batch updates keep this far apart. */
const HUBSPOT_BATCH_GAP_MS = 110;

const secret = (env: Env, name: string): string | null => {
  const value = (env as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' && value ? value : null;
};

const missing = (name: string) => `the deploy has no secret ${name} (wrangler secret put ${name})`;

export const crmMapping = (crm: CrmConfig) => crm.mapping ?? (crm.provider === 'hubspot' ? DEFAULT_HUBSPOT_MAPPING : DEFAULT_SALESFORCE_MAPPING);

/** One run of the site's sync: records modified since the last, written to the store page by page. */
export async function syncCrm(host: CrmHost, crm: CrmConfig, state: SyncState): Promise<SyncOutcome> {
  const mapping = crmMapping(crm);
  const write = (accounts: SyncedAccount[]) =>
    host.transaction(() => {
      host.putAccounts(accounts.map((a) => a.account));
      noteCrmRecords(
        host.sql,
        accounts.map((a) => ({ domain: a.account.domain, crmId: a.crmId })),
      );
    });
  if (crm.provider === 'hubspot') {
    const token = secret(host.env, crm.tokenSecret);
    if (!token) return { state: { ...state, lastFailure: missing(crm.tokenSecret) }, more: false, waitMs: 0 };
    const base = hubspotBase(host.env);
    const paced = pace(MIN_GAP_MS);
    return syncRun(state, { search: (since, after) => paced(() => searchCompanies(base, token, since, after, Object.keys(mapping))), write, now: Date.now }, mapping, HUBSPOT_PAGES_PER_RUN);
  }
  const client = salesforceClient(host.env, crm);
  if ('failure' in client) return { state: { ...state, lastFailure: client.failure }, more: false, waitMs: 0 };
  return salesforceRun(state, { query: (since, after) => client.call((s) => queryAccounts(s, Object.keys(mapping), since, after)), write, now: Date.now }, mapping, SALESFORCE_PAGES_PER_RUN);
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
