/**
 * Pipeline (issue 17): the CRM's deals (HubSpot) / opportunities (Salesforce), read by the same
 * incremental loops as companies/accounts and kept in D1's `opportunities` (migrations/0005), where
 * the report joins them to the accounts exposed per segment × arm. Each row names the account (its
 * domain) when the deal's company / the opportunity's account is one the sync brought (the
 * SiteStore's `crm_records`), else NULL with the CRM's account id kept, matched again when the
 * account arrives later.
 */
import type { RecordProblem } from '../../shared/crm/mapping';
import { RECORD_ID, salesforceTime } from './salesforce';
import type { CrmRecord, PageFailure, PageWriter, SyncState } from './sync';
import { refuse } from './sync';
import { crmDomains } from './write-back-table';

/** One row of `opportunities`: times are epoch ms. */
export interface DealRow {
  id: string;
  crmAccount: string | null;
  name: string | null;
  createdAt: number;
  amount: number | null;
  stage: string | null;
  closedAt: number | null;
  status: 'open' | 'won' | 'lost';
  modifiedAt: number;
}

/** A record the table cannot hold (no creation time), with why. */
export type Refusal = { id: string; problems: RecordProblem[] };

/** The HubSpot deal properties read; `amount_in_home_currency` is preferred to `amount` (the deal's own currency). */
export const DEAL_PROPERTIES = ['dealname', 'amount', 'amount_in_home_currency', 'dealstage', 'closedate', 'createdate', 'hs_is_closed_won', 'hs_is_closed'];
/** The Salesforce Opportunity fields read (Id and LastModifiedDate are always). */
export const OPPORTUNITY_FIELDS = ['AccountId', 'Name', 'Amount', 'StageName', 'CloseDate', 'IsClosed', 'IsWon', 'CreatedDate'];

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 500) : null);
const amount = (v: unknown): number | null => {
  if (v === null || v === undefined || (typeof v === 'string' && !v.trim())) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
/** HubSpot's datetimes are ISO strings (epoch ms strings in some older portals). */
const hubspotTime = (v: unknown): number | null => (typeof v === 'string' && /^\d{10,15}$/.test(v) ? Number(v) : salesforceTime(v));

const noCreation = (id: string, field: string): Refusal => ({ id, problems: [{ field, message: 'the record has no creation date' }] });

/** A HubSpot deal as a row: hs_is_closed_won → won, else hs_is_closed → lost, else open. */
export function hubspotDeal(r: CrmRecord, company: string | null): DealRow | Refusal {
  const f = r.fields;
  const createdAt = hubspotTime(f.createdate);
  if (createdAt === null) return noCreation(r.id, 'createdate');
  return {
    id: r.id,
    crmAccount: company,
    name: text(f.dealname),
    createdAt,
    amount: amount(f.amount_in_home_currency) ?? amount(f.amount),
    stage: text(f.dealstage),
    closedAt: hubspotTime(f.closedate),
    status: f.hs_is_closed_won === 'true' ? 'won' : f.hs_is_closed === 'true' ? 'lost' : 'open',
    modifiedAt: r.modifiedAt,
  };
}

/** A Salesforce opportunity as a row: IsWon → won, else IsClosed → lost, else open; CloseDate (a date) at midnight UTC. */
export function salesforceOpportunity(r: CrmRecord): DealRow | Refusal {
  const f = r.fields;
  const createdAt = salesforceTime(f.CreatedDate);
  if (createdAt === null) return noCreation(r.id, 'CreatedDate');
  return {
    id: r.id,
    crmAccount: typeof f.AccountId === 'string' && RECORD_ID.test(f.AccountId) ? f.AccountId : null,
    name: text(f.Name),
    createdAt,
    amount: amount(f.Amount),
    stage: text(f.StageName),
    closedAt: salesforceTime(f.CloseDate),
    status: f.IsWon === true ? 'won' : f.IsClosed === true ? 'lost' : 'open',
    modifiedAt: r.modifiedAt,
  };
}

/** Where the rows go: the site's D1 rows, and its SiteStore's CRM records (domain by CRM account id). */
export interface PipelineHost {
  db: D1Database;
  site: string;
  sql: SqlStorage;
}

// an older read never overwrites a newer one (each page is read oldest first, so this is only a guard)
const UPSERT = `INSERT INTO opportunities (site, id, account, crm_account, name, created_at, amount, stage, closed_at, status, modified_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
  ON CONFLICT (site, id) DO UPDATE SET account = excluded.account, crm_account = excluded.crm_account, name = excluded.name,
    created_at = excluded.created_at, amount = excluded.amount, stage = excluded.stage, closed_at = excluded.closed_at,
    status = excluded.status, modified_at = excluded.modified_at
  WHERE excluded.modified_at >= opportunities.modified_at`;

/**
 * The page writer of deals/opportunities: `rows` turns a page into rows (HubSpot: after reading the
 * deals' companies, which can fail like any call); each row gets its account's domain, and the page
 * is written in one D1 batch, one upsert per record. Counts read, written, unmatched (no account) and
 * refused in the pass.
 */
export function opportunityWriter(host: PipelineHost, rows: (records: CrmRecord[]) => Promise<(DealRow | Refusal)[] | PageFailure>): PageWriter {
  return async (s: SyncState, records: CrmRecord[]) => {
    if (!records.length) return null;
    const read = await rows(records);
    if (!Array.isArray(read)) return read;
    const kept = read.filter((r): r is DealRow => 'createdAt' in r);
    const domains = crmDomains(
      host.sql,
      kept.flatMap((r) => (r.crmAccount ? [r.crmAccount] : [])),
    );
    const upsert = host.db.prepare(UPSERT);
    try {
      if (kept.length)
        await host.db.batch(
          kept.map((r) => upsert.bind(host.site, r.id, (r.crmAccount && domains.get(r.crmAccount)) ?? null, r.crmAccount, r.name, r.createdAt, r.amount, r.stage, r.closedAt, r.status, r.modifiedAt)),
        );
    } catch (err) {
      return { ok: false, status: 0, why: `the pipeline's rows were not written to D1 (${err instanceof Error ? err.message.slice(0, 200) : 'error'})` };
    }
    s.pass.read += records.length;
    s.pass.written += kept.length;
    s.pass.unmatched = (s.pass.unmatched ?? 0) + kept.filter((r) => !(r.crmAccount && domains.has(r.crmAccount))).length;
    for (const r of read) if (!('createdAt' in r)) refuse(s, r.id, r.problems);
    return null;
  };
}

/** Unmatched rows looked at per pass for an account that has arrived since. */
const REMATCH_LIMIT = 1000;

/**
 * At the end of a pass: rows stored without an account whose CRM account the sync has brought since
 * (a company synced after its deal) get its domain. Two D1 calls at most.
 */
export async function rematchAccounts(host: PipelineHost): Promise<number> {
  const { results } = await host.db
    .prepare(`SELECT DISTINCT crm_account FROM opportunities WHERE site = ?1 AND account IS NULL AND crm_account IS NOT NULL LIMIT ${REMATCH_LIMIT}`)
    .bind(host.site)
    .all<{ crm_account: string }>();
  const domains = crmDomains(
    host.sql,
    results.map((r) => r.crm_account),
  );
  if (!domains.size) return 0;
  const update = host.db.prepare(`UPDATE opportunities SET account = ?3 WHERE site = ?1 AND crm_account = ?2 AND account IS NULL`);
  const done = await host.db.batch([...domains].map(([crmAccount, domain]) => update.bind(host.site, crmAccount, domain)));
  return done.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
