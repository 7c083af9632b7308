import { type NewView, addViews, digestOf } from '../../shared/activity/digest';
import { fnv1a32 } from '../../shared/measure/assign';
import { ActivityDigest, ActivityNeeds } from '../../shared/schemas';
import { DAY_MS } from '../../shared/rules/behaviour';
import { allViews, getMeta, setMeta } from './activity-table';

/** KV takes one write per second per key: a change within a second of the last write waits for the alarm. */
export const DIGEST_WRITE_INTERVAL_MS = 1_000;
const RETRY_MS = 10_000;

/**
 * Keeps one AccountActivity object's digest in KV (shared/activity/digest.ts): recomputed from its
 * views after each change, written only when it differs from what KV holds, never more than once a
 * second (a write that must wait is made by the object's alarm), and expiring with the views.
 */
export class DigestPublisher {
  constructor(
    private readonly sql: SqlStorage,
    private readonly kv: KVNamespace,
    private readonly wakeAt: (at: number) => Promise<void>,
  ) {}

  /** What the site's rules need now, where the digest goes, and how long views are kept. */
  want(needs: ActivityNeeds, key: string, retentionDays: number): void {
    const text = JSON.stringify(needs);
    if (getMeta(this.sql, 'digest_needs') !== text) setMeta(this.sql, 'digest_needs', text);
    if (getMeta(this.sql, 'digest_key') !== key) setMeta(this.sql, 'digest_key', key);
    setMeta(this.sql, 'digest_ttl_s', Math.ceil(((retentionDays + 1) * DAY_MS) / 1000));
  }

  /**
   * Brings the digest up to date, `added` applied to the one kept here (O(kept times), whatever the
   * number of views) or, without it, recounted from every view; then writes it if it changed and the
   * last write is a second old, else has the alarm write it. Never throws.
   */
  async publish(added?: NewView): Promise<void> {
    try {
      await this.publishOrWait(added);
    } catch (err) {
      console.error('AccountActivity: digest not written', err);
    }
  }

  private async publishOrWait(added?: NewView): Promise<void> {
    const key = getMeta(this.sql, 'digest_key');
    const needsText = getMeta(this.sql, 'digest_needs');
    if (key === undefined || needsText === undefined) return; // the site's rules read no activity
    const digest = this.current(needsText, added);
    const text = JSON.stringify(digest);
    setMeta(this.sql, 'digest', text);
    // `through` moves with every view; a view no rule counts changes nothing else, and is not worth a write
    const relevant = JSON.stringify({ ...digest, through: null });
    const hash = `${relevant.length}:${fnv1a32(relevant)}`;
    if (getMeta(this.sql, 'digest_hash') === hash) return;
    const now = Date.now();
    const due = Number(getMeta(this.sql, 'digest_put_at') ?? -Infinity) + DIGEST_WRITE_INTERVAL_MS;
    if (now < due) return this.wakeAt(due);
    try {
      await this.kv.put(key, text, { expirationTtl: Math.max(60, Number(getMeta(this.sql, 'digest_ttl_s') ?? 86_400)) });
      setMeta(this.sql, 'digest_put_at', now);
      setMeta(this.sql, 'digest_hash', hash);
      setMeta(this.sql, 'digest_writes', Number(getMeta(this.sql, 'digest_writes') ?? 0) + 1);
    } catch (err) {
      console.error('AccountActivity: digest not written, retrying', err);
      await this.wakeAt(now + RETRY_MS);
    }
  }

  /** The kept digest with `added`, when it was made for these needs; else a recount of every view. */
  private current(needsText: string, added: NewView | undefined): ActivityDigest {
    const kept = added && getMeta(this.sql, 'digest');
    if (kept) {
      const digest = ActivityDigest.safeParse(JSON.parse(kept));
      if (digest.success && JSON.stringify(digest.data.needs) === needsText) return addViews(digest.data, [added]);
    }
    return digestOf(allViews(this.sql), ActivityNeeds.parse(JSON.parse(needsText)));
  }

  /** The views are gone: so is the digest. */
  async remove(): Promise<void> {
    const key = getMeta(this.sql, 'digest_key');
    if (key !== undefined) await this.kv.delete(key).catch((err: unknown) => console.error('AccountActivity: digest not deleted', err));
  }
}
