/**
 * globalSetup of the worker project (vitest.config.ts): a stand-in for a Salesforce org on 127.0.0.1
 * (Salesforce cannot be reached from here), in the REST API's documented shapes:
 * - `POST /services/oauth2/token` (form: grant_type=client_credentials, client_id, client_secret) →
 *   `{access_token, instance_url, id, token_type, issued_at, signature}`; bad credentials are 400
 *   `{error: 'invalid_client', error_description}`, another grant type 400 `unsupported_grant_type`.
 * - `GET /services/data/v62.0/query?q=<SOQL>` with `Authorization: Bearer` → `{totalSize, done,
 *   nextRecordsUrl?, records: [{attributes: {type, url}, Id, …}]}`, in batches of `batchSize` (default
 *   2,000) followed through `GET /services/data/v62.0/query/<locator>`. The SOQL understood is the
 *   sync's shape: `SELECT f, … FROM Account|Opportunity WHERE LastModifiedDate >= T` or `WHERE (LastModifiedDate > T
 *   OR (LastModifiedDate = T AND Id > 'id'))`, `ORDER BY LastModifiedDate ASC, Id ASC LIMIT n`; an
 *   unknown field is 400 INVALID_FIELD, anything else 400 MALFORMED_QUERY. Every API answer carries
 *   `Sforce-Limit-Info: api-usage=used/limit`; past the limit, 403 REQUEST_LIMIT_EXCEEDED. A token
 *   given before `POST /__expire` is 401 INVALID_SESSION_ID.
 * - `PATCH /services/data/v62.0/composite/sobjects {allOrNone, records: [{attributes: {type}, id, …}]}`
 *   (at most 200) → one SaveResult per record, `{id, success, errors: [{statusCode, message, fields}]}`:
 *   unknown ids ENTITY_IS_DELETED, fields the org lacks INVALID_FIELD. An update sets LastModifiedDate.
 * Test controls: `POST /__seed {count, from, step, sameSecond?}`, `POST /__touch {ids, at}`,
 * `POST /__account {…fields}`, `POST /__delete {ids}`, `POST /__faults {next: [status|'malformed', …]}` (with Retry-After 1 on
 * 503), `POST /__config {batchSize?, apiLimit?, apiUsed?}`, `POST /__expire`, `GET /__stats`, `GET /__updates`;
 * opportunities: `POST /__opportunities {records, add?}` replaces (or adds to) them, `/__touch` modifies them too,
 * `POST /__faults {next, on: 'Account' | 'Opportunity'}` scripts the answers to that object's queries only.
 */
import { listenLocal } from './local-server';
import { createServer, type ServerResponse } from 'node:http';
import type { TestProject } from 'vitest/node';
import { SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET } from '../worker/support/salesforce-fixture';

type SfRecord = Record<string, string | number | boolean | null> & { Id: string; LastModifiedDate: string };

const VERSION = 'v62.0';
/** The org's Account fields: the standard ones the sync maps, and two custom ones for write-back. */
const FIELDS = new Set(['Id', 'Name', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCountry', 'Type', 'Rating', 'LastModifiedDate', 'Tier__c', 'PZ_Segment__c', 'PZ_Segment_Entered__c']);
/** The org's Opportunity fields (standard ones). */
const OPPORTUNITY_FIELDS = new Set(['Id', 'AccountId', 'Name', 'Amount', 'StageName', 'CloseDate', 'IsClosed', 'IsWon', 'Probability', 'CreatedDate', 'LastModifiedDate']);
type SObject = 'Account' | 'Opportunity';
type Fault = number | 'malformed';

export default async function setup(project: TestProject) {
  const standIn = await startSalesforceStandIn(Number(process.env.PZ_SALESFORCE_PORT));
  project.provide('salesforceServer', standIn.origin);
  return standIn.close;
}

/** Salesforce's LastModifiedDate: `2026-12-03T10:00:00.000+0000`, whole seconds. */
const sfTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
const parseSf = (t: string) => Date.parse(t.replace(/\+0000$/, 'Z'));
const recordId = (i: number) => `001${String(i).padStart(12, '0')}AAA`;

export async function startSalesforceStandIn(port = 0): Promise<{ origin: string; close: () => Promise<void> }> {
  let accounts: SfRecord[] = [];
  let opportunities: SfRecord[] = [];
  let faults: Fault[] = [];
  const queryFaults: Record<SObject, Fault[]> = { Account: [], Opportunity: [] };
  let batchSize = 2000;
  let apiLimit = 15_000;
  let apiUsed = 0;
  let epoch = 0;
  const tokens = new Map<string, number>();
  const locators = new Map<string, { rows: SfRecord[]; fields: string[]; sobject: SObject }>();
  const stats = { tokens: 0, queries: 0, batches: 0, updates: 0, expired: 0, soql: [] as string[] };
  const updates: Record<string, unknown>[][] = [];
  let origin = '';

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const api = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    json(res, status, body, { 'sforce-limit-info': `api-usage=${apiUsed}/${apiLimit}`, ...headers });

  /** One batch of a query's records, and the locator of the rest. */
  const batch = (res: ServerResponse, sobject: SObject, rows: SfRecord[], fields: string[], total: number) => {
    const here = rows.slice(0, batchSize);
    const rest = rows.slice(batchSize);
    let nextRecordsUrl: string | undefined;
    if (rest.length) {
      const locator = `01g${crypto.randomUUID().slice(0, 12)}-${batchSize}`;
      locators.set(locator, { rows: rest, fields, sobject });
      nextRecordsUrl = `/services/data/${VERSION}/query/${locator}`;
    }
    stats.batches++;
    return api(res, 200, {
      totalSize: total,
      done: !nextRecordsUrl,
      ...(nextRecordsUrl && { nextRecordsUrl }),
      records: here.map((r) => ({ attributes: { type: sobject, url: `/services/data/${VERSION}/sobjects/${sobject}/${r.Id}` }, ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])) })),
    });
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      const body = () => (raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
      if (path === '/__stats') return json(res, 200, stats);
      if (path === '/__updates') return json(res, 200, updates);
      if (path === '/__seed') {
        const { count, from, step, sameSecond } = body() as { count: number; from: number; step: number; sameSecond?: { index: number; count: number } };
        accounts = Array.from({ length: count }, (_, i) => {
          const at = sameSecond && i >= sameSecond.index && i < sameSecond.index + sameSecond.count ? from + sameSecond.index * step : from + i * step;
          return {
            Id: recordId(i),
            Name: `Account ${i}`,
            Website: i % 2 ? `https://www.account-${i}.example/` : `account-${i}.example`,
            Industry: i % 2 ? 'Banking' : 'Retail',
            NumberOfEmployees: 50 + i,
            AnnualRevenue: 1_000_000 + i,
            BillingCountry: 'United States',
            Type: i % 10 === 0 ? 'Customer - Direct' : 'Prospect',
            Rating: null,
            Tier__c: i % 3 === 0 ? 'Tier 1' : null,
            PZ_Segment__c: null,
            PZ_Segment_Entered__c: null,
            LastModifiedDate: sfTime(at),
          };
        });
        return json(res, 200, { count: accounts.length });
      }
      if (path === '/__touch') {
        const { ids, at } = body() as { ids: string[]; at: number };
        for (const a of [...accounts, ...opportunities]) if (ids.includes(a.Id)) a.LastModifiedDate = sfTime(at);
        return json(res, 200, {});
      }
      if (path === '/__opportunities') {
        const given = body() as { records: SfRecord[]; add?: boolean };
        const ids = new Set(given.records.map((r) => r.Id));
        opportunities = [...(given.add ? opportunities.filter((o) => !ids.has(o.Id)) : []), ...given.records];
        return json(res, 200, { count: opportunities.length });
      }
      if (path === '/__account') {
        const a = body() as SfRecord;
        accounts = [...accounts.filter((x) => x.Id !== a.Id), a];
        return json(res, 200, {});
      }
      if (path === '/__delete') {
        const { ids } = body() as { ids: string[] };
        accounts = accounts.filter((a) => !ids.includes(a.Id));
        return json(res, 200, {});
      }
      if (path === '/__faults') {
        const { next, on } = body() as { next: Fault[]; on?: SObject };
        if (on) queryFaults[on] = next;
        else faults = next;
        return json(res, 200, {});
      }
      if (path === '/__config') {
        const c = body() as { batchSize?: number; apiLimit?: number; apiUsed?: number };
        batchSize = c.batchSize ?? 2000;
        apiLimit = c.apiLimit ?? 15_000;
        apiUsed = c.apiUsed ?? 0;
        return json(res, 200, {});
      }
      if (path === '/__expire') {
        epoch++;
        return json(res, 200, {});
      }

      if (path === '/services/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(raw);
        if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
        if (form.get('client_id') !== SALESFORCE_CLIENT_ID || form.get('client_secret') !== SALESFORCE_CLIENT_SECRET)
          return json(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
        stats.tokens++;
        const token = `00D000000000001!AQ${crypto.randomUUID().replaceAll('-', '')}`;
        tokens.set(token, epoch);
        return json(res, 200, { access_token: token, signature: 'c2lnbmF0dXJl', scope: 'api', instance_url: origin, id: `${origin}/id/00D000000000001EAA/005000000000001AAA`, token_type: 'Bearer', issued_at: String(Date.now()) });
      }

      if (!path.startsWith(`/services/data/${VERSION}/`)) return json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!auth || tokens.get(auth) !== epoch) {
        if (auth && tokens.has(auth)) stats.expired++;
        return json(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      }
      apiUsed++;
      if (apiUsed > apiLimit) return api(res, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      const faulted = (fault: Fault | undefined) => {
        if (fault === 'malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"totalSize": 3, "records": [');
        if (typeof fault === 'number') return api(res, fault, [{ message: `scripted ${fault}`, errorCode: 'SERVER_UNAVAILABLE' }], fault === 503 ? { 'retry-after': '1' } : {});
        return null;
      };
      if (faulted(faults.shift())) return;

      if (path === `/services/data/${VERSION}/query` && req.method === 'GET') {
        stats.queries++;
        const soql = url.searchParams.get('q') ?? '';
        stats.soql.push(soql);
        const m = /^SELECT (.+) FROM (Account|Opportunity) WHERE (.+) ORDER BY LastModifiedDate ASC, Id ASC LIMIT (\d+)$/.exec(soql);
        if (!m) return api(res, 400, [{ message: `unexpected token: ${soql.slice(0, 40)}`, errorCode: 'MALFORMED_QUERY' }]);
        const sobject = m[2] as SObject;
        if (faulted(queryFaults[sobject].shift())) return;
        const fields = m[1]!.split(',').map((f) => f.trim());
        const unknown = fields.find((f) => !(sobject === 'Account' ? FIELDS : OPPORTUNITY_FIELDS).has(f));
        if (unknown) return api(res, 400, [{ message: `\nSELECT ${m[1]}\n ^\nERROR at Row:1:Column:8\nNo such column '${unknown}' on entity '${sobject}'.`, errorCode: 'INVALID_FIELD' }]);
        const T = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)';
        const gte = new RegExp(`^LastModifiedDate >= ${T}$`).exec(m[3]!);
        const after = new RegExp(`^\\(LastModifiedDate > ${T} OR \\(LastModifiedDate = ${T} AND Id > '([A-Za-z0-9]{15,18})'\\)\\)$`).exec(m[3]!);
        if (!gte && !(after && after[1] === after[2])) return api(res, 400, [{ message: `unexpected WHERE: ${m[3]!.slice(0, 60)}`, errorCode: 'MALFORMED_QUERY' }]);
        const since = Date.parse((gte ?? after)![1]!);
        const afterId = after?.[3];
        const rows = (sobject === 'Account' ? accounts : opportunities)
          .filter((a) => {
            const t = parseSf(a.LastModifiedDate);
            return afterId ? t > since || (t === since && a.Id > afterId) : t >= since;
          })
          .sort((a, b) => parseSf(a.LastModifiedDate) - parseSf(b.LastModifiedDate) || (a.Id < b.Id ? -1 : 1))
          .slice(0, Number(m[4]));
        return batch(res, sobject, rows, fields, rows.length);
      }
      const more = new RegExp(`^/services/data/${VERSION}/query/(.+)$`).exec(path);
      if (more && req.method === 'GET') {
        const rest = locators.get(more[1]!);
        if (!rest) return api(res, 400, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
        locators.delete(more[1]!);
        return batch(res, rest.sobject, rest.rows, rest.fields, rest.rows.length);
      }
      if (path === `/services/data/${VERSION}/composite/sobjects` && req.method === 'PATCH') {
        let parsed: { allOrNone?: boolean; records?: Record<string, unknown>[] };
        try {
          parsed = body() as typeof parsed;
        } catch {
          return api(res, 400, [{ message: 'JSON parser error', errorCode: 'JSON_PARSER_ERROR' }]);
        }
        const records = parsed.records ?? [];
        if (!Array.isArray(records) || records.length === 0 || records.length > 200) return api(res, 400, [{ message: 'the number of records must be 1 to 200', errorCode: 'INVALID_INPUT' }]);
        stats.updates++;
        updates.push(records);
        const now = sfTime(Date.now());
        return api(
          res,
          200,
          records.map((r) => {
            const account = accounts.find((a) => a.Id === r.id);
            if ((r.attributes as { type?: string })?.type !== 'Account' || !account) return { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
            const bad = Object.keys(r).find((f) => f !== 'attributes' && f !== 'id' && !FIELDS.has(f));
            if (bad) return { id: r.id, success: false, errors: [{ statusCode: 'INVALID_FIELD', message: `No such column '${bad}' on sobject of type Account`, fields: [bad] }] };
            for (const [f, v] of Object.entries(r)) if (f !== 'attributes' && f !== 'id') account[f] = v as string | null;
            account.LastModifiedDate = now;
            return { id: r.id, success: true, errors: [] };
          }),
        );
      }
      return json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    });
  });
  const listening = await listenLocal(server, port);
  origin = listening.origin;
  return listening;
}
