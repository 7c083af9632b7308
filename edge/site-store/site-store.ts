import { DurableObject } from 'cloudflare:workers';
import type { z } from 'zod';
import { type Account, type AccountPage, type ActivityDigest, type IntentScore, SiteConfig, type SegmentCounts, type VersionInfo } from '../../shared/schemas';
import { accountEntry } from '../../shared/kv/entries';
import { kvKeys } from '../../shared/kv/keys';
import { activityPlan } from '../../shared/activity/plan';
import { mergeIntent } from '../../shared/rules/intent';
import { withFit } from '../../shared/rules/fit';
import type { Env } from '../env';
import * as table from './accounts-table';
import { activeAccounts, activeAccountsAfter, forgetActive, noteActive } from './activity-index';
import { readKvAccounts } from './adopt';
import { currentDraft, draftAt, listVersions, liveVersion } from './drafts';
import { outboxStatus, requeueStuck } from './key-state';
import { type FlushIo, flushIoWrappers } from './flush-io';
import { type KvWriter, drainOutbox, enqueue, pendingWrites } from './outbox';
import { type Edit, adoptLiveConfig, draftState, publish, rollback, saveDraft } from './publishing';
import { previewsRevokedBefore, revokePreviews } from './preview-revocation';
import { enqueueIndexes } from './read-copy';
import { countSegments, withoutActivity } from './segment-counts';
import { migrate } from './schema';
import { originAllowed } from '../http/origin';
import { keepAlertSecrets } from '../../shared/alerts/secrets';
import { devRoutesEnabled } from '../dev-routes';
import { tagVersion } from '../../shared/snippet-tag';
import { setArchived } from './archive';
import { deleteMeta, getMeta, setMeta } from './meta';
import { noteSighting, sightings, type TagSighting } from '../tag-check/tag-table';
import type { CrmConfig, CrmSyncStatus } from '../../shared/schemas';
import { type CrmHost, crmIdentity, crmMapping, syncCrm, writeBackCrm } from '../crm/run';
import { type SyncState, newSyncState, pipelineStatus, syncStatus } from '../crm/sync';
import { forgetCrmRecord, forgetCrmRecords, noteSegment, pendingCount, refusals } from '../crm/write-back-table';

/** The meta keys of the CRM sync's two streams. */
const CRM_STATE = 'crm_state';
const DEALS_STATE = 'crm_deals_state';

/** Segment changes wait this long for others to go in the same write-back batch. */
const WRITE_BACK_DELAY_MS = 30_000;

const RETRY_MS = 10_000;
/** A flush that leaves writes queued (over budget, too recent, backing off) has the alarm take the rest this soon at the earliest. */
const NEXT_FLUSH_MS = 1000;

/**
 * The system of record of one site (one object per site id): its draft and every saved revision,
 * every published version, and its accounts. Every change commits in one SQLite transaction and
 * queues the matching KV writes in the same transaction; they are flushed to the edge's read copy
 * one flush at a time, each within KV's limits (outbox.ts), so KV ends up holding what SQLite holds:
 * the commit's own flush first, the alarm any rest.
 *
 * Methods answer `null` for a site that neither this object nor KV knows.
 */
export class SiteStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The flush running now, if any. */
  private flushing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(this.sql);
    // writes left queued by an eviction mid-flush
    if (pendingWrites(this.sql) > 0) void ctx.storage.setAlarm(Date.now() + 1000);
  }

  override async alarm(): Promise<void> {
    await this.syncReadCopy();
    // a CRM sync that had more to read (or waited out a rate limit) goes on; segment changes are written back
    const site = getMeta(this.sql, 'site');
    if (!site) return;
    const resume = Number(getMeta(this.sql, 'crm_resume_at') ?? 0);
    if (resume && resume <= Date.now()) await this.runCrm(site);
    const writeBack = Number(getMeta(this.sql, 'crm_write_back_at') ?? 0);
    if (writeBack && writeBack <= Date.now()) await this.runWriteBack();
    // an alarm that came earlier (a flush) leaves what is due later for one at its time
    for (const key of ['crm_resume_at', 'crm_write_back_at']) {
      const at = Number(getMeta(this.sql, key) ?? 0);
      if (at > Date.now()) await this.alarmBy(at);
    }
  }

  // ── Site config ────────────────────────────────────────────────────────────

  async state(site: string) {
    return (await this.open(site)) ? draftState(this.sql) : null;
  }

  async saveDraft(site: string, baseRevision: number, incoming: SiteConfig, actor: string) {
    await this.open(site);
    const created = baseRevision === 0;
    // alert webhook URLs sent back as "(saved)" keep the draft's (no await between this and the save)
    const kept = keepAlertSecrets(incoming, currentDraft(this.sql)?.config, devRoutesEnabled(this.env));
    if ('issues' in kept) return { status: 'invalid' as const, issues: kept.issues };
    const config = kept.config;
    const result = this.ctx.storage.transactionSync(() => {
      const saved = saveDraft(this.sql, baseRevision, config, this.edit(site, actor));
      if (saved.status === 'saved' && created) enqueue(this.sql, kvKeys.created(site), '1');
      return saved;
    });
    if (result.status === 'saved' && created) await this.syncReadCopy();
    return result.status === 'saved' ? { status: 'saved' as const, state: draftState(this.sql)! } : result;
  }

  async publish(site: string, baseRevision: number, actor: string) {
    await this.open(site);
    return this.commit(() => publish(this.sql, baseRevision, this.edit(site, actor)));
  }

  async rollback(site: string, version: number, actor: string) {
    await this.open(site);
    return this.commit(() => rollback(this.sql, version, this.edit(site, actor)));
  }

  /** Archives the site (its config leaves the edge's read copy) or restores it (the live version returns). */
  async setArchived(site: string, archived: boolean) {
    if (!(await this.open(site))) return null;
    await this.commit(() => setArchived(this.sql, site, archived, new Date().toISOString()));
    return draftState(this.sql);
  }

  /** The config the site is measured and served with: the live version, else the draft (archived or not). */
  async servedConfig(site: string) {
    if (!(await this.open(site))) return null;
    return liveVersion(this.sql)?.config ?? currentDraft(this.sql)!.config;
  }

  async versions(site: string): Promise<VersionInfo[] | null> {
    return (await this.open(site)) ? listVersions(this.sql) : null;
  }

  /** How many accounts each of the draft's segments matches, every account counted as having no activity (a draft without behavioural rules). */
  async segmentCounts(site: string): Promise<z.infer<typeof SegmentCounts> | null> {
    if (!(await this.open(site))) return null;
    return this.countWithoutActivity(site, currentDraft(this.sql)!.revision, Date.now(), []);
  }

  /**
   * Segment counts with behavioural rules, a batch at a time (edge/admin/activity-counts.ts): the accounts
   * among `digests` (their activity's digests for the draft at `revision`) counted with that activity.
   * `counted`: the domains that are accounts, for countWithoutActivity to skip.
   */
  async countWithActivity(site: string, revision: number, now: number, digests: Record<string, ActivityDigest>) {
    const config = (await this.open(site)) ? draftAt(this.sql, revision)?.config : undefined;
    if (!config) return null;
    const found = Object.entries(digests).flatMap(([domain, digest]) => {
      const account = table.getAccount(this.sql, domain);
      return account ? [{ account, digest }] : [];
    });
    return { counts: countSegments(config, found, now), counted: found.map((f) => f.account.domain) };
  }

  /** The rest of the count: every account but `skip`, as having no activity; `total` counts every account. */
  async countWithoutActivity(site: string, revision: number, now: number, skip: string[]): Promise<z.infer<typeof SegmentCounts> | null> {
    const config = (await this.open(site)) ? draftAt(this.sql, revision)?.config : undefined;
    if (!config) return null;
    const counts = countSegments(config, withoutActivity(table.eachAccount(this.sql), new Set(skip)), now);
    return { counts, total: table.countAccounts(this.sql) };
  }

  // ── Activity ───────────────────────────────────────────────────────────────

  /** What segment counts need: the draft's look-back window and, when it has behavioural rules, the most recently active accounts. */
  async activityCountInputs(site: string, now: number, limit: number) {
    if (!(await this.open(site))) return null;
    const draft = currentDraft(this.sql)!;
    const plan = activityPlan(draft.config);
    const active = plan.read ? activeAccounts(this.sql, now, plan.retentionDays, limit) : { domains: [], total: 0 };
    return { read: plan.read, revision: draft.revision, needs: plan.needs, retentionDays: plan.retentionDays, ...active };
  }

  /** A page of the accounts with activity, in domain order: where a visitor's views may be (erasure). */
  async activeAccountsPage(site: string, after: string, limit: number) {
    return (await this.open(site)) ? activeAccountsAfter(this.sql, after, limit) : null;
  }

  /** From an account's AccountActivity: it has activity (again). */
  async noteActivity(site: string, domain: string, at: number): Promise<void> {
    this.bindSite(site);
    noteActive(this.sql, domain, at);
  }

  /** From an account's AccountActivity: its last view expired. */
  async forgetActivity(site: string, domain: string): Promise<void> {
    this.bindSite(site);
    forgetActive(this.sql, domain);
  }

  /** An account and the config whose segments it is shown: the live version, else the draft. */
  async accountSegmentsContext(site: string, domain: string) {
    if (!(await this.open(site))) return null;
    const live = liveVersion(this.sql);
    const config = live?.config ?? currentDraft(this.sql)!.config;
    return { account: table.getAccount(this.sql, domain), config, source: live ? ('live' as const) : ('draft' as const) };
  }

  /** The draft and, for an account preview, the account: what a preview link decides with; and since when links are valid. */
  async previewData(site: string, domain: string | null) {
    if (!(await this.open(site))) return null;
    return { config: currentDraft(this.sql)!.config, account: domain ? table.getAccount(this.sql, domain) : null, revokedBefore: previewsRevokedBefore(this.sql) };
  }

  /** Every preview link issued so far stops working: links issued before the answer (epoch seconds) are void. */
  async revokePreviews(site: string): Promise<{ revokedBefore: number } | null> {
    if (!(await this.open(site))) return null;
    return { revokedBefore: revokePreviews(this.sql, Date.now()) };
  }

  // ── Tag check ──────────────────────────────────────────────────────────────

  /** From the decide route (in the background): a page on an origin ran the tag, or was refused. */
  async noteTag(site: string, sighting: TagSighting, unpublished = false): Promise<void> {
    // a page view for a site nobody published yet: noted only for a site this store holds (never for a made-up id),
    // and allowed or refused by its draft's origins, since the edge's read copy has no config to check them
    if (unpublished) {
      const draft = currentDraft(this.sql);
      if (!draft) return;
      const allowed = originAllowed(sighting.origin, 'https://edge.invalid/', draft.config.allowedOrigins);
      sighting = { ...sighting, status: allowed ? 'seen' : 'refused' };
    }
    this.bindSite(site);
    noteSighting(this.sql, sighting);
  }

  /**
   * Every origin seen or refused, the allowed origins of the live config (else the draft), and the
   * versions of the tags the admin has offered for them: the live version's and the draft's.
   */
  async tagCheck(site: string) {
    if (!(await this.open(site))) return null;
    const draft = currentDraft(this.sql)!.config;
    const config = liveVersion(this.sql)?.config ?? draft;
    return { allowedOrigins: config.allowedOrigins, tagVersions: [tagVersion(config), tagVersion(draft)], sightings: sightings(this.sql) };
  }

  // ── CRM sync ───────────────────────────────────────────────────────────────

  /** Runs the published config's CRM sync now (a Cron Trigger, or an admin's "Sync now"); its status after. */
  async crmSync(site: string): Promise<CrmSyncStatus | { skipped: string } | null> {
    if (!(await this.open(site))) return null;
    return this.runCrm(site);
  }

  async crmStatus(site: string): Promise<CrmSyncStatus | null> {
    if (!(await this.open(site))) return null;
    return this.crmStatusNow();
  }

  /**
   * The decide path's note of an account's segment now ('' none), sent in the background when this
   * isolate saw it change (edge/crm/segment-changes.ts). A change is written back after a short wait,
   * with the others that came meanwhile.
   */
  async noteCrmSegment(site: string, domain: string, segment: string, at: number): Promise<void> {
    if (!(await this.open(site))) return;
    if (!liveVersion(this.sql)?.config.crm?.writeBack) return;
    if (!noteSegment(this.sql, domain, segment, at)) return;
    if (getMeta(this.sql, 'crm_write_back_at')) return;
    const due = Date.now() + (Number(this.env.CRM_WRITE_BACK_DELAY_MS) || WRITE_BACK_DELAY_MS);
    setMeta(this.sql, 'crm_write_back_at', String(due));
    await this.alarmBy(due);
  }

  private crmRunning = false;

  private crmHost(site: string): CrmHost {
    return {
      env: this.env,
      site,
      sql: this.sql,
      transaction: (fn) => this.ctx.storage.transactionSync(fn),
      putAccounts: (accounts) => this.putAccounts(site, accounts),
    };
  }

  /**
   * One run: up to 25 HubSpot pages (5 Salesforce pages) of records modified since the last, written
   * into the accounts as they come (each page one transaction, queued for the read copy like an import:
   * counts, preview and the edge see the same data); with the pipeline on and every company read, up
   * to 10 pages of deals (2 of opportunities) written to D1; then the pending segment changes written
   * back. More left, or a rate limit to wait out, continues on the alarm.
   */
  private async runCrm(site: string): Promise<CrmSyncStatus | { skipped: string }> {
    const crm = liveVersion(this.sql)?.config.crm;
    if (!crm) {
      deleteMeta(this.sql, 'crm_resume_at');
      return { skipped: 'the published config has no CRM sync' };
    }
    if (this.crmRunning) return this.crmStatusNow();
    this.adoptCrm(crm);
    this.crmRunning = true;
    try {
      const run = await syncCrm(this.crmHost(site), crm, this.crmState(CRM_STATE), crm.pipeline ? this.crmState(DEALS_STATE) : null);
      this.saveCrmState(CRM_STATE, run.companies.state);
      if (run.deals) this.saveCrmState(DEALS_STATE, run.deals.state);
      const next = run.companies.more ? run.companies : run.deals;
      if (next?.more) {
        const at = Date.now() + Math.max(next.waitMs, NEXT_FLUSH_MS);
        setMeta(this.sql, 'crm_resume_at', String(at));
        await this.alarmBy(at);
      } else deleteMeta(this.sql, 'crm_resume_at');
      await this.runWriteBack();
      // what the run wrote reaches the read copy on the alarm: one flush per invocation
      await this.alarmBy(Date.now() + NEXT_FLUSH_MS);
      return this.crmStatusNow();
    } finally {
      this.crmRunning = false;
    }
  }

  /**
   * A published CRM config that reads another CRM account than the last run did (another provider,
   * portal token or org) starts over: both streams from the beginning, no record ids of the old one
   * (write-back would send them to the new), every current segment unwritten. A new field mapping
   * reads every company again, so that the new fields reach the accounts that did not change.
   */
  private adoptCrm(crm: CrmConfig): void {
    const identity = crmIdentity(crm);
    const mapping = JSON.stringify(crmMapping(crm));
    const sameCrm = getMeta(this.sql, 'crm_identity') === identity;
    if (sameCrm && getMeta(this.sql, 'crm_mapping') === mapping) return;
    this.ctx.storage.transactionSync(() => {
      // a first run (no identity yet) after an upgrade keeps what it has
      const first = getMeta(this.sql, 'crm_identity') === undefined;
      if (!sameCrm && !first) {
        for (const key of [CRM_STATE, DEALS_STATE, 'crm_resume_at', 'crm_wb_written', 'crm_wb_at', 'crm_wb_failure']) deleteMeta(this.sql, key);
        forgetCrmRecords(this.sql);
      } else if (!first) deleteMeta(this.sql, CRM_STATE);
      setMeta(this.sql, 'crm_identity', identity);
      setMeta(this.sql, 'crm_mapping', mapping);
    });
  }

  /** Writes pending segment changes back to the CRM; the rest (or a rate limit) on the alarm. */
  private async runWriteBack(): Promise<void> {
    const site = getMeta(this.sql, 'site');
    const crm = liveVersion(this.sql)?.config.crm;
    deleteMeta(this.sql, 'crm_write_back_at');
    if (!site || !crm?.writeBack) return;
    this.adoptCrm(crm);
    const run = await writeBackCrm(this.crmHost(site), crm);
    const written = Number(getMeta(this.sql, 'crm_wb_written') ?? 0) + run.written;
    setMeta(this.sql, 'crm_wb_written', String(written));
    if (run.written) setMeta(this.sql, 'crm_wb_at', new Date().toISOString());
    if (run.failure) setMeta(this.sql, 'crm_wb_failure', run.failure);
    else deleteMeta(this.sql, 'crm_wb_failure');
    if (run.more) {
      const at = Date.now() + Math.max(run.waitMs, NEXT_FLUSH_MS);
      setMeta(this.sql, 'crm_write_back_at', String(at));
      await this.alarmBy(at);
    }
  }

  private crmStatusNow(): CrmSyncStatus {
    const crm = liveVersion(this.sql)?.config.crm;
    const status = syncStatus(crm?.provider ?? 'hubspot', this.crmState(CRM_STATE));
    return {
      ...status,
      ...(crm?.pipeline && { pipeline: pipelineStatus(this.crmState(DEALS_STATE)) }),
      ...(crm?.writeBack && {
        writeBack: {
          pending: pendingCount(this.sql),
          written: Number(getMeta(this.sql, 'crm_wb_written') ?? 0),
          lastWrittenAt: getMeta(this.sql, 'crm_wb_at') ?? null,
          errors: refusals(this.sql),
          lastFailure: getMeta(this.sql, 'crm_wb_failure') ?? null,
        },
      }),
    };
  }

  /** Where the companies/accounts stream (`crm_state`) or the deals/opportunities stream (`crm_deals_state`) stands. */
  private crmState(key: string): SyncState {
    const text = getMeta(this.sql, key);
    return text ? { ...newSyncState(), ...(JSON.parse(text) as SyncState) } : newSyncState();
  }

  private saveCrmState(key: string, state: SyncState): void {
    setMeta(this.sql, key, JSON.stringify(state));
  }

  // ── Accounts ───────────────────────────────────────────────────────────────

  /**
   * Writes validated accounts all together or not at all; a domain already held is updated. Intent
   * scores arrive by their own import (importIntent): an account given without `intent` keeps its own.
   */
  async importAccounts(site: string, accounts: Account[]): Promise<{ accepted: number } | null> {
    if (!(await this.open(site))) return null;
    await this.commit(() => this.putAccounts(site, accounts));
    return { accepted: accounts.length };
  }

  /**
   * Writes accounts into the table and queues their read copy (records and indexes), inside the
   * caller's transaction. An account given without intent keeps the scores it has: intent arrives by
   * its own import (importIntent), not with the account's other fields (a CSV, a CRM sync).
   */
  private putAccounts(site: string, accounts: Account[]): void {
    const touched = table.nothingTouched();
    for (const given of accounts) {
      const intent = given.intent ?? table.getAccount(this.sql, given.domain)?.intent;
      const account = intent ? { ...given, intent } : given;
      table.upsertAccount(this.sql, account, touched);
      const { key, value } = accountEntry(site, account);
      enqueue(this.sql, key, value);
    }
    enqueueIndexes(this.sql, site, touched);
  }

  /**
   * Adds intent scores to the accounts they are for, all together or not at all, each account's record
   * rewritten once (and queued for KV like any account change). `unknown`: the domains it holds no account of.
   */
  async importIntent(site: string, batches: { domain: string; scores: IntentScore[] }[]) {
    if (!(await this.open(site))) return null;
    return this.commit(() => {
      const unknown: string[] = [];
      for (const { domain, scores } of batches) {
        const held = table.getAccount(this.sql, domain);
        if (!held) {
          unknown.push(domain);
          continue;
        }
        const account = { ...held, intent: mergeIntent(held.intent ?? [], scores) };
        table.replaceAccountData(this.sql, account);
        const { key, value } = accountEntry(site, account);
        enqueue(this.sql, key, value);
      }
      return { unknown };
    });
  }

  async deleteAccount(site: string, domain: string): Promise<boolean | null> {
    if (!(await this.open(site))) return null;
    return this.commit(() => {
      const touched = table.nothingTouched();
      const existed = table.deleteAccount(this.sql, domain, touched);
      forgetCrmRecord(this.sql, domain);
      if (existed) {
        enqueue(this.sql, kvKeys.account(site, domain), null);
        enqueueIndexes(this.sql, site, touched);
      }
      return existed;
    });
  }

  async getAccount(site: string, domain: string) {
    return (await this.open(site)) ? { account: table.getAccount(this.sql, domain) } : null;
  }

  async searchAccounts(site: string, q: string, limit: number, after: string | null): Promise<AccountPage | null> {
    if (!(await this.open(site))) return null;
    const page = table.searchAccounts(this.sql, q, limit, after);
    const fit = currentDraft(this.sql)!.config.fit;
    return fit ? { ...page, fit: Object.fromEntries(page.accounts.map((a) => [a.domain, fitOf(withFit(a, fit)!)])) } : page;
  }

  async attributeKeys(site: string): Promise<string[] | null> {
    return (await this.open(site)) ? table.attributeKeys(this.sql) : null;
  }

  /**
   * Takes over one page of the accounts already in KV (those it does not hold yet). Only the tables
   * change: KV already holds these records, and rewriting buckets from a half-adopted table would
   * drop the ranges of accounts on later pages.
   */
  async adoptAccounts(site: string, cursor: string | undefined) {
    if (!(await this.open(site))) return null;
    const page = await readKvAccounts(this.env.KV, site, cursor);
    const fresh = page.accounts.filter((a) => !table.hasAccount(this.sql, a.domain));
    this.ctx.storage.transactionSync(() => {
      const touched = table.nothingTouched();
      for (const account of fresh) table.upsertAccount(this.sql, account, touched);
    });
    return { adopted: fresh.length, kept: page.accounts.length - fresh.length, unreadable: page.unreadable, cursor: page.cursor };
  }

  // ── Read copy ──────────────────────────────────────────────────────────────

  /** How far the edge's KV read copy is behind: ReadCopyStatus of shared/schemas/admin.ts. */
  async readCopyStatus(site: string) {
    return (await this.open(site)) ? outboxStatus(this.sql) : null;
  }

  /** Queues every stuck write again with fresh attempts, flushes, and answers the status after it. */
  async retryStuckWrites(site: string) {
    if (!(await this.open(site))) return null;
    const requeued = await this.commit(() => requeueStuck(this.sql));
    return { requeued, ...outboxStatus(this.sql) };
  }

  // ── Internals ──────────────────────────────────────────────────────────────

  private edit(site: string, actor: string): Edit {
    return { site, actor, at: new Date().toISOString() };
  }

  /** Whether the site exists; a site the edge serves but this object has never seen is adopted from KV first. */
  private async open(site: string): Promise<boolean> {
    this.bindSite(site);
    if (currentDraft(this.sql)) return true;
    const config = await readKvConfig(this.env.KV, site);
    if (!config) return false;
    this.ctx.storage.transactionSync(() => adoptLiveConfig(this.sql, config, this.edit(site, 'system')));
    return true;
  }

  /** One object per site: refuse to write another site's keys through it. */
  private bindSite(site: string): void {
    const bound = getMeta(this.sql, 'site');
    if (bound === undefined) setMeta(this.sql, 'site', site);
    else if (bound !== site) throw new Error(`SiteStore of "${bound}" called for "${site}"`);
  }

  /** Runs a change in one transaction, then flushes the read copy (one budget's worth, the alarm takes any rest) before answering. */
  private async commit<T>(change: () => T): Promise<T> {
    const result = this.ctx.storage.transactionSync(change);
    await this.syncReadCopy();
    return result;
  }

  /**
   * Flushes the outbox, unless a flush is running already: then the alarm takes what this change
   * queued. Never a second flush chained behind the first: whichever invocation it ended up running
   * in would spend two budgets. What a flush leaves, or a flush that failed, is the alarm's, never lost.
   */
  private syncReadCopy(): Promise<void> {
    const { kv, now } = this.flushIo();
    if (this.flushing) return this.alarmBy(now() + NEXT_FLUSH_MS);
    const run = this.flushOnce(kv, now)
      .catch(async (err: unknown) => {
        console.error('SiteStore: KV read copy not updated, retrying', err);
        await this.alarmBy(now() + RETRY_MS);
      })
      .finally(() => (this.flushing = null));
    this.flushing = run;
    return run;
  }

  /** Sets the alarm for `at`, unless it is set for sooner. */
  private async alarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** The edge's KV and the real clock, or a test's wrapper around them. */
  private flushIo(): FlushIo {
    const real: FlushIo = { kv: this.env.KV, now: Date.now };
    return flushIoWrappers.get(this.ctx.id.toString())?.(real) ?? real;
  }

  private async flushOnce(kv: KvWriter, now: () => number): Promise<void> {
    const { nextDueAt } = await drainOutbox(this.sql, kv, { now });
    // the backlog counts every write queued so far, so this alarm may replace a sooner one
    if (nextDueAt !== null) await this.ctx.storage.setAlarm(Math.max(nextDueAt, now() + NEXT_FLUSH_MS));
  }
}

const fitOf = (a: Account) => ({ fitScore: a.fitScore!, tier: a.tier! });

async function readKvConfig(kv: KVNamespace, site: string): Promise<SiteConfig | null> {
  const text = await kv.get(kvKeys.config(site), 'text');
  if (text === null) return null;
  try {
    const parsed = SiteConfig.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
