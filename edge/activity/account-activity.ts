import { DurableObject } from 'cloudflare:workers';
import type { ActivityDigest, ActivityNeeds } from '../../shared/schemas';
import { digestOf } from '../../shared/activity/digest';
import { kvKeys } from '../../shared/kv/keys';
import { DAY_MS } from '../../shared/rules/behaviour';
import type { Env } from '../env';
import * as views from './activity-table';
import { DigestPublisher } from './publish-digest';

/** Whose activity an object holds: an account of a site, or (no account resolved) one anonymous visitor. */
export type ActivityKey = { site: string; domain: string } | { site: string; visitor: string };

/** The object's name: `<site>:<domain>` or `<site>:v:<visitorId>` (domains and visitor ids have no `:`). */
export const activityName = (key: ActivityKey) => ('domain' in key ? `${key.site}:${key.domain}` : `${key.site}:v:${key.visitor}`);

/** The KV key of its digest, what decisions read: `act:<site>:<domain>` or `act:<site>:v:<visitorId>`. */
export const digestKey = (key: ActivityKey) => kvKeys.activity(key.site, 'domain' in key ? key.domain : `v:${key.visitor}`);

export interface SummaryQuery {
  /** The decision time, epoch ms. */
  now: number;
  /** Send the views of this many days back (0: only first and last seen). */
  windowDays: number;
}

export interface ViewRecord {
  key: ActivityKey;
  at: number;
  visitor: string | null;
  /** The page's path, without its query. */
  path: string;
  groups: string[];
  retentionDays: number;
  /** What the site's behavioural rules need of the digest (absent or null: the site records views but reads none). */
  needs?: ActivityNeeds | null;
}

/** How often an account object re-announces itself to its site's index of active accounts. */
const INDEX_REFRESH_MS = DAY_MS;
/** An expiry alarm fires this long after the oldest view expires, so one alarm prunes a batch. */
const EXPIRY_SLACK_MS = 60 * 60_000;

/**
 * The recent page views of one account (or one anonymous visitor), strongly consistent: every view
 * of the account goes through this one object. Bounded: views older than the site's retention are
 * deleted on every write and by an alarm, at most MAX_VIEWS are kept, and an object whose views have
 * all expired deletes its storage. Account objects keep their site's SiteStore told that they have
 * activity (at most daily), so admin segment counts visit only accounts with activity.
 *
 * It also keeps the account's digest in KV (publish-digest.ts): what decisions read instead of calling
 * this object, rewritten only when it changed, at most once a second.
 */
export class AccountActivity extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private migrated = false;
  /** Cached view count and alarm time: unknown until first needed. */
  private rows: number | undefined;
  private alarmAt: number | null | undefined;
  private readonly digest: DigestPublisher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.digest = new DigestPublisher(this.sql, env.KV, (at) => this.wakeAt(at));
  }

  /** Read-only: what a decision sees (this page view is recorded afterwards), see decodeSummary. Creates no storage. */
  summary(query: SummaryQuery): views.ActivityWire {
    return this.exists() ? views.readSummary(this.db(), query.now, query.windowDays) : views.EMPTY_WIRE;
  }

  /**
   * The digest of what summary() would answer, for `needs` (a few KB whatever the number of views):
   * segment counts read this, so the views never leave the object (edge/admin/activity-counts.ts).
   */
  countingDigest(query: SummaryQuery & { needs: ActivityNeeds }): ActivityDigest {
    return digestOf(views.decodeSummary(this.summary(query)), query.needs);
  }

  /** Records one page view; false when it repeated the visitor's previous view. */
  async record(view: ViewRecord): Promise<boolean> {
    const sql = this.db();
    this.bind(view.key);
    if (view.needs) this.digest.want(view.needs, digestKey(view.key), view.retentionDays);
    this.rows ??= views.countViews(sql);
    const { session, rows, pruned } = this.ctx.storage.transactionSync(() => {
      const session = views.insertView(sql, { at: view.at, visitor: view.visitor ?? '', path: view.path, groups: view.groups });
      let pruned = views.pruneExpired(sql, view.at, view.retentionDays);
      let rows = this.rows! + (session ? 1 : 0) - pruned;
      if (rows > views.MAX_VIEWS) {
        const excess = views.pruneExcess(sql);
        rows -= excess;
        pruned += excess;
      }
      views.setMeta(sql, 'retention_days', view.retentionDays);
      return { session, rows, pruned };
    });
    this.rows = rows;
    await this.scheduleExpiry(view.retentionDays);
    if (session) {
      // views that left change the digest in ways only a recount knows; otherwise add this one
      const added = { at: view.at, groups: view.groups, visitor: view.visitor ?? '', session };
      await this.digest.publish(pruned > 0 ? undefined : added);
    }
    if (session && 'domain' in view.key) await this.announce(view.key, view.at);
    return session !== null;
  }

  /** An anonymous visitor's object: its most recent views, to carry over to the account it turned out to be (read only). */
  handOver(): views.StitchedView[] {
    return this.exists() ? views.newestViews(this.db()) : [];
  }

  /**
   * An account's object: adds the views an anonymous visitor handed over (bounded, each once: see
   * insertStitched), prunes as on any write and republishes the digest. Answers how many were added.
   */
  async absorb(into: Omit<ViewRecord, 'at' | 'visitor' | 'path' | 'groups'>, stitched: views.StitchedView[]): Promise<number> {
    if (!('domain' in into.key) || stitched.length === 0) return 0;
    const sql = this.db();
    this.bind(into.key);
    if (into.needs) this.digest.want(into.needs, digestKey(into.key), into.retentionDays);
    const now = Date.now();
    const added = this.ctx.storage.transactionSync(() => {
      const n = views.insertStitched(sql, stitched.slice(-views.MAX_STITCHED_VIEWS));
      views.pruneExpired(sql, now, into.retentionDays);
      views.pruneExcess(sql);
      views.setMeta(sql, 'retention_days', into.retentionDays);
      return n;
    });
    this.rows = undefined;
    if (added > 0) {
      await this.scheduleExpiry(into.retentionDays);
      await this.digest.publish();
      await this.announce(into.key, now);
    }
    return added;
  }

  /** For the admin: every retained view (as a summary) and the newest ones with their paths. */
  report(query: SummaryQuery & { recent: number }) {
    return { summary: this.summary(query), recent: this.exists() ? views.recentViews(this.db(), query.recent) : [] };
  }

  /** Erasure: every view and the KV digest of this account or visitor go, now (the object keeps no storage). Answers how many views went. */
  async erase(kvKey: string): Promise<number> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const erased = this.exists() ? views.countViews(this.sql) : 0;
      // the digest's key, whether or not this object still remembers writing it
      await this.env.KV.delete(kvKey);
      await this.ctx.storage.deleteAll();
      this.migrated = false;
      this.rows = undefined;
      this.alarmAt = null;
      return erased;
    });
  }

  /**
   * Erasure of one visitor id from an account's views: they go, and the digest is recounted without
   * them (its visitor tags are derived from the id); left with no views, the object empties as on expiry.
   * Answers how many views went. Creates no storage.
   */
  async eraseVisitor(visitor: string): Promise<number> {
    return this.ctx.blockConcurrencyWhile(async () => {
      if (!this.exists()) return 0;
      const sql = this.db();
      const erased = views.deleteVisitorViews(sql, visitor);
      if (erased === 0) return 0;
      this.rows = undefined;
      if (views.oldestView(sql) !== null) await this.digest.publish();
      else await this.vacate();
      return erased;
    });
  }

  /** Publishes a digest write that had to wait; deletes expired views; an object left with none deletes its storage and leaves its site's index. */
  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      const sql = this.db();
      const retention = Number(views.getMeta(sql, 'retention_days') ?? 90);
      views.pruneExpired(sql, Date.now(), retention);
      this.rows = undefined;
      this.alarmAt = undefined;
      if (views.oldestView(sql) !== null) {
        await this.digest.publish();
        return this.scheduleExpiry(retention);
      }
      await this.vacate();
    });
  }

  /** No views left: the digest, the storage (the alarm too) and the place in the site's index go. */
  private async vacate(): Promise<void> {
    const site = views.getMeta(this.sql, 'site');
    const domain = views.getMeta(this.sql, 'domain');
    await this.digest.remove();
    await this.ctx.storage.deleteAll();
    this.migrated = false;
    this.rows = undefined;
    this.alarmAt = null;
    if (site !== undefined && domain !== undefined) {
      await this.env.SITE_STORE.getByName(site)
        .forgetActivity(site, domain)
        .catch((err: unknown) => console.error('AccountActivity: site index not updated', err));
    }
  }

  /** Whether this object has ever recorded a view (since its storage was last deleted): reads must not create tables. */
  private exists(): boolean {
    return this.migrated || this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'views'").toArray().length > 0;
  }

  private db(): SqlStorage {
    if (!this.migrated) {
      views.migrateActivity(this.sql);
      this.migrated = true;
    }
    return this.sql;
  }

  /** One object per account or visitor: refuse another's views. */
  private bind(key: ActivityKey): void {
    const name = activityName(key);
    const bound = views.getMeta(this.sql, 'name');
    if (bound === undefined) {
      views.setMeta(this.sql, 'name', name);
      views.setMeta(this.sql, 'site', key.site);
      if ('domain' in key) views.setMeta(this.sql, 'domain', key.domain);
    } else if (bound !== name) throw new Error(`AccountActivity of "${bound}" called for "${name}"`);
  }

  /** Keeps an alarm set for when the oldest view expires. */
  private async scheduleExpiry(retentionDays: number): Promise<void> {
    const oldest = views.oldestView(this.sql);
    if (oldest === null) return;
    await this.wakeAt(oldest + retentionDays * DAY_MS + EXPIRY_SLACK_MS);
  }

  /** The alarm fires at the earliest of what asked for it (an expiry, a digest write that had to wait). */
  private async wakeAt(due: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= due) return;
    await this.ctx.storage.setAlarm(due);
    this.alarmAt = due;
  }

  /** Tells the site's SiteStore this account has activity (first view, then at most daily); a failure is retried on a later view. */
  private async announce(key: { site: string; domain: string }, at: number): Promise<void> {
    const announced = Number(views.getMeta(this.sql, 'announced_at') ?? -Infinity);
    if (Math.abs(at - announced) < INDEX_REFRESH_MS) return;
    try {
      await this.env.SITE_STORE.getByName(key.site).noteActivity(key.site, key.domain, at);
      views.setMeta(this.sql, 'announced_at', at);
    } catch (err) {
      console.error('AccountActivity: site index not updated', err);
    }
  }
}
