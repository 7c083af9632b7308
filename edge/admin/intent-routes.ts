import { Hono } from 'hono';
import { type ImportRejection, IntentImportChunk, type IntentImportResult, type IntentScore } from '../../shared/schemas';
import { type IntentImport, readIntentCsv, validateIntentRows } from '../../shared/admin/intent-import';
import type { ImportRow } from '../../shared/admin/import-rows';
import type { AdminEnv, Env } from '../env';
import { jsonError } from '../http/errors';
import { readBodyText } from '../http/read-body';
import { readJson } from '../http/read-json';
import { MAX_CSV_BYTES, MAX_JSON_BYTES, siteStore, unknownSite } from './common';
import { can } from './permissions';

export const intentRoutes = new Hono<AdminEnv>();

/** Accounts per SQLite transaction (and RPC): each is rewritten once with all its new scores. */
const CHUNK_ACCOUNTS = 500;

/** Writes the scores through the site's store, the system of record, which queues them for KV; null when the site is unknown. */
async function writeIntent(env: Env, site: string, valid: IntentImport[]) {
  const byDomain = new Map<string, { rows: number[]; scores: IntentScore[] }>();
  for (const { row, domain, score } of valid) {
    const entry = byDomain.get(domain) ?? { rows: [], scores: [] };
    entry.rows.push(row);
    entry.scores.push(score);
    byDomain.set(domain, entry);
  }
  const domains = [...byDomain.keys()];
  const stub = siteStore(env, site);
  const unknownDomains: string[] = [];
  for (let i = 0; i < Math.max(domains.length, 1); i += CHUNK_ACCOUNTS) {
    const batch = domains.slice(i, i + CHUNK_ACCOUNTS).map((domain) => ({ domain, scores: byDomain.get(domain)!.scores }));
    const written = await stub.importIntent(site, batch);
    if (!written) return null;
    unknownDomains.push(...written.unknown);
  }
  const unknown: ImportRejection[] = unknownDomains.flatMap((domain) =>
    byDomain.get(domain)!.rows.map((row) => ({ row, field: 'domain', reason: `no account ${domain}: import the account first` })),
  );
  return { accepted: valid.length - unknown.length, accounts: domains.length - unknownDomains.length, unknown };
}

/**
 * Third-party intent scores: a `text/csv` file of at most 2 MB (a Bombora Company Surge export, or
 * `domain,topic,score,date`) whose header is row 1, or JSON `{ rows: [{ domain, topic, score, week | date }], firstRow }`.
 * Valid rows are written; bad rows, rows for domains that are no account and unknown columns are reported.
 */
intentRoutes.post('/sites/:site/intent/import', can('editor'), async (c) => {
  const site = c.req.param('site');
  const isCsv = /^text\/csv\b/i.test(c.req.header('content-type') ?? '');
  let rows: ImportRow[];
  let rejected: ImportRejection[] = [];
  if (isCsv) {
    const body = await readBodyText(c, MAX_CSV_BYTES, 'expected a CSV file');
    if (!body.ok) return body.response;
    const csv = readIntentCsv(body.text);
    if (!csv.ok) return jsonError(c, 400, 'invalid CSV', [{ path: csv.field, message: csv.reason }]);
    rows = csv.rows;
    rejected = csv.rejected;
  } else {
    const body = await readJson(c, IntentImportChunk, MAX_JSON_BYTES);
    if (!body.ok) return body.response;
    rows = body.data.rows.map((value, i) => ({ row: body.data.firstRow + i, value }));
  }
  const { valid, rejected: invalid } = validateIntentRows(rows, Date.now());
  const written = await writeIntent(c.env, site, valid);
  if (!written) return unknownSite(c, site);
  const result: IntentImportResult = { accepted: written.accepted, accounts: written.accounts, rejected: [...rejected, ...invalid, ...written.unknown].sort((a, b) => a.row - b.row) };
  c.set('audit', `intent ${isCsv ? 'CSV' : 'JSON'} import: ${result.accepted} scores for ${result.accounts} accounts, ${result.rejected.length} rejected`);
  return c.json(result);
});
