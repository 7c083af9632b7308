import { Hono } from 'hono';
import { type Account, ImportChunk, type ImportRejection, type ImportResult } from '../../shared/schemas';
import { readAccountCsv } from '../../shared/admin/account-csv';
import { validateImportRows } from '../../shared/admin/import-rows';
import type { AdminEnv, Env } from '../env';
import { jsonError } from '../http/errors';
import { readBodyText } from '../http/read-body';
import { readJson } from '../http/read-json';
import { MAX_CSV_BYTES, MAX_JSON_BYTES, siteStore, unknownSite } from './common';
import { can } from './permissions';

export const importRoutes = new Hono<AdminEnv>();

/** Rows per SQLite transaction: a chunk is written whole or not at all. */
const CHUNK_ROWS = 500;

const byRow = (a: ImportRejection, b: ImportRejection) => a.row - b.row;

/** Writes valid accounts in transactions of CHUNK_ROWS; null when the site is unknown. */
async function writeAccounts(env: Env, site: string, accounts: Account[]): Promise<number | null> {
  const stub = siteStore(env, site);
  let accepted = 0;
  for (let i = 0; i < Math.max(accounts.length, 1); i += CHUNK_ROWS) {
    const written = await stub.importAccounts(site, accounts.slice(i, i + CHUNK_ROWS));
    if (!written) return null;
    accepted += written.accepted;
  }
  return accepted;
}

/**
 * A JSON chunk of at most 500 account rows (`firstRow` numbers them in the report), or a whole
 * `text/csv` file of at most 2 MB whose header is row 1. Valid rows are written, invalid ones
 * reported by row, field and reason; duplicates are caught across the whole request.
 */
importRoutes.post('/sites/:site/accounts/import', can('editor'), async (c) => {
  const site = c.req.param('site');
  const isCsv = /^text\/csv\b/i.test(c.req.header('content-type') ?? '');
  let rows;
  let rejected: ImportRejection[] = [];
  if (isCsv) {
    const body = await readBodyText(c, MAX_CSV_BYTES, 'expected a CSV file');
    if (!body.ok) return body.response;
    const csv = readAccountCsv(body.text);
    if (!csv.ok) return jsonError(c, 400, 'invalid CSV', [{ path: csv.field, message: csv.reason }]);
    rows = csv.rows;
    rejected = csv.rejected;
  } else {
    const body = await readJson(c, ImportChunk, MAX_JSON_BYTES);
    if (!body.ok) return body.response;
    rows = body.data.rows.map((value, i) => ({ row: body.data.firstRow + i, value }));
  }
  const { valid, rejected: invalid } = validateImportRows(rows);
  const accepted = await writeAccounts(c.env, site, valid.map((v) => v.account));
  if (accepted === null) return unknownSite(c, site);
  const result: ImportResult = { accepted, rejected: [...rejected, ...invalid].sort(byRow) };
  c.set('audit', `${isCsv ? 'CSV' : 'JSON'} import: ${result.accepted} accepted, ${result.rejected.length} rejected`);
  return c.json(result);
});
