import { Hono } from 'hono';
import { z } from 'zod';
import { Account, Domain } from '../../shared/schemas';
import { accountCsvHeader, accountCsvRecord } from '../../shared/admin/account-csv';
import { ipRangeParts } from '../../shared/kv/entries';
import type { AdminEnv } from '../env';
import { jsonError, zodIssues } from '../http/errors';
import { domainParam, jsonBody } from '../http/validate';
import { MAX_JSON_BYTES, siteStore, unknownSite } from './common';
import { eraseAccountData } from './erasure';
import { can } from './permissions';

export const accountRoutes = new Hono<AdminEnv>();


const AccountQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: Domain.optional(),
});

accountRoutes.get('/sites/:site/accounts', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const query = AccountQuery.safeParse(c.req.query());
  if (!query.success) return jsonError(c, 400, 'invalid request', zodIssues(query.error));
  const { q, limit, after } = query.data;
  const page = await siteStore(c.env, site).searchAccounts(site, q, limit, after ?? null);
  return page ? c.json(page) : unknownSite(c, site);
});

const EXPORT_PAGE = 1000;

/** Streams every account as CSV, a page at a time, in the columns the import reads. */
accountRoutes.get('/sites/:site/accounts/export', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const stub = siteStore(c.env, site);
  const keys = await stub.attributeKeys(site);
  if (!keys) return unknownSite(c, site);
  const encoder = new TextEncoder();
  let after: string | null = null;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(accountCsvHeader(keys)));
        return;
      }
      const page = await stub.searchAccounts(site, '', EXPORT_PAGE, after);
      if (page) controller.enqueue(encoder.encode(page.accounts.map((a) => accountCsvRecord(a, keys)).join('')));
      after = page?.next ?? null;
      if (after === null) controller.close();
    },
  });
  return c.body(stream, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${site}-accounts.csv"`,
  });
});

accountRoutes.get('/sites/:site/accounts/:domain', can('viewer'), domainParam, async (c) => {
  const site = c.req.param('site');
  const { domain } = c.req.valid('param');
  const found = await siteStore(c.env, site).getAccount(site, domain);
  if (!found) return unknownSite(c, site);
  return found.account ? c.json(found.account) : jsonError(c, 404, 'unknown account', [{ path: 'domain', message: `no account ${domain}` }]);
});

accountRoutes.put('/sites/:site/accounts/:domain', can('editor'), domainParam, jsonBody(Account, MAX_JSON_BYTES), async (c) => {
  const site = c.req.param('site');
  const { domain } = c.req.valid('param');
  const account = c.req.valid('json');
  if (account.domain !== domain) return jsonError(c, 400, 'invalid request', [{ path: 'domain', message: `must be ${domain}, the account in the URL` }]);
  const badRanges = ipRangeParts(account).rejected;
  if (badRanges.length) return jsonError(c, 400, 'invalid request', badRanges.map((r) => ({ path: r.field, message: r.reason })));
  const saved = await siteStore(c.env, site).importAccounts(site, [account]);
  return saved ? c.json(account) : unknownSite(c, site);
});

accountRoutes.delete('/sites/:site/accounts/:domain', can('editor'), domainParam, async (c) => {
  const site = c.req.param('site');
  const { domain } = c.req.valid('param');
  const deleted = await siteStore(c.env, site).deleteAccount(site, domain);
  if (deleted === null) return unknownSite(c, site);
  if (!deleted) return jsonError(c, 404, 'unknown account', [{ path: 'domain', message: `no account ${domain}` }]);
  await eraseAccountData(c.env, site, domain);
  return c.body(null, 204);
});
