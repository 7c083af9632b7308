import type { DecideResponse, SiteConfig } from '../schemas';
import { globMatch } from '../rules/evaluate';
import { assignArm, assignmentUnit } from './assign';

/** The URL goals of the site whose patterns match this page's path. */
export function urlGoalsReached(config: SiteConfig, path: string): string[] {
  return (config.goals ?? []).filter((g) => g.urlPatterns?.some((p) => globMatch(p, path))).map((g) => g.id);
}

/**
 * Adds measurement to a decision with a segment: the arm (the holdout keeps the page as written, so its
 * changes lose their content and only say which slots would have changed), what the snippet reports
 * in its events, and the URL goals this page reaches. A decision without a segment is not measured.
 */
export function measureDecision(config: SiteConfig, body: DecideResponse, visitor: string | undefined, path: string): DecideResponse {
  if (!body.segment) return body;
  const segment = config.segments.find((s) => s.id === body.segment!.id);
  const account = body.account?.domain;
  const arm = assignArm(config.site, body.segment.id, assignmentUnit(account, visitor), segment?.holdout ?? 0);
  const measured: DecideResponse = { ...body, arm };
  if (arm === 'holdout') {
    measured.changes = body.changes.map(({ slot, selector }) => ({ slot, selector }));
    measured.reason = 'holdout: this visitor keeps the page as written, to measure the segment against it';
  }
  // Without a visitor id (Global Privacy Control, Do Not Track) the snippet sends no events.
  if (visitor) {
    measured.measure = { segment: body.segment.id, arm, version: body.version, ...(account && { account }) };
    const goals = urlGoalsReached(config, path);
    if (goals.length) measured.goals = goals;
  }
  return measured;
}
