import type { CheckedEvent, RejectedEvent } from '../../shared/measure/check-events';
import { assignArm, assignmentUnit } from '../../shared/measure/assign';
import { verifyMeasure } from '../../shared/measure/measure-token';
import type { SiteConfig } from '../../shared/schemas';

/**
 * The events of a batch that the edge itself decided: each carries the measurement token of its
 * decision, signed for this site, this batch's visitor and exactly this segment, arm, version and
 * account (shared/measure/measure-token.ts). On top, a version the site never published is refused,
 * and for the live version the arm is drawn again for the unit: a mismatch is refused too.
 * Everything refused is counted nowhere and listed with its reason.
 */
export async function verifyEvents(
  secret: string | null,
  config: SiteConfig,
  visitor: string,
  events: readonly CheckedEvent[],
  nowSeconds: number,
): Promise<{ valid: CheckedEvent[]; rejected: RejectedEvent[] }> {
  const valid: CheckedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const checked = new Map<string, Promise<string | null>>();
  for (const event of events) {
    const { index, segment, arm, version, account, token } = event;
    const refuse = (field: string, message: string) => rejected.push({ index, path: `events.${index}.${field}`, message });
    if (version > config.version) {
      refuse('version', `site "${config.site}" has published no version ${version}`);
      continue;
    }
    // one check per distinct measure: a batch mostly repeats its decision's
    const key = `${segment}|${arm}|${version}|${account ?? ''}|${token ?? ''}`;
    let reason = checked.get(key);
    if (!reason) {
      reason = secret === null
        ? Promise.resolve('the edge has no signing key (LINK_SECRET), so no event can be verified')
        : verifyMeasure(secret, token, { site: config.site, visitor, measure: { segment, arm, version, ...(account && { account }) } }, nowSeconds).then((c) => (c.ok ? null : c.reason));
      checked.set(key, reason);
    }
    const why = await reason;
    if (why) {
      refuse('token', why);
      continue;
    }
    const live = config.segments.find((s) => s.id === segment)!;
    if (version === config.version && assignArm(config.site, segment, assignmentUnit(account, visitor), live.holdout) !== arm) {
      refuse('arm', `this ${account ? 'account' : 'visitor'} is drawn into the other arm of "${segment}"`);
      continue;
    }
    valid.push(event);
  }
  return { valid, rejected };
}
