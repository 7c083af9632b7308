import { atLeast, requiredConfidence } from '../../shared/resolve/confidence';
import type { DecidedVisit, EntryDeps } from '../alerts/detect';
import type { Env } from '../env';

/** site × account → the segment this isolate last handed to the SiteStore ('' none). */
const seen = new Map<string, string>();
const MAX_SEEN = 20_000;

/**
 * After a decision, for a site that writes segments back to its CRM: the account's segment now
 * ('' when it matched none), handed to the site's SiteStore in the background when this isolate saw
 * it change; the store keeps it once and writes it back batched (edge/crm/write-back.ts). Only what
 * the edge knows well counts: an account at `inferred` or better, a real page view of a tracked
 * visitor, with its activity read (a behavioural segment missed for a slow read is not a change), and
 * "none" only when the account's confidence was enough for every segment.
 */
export function noteCrmSegment(env: Pick<Env, 'SITE_STORE'>, deps: Pick<EntryDeps, 'waitUntil'>, d: DecidedVisit): void {
  const account = d.resolution.account;
  if (!d.config.crm?.writeBack || !account || !d.tracking || !d.pageView || !atLeast(d.resolution.confidence, 'inferred')) return;
  if (d.read !== null && d.read.status !== 'ok') return;
  const segment = d.decision.segment?.id ?? '';
  if (!segment && !d.config.segments.every((s) => atLeast(d.resolution.confidence, requiredConfidence(s)))) return;
  const key = `${d.config.site}\n${account.domain}`;
  if (seen.get(key) === segment) return;
  if (seen.size >= MAX_SEEN) seen.clear();
  seen.set(key, segment);
  deps.waitUntil(
    env.SITE_STORE.getByName(d.config.site)
      .noteCrmSegment(d.config.site, account.domain, segment, d.now)
      .catch((err: unknown) => {
        seen.delete(key);
        console.error('crm: segment change not noted', err);
      }),
  );
}

/** Tests: forget what this isolate handed over. */
export function resetSegmentMemo(): void {
  seen.clear();
}
